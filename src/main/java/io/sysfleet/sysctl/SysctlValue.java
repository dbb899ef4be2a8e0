package io.sysfleet.sysctl;

/**
 * The one rule for comparing sysctl values: whitespace runs (C {@code isspace}: space, \t, \n, \v, \f, \r)
 * collapse to one space and the ends are trimmed, as the kernel reads vectors and as sysctl prints them. So
 * {@code "1024  65000"}, {@code "1024\t65000"} and the kernel's {@code "1024\t65000\n"} are the same value.
 * Used by the editor, the planner, the apply verification, rollback, boot persistence and lint.
 */
public final class SysctlValue {
    private SysctlValue() {
    }

    /** The value in comparison form; null stays null. */
    public static String normalise(String value) {
        if (value == null) {
            return null;
        }
        StringBuilder sb = new StringBuilder(value.length());
        boolean pendingSpace = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (isSpace(c)) {
                pendingSpace = sb.length() > 0;
            } else {
                if (pendingSpace) {
                    sb.append(' ');
                    pendingSpace = false;
                }
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** Whether two values are the same setting; a null (no value) equals only null. */
    public static boolean same(String a, String b) {
        return a == null ? b == null : b != null && normalise(a).equals(normalise(b));
    }

    /** C isspace() in the C locale. */
    static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
    }
}
