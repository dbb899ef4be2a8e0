package io.sysfleet.transport;

import io.sysfleet.result.Phase;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The transport contract on this machine, no Docker. Become is tested only where it can run: it needs
 * {@code sudo} installed and a run as root (to sudo to "nobody" without a password). On machines without
 * sudo the become tests are skipped here and the missing-sudo error is asserted instead; SshTransportIT and
 * SudoIT test become for real against containers, always.
 */
class LocalTransportTest extends TransportContract {
    private static LocalTransport local;
    private static Path dir;

    @BeforeAll
    static void setUp() throws IOException {
        local = new LocalTransport();
        dir = Files.createTempDirectory("sysfleet-local");
    }

    @AfterAll
    static void tearDown() throws IOException {
        local.close();
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Override
    protected Transport transport() {
        return local;
    }

    @Override
    protected String scratchDir() {
        return dir.toString();
    }

    private static boolean sudoUsable() {
        return "root".equals(System.getProperty("user.name"))
                && Stream.of("/usr/bin/sudo", "/bin/sudo").anyMatch(p -> Files.isExecutable(Path.of(p)));
    }

    @Override
    protected String becomeUser() {
        return sudoUsable() ? "nobody" : null;
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
