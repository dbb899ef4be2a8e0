package io.sysfleet.lab;

import io.sysfleet.core.AtomicFiles;
import io.sysfleet.core.ExitCode;
import io.sysfleet.core.SysfleetException;
import io.sysfleet.result.Phase;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A local lab of real sshd hosts (containers of the test image) kept in one directory: {@code id_ed25519}
 * (the lab's client key), {@code known_hosts} (host keys read inside each container) and {@code inventory.yml}
 * (the lab that {@code up} started). Containers are labelled with the directory's lab id, so several labs
 * (other directories) can run side by side on different ports.
 */
public final class Lab {
    /** The image scripts/build-test-image.sh builds. */
    public static final String DEFAULT_IMAGE = "sysfleet-host:latest";
    /** The default lab directory, relative to the current directory. */
    public static final Path DEFAULT_DIR = Path.of(".sysfleet", "lab");

    private final Path dir;
    private final String id;
    private final Docker docker;
    private final PrintWriter out;
    private final PrintWriter err;
    private final Path projectRoot;

    /**
     * @param projectRoot the sysfleet source tree (has scripts/build-test-image.sh), or null when unknown
     */
    public Lab(Path dir, Docker docker, PrintWriter out, PrintWriter err, Path projectRoot) {
        this.dir = dir.toAbsolutePath().normalize();
        this.id = LabFiles.labId(this.dir);
        this.docker = docker;
        this.out = out;
        this.err = err;
        this.projectRoot = projectRoot;
    }

    public Path dir() {
        return dir;
    }

    public Path privateKey() {
        return dir.resolve("id_ed25519");
    }

    public Path knownHosts() {
        return dir.resolve("known_hosts");
    }

    public Path inventory() {
        return dir.resolve("inventory.yml");
    }

    /** The Docker container name of lab host {@code host}. */
    public String containerName(String host) {
        return "sysfleet-lab-" + id.substring(0, 6) + "-" + host;
    }

    /**
     * Starts the lab's hosts and waits until each sshd answers. Idempotent: running hosts of the same profile,
     * port and key are kept; stopped ones are started; lab containers that are not part of {@code spec} are
     * removed. Rewrites known_hosts and inventory.yml.
     */
    public void up(LabSpec spec, String image, Duration wait) {
        docker.requireEngine();
        ensureImage(image);
        prepareDir();
        String publicKey = ensureKey();
        String keyId = sha12(publicKey);

        Map<String, Docker.Container> existing = new LinkedHashMap<>();
        for (Docker.Container c : docker.list(id)) {
            existing.put(c.name(), c);
        }
        List<String> stale = new ArrayList<>();
        for (Docker.Container c : existing.values()) {
            LabHost h = spec.host(c.host());
            if (h == null || !c.name().equals(containerName(h.name())) || !h.profile().id().equals(c.profile())
                    || h.port() != c.port() || !keyId.equals(c.keyId())) {
                stale.add(c.name());
            }
        }
        if (!stale.isEmpty()) {
            docker.remove(stale);
            out.println("lab: removed " + String.join(", ", stale) + " (not part of this lab, or made with another key)");
            stale.forEach(existing::remove);
        }

        for (LabHost h : spec.hosts()) {
            String name = containerName(h.name());
            Docker.Container c = existing.get(name);
            String what;
            if (c != null && c.running()) {
                what = "kept (running)";
            } else if (c != null) {
                Exec.Result r = docker.start(name);
                if (!r.ok()) {
                    throw portOr(h, r, "docker start " + name);
                }
                what = "restarted";
            } else {
                String other = docker.labelOf(name);
                if (other != null) {
                    throw Docker.error("a container named " + name + " exists but is not part of the lab in " + dir
                            + "; remove it (docker rm -f " + name + ")", null);
                }
                if (!SshProbe.portFree(h.port())) {
                    throw portInUse(h);
                }
                Map<String, String> labels = new LinkedHashMap<>();
                labels.put(Docker.LABEL, id);
                labels.put(Docker.LABEL_HOST, h.name());
                labels.put(Docker.LABEL_PROFILE, h.profile().id());
                labels.put(Docker.LABEL_PORT, Integer.toString(h.port()));
                labels.put(Docker.LABEL_KEY, keyId);
                labels.put(Docker.LABEL_DIR, dir.toString());
                Exec.Result r = docker.runHost(name, image, h, labels, publicKey);
                if (!r.ok()) {
                    docker.remove(docker.labelOf(name) != null ? List.of(name) : List.of());
                    throw portOr(h, r, "docker run " + name);
                }
                what = "started";
            }
            out.printf("lab: %-8s %-9s %s:%d  %s%n", h.name(), h.profile().id(), LabSpec.ADDRESS, h.port(), what);
        }
        out.flush();

        waitForSshd(spec, wait);

        Map<String, List<String>> keys = new LinkedHashMap<>();
        for (LabHost h : spec.hosts()) {
            String name = containerName(h.name());
            try {
                keys.put(h.name(), LabFiles.parseHostKeys(docker.hostKeyFiles(name)));
            } catch (IllegalArgumentException e) {
                throw Docker.error(h.name() + ": host keys of " + name + ": " + e.getMessage(), e);
            }
        }
        writeAtomically(knownHosts(), LabFiles.knownHosts(spec, keys));
        writeAtomically(inventory(), LabFiles.inventory(spec, privateKey().toString(),
                "The lab started by `sysfleet lab up` in " + dir + " (rewritten by every `lab up`).\n"
                        + "Log in as sysfleet with the lab's key, become root with sudo (the image refuses root logins)."));
        out.println("lab: " + spec.hosts().size() + " host(s) ready; lab files in " + dir);
        String kh = "--known-hosts " + display(knownHosts());
        if (spec.isDefault()) {
            out.println("lab: inventory.example.yml describes this lab: sysfleet run playbooks/site.yml"
                    + " -i inventory.example.yml " + kh);
        } else {
            out.println("lab: sysfleet run playbooks/site.yml -i " + display(inventory()) + " " + kh);
        }
        out.flush();
    }

    /** Removes the lab's containers; keeps the directory (key pair, known_hosts, inventory.yml). */
    public void down() {
        docker.requireEngine();
        List<String> names = docker.list(id).stream().map(Docker.Container::name).toList();
        if (names.isEmpty()) {
            out.println("lab: no containers of the lab in " + dir);
        } else {
            docker.remove(names);
            out.println("lab: removed " + names.size() + " container(s): " + String.join(", ", names));
        }
        if (Files.isDirectory(dir)) {
            out.println("lab: kept " + dir + " (key pair, known_hosts, inventory.yml); delete it to forget them");
        }
        out.flush();
    }

    /**
     * Prints one line per lab container: host, profile, port, state, whether sshd answers. Returns OK when there
     * is at least one host and every host is running and reachable, UNREACHABLE otherwise.
     */
    public ExitCode status() {
        docker.requireEngine();
        List<Docker.Container> all = docker.list(id);
        if (all.isEmpty()) {
            out.println("lab: no containers of the lab in " + dir + " (start it with: sysfleet lab up)");
            out.flush();
            return ExitCode.UNREACHABLE;
        }
        boolean allGood = true;
        out.printf("%-10s %-9s %-15s %-8s %s%n", "HOST", "PROFILE", "ADDRESS", "STATE", "SSH");
        for (Docker.Container c : all) {
            boolean reachable = c.running() && SshProbe.answers(c.port(), 2000);
            allGood &= reachable;
            out.printf("%-10s %-9s %-15s %-8s %s%n", c.host(), c.profile(), LabSpec.ADDRESS + ":" + c.port(),
                    c.running() ? "running" : "stopped", reachable ? "reachable" : "unreachable");
        }
        out.flush();
        return allGood ? ExitCode.OK : ExitCode.UNREACHABLE;
    }

    private void ensureImage(String image) {
        if (docker.imageExists(image)) {
            return;
        }
        Path script = projectRoot == null ? null : projectRoot.resolve("scripts").resolve("build-test-image.sh");
        if (!DEFAULT_IMAGE.equals(image) || script == null || !Files.isRegularFile(script)) {
            throw Docker.error("image " + image + " is missing; build it with scripts/build-test-image.sh (or"
                    + " scripts/setup.sh) in the sysfleet source tree", null);
        }
        err.println("lab: image " + image + " is missing; building it with " + script + " (about a minute) ...");
        err.flush();
        Exec.Result r;
        try {
            r = Exec.run(List.of("bash", script.toString()), projectRoot, Map.of(), Duration.ofMinutes(15));
        } catch (Exec.ExecException e) {
            throw Docker.error("building the image failed: " + e.getMessage(), e);
        }
        if (!r.ok() || !docker.imageExists(image)) {
            throw Docker.error("building the image with " + script + " failed: " + r.lastErrorLine(), null);
        }
    }

    private void prepareDir() {
        try {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        } catch (IOException | UnsupportedOperationException e) {
            throw Docker.error("cannot create the lab directory " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The lab's public key line, generating the key pair with ssh-keygen when missing. */
    private String ensureKey() {
        Path key = privateKey();
        Path pub = dir.resolve("id_ed25519.pub");
        try {
            if (!Files.exists(key)) {
                Files.deleteIfExists(pub);
                Exec.Result r = Exec.run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "sysfleet-lab",
                        "-f", key.toString()), dir, Map.of(), Duration.ofSeconds(30));
                if (!r.ok()) {
                    throw Docker.error("ssh-keygen failed: " + r.lastErrorLine(), null);
                }
            } else if (!Files.exists(pub)) {
                Exec.Result r = Exec.run(List.of("ssh-keygen", "-y", "-f", key.toString()), dir, Map.of(),
                        Duration.ofSeconds(30));
                if (!r.ok()) {
                    throw Docker.error("ssh-keygen -y " + key + " failed: " + r.lastErrorLine(), null);
                }
                Files.writeString(pub, r.out());
            }
            String line = Files.readString(pub, StandardCharsets.UTF_8).strip();
            if (!line.startsWith("ssh-ed25519 ") || line.contains("\n")) {
                throw Docker.error(pub + " is not one ed25519 public key; delete the lab's key pair and run lab up", null);
            }
            return line;
        } catch (Exec.ExecException e) {
            throw Docker.error(e.getMessage() + " (install openssh-client, or run scripts/setup.sh)", e);
        } catch (IOException e) {
            throw Docker.error("cannot read the lab key " + pub + ": " + e.getMessage(), e);
        }
    }

    private void waitForSshd(LabSpec spec, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        Set<LabHost> pending = new LinkedHashSet<>(spec.hosts());
        long nextStateCheck = 0;
        while (!pending.isEmpty()) {
            pending.removeIf(h -> SshProbe.answers(h.port(), 1000));
            if (pending.isEmpty()) {
                break;
            }
            if (System.nanoTime() >= nextStateCheck) {
                for (LabHost h : pending) {
                    String name = containerName(h.name());
                    if (!docker.running(name)) {
                        throw Docker.error(h.name() + ": container " + name + " stopped; its log: "
                                + docker.logs(name).replace('\n', '|'), null);
                    }
                }
                nextStateCheck = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            }
            if (System.nanoTime() >= deadline) {
                List<String> names = pending.stream().map(h -> h.name() + " (" + LabSpec.ADDRESS + ":" + h.port() + ")")
                        .toList();
                throw new SysfleetException(ExitCode.UNREACHABLE, Phase.LAB, null, "sshd did not answer within "
                        + wait.toSeconds() + "s on " + String.join(", ", names)
                        + "; see docker logs " + containerName(pending.iterator().next().name()), null);
            }
            sleep(500);
        }
    }

    private SysfleetException portOr(LabHost h, Exec.Result r, String what) {
        String msg = r.err();
        if (msg.contains("port is already allocated") || msg.contains("address already in use")) {
            return portInUse(h);
        }
        return Docker.error(what + " failed: " + r.lastErrorLine(), null);
    }

    private SysfleetException portInUse(LabHost h) {
        return Docker.error("port " + h.port() + " on " + LabSpec.ADDRESS + " (for lab host " + h.name()
                + ") is in use by another program or lab; stop it, or choose other ports with --port-base", null);
    }

    private static void writeAtomically(Path file, String text) {
        try {
            AtomicFiles.write(file, text.getBytes(StandardCharsets.UTF_8), AtomicFiles.PUBLIC);
        } catch (IOException e) {
            throw Docker.error("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** The path relative to the current directory when it is below it (shorter commands to copy). */
    private static String display(Path p) {
        Path cwd = Path.of("").toAbsolutePath();
        return p.startsWith(cwd) ? cwd.relativize(p).toString() : p.toString();
    }

    private static String sha12(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SysfleetException(ExitCode.INTERRUPTED, Phase.LAB, null, "interrupted", e);
        }
    }
}
