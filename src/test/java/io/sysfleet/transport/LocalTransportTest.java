package io.sysfleet.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.sysfleet.result.Phase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The transport contract on this machine, no Docker. Become is tested only where it can run: it needs
 * {@code sudo} installed and a run as root (to sudo to "nobody" without a password). On machines without
 * sudo the become tests are skipped here and the missing-sudo error is asserted instead; SshTransportIT and
 * SudoIT test become for real against containers, always.
 *
 * <p>The transport's PATH starts with a directory holding the contract's spy chcon. A read-only directory is
 * one with mode 0555, or, when the tests run as root (who may write there anyway), one made immutable with
 * {@code chattr +i}, which root cannot write either.
 */
class LocalTransportTest extends TransportContract {
    private static LocalTransport local;
    private static Path dir;
    private static final List<Path> immutable = new ArrayList<>();

    @BeforeAll
    static void setUp() throws IOException {
        dir = Files.createTempDirectory("sysfleet-local");
        Path bin = Files.createDirectories(dir.resolve("spy-bin"));
        Path spy = bin.resolve("chcon");
        Files.writeString(spy, chconSpy(dir.resolve("chcon-spy.log").toString()));
        Files.setPosixFilePermissions(spy, PosixFilePermissions.fromString("rwxr-xr-x"));
        local = new LocalTransport("localhost", null,
                Map.of("PATH", bin + ":" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin")));
    }

    @AfterAll
    static void tearDown() throws Exception {
        local.close();
        for (Path p : immutable) {
            run("chattr", "-i", p.toString());
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static int run(String... argv) throws Exception {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }

    @Override
    protected Transport transport() {
        return local;
    }

    @Override
    protected String scratchDir() {
        return dir.toString();
    }

    private static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static boolean sudoUsable() {
        return root() && Stream.of("/usr/bin/sudo", "/bin/sudo").anyMatch(p -> Files.isExecutable(Path.of(p)));
    }

    @Override
    protected String becomeUser() {
        return sudoUsable() ? "nobody" : null;
    }

    @Override
    protected String readOnlyDirWith(String name, String content) {
        try {
            Path ro = Files.createTempDirectory(dir, "ro");
            Files.writeString(ro.resolve(name), content);
            if (root()) {
                assertEquals(0, run("chattr", "+i", ro.toString()),
                        "chattr +i (e2fsprogs) is needed to make a directory read-only for root");
                immutable.add(ro);
            } else {
                Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("r-xr-xr-x"));
            }
            return ro.toString();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Override
    protected String chconSpyLog() {
        return dir.resolve("chcon-spy.log").toString();
    }

    @Test
    void becomeWithoutSudoIsAClearError() {
        assumeFalse(Stream.of("/usr/bin/sudo", "/bin/sudo").anyMatch(p -> Files.isExecutable(Path.of(p))),
                "sudo is installed: the contract's become tests cover it");
        TransportException e = assertThrows(TransportException.class,
                () -> local.exec(Command.of("id").become(Become.root()), Duration.ofSeconds(10)));
        assertEquals(Phase.BECOME, e.phase());
        assertTrue(e.getMessage().contains("sudo is not installed"), e.getMessage());
    }
}
