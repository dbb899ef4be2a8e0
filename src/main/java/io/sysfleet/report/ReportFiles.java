package io.sysfleet.report;

import io.sysfleet.core.AtomicFiles;
import io.sysfleet.core.ExitCode;
import io.sysfleet.core.SysfleetException;
import io.sysfleet.result.Phase;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a report file with {@link AtomicFiles}: a reader (a CI job collecting artifacts) sees either the old
 * file or the complete new one, never a half-written report. Missing parent directories are created.
 *
 * <p>Mode 0644 on purpose: reports hold host names, key names, values and diffs of sysctl files, no secrets,
 * and CI artifact collectors often run as another user.
 */
public final class ReportFiles {
    private ReportFiles() {
    }

    /** Writes {@code text} as UTF-8; failures become a {@link SysfleetException} (exit 1, phase report). */
    public static void writeAtomically(Path file, String text, String what) {
        writeAtomically(file, text.getBytes(StandardCharsets.UTF_8), what);
    }

    /** Writes {@code bytes} (through {@link AtomicFiles}); failures become a {@link SysfleetException} (exit 1). */
    public static void writeAtomically(Path file, byte[] bytes, String what) {
        try {
            Path target = file.toAbsolutePath().normalize();
            Files.createDirectories(target.getParent());
            AtomicFiles.write(target, bytes, AtomicFiles.PUBLIC);
        } catch (IOException | RuntimeException e) {
            throw new SysfleetException(ExitCode.ERROR, Phase.REPORT, null,
                    "cannot write " + what + " to " + file + ": " + describe(e), e);
        }
    }

    private static String describe(Exception e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }
}
