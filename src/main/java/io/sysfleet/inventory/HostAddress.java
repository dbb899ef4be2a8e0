package io.sysfleet.inventory;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ansible's reading of a host key in an inventory: an optional {@code :port} suffix ({@code web1:2222},
 * {@code [2001:db8::1]:22}), then an IPv4 address, IPv6 address or host name, each of which may hold
 * {@code [x:y]} ranges. Also the safety rule sysfleet adds: a host name that will reach SSH may hold only
 * letters, digits, '.', '-', '_' and ':' (IPv6), and may not start with '-'. Pure functions.
 */
public final class HostAddress {
    /** A host key split into the name (or range pattern) and the port it names, if any. */
    public record Parsed(String pattern, Integer port, boolean recognised) { }

    private static final String NUM_RANGE = "\\[(?:[0-9]+:[0-9]+)(?::[0-9]+)?\\]";
    private static final String HEX_RANGE = "\\[(?:[0-9a-f]+:[0-9a-f]+)(?::[0-9]+)?\\]";
    private static final String ALNUM_RANGE = "\\[(?:[a-z]:[a-z]|[0-9]+:[0-9]+)(?::[0-9]+)?\\]";
    private static final String V6 = "(?:[0-9a-f]{1,4}|" + HEX_RANGE + ")";
    private static final String V4 = "(?:[01]?[0-9]{1,2}|2[0-4][0-9]|25[0-5]|" + NUM_RANGE + ")";
    private static final String LABEL = "(?:\\w|" + ALNUM_RANGE + ")(?:[\\w-]|" + ALNUM_RANGE + ")*(?<![_-])";

    private static final Pattern BRACKETED_HOSTPORT = Pattern.compile("^\\[(.+)\\]:([0-9]+)$");
    private static final Pattern HOSTPORT = Pattern.compile("^((?:[^:\\[\\]]|\\[[^\\]]*\\])*):([0-9]+)$");
    private static final Pattern IPV4 = Pattern.compile("^(?:" + V4 + "\\.){3}" + V4 + "$", Pattern.CASE_INSENSITIVE);
    /* As in Ansible, '^' and '$' bind only to the first and last alternative; matched from the start. */
    private static final Pattern IPV6 = Pattern.compile(String.join("|",
            "^(?:" + V6 + ":){7}" + V6,
            "(?:" + V6 + ":){1,6}:",
            "(?:" + V6 + ":)(?::" + V6 + "){1,6}",
            "(?:" + V6 + ":){2}(?::" + V6 + "){1,5}",
            "(?:" + V6 + ":){3}(?::" + V6 + "){1,4}",
            "(?:" + V6 + ":){4}(?::" + V6 + "){1,3}",
            "(?:" + V6 + ":){5}(?::" + V6 + "){1,2}",
            "(?:" + V6 + ":){6}(?::" + V6 + ")",
            ":(?::" + V6 + "){1,6}",
            V6 + "?::",
            "(?:0:){6}(?:" + V6 + "\\.){3}" + V6,
            "::(?:ffff:)?(?:" + V6 + "\\.){3}" + V6,
            "(?:0:){5}ffff:(?:" + V6 + "\\.){3}" + V6 + "$"), Pattern.CASE_INSENSITIVE);
    private static final Pattern HOSTNAME = Pattern.compile("^" + LABEL + "(?:\\." + LABEL + ")*$",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CHARACTER_CLASS);
    private static final Pattern SAFE = Pattern.compile("[\\p{L}\\p{N}._:-]+");

    private HostAddress() {
    }

    /**
     * Splits a host key as Ansible does. When the key is not a recognisable address, the whole key is the
     * pattern and there is no port ({@code recognised} is false).
     */
    public static Parsed parse(String key) {
        String address = key;
        Integer port = null;
        for (Pattern p : new Pattern[] {BRACKETED_HOSTPORT, HOSTPORT}) {
            Matcher m = p.matcher(address);
            if (m.matches()) {
                address = m.group(1);
                try {
                    port = Integer.valueOf(m.group(2));
                } catch (NumberFormatException e) {
                    return new Parsed(key, null, false);
                }
            }
        }
        if (isAddress(address)) {
            return new Parsed(address, port, true);
        }
        return new Parsed(key, null, false);
    }

    /** Whether the text is an IPv4 address, IPv6 address or host name, ranges allowed (Ansible's rules). */
    public static boolean isAddress(String text) {
        return IPV4.matcher(text).matches() || IPV6.matcher(text).lookingAt() || HOSTNAME.matcher(text).matches();
    }

    /**
     * Why a host name (after range expansion) is unsafe to hand to SSH, or null when it is fine.
     */
    public static String unsafeReason(String name) {
        if (name.isEmpty()) {
            return "is empty";
        }
        if (name.startsWith("-")) {
            return "starts with '-'";
        }
        if (SAFE.matcher(name).matches()) {
            return null;
        }
        for (int i = 0; i < name.length(); ) {
            int cp = name.codePointAt(i);
            String c = new String(Character.toChars(cp));
            if (Character.isWhitespace(cp) || Character.isSpaceChar(cp)) {
                return "contains whitespace";
            }
            if (Character.isISOControl(cp) || Character.getType(cp) == Character.FORMAT) {
                return "contains a control character";
            }
            if (!SAFE.matcher(c).matches()) {
                return "contains '" + c + "'";
            }
            i += Character.charCount(cp);
        }
        return null;
    }
}
