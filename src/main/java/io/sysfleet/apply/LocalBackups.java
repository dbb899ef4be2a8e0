package io.sysfleet.apply;

import io.sysfleet.core.ExitCode;
import io.sysfleet.core.SysfleetException;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

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
            mkdirs(dir);
            write(file, content);
            return file;
        } catch (IOException e) {
            throw new SysfleetException(ExitCode.ERROR, "backup", host,
                    "cannot save the local backup " + file + ": " + e.getMessage(), e);
        }
    }

    /** A file-name-safe form of a host name or a path: anything but [A-Za-z0-9._-] becomes '_'. */
    static String safe(String s) {
        String out = s.replaceAll("[^A-Za-z0-9._-]", "_");
        return out.startsWith(".") ? "_" + out.substring(1) : out;
    }

    private static void mkdirs(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        if (dir.getParent() != null) {
            mkdirs(dir.getParent());
        }
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (java.nio.file.FileAlreadyExistsException e) {
            // another host's worker made it first
        }
    }

    private static void write(Path file, byte[] content) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (FileChannel ch = FileChannel.open(tmp, Set.of(StandardOpenOption.WRITE))) {
            ch.write(java.nio.ByteBuffer.wrap(content));
            ch.force(true);
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
