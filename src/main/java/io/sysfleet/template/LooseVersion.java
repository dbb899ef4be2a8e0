package io.sysfleet.template;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ansible's {@code version} test with its default LooseVersion: a version splits into runs of digits
 * (compared as numbers), runs of lowercase letters and any other text (compared as strings); '.' separates.
 * Comparing a number with a string part fails, as it does in Python 3.
 */
final class LooseVersion {
    private static final Pattern COMPONENT = Pattern.compile("(\\d+|[a-z]+|\\.)");

    private LooseVersion() {
    }

    /** The components of a version string, e.g. "4.12.0-rc1" gives [4, 12, 0, "-", "rc", 1]. */
    static List<Object> components(String version) {
        List<Object> out = new ArrayList<>();
        Matcher m = COMPONENT.matcher(version);
        int last = 0;
        while (m.find()) {
            add(out, version.substring(last, m.start()));
            add(out, m.group());
            last = m.end();
        }
        add(out, version.substring(last));
        return out;
    }

    private static void add(List<Object> out, String part) {
        if (part.isEmpty() || part.equals(".")) {
            return;
        }
        if (part.chars().allMatch(c -> c >= '0' && c <= '9')) {
            out.add(new BigInteger(part));
        } else {
            out.add(part);
        }
    }

    /**
     * {@code left op right}; op is one of {@code < lt <= le > gt >= ge == = eq != <> ne}.
     *
     * @throws IllegalArgumentException for an unknown operator or incomparable components
     */
    static boolean compare(String left, String right, String op) {
        if (left.isEmpty()) {
            throw new IllegalArgumentException("input version value cannot be empty");
        }
        if (right.isEmpty()) {
            throw new IllegalArgumentException("version parameter to compare against cannot be empty");
        }
        int c = compare(components(left), components(right), left, right);
        return result(op, c);
    }

    private static boolean result(String op, int c) {
        return switch (op) {
            case "<", "lt" -> c < 0;
            case "<=", "le" -> c <= 0;
            case ">", "gt" -> c > 0;
            case ">=", "ge" -> c >= 0;
            case "==", "=", "eq" -> c == 0;
            case "!=", "<>", "ne" -> c != 0;
            default -> throw new IllegalArgumentException("invalid version operator '" + op
                    + "' (use one of <, lt, <=, le, >, gt, >=, ge, ==, eq, !=, ne)");
        };
    }

    private static final Pattern STRICT = Pattern.compile("(\\d+)\\.(\\d+)(?:\\.(\\d+))?(?:([ab])(\\d+))?");

    /** Python's StrictVersion: N.N[.N][{a|b}N]; anything else is an invalid version number. */
    static boolean compareStrict(String left, String right, String op) {
        int c = strictKey(left).compareTo(strictKey(right));
        return result(op, c);
    }

    private static String strictKey(String v) {
        Matcher m = STRICT.matcher(v);
        if (!m.matches()) {
            throw new IllegalArgumentException("invalid version number '" + v + "'");
        }
        String patch = m.group(3) == null ? "0" : m.group(3);
        String pre = m.group(4) == null ? "z" : m.group(4) + String.format("%020d", new BigInteger(m.group(5)));
        return String.format("%020d.%020d.%020d.%s", new BigInteger(m.group(1)), new BigInteger(m.group(2)),
                new BigInteger(patch), pre);
    }

    private static int compare(List<Object> a, List<Object> b, String left, String right) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            Object x = a.get(i);
            Object y = b.get(i);
            if (x.equals(y)) {
                continue;
            }
            if (x instanceof BigInteger p && y instanceof BigInteger q) {
                return p.compareTo(q);
            }
            if (x instanceof String p && y instanceof String q) {
                return Integer.signum(p.compareTo(q));
            }
            throw new IllegalArgumentException("version comparison of '" + left + "' and '" + right
                    + "' failed: cannot compare '" + x + "' with '" + y + "'");
        }
        return Integer.compare(a.size(), b.size());
    }
}
