package io.sysfleet.apply;

import io.sysfleet.core.AtomicFiles;
import io.sysfleet.core.ExitCode;
import io.sysfleet.core.SysfleetException;
import io.sysfleet.result.Phase;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The run's state directory on the controller: {@code STATE/runs/RUN_ID/HOST/}, directories 0700 and files
 * 0600, each file fsynced. The original bytes of every file are saved here before the host is changed.
 */
public final class LocalBackups {
    private final Path runDir;

    public LocalBackups(Path stateDir, String runId) {
        this.runDir = stateDir.resolve("runs").resolve(runId);
    }

    public Path runDir() {
        return runDir;
    }

    /**
     * Saves {@code content} as the original of {@code remotePath} on {@code host}, unless this run saved it
     * already (a later play keeps the copy from before the run); returns the local path.
     */
    public Path saveOriginal(String host, String remotePath, byte[] content) {
        Path dir = runDir.resolve(safe(host));
        Path file = dir.resolve(safe(remotePath) + ".orig");
        if (Files.exists(file)) {
            return file;
        }
        try {
            AtomicFiles.mkdirsPrivate(dir);
            AtomicFiles.write(file, content, AtomicFiles.PRIVATE);
            return file;
        } catch (IOException e) {
            throw new SysfleetException(ExitCode.ERROR, Phase.BACKUP, host,
                    "cannot save the local backup " + file + ": " + e.getMessage(), e);
        }
    }

    /** A file-name-safe form of a host name or a path: anything but [A-Za-z0-9._-] becomes '_'. */
    static String safe(String s) {
        String out = s.replaceAll("[^A-Za-z0-9._-]", "_");
        return out.startsWith(".") ? "_" + out.substring(1) : out;
    }

}
