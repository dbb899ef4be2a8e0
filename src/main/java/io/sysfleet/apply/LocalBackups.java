package io.sysfleet.apply;

import io.sysfleet.core.AtomicFiles;
import io.sysfleet.core.ExitCode;
import io.sysfleet.core.SysfleetException;
import io.sysfleet.result.Phase;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;

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

    /**
     * A file name for a host name or a path, one-to-one and reversible ({@link #unsafe}): ASCII letters, digits,
     * '-' and '_' stay as they are, '.' too except at the start; every other byte of the UTF-8 form becomes
     * {@code %XX}. So {@code /etc/sysctl.d/a+b.conf} is {@code %2Fetc%2Fsysctl.d%2Fa%2Bb.conf}, {@code web-東京}
     * is {@code web-%E6%9D%B1%E4%BA%AC}, and two different names never share a backup. A name whose form would
     * exceed {@value #MAX_NAME} characters keeps its first part and ends with {@code ~} and 32 hex digits of
     * its sha256 (still one-to-one in practice, no longer reversible).
     */
    static String safe(String s) {
        StringBuilder out = new StringBuilder(s.length() + 16);
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            int b = bytes[i] & 0xff;
            boolean plain = b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '-' || b == '_'
                    || b == '.' && i > 0;
            if (plain) {
                out.append((char) b);
            } else {
                out.append('%').append(HEX.charAt(b >> 4)).append(HEX.charAt(b & 15));
            }
        }
        if (out.length() > MAX_NAME) {
            String digest = HexFormat.of().formatHex(sha256(bytes)).substring(0, 32);
            int keep = MAX_NAME - 33;
            while (out.charAt(keep - 1) == '%' || out.charAt(keep - 2) == '%') {
                keep--; // do not cut an escape in two
            }
            return out.substring(0, keep) + "~" + digest;
        }
        return out.toString();
    }

    /** The name {@link #safe} encoded (for names that were not shortened). */
    static String unsafe(String name) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '%') {
                bytes.write(Integer.parseInt(name.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                bytes.write(c);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static final String HEX = "0123456789ABCDEF";
    /** Longest file name made (file systems allow 255 bytes; ".orig" is added). */
    static final int MAX_NAME = 200;

    private static byte[] sha256(byte[] b) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(b);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
