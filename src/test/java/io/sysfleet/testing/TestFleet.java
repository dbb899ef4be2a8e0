package io.sysfleet.testing;

import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import io.sysfleet.transport.SshOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.lifecycle.Startables;
import org.testcontainers.utility.DockerImageName;

/**
 * A fleet of real sshd test hosts for integration tests: containers of the image built by
 * scripts/build-test-image.sh, started in parallel with Testcontainers, reachable only through sshd ports
 * published on 127.0.0.1. Each run gets a fresh ed25519 client key, a random password for user sysfleet-pw
 * and a known_hosts file with every host's keys (read from inside the container, i.e. out of band).
 *
 * <p>Use one fleet per test class: {@code fleet = TestFleet.start("debian12", "centos5")} in {@code @BeforeAll}
 * and {@code fleet.close()} in {@code @AfterAll}. Containers are removed on close, when starting fails, and
 * by a shutdown hook if the JVM ends without close.
 */
public final class TestFleet implements AutoCloseable {
    /** The login user with passwordless sudo. */
    public static final String USER = "sysfleet";
    /** The login user whose sudo asks for its password ({@link #pwUserPassword()}). */
    public static final String PW_USER = "sysfleet-pw";
    /** Label on every container this class starts (find leftovers with docker ps -a --filter label=...). */
    public static final String LABEL = "io.sysfleet.test-fleet";

    /** One running test host. */
    public record Host(String name, String profile, String address, int port, List<String> hostKeys,
            GenericContainer<?> container) {
        /** The host's name in known_hosts: {@code [127.0.0.1]:port}. */
        public String knownHostsName() {
            return "[" + address + "]:" + port;
        }
    }

    private final Path dir;
    private final Path privateKey;
    private final Path knownHosts;
    private final String pwUserPassword;
    private final List<Host> hosts;
    private final Thread shutdownHook;

    private TestFleet(Path dir, Path privateKey, Path knownHosts, String pw, List<Host> hosts, Thread hook) {
        this.dir = dir;
        this.privateKey = privateKey;
        this.knownHosts = knownHosts;
        this.pwUserPassword = pw;
        this.hosts = hosts;
        this.shutdownHook = hook;
    }

    /** Starts one container per profile (debian12, centos7, centos6, centos5), all at once. */
    public static TestFleet start(String... profiles) {
        Path root = projectRoot();
        run(root, Duration.ofMinutes(3), "bash", "scripts/start-docker.sh");
        String image = lastLine(run(root, Duration.ofMinutes(10), "bash", "scripts/build-test-image.sh"));
        Path dir;
        try {
            dir = Files.createTempDirectory("sysfleet-fleet");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Path key = dir.resolve("id_ed25519");
        run(dir, Duration.ofSeconds(30), "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "sysfleet-test",
                "-f", key.toString());
        String publicKey = read(dir.resolve("id_ed25519.pub")).strip();
        String pw = "pw-" + UUID.randomUUID();

        List<GenericContainer<?>> containers = new ArrayList<>();
        for (String profile : profiles) {
            containers.add(container(image, profile, publicKey, pw));
        }
        Thread hook = new Thread(() -> containers.forEach(TestFleet::stopQuietly), "sysfleet-fleet-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            Startables.deepStart(containers).get(3, TimeUnit.MINUTES);
            List<Host> hosts = new ArrayList<>();
            StringBuilder known = new StringBuilder();
            for (int i = 0; i < profiles.length; i++) {
                GenericContainer<?> c = containers.get(i);
                requireLoopbackOnly(c);
                int port = c.getMappedPort(22);
                ExecResult keys = c.execInContainer("sh", "-c", "cat /etc/ssh/ssh_host_*_key.pub");
                List<String> hostKeys = new ArrayList<>();
                for (String line : keys.getStdout().split("\n")) {
                    String[] f = line.strip().split(" ");
                    if (f.length >= 2) {
                        hostKeys.add(f[0] + " " + f[1]);
                    }
                }
                if (hostKeys.size() < 3) {
                    throw new IllegalStateException("host keys missing in " + profiles[i] + ": " + keys.getStderr());
                }
                Host h = new Host("host" + i + "-" + profiles[i], profiles[i], "127.0.0.1", port, hostKeys, c);
                hostKeys.forEach(k -> known.append(h.knownHostsName()).append(' ').append(k).append('\n'));
                hosts.add(h);
            }
            Path knownHosts = dir.resolve("known_hosts");
            Files.writeString(knownHosts, known.toString());
            return new TestFleet(dir, key, knownHosts, pw, List.copyOf(hosts), hook);
        } catch (Exception e) {
            containers.forEach(TestFleet::stopQuietly);
            Runtime.getRuntime().removeShutdownHook(hook);
            throw new IllegalStateException("test fleet did not start: " + e, e);
        }
    }

    private static GenericContainer<?> container(String image, String profile, String publicKey, String pw) {
        GenericContainer<?> c = new GenericContainer<>(DockerImageName.parse(image));
        c.withCommand("/usr/local/sbin/sysfleet-host-start", profile)
                .withEnv("SYSFLEET_AUTHORIZED_KEYS", publicKey)
                .withEnv("SYSFLEET_PW_PASSWORD", pw)
                .withLabel(LABEL, "true")
                .withExposedPorts(22)
                .waitingFor(Wait.forLogMessage(".*Server listening on .*port 22.*", 1)
                        .withStartupTimeout(Duration.ofSeconds(90)))
                .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig()
                        .withCapAdd(Capability.NET_ADMIN, Capability.SYS_ADMIN)
                        .withPublishAllPorts(false)
                        // publish sshd on loopback only: never reachable from other machines
                        .withPortBindings(new PortBinding(Ports.Binding.bindIp("127.0.0.1"), ExposedPort.tcp(22))));
        return c;
    }

    /** Fails unless every published port of {@code c} is bound to 127.0.0.1. */
    private static void requireLoopbackOnly(GenericContainer<?> c) {
        Map<ExposedPort, Ports.Binding[]> b = c.getContainerInfo().getNetworkSettings().getPorts().getBindings();
        for (Ports.Binding[] bindings : b.values()) {
            for (Ports.Binding x : bindings == null ? new Ports.Binding[0] : bindings) {
                if (!"127.0.0.1".equals(x.getHostIp())) {
                    throw new IllegalStateException("container port published on " + x.getHostIp());
                }
            }
        }
    }

    public List<Host> hosts() {
        return hosts;
    }

    public Host host(int i) {
        return hosts.get(i);
    }

    /** The client's private key (ed25519, no passphrase), authorised for both test users. */
    public Path privateKey() {
        return privateKey;
    }

    /** known_hosts with every host's keys. */
    public Path knownHosts() {
        return knownHosts;
    }

    /** The login and sudo password of {@link #PW_USER} in every container of this run. */
    public String pwUserPassword() {
        return pwUserPassword;
    }

    /** A scratch directory of this run on the controller. */
    public Path dir() {
        return dir;
    }

    /** Options to reach {@code h} as {@code user} with the run's key, strict host keys, no ~/.ssh config. */
    public SshOptions options(Host h, String user) {
        return SshOptions.defaults(dir.resolve("home"))
                .withHostName(h.address())
                .withPort(h.port())
                .withUser(user)
                .withSshConfigFile(null)
                .withKnownHosts(knownHosts, io.sysfleet.transport.HostKeyPolicy.STRICT)
                .withIdentityFiles(List.of(privateKey))
                .withConnectTimeout(Duration.ofSeconds(15));
    }

    /** An environment without the developer's agent or secrets; add what a test needs. */
    public Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("HOME", dir.resolve("home").toString());
        env.put("USER", USER);
        return env;
    }

    @Override
    public void close() {
        hosts.forEach(h -> stopQuietly(h.container()));
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // JVM already shutting down
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // temp files only
        }
    }

    private static void stopQuietly(GenericContainer<?> c) {
        try {
            c.stop();
        } catch (RuntimeException e) {
            System.err.println("test fleet: could not stop container: " + e);
        }
    }

    /** The Maven project directory (contains scripts/), found from the working directory upwards. */
    public static Path projectRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isRegularFile(p.resolve("scripts/build-test-image.sh"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("scripts/build-test-image.sh not found above " + Path.of("").toAbsolutePath());
        }
        return p;
    }

    /** Runs a helper program, returns its stdout, fails with its output when it fails. */
    public static String run(Path cwd, Duration timeout, String... argv) {
        try {
            Path err = Files.createTempFile("sysfleet-run", ".err");
            Process p = new ProcessBuilder(argv).directory(cwd.toFile())
                    .redirectError(err.toFile()).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", argv) + " timed out");
            }
            String stderr = Files.readString(err);
            Files.deleteIfExists(err);
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", argv) + " failed (" + p.exitValue() + "): " + stderr);
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String lastLine(String s) {
        String[] lines = s.strip().split("\n");
        return lines[lines.length - 1].strip();
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
