package io.sysfleet.report;

import io.sysfleet.core.ExitCode;
import io.sysfleet.core.SysfleetException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes a report file atomically: the text goes to a temporary file in the same directory, is flushed to disk,
 * gets mode 0644 and is renamed over the target. A reader (a CI job collecting artifacts) sees either the old
 * file or the complete new one, never a half-written report. Missing parent directories are created.
 *
 * <p>Mode 0644 on purpose: reports hold host names, key names, values and diffs of sysctl files, no secrets,
 * and CI artifact collectors often run as another user.
 */
public final class ReportFiles {
    private ReportFiles() {
    }

    /** Writes {@code text} as UTF-8; failures become a {@link SysfleetException} (exit 1, phase "report"). */
    public static void writeAtomically(Path file, String text, String what) {
        writeAtomically(file, text.getBytes(StandardCharsets.UTF_8), what);
    }

    /** Writes {@code bytes}; failures become a {@link SysfleetException} (exit 1, phase "report"). */
    public static void writeAtomically(Path file, byte[] bytes, String what) {
        Path target = file.toAbsolutePath().normalize();
        Path dir = target.getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            if (Files.getFileStore(tmp).supportsFileAttributeView("posix")) {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } catch (IOException | RuntimeException e) {
            throw new SysfleetException(ExitCode.ERROR, "report", null,
                    "cannot write " + what + " to " + file + ": " + describe(e), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: the temporary file is hidden and named after the report
                }
            }
        }
    }

    private static String describe(Exception e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }
}
