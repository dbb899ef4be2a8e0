package io.sysfleet.diagnose;

/**
 * Text from hosts is data: before it is printed (terminal table, plan comments, messages) every control
 * character is made visible, so a log line cannot move the cursor, clear the screen, forge a line of output or
 * end a YAML comment.
 */
public final class Text {
    private Text() {
    }

    /** {@code s} with control characters as {@code \n}, {@code \t}, {@code \r} or {@code \xNN} / {@code \u2028}. */
    public static String escape(String s) {
        if (s == null) {
            return null;
        }
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
                        b.append(String.format("\\x%02x", (int) c));
                    } else if (c == '\u2028' || c == '\u2029' || (c >= '\u202a' && c <= '\u202e')
                            || (c >= '\u2066' && c <= '\u2069')) {
                        b.append(String.format("\\u%04x", (int) c)); // line separators and bidi overrides
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }

    /** Escaped, and cut to {@code max} characters with "..." when longer. */
    public static String oneLine(String s, int max) {
        String e = escape(s == null ? "" : s.strip());
        return e.length() > max ? e.substring(0, max) + "..." : e;
    }
}
