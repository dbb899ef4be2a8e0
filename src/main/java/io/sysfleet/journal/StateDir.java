package io.sysfleet.journal;

import io.sysfleet.core.AtomicFiles;
import io.sysfleet.core.ExitCode;
import io.sysfleet.core.SysfleetException;
import io.sysfleet.result.Phase;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The state directory's trust checks, as OpenSSH checks {@code ~/.ssh}: the directory, its {@code runs}
 * directory, each run's directory and every file read back must be owned by the user running sysfleet, must not be
 * group- or world-writable, and must not be a symbolic link (a link planted by another user could make sysfleet
 * read or write elsewhere). And the journal key: {@code STATE/journal.key}, 32 random bytes (hex), mode 0600, made
 * on first use; every journal record and run header carries an HMAC-SHA256 under it, so a record planted or
 * changed by hand is refused. Each failure is one line naming the path.
 */
public final class StateDir {
    public static final String KEY = "journal.key";
    private static final Set<PosixFilePermission> WRITABLE_BY_OTHERS = Set.of(PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.OTHERS_WRITE);

    private StateDir() {
    }

    /** The uid of this process (the owner of /proc/self). */
    static int myUid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | UnsupportedOperationException e) {
            return -1;
        }
    }

    /**
     * Checks {@code p} (when it exists): no symlink, owned by this user, not group/world-writable.
     *
     * @throws SysfleetException (exit 1, phase journal) naming the path and the fix
     */
    public static void check(Path p) {
        try {
            if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                return;
            }
            if (Files.isSymbolicLink(p)) {
                throw refuse(p, "is a symbolic link; the state directory and its files must be real files");
            }
            int uid = (Integer) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            int me = myUid();
            if (me >= 0 && uid != me) {
                throw refuse(p, "is owned by uid " + uid + ", not by this user (uid " + me + ")");
            }
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
            for (PosixFilePermission w : WRITABLE_BY_OTHERS) {
                if (perms.contains(w)) {
                    throw refuse(p, "is group- or world-writable (mode " + java.nio.file.attribute.PosixFilePermissions
                            .toString(perms) + "); chmod go-w it (sysfleet makes it 0700) after checking its contents");
                }
            }
        } catch (NoSuchFileException e) {
            // gone meanwhile: nothing to trust
        } catch (IOException | UnsupportedOperationException e) {
            throw refuse(p, "cannot be checked: " + e.getMessage());
        }
    }

    private static SysfleetException refuse(Path p, String why) {
        return new SysfleetException(ExitCode.ERROR, Phase.JOURNAL, null, "unsafe state directory: " + p + " " + why, null);
    }

    /** The state directory's journal key; made (0600) when {@code create} and there is none yet. */
    static byte[] key(Path stateDir, boolean create) {
        Path k = stateDir.resolve(KEY);
        try {
            check(k);
            if (!Files.exists(k, LinkOption.NOFOLLOW_LINKS)) {
                if (!create) {
                    return null;
                }
                byte[] key = new byte[32];
                new SecureRandom().nextBytes(key);
                AtomicFiles.mkdirsPrivate(stateDir);
                AtomicFiles.write(k, (HexFormat.of().formatHex(key) + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                        AtomicFiles.PRIVATE);
                return key;
            }
            String hex = Files.readString(k).strip();
            if (!hex.matches("[0-9a-f]{64}")) {
                throw refuse(k, "is not a sysfleet journal key (64 hex digits)");
            }
            return HexFormat.of().parseHex(hex);
        } catch (IOException e) {
            // an I/O failure (a full or read-only file system) is not an unsafe state directory: say what failed
            String what = Files.exists(k, LinkOption.NOFOLLOW_LINKS) ? "cannot read the journal key "
                    : "cannot write the journal key ";
            throw new SysfleetException(ExitCode.ERROR, Phase.JOURNAL, null, what + k + ": "
                    + (e instanceof java.nio.file.FileSystemException f && f.getReason() != null ? f.getReason()
                    : e.getMessage()), e);
        }
    }

    /** HMAC-SHA256 of {@code text} under {@code key}, hex. */
    static String mac(byte[] key, String text) {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(new SecretKeySpec(key, "HmacSHA256"));
            return HexFormat.of().formatHex(m.doFinal(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks HmacSHA256", e);
        }
    }

    static boolean macOk(byte[] key, String text, String mac) {
        return mac != null && MessageDigest.isEqual(mac(key, text).getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                mac.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }
}
