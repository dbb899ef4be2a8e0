package io.sysfleet.facts;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Pure parser of {@link FactsProbe}'s output. Any deviation from the format (truncated output, an unknown
 * line, bad hex, a checksum that does not match the content) is a {@link FactsFormatException} naming the
 * line, never a half-filled {@link HostFacts}.
 */
public final class FactsParser {
    private static final Pattern MODE = Pattern.compile("[0-7]{1,4}");
    private static final Pattern SHA = Pattern.compile("[0-9a-f]{64}|-");

    private FactsParser() {
    }

    /** Thrown for output that is not a complete, well-formed probe result. */
    public static final class FactsFormatException extends RuntimeException {
        public FactsFormatException(String message) {
            super(message);
        }
    }

    public static HostFacts parse(byte[] stdout) {
        String text = new String(stdout, StandardCharsets.US_ASCII);
        if (text.endsWith("\n")) {
            text = text.substring(0, text.length() - 1);
        }
        String[] lines = text.split("\n", -1);
        if (lines.length == 0 || !lines[0].equals(FactsProbe.HEADER)) {
            throw bad(1, "expected '" + FactsProbe.HEADER + "', got '" + shorten(lines.length == 0 ? "" : lines[0])
                    + "' (is /bin/sh a POSIX shell with od, tr and stat?)");
        }
        String osRelease = null;
        String redhat = null;
        String kernel = null;
        FileFact file = null;
        boolean sawOs = false;
        boolean sawRh = false;
        boolean end = false;
        Map<String, LiveValue> live = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int no = i + 1;
            String line = lines[i];
            if (end) {
                throw bad(no, "unexpected output after 'end'");
            }
            String[] f = line.split(" ", -1);
            switch (f[0]) {
                case "os-release", "redhat-release" -> {
                    String v = optional(f, no);
                    if (f[0].equals("os-release")) {
                        osRelease = v;
                        sawOs = true;
                    } else {
                        redhat = v;
                        sawRh = true;
                    }
                }
                case "kernel" -> {
                    fields(f, 2, no);
                    kernel = text(f[1], no).strip();
                }
                case "file" -> file = file(f, no);
                case "live" -> {
                    if (f.length != 3 && f.length != 4) {
                        throw bad(no, "malformed live line");
                    }
                    String key = text(f[1], no);
                    LiveValue v = switch (f[2]) {
                        case "present" -> {
                            fields(f, 4, no);
                            yield new LiveValue(LiveValue.State.PRESENT, text(f[3], no));
                        }
                        case "absent" -> state(f, no, LiveValue.State.ABSENT);
                        case "unreadable" -> state(f, no, LiveValue.State.UNREADABLE);
                        case "dir" -> state(f, no, LiveValue.State.DIRECTORY);
                        case "invalid" -> state(f, no, LiveValue.State.INVALID);
                        default -> throw bad(no, "unknown key state '" + shorten(f[2]) + "'");
                    };
                    if (live.put(key, v) != null) {
                        throw bad(no, "key reported twice: " + key);
                    }
                }
                case "end" -> {
                    fields(f, 1, no);
                    end = true;
                }
                default -> throw bad(no, "unexpected line '" + shorten(line) + "'");
            }
        }
        if (!end) {
            throw new FactsFormatException("facts output is truncated: no 'end' line");
        }
        if (!sawOs || !sawRh || kernel == null || file == null) {
            throw new FactsFormatException("facts output is incomplete: missing "
                    + (!sawOs ? "os-release" : !sawRh ? "redhat-release" : kernel == null ? "kernel" : "file"));
        }
        return new HostFacts(osRelease, redhat, kernel, file, live);
    }

    private static FileFact file(String[] f, int no) {
        if (f.length < 3) {
            throw bad(no, "malformed file line");
        }
        String path = text(f[1], no);
        switch (f[2]) {
            case "0" -> {
                fields(f, 3, no);
                return FileFact.missing(path);
            }
            case "3" -> {
                fields(f, 7, no);
                return new FileFact(path, true, false, mode(f[3], no), text(f[4], no), text(f[5], no), null, null,
                        "is " + shorten(f[6]) + " bytes, larger than the " + FactsProbe.MAX_FILE_BYTES
                                + " bytes of a sysctl file sysfleet edits (nothing of it is shown or changed)");
            }
            case "4" -> {
                fields(f, 6, no);
                return new FileFact(path, true, false, mode(f[3], no), text(f[4], no), text(f[5], no), null, null,
                        "is not a regular file (a directory, device or FIFO): it is not a sysctl file");
            }
            case "1", "2" -> {
                boolean readable = f[2].equals("1");
                fields(f, readable ? 8 : 6, no);
                if (!MODE.matcher(f[3]).matches()) {
                    throw bad(no, "bad file mode '" + shorten(f[3]) + "'");
                }
                String owner = text(f[4], no);
                String group = text(f[5], no);
                if (!readable) {
                    return new FileFact(path, true, false, f[3], owner, group, null, null);
                }
                if (!SHA.matcher(f[6]).matches()) {
                    throw bad(no, "bad sha256 '" + shorten(f[6]) + "'");
                }
                byte[] content = hex(f[7], no);
                String actual = sha256(content);
                if (!f[6].equals("-") && !f[6].equals(actual)) {
                    throw bad(no, "sha256 of " + path + " does not match its content (output corrupted)");
                }
                return new FileFact(path, true, true, f[3], owner, group, actual, content);
            }
            default -> throw bad(no, "bad file state '" + shorten(f[2]) + "'");
        }
    }

    private static String mode(String m, int no) {
        if (!MODE.matcher(m).matches()) {
            throw bad(no, "bad file mode '" + shorten(m) + "'");
        }
        return m;
    }

    private static String optional(String[] f, int no) {
        if (f.length == 2 && f[1].equals("0")) {
            return null;
        }
        if (f.length == 3 && f[1].equals("1")) {
            return text(f[2], no);
        }
        throw bad(no, "malformed " + f[0] + " line");
    }

    private static LiveValue state(String[] f, int no, LiveValue.State s) {
        fields(f, 3, no);
        return new LiveValue(s, null);
    }

    private static void fields(String[] f, int n, int no) {
        if (f.length != n) {
            throw bad(no, "expected " + n + " fields in '" + f[0] + "' line, got " + f.length);
        }
    }

    private static String text(String field, int no) {
        return new String(hex(field, no), StandardCharsets.UTF_8);
    }

    private static byte[] hex(String field, int no) {
        byte[] bytes = HexField.decode(field);
        if (bytes == null) {
            throw bad(no, "bad hex field '" + shorten(field) + "'");
        }
        return bytes;
    }

    static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static FactsFormatException bad(int line, String msg) {
        return new FactsFormatException("facts output line " + line + ": " + msg);
    }

    private static String shorten(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }
}
