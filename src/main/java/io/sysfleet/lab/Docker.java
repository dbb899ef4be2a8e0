package io.sysfleet.lab;

import io.sysfleet.core.ExitCode;
import io.sysfleet.core.SysfleetException;
import io.sysfleet.result.Phase;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The lab's use of the {@code docker} CLI: argument lists only, no shell. Every lab container carries labels
 * so {@code lab down} and {@code lab status} find exactly the containers of one lab directory.
 */
public final class Docker {
    /** Label holding the lab id ({@link LabFiles#labId}). */
    public static final String LABEL = "io.sysfleet.lab";
    static final String LABEL_HOST = LABEL + ".host";
    static final String LABEL_PROFILE = LABEL + ".profile";
    static final String LABEL_PORT = LABEL + ".port";
    static final String LABEL_KEY = LABEL + ".key";
    static final String LABEL_DIR = LABEL + ".dir";

    private static final Duration SHORT = Duration.ofSeconds(60);
    private static final String HOW_TO_START = "start it with scripts/start-docker.sh (or scripts/setup.sh, which also"
            + " installs Docker) from the sysfleet source tree";

    /** A lab container as {@code docker ps} shows it. */
    public record Container(String name, String state, String host, String profile, int port, String keyId) {
        public boolean running() {
            return "running".equals(state);
        }
    }

    private final String docker;
    private final Map<String, String> env;

    /** Uses the {@code docker} program on the PATH and the engine it is configured for. */
    public Docker() {
        this("docker", Map.of());
    }

    /** {@code env}: extra environment of every docker command (e.g. DOCKER_HOST). */
    Docker(String program, Map<String, String> env) {
        this.docker = program;
        this.env = Map.copyOf(env);
    }

    /** Fails with a clear message unless the docker CLI exists and the engine answers. */
    public void requireEngine() {
        Exec.Result r;
        try {
            r = Exec.run(List.of(docker, "info", "--format", "{{.ServerVersion}}"), null, env, SHORT);
        } catch (Exec.ExecException e) {
            throw error("the docker CLI is not usable (" + e.getMessage() + "); install Docker and " + HOW_TO_START, e);
        }
        if (!r.ok()) {
            throw error("Docker is not running (" + r.lastErrorLine() + "); " + HOW_TO_START, null);
        }
    }

    /** Whether the image exists locally. */
    public boolean imageExists(String image) {
        return exec(SHORT, Map.of(), "image", "inspect", "--format", "{{.Id}}", image).ok();
    }

    /** All containers (running or not) labelled with {@code labId}, sorted by port. */
    public List<Container> list(String labId) {
        Exec.Result r = exec(SHORT, Map.of(), "ps", "-a", "--filter", "label=" + LABEL + "=" + labId, "--format",
                "{{.Names}}\t{{.State}}\t{{.Label \"" + LABEL_HOST + "\"}}\t{{.Label \"" + LABEL_PROFILE + "\"}}\t"
                        + "{{.Label \"" + LABEL_PORT + "\"}}\t{{.Label \"" + LABEL_KEY + "\"}}");
        check(r, "docker ps");
        List<Container> out = new ArrayList<>();
        for (String line : r.out().split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split("\t", -1);
            int port;
            try {
                port = Integer.parseInt(f[4].strip());
            } catch (RuntimeException e) {
                port = 0;
            }
            out.add(new Container(f[0], f[1], f[2], f[3], port, f.length > 5 ? f[5] : ""));
        }
        out.sort((a, b) -> Integer.compare(a.port(), b.port()));
        return out;
    }

    /** The {@value #LABEL} label of the container called {@code name}; "" when it has none; null when none exists. */
    public String labelOf(String name) {
        Exec.Result r = exec(SHORT, Map.of(), "container", "inspect", "--format",
                "{{index .Config.Labels \"" + LABEL + "\"}}", name);
        return r.ok() ? r.out().strip().replace("<no value>", "") : null;
    }

    /**
     * Starts a lab host: loopback-only port, NET_ADMIN and SYS_ADMIN (never --privileged), the authorised key
     * passed through the environment of the docker CLI (so it is not in argv).
     */
    public Exec.Result runHost(String name, String image, LabHost h, Map<String, String> labels, String publicKey) {
        List<String> argv = new ArrayList<>(List.of("run", "-d", "--name", name, "--hostname", h.name(),
                "--cap-add", "NET_ADMIN", "--cap-add", "SYS_ADMIN",
                "-p", LabSpec.ADDRESS + ":" + h.port() + ":22",
                "-e", "SYSFLEET_AUTHORIZED_KEYS"));
        labels.forEach((k, v) -> argv.addAll(List.of("--label", k + "=" + v)));
        argv.addAll(List.of(image, "/usr/local/sbin/sysfleet-host-start", h.profile().id()));
        return exec(Duration.ofSeconds(120), Map.of("SYSFLEET_AUTHORIZED_KEYS", publicKey), argv.toArray(String[]::new));
    }

    /** Starts a stopped container. */
    public Exec.Result start(String name) {
        return exec(Duration.ofSeconds(120), Map.of(), "start", name);
    }

    /** Removes containers (running or not). */
    public void remove(List<String> names) {
        if (names.isEmpty()) {
            return;
        }
        List<String> argv = new ArrayList<>(List.of("rm", "-f"));
        argv.addAll(names);
        check(exec(Duration.ofSeconds(120), Map.of(), argv.toArray(String[]::new)), "docker rm");
    }

    /** Whether the container is running. */
    public boolean running(String name) {
        Exec.Result r = exec(SHORT, Map.of(), "container", "inspect", "--format", "{{.State.Running}}", name);
        return r.ok() && r.out().strip().equals("true");
    }

    /** The last lines of a container's log (stdout and stderr). */
    public String logs(String name) {
        Exec.Result r = exec(SHORT, Map.of(), "logs", "--tail", "15", name);
        return (r.out() + r.err()).strip();
    }

    /** The public host keys of a running lab host, read inside the container (out of band). */
    public String hostKeyFiles(String name) {
        Exec.Result r = exec(SHORT, Map.of(), "exec", name, "cat", "/etc/ssh/ssh_host_ed25519_key.pub",
                "/etc/ssh/ssh_host_ecdsa_key.pub", "/etc/ssh/ssh_host_rsa_key.pub");
        check(r, "docker exec " + name + " cat /etc/ssh/ssh_host_*_key.pub");
        return r.out();
    }

    private Exec.Result exec(Duration timeout, Map<String, String> extraEnv, String... args) {
        List<String> argv = new ArrayList<>();
        argv.add(docker);
        argv.addAll(List.of(args));
        Map<String, String> all = new java.util.HashMap<>(env);
        all.putAll(extraEnv);
        try {
            return Exec.run(argv, (Path) null, all, timeout);
        } catch (Exec.ExecException e) {
            throw error(e.getMessage(), e);
        }
    }

    private static void check(Exec.Result r, String what) {
        if (!r.ok()) {
            throw error(what + " failed: " + r.lastErrorLine(), null);
        }
    }

    static SysfleetException error(String message, Throwable cause) {
        return new SysfleetException(ExitCode.ERROR, Phase.LAB, null, message, cause);
    }
}
