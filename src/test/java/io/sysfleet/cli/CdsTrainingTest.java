package io.sysfleet.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The AppCDS training's SSH session: it must run on the JSch sysfleet ships (its key exchange agrees, its signature
 * verifies, its packet round-trips: each is checked inside and throws otherwise), so a JSch upgrade that changes
 * these APIs fails here, not as a silently smaller archive.
 */
class CdsTrainingTest {
    @Test
    void oneSessionsCryptographyRunsAndLeavesNoKeyBehind() throws Exception {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        long before = trainingDirs(tmp);
        int loaded = CdsTraining.sshSession();
        assertTrue(loaded >= 30, "named session classes loaded: " + loaded);
        assertEquals(before, trainingDirs(tmp), "the training key pair's directory is removed");
    }

    private static long trainingDirs(Path tmp) throws IOException {
        try (Stream<Path> s = Files.list(tmp)) {
            return s.filter(p -> p.getFileName().toString().startsWith("sysfleet-cds-")).count();
        }
    }
}
