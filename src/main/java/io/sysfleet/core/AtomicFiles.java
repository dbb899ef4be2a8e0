package io.sysfleet.core;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The controller's one way to write a file: a temporary file in the target's directory, created with its final
 * mode (no moment with a wider one), written and fsynced, renamed over the target, then the directory fsynced.
 * A reader (a rollback, a CI job collecting reports) sees the old file or the complete new one, never half of
 * one, also when the controller dies on the way; on failure the temporary file is removed. Used for the run
 * journal's header, the local backups, the reports and the lab's files.
 */
public final class AtomicFiles {
    /** 0600: journals and backups (original file bytes), the lab's key material. */
    public static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rw-------");
    /** 0644: reports (no secrets in them) and files other programs read. */
    public static final Set<PosixFilePermission> PUBLIC = PosixFilePermissions.fromString("rw-r--r--");
    private static final FileAttribute<Set<PosixFilePermission>> DIR_0700 =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));

    private AtomicFiles() {
    }

    /** Replaces {@code file} with {@code content}, mode {@code mode}; the directory must exist. */
    public static void write(Path file, byte[] content, Set<PosixFilePermission> mode) throws IOException {
        Path target = file.toAbsolutePath().normalize();
        Path dir = target.getParent();
        Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp",
                PosixFilePermissions.asFileAttribute(mode));
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            // createTempFile's mode is filtered by the umask: set it exactly
            Files.setPosixFilePermissions(tmp, mode);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
            fsyncDir(dir);
        } finally {
            if (tmp != null) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /** Creates a directory and its missing parents, each 0700 (existing ones are left as they are). */
    public static void mkdirsPrivate(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        if (dir.getParent() != null) {
            mkdirsPrivate(dir.getParent());
        }
        try {
            Files.createDirectory(dir, DIR_0700);
        } catch (FileAlreadyExistsException e) {
            // made concurrently
        }
    }

    /** Creates one new 0700 directory; fails when it exists. The parent's entry is made durable. */
    public static void createPrivateDir(Path dir) throws IOException {
        Files.createDirectory(dir, DIR_0700);
        fsyncDir(dir.getParent());
    }

    /** Makes a directory's entries durable (after a create or rename in it). */
    public static void fsyncDir(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }
}
