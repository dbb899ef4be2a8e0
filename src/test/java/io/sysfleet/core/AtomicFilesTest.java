package io.sysfleet.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The controller's one atomic writer (journal header, backups, reports, lab files). */
class AtomicFilesTest {
    @TempDir
    Path dir;

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void writesWithTheExactModeAndLeavesNoTempFile() throws IOException {
        Path f = dir.resolve("a.json");
        AtomicFiles.write(f, "one".getBytes(StandardCharsets.UTF_8), AtomicFiles.PRIVATE);
        assertEquals("one", Files.readString(f));
        assertEquals("rw-------", mode(f));
        AtomicFiles.write(f, "two".getBytes(StandardCharsets.UTF_8), AtomicFiles.PUBLIC);
        assertEquals("two", Files.readString(f));
        assertEquals("rw-r--r--", mode(f), "the mode given, whatever the umask and the old file's");
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(1, s.count(), "only the target is left");
        }
    }

    @Test
    void aFailedWriteLeavesTheOldFileAndNoTempFile() throws IOException {
        Path target = dir.resolve("d");
        Files.createDirectory(target); // a directory cannot be replaced by a file: the rename fails
        Files.writeString(target.resolve("keep"), "x");
        assertThrows(IOException.class, () -> AtomicFiles.write(target, new byte[] {1}, AtomicFiles.PRIVATE));
        assertTrue(Files.isDirectory(target));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(1, s.count(), "no temp file left behind");
        }
    }

    @Test
    void privateDirectoriesAre0700() throws IOException {
        Path deep = dir.resolve("a/b/c");
        AtomicFiles.mkdirsPrivate(deep);
        assertEquals("rwx------", mode(dir.resolve("a")));
        assertEquals("rwx------", mode(deep));
        AtomicFiles.createPrivateDir(deep.resolve("run"));
        assertEquals("rwx------", mode(deep.resolve("run")));
        assertThrows(java.nio.file.FileAlreadyExistsException.class, () -> AtomicFiles.createPrivateDir(deep.resolve("run")));
    }
}
