package io.sysfleet.playbook;

import java.util.Locale;
import java.util.Set;

/** How Ansible turns YAML values into booleans and strings. Pure helpers. */
public final class AnsibleValues {
    private static final Set<String> TRUE_STRINGS = Set.of("y", "yes", "on", "1", "true", "t");
    private static final Set<String> FALSE_STRINGS = Set.of("n", "no", "off", "0", "false", "f");

    private AnsibleValues() {
    }

    /**
     * Ansible's {@code boolean()} (strict): YAML booleans, 1/0, and the strings yes/no, on/off, true/false,
     * y/n, t/f, 1/0 in any case. Returns null when the value is none of those.
     */
    public static Boolean toBoolean(Object value) {
        if (value instanceof Boolean b) {
            return b;
        }
        if (value instanceof Number n && !(value instanceof Double)) {
            long l = n.longValue();
            return l == 1 ? Boolean.TRUE : l == 0 ? Boolean.FALSE : null;
        }
        if (value instanceof Double d) {
            return d == 1.0 ? Boolean.TRUE : d == 0.0 ? Boolean.FALSE : null;
        }
        if (value instanceof String s) {
            String k = s.strip().toLowerCase(Locale.ROOT);
            if (TRUE_STRINGS.contains(k)) {
                return Boolean.TRUE;
            }
            if (FALSE_STRINGS.contains(k)) {
                return Boolean.FALSE;
            }
        }
        return null;
    }

    /**
     * The sysctl module's {@code _parse_value} after Ansible's {@code type='str'} conversion: booleans and the
     * boolean words become "1"/"0", other strings are stripped.
     */
    public static String sysctlValue(String value) {
        String k = value.toLowerCase(Locale.ROOT);
        if (TRUE_STRINGS.contains(k)) {
            return "1";
        }
        if (FALSE_STRINGS.contains(k)) {
            return "0";
        }
        return value.strip();
    }

    /**
     * Python's {@code str()} of a scalar: True/False, None, integers; floats for the usual range. Returns null
     * for a float Python would print in exponent form, lists and maps (callers report those).
     */
    public static String pyStr(Object v) {
        if (v == null) {
            return "None";
        }
        if (v instanceof Boolean b) {
            return b ? "True" : "False";
        }
        if (v instanceof Double d) {
            if (d.isNaN()) {
                return "nan";
            }
            if (d.isInfinite()) {
                return d > 0 ? "inf" : "-inf";
            }
            double a = Math.abs(d);
            if (a != 0 && (a < 1e-3 || a >= 1e7)) {
                return null;
            }
            return Double.toString(d);
        }
        if (v instanceof Number || v instanceof String) {
            return v.toString();
        }
        return null;
    }
}
