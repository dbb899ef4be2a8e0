package io.sysfleet.sysctl;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A sysctl key: the one type for a key name, whatever its spelling. Built from any spelling, checked once in
 * the constructor, and from then on it knows its dotted form ({@link #dotted()}, what {@code sysctl} prints and
 * what the catalog, plans, journals and reports use) and its path under {@code /proc/sys} ({@link #path()},
 * what the remote scripts read and write).
 *
 * <p>The spelling rule is procps {@code sysctl}'s: the <em>first</em> separator decides. When it is a '.', the
 * key is dotted and each '/' inside it stands for a '.' of a name (a VLAN interface); when it is a '/', the key
 * is a path and dots and slashes swap. So {@code net.ipv4.conf.eth0/100.rp_filter} and
 * {@code net/ipv4/conf/eth0.100/rp_filter} are one key, whose path is
 * {@code /proc/sys/net/ipv4/conf/eth0.100/rp_filter}. {@code /proc/sys/...} spellings are paths too.
 *
 * <p>Accepted: letters, digits, {@code _ - @ +} and the separators; at least one separator; no empty, '.' or
 * '..' path component (nothing can leave /proc/sys); no leading '-' (sysctl.conf's "ignore errors" flag); at
 * most {@value #MAX_LENGTH} characters. Globs, '=', whitespace, quotes and control characters are refused, so a
 * key is safe as a shell argument and as a path.
 *
 * @param dotted the dotted form (the canonical constructor also takes any other spelling and converts it)
 */
public record SysctlKey(String dotted) implements Comparable<SysctlKey> {

    /**
     * Characters allowed. Kernel table names use letters, digits and '_'; interface names (net.ipv4.conf.IFNAME)
     * may also hold '-', '.', '@', '+' (the kernel refuses only '/', ':' and whitespace in them; we are
     * stricter).
     */
    private static final Pattern ALLOWED = Pattern.compile("[A-Za-z0-9_@+./-]+");
    private static final String PROC_SYS = "/proc/sys/";

    /** Longest key accepted; real keys are far shorter. */
    public static final int MAX_LENGTH = 255;

    /**
     * @throws IllegalArgumentException with a one-line reason starting {@code sysctl key} when the spelling is not
     *     a valid key
     */
    public SysctlKey {
        if (dotted == null || dotted.isEmpty()) {
            throw new IllegalArgumentException("sysctl key is empty");
        }
        String spelled = dotted;
        if (spelled.startsWith(PROC_SYS)) {
            dotted = swap(spelled.substring(PROC_SYS.length()));
        } else {
            dotted = dottedForm(spelled);
        }
        check(spelled, dotted);
    }

    /** The key of any spelling: dotted, slashed, or a {@code /proc/sys/...} path. */
    public static SysctlKey of(String spelling) {
        return new SysctlKey(spelling);
    }

    /** The key whose path under /proc/sys is {@code path} ({@code net/ipv4/conf/eth0.100/rp_filter}). */
    public static SysctlKey ofPath(String path) {
        if (path == null || path.isEmpty() || path.startsWith("/")) {
            throw new IllegalArgumentException("sysctl key path must be relative to /proc/sys: '"
                    + printable(String.valueOf(path)) + "'");
        }
        return new SysctlKey(swap(path));
    }

    /** The key, or empty when the text (stripped of surrounding whitespace) is not a valid key. */
    public static Optional<SysctlKey> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(new SysctlKey(text.strip()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The path under /proc/sys, without a leading slash: {@code net/ipv4/conf/eth0.100/rp_filter}. */
    public String path() {
        return swap(dotted);
    }

    /** The absolute path of the live value: {@code /proc/sys/net/ipv4/tcp_fin_timeout}. */
    public String procPath() {
        return PROC_SYS + path();
    }

    @Override
    public int compareTo(SysctlKey o) {
        return dotted.compareTo(o.dotted);
    }

    /** The dotted form, as sysctl prints it. */
    @Override
    public String toString() {
        return dotted;
    }

    /**
     * The dotted form of a spelling by procps's first-separator rule, without any check. For text that sysctl
     * itself reads as a key (a sysctl.conf line, where globs are allowed); everything that names a real key uses
     * {@link #of}. A leading '-' (sysctl.conf's "ignore errors" flag) is not part of the key: the caller removes it.
     */
    public static String dottedForm(String spelling) {
        for (int i = 0; i < spelling.length(); i++) {
            char c = spelling.charAt(i);
            if (c == '.') {
                return spelling;
            }
            if (c == '/') {
                return swap(spelling);
            }
        }
        return spelling;
    }

    private static String swap(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            sb.append(c == '.' ? '/' : c == '/' ? '.' : c);
        }
        return sb.toString();
    }

    private static void check(String spelled, String dotted) {
        if (dotted.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("sysctl key is longer than " + MAX_LENGTH + " characters");
        }
        if (!ALLOWED.matcher(dotted).matches()) {
            throw new IllegalArgumentException("sysctl key '" + printable(spelled)
                    + "' is not a valid key: it may only contain letters, digits and _ - @ +, separated by '.' or '/'");
        }
        if (dotted.startsWith("-")) {
            throw new IllegalArgumentException("sysctl key '" + spelled + "' must not start with '-'");
        }
        if (dotted.indexOf('.') < 0) {
            throw new IllegalArgumentException("sysctl key '" + spelled + "' has no '.' separator");
        }
        for (String component : swap(dotted).split("/", -1)) {
            if (component.isEmpty() || component.equals(".") || component.equals("..")) {
                throw new IllegalArgumentException("sysctl key '" + spelled
                        + "' has an empty, '.' or '..' path component");
            }
        }
    }

    /** The text with control characters shown as {@code \xNN}, for one-line messages. */
    public static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c < 0x20 || c == 0x7f) {
                sb.append(String.format("\\x%02x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
