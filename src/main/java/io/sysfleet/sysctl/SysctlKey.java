package io.sysfleet.sysctl;

import java.util.regex.Pattern;

/**
 * Sysctl key names: normalisation to the dotted form and strict validation of keys we write.
 *
 * <p>procps {@code sysctl} accepts a key in dotted form ({@code net.ipv4.tcp_fin_timeout}) or in
 * path form ({@code net/ipv4/tcp_fin_timeout}). It decides by the <em>first</em> separator: if that
 * is a '/', the key is already a path and, to print it, every '/' becomes '.' and every '.' becomes
 * '/'. So {@code net/ipv4/conf/eth0.100/rp_filter} is {@code net.ipv4.conf.eth0/100.rp_filter} (the
 * dot of the VLAN interface name {@code eth0.100} is written as '/' in dotted form).
 */
public final class SysctlKey {

    /**
     * Characters allowed in a key we write. Kernel table names use letters, digits and '_'; interface
     * names (net.ipv4.conf.IFNAME...) may also hold '-', '.', '@', '+' (the kernel refuses only '/',
     * ':' and whitespace in them, we are stricter). '.' and '/' are separators; glob characters
     * ({@code * ? [}), '=', whitespace and control characters are refused.
     */
    private static final Pattern ALLOWED = Pattern.compile("[A-Za-z0-9_@+./-]+");

    /** Longest key we accept; real keys are far shorter. */
    public static final int MAX_LENGTH = 255;

    private SysctlKey() {
    }

    /**
     * Dotted form of a key as procps sysctl prints it: if the first separator ('.' or '/') is '/',
     * dots and slashes are swapped; otherwise the key is returned unchanged. A leading '-' (the
     * "ignore errors" flag of sysctl.conf) is not part of the key and must be removed by the caller.
     */
    public static String normalize(String key) {
        int first = indexOfSeparator(key);
        if (first < 0 || key.charAt(first) == '.') {
            return key;
        }
        StringBuilder sb = new StringBuilder(key.length());
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            sb.append(c == '/' ? '.' : c == '.' ? '/' : c);
        }
        return sb.toString();
    }

    /**
     * Checks a key we are asked to write; returns its dotted form.
     *
     * @throws IllegalArgumentException with a one-line reason if the key is not acceptable
     */
    public static String validate(String key) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("sysctl key is empty");
        }
        if (key.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("sysctl key is longer than " + MAX_LENGTH + " characters");
        }
        if (!ALLOWED.matcher(key).matches()) {
            throw new IllegalArgumentException("sysctl key '" + printable(key)
                    + "' may only contain letters, digits and _ - . / @ +");
        }
        if (key.startsWith("-")) {
            throw new IllegalArgumentException("sysctl key '" + key + "' must not start with '-'");
        }
        String dotted = normalize(key);
        // Path components are what the kernel sees under /proc/sys; map the dotted form back.
        String path = toPath(dotted);
        for (String component : path.split("/", -1)) {
            if (component.isEmpty() || component.equals(".") || component.equals("..")) {
                throw new IllegalArgumentException("sysctl key '" + key
                        + "' has an empty, '.' or '..' path component");
            }
        }
        if (indexOfSeparator(key) < 0) {
            throw new IllegalArgumentException("sysctl key '" + key + "' has no '.' separator");
        }
        return dotted;
    }

    /** Path under /proc/sys for a dotted key, e.g. {@code net/ipv4/conf/eth0.100/rp_filter}. */
    public static String toPath(String dottedKey) {
        StringBuilder sb = new StringBuilder(dottedKey.length());
        for (int i = 0; i < dottedKey.length(); i++) {
            char c = dottedKey.charAt(i);
            sb.append(c == '.' ? '/' : c == '/' ? '.' : c);
        }
        return sb.toString();
    }

    private static int indexOfSeparator(String key) {
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c == '.' || c == '/') {
                return i;
            }
        }
        return -1;
    }

    static String printable(String s) {
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
