package io.sysfleet.core;

/**
 * The one place that makes text safe to print on a terminal. Host names, values, file lines, error messages from
 * hosts and everything else a user or a host wrote go through it before they reach stdout or stderr, so no byte
 * can move the cursor, clear the screen, retitle the window, reorder text (bidi overrides) or forge a line:
 * control characters (C0 but '\n' in {@link #escapeText}, DEL, C1), the Unicode line and paragraph separators and
 * the bidirectional controls are written as escapes ({@code \e}, {@code \r}, {@code \n}, {@code \t},
 * {@code \x07}, {@code \u202e}). Printable text, other scripts included, is left as it is. Reports written to
 * files are not escaped here: their formats (JSON, XML) escape for themselves.
 */
public final class TerminalText {
    private TerminalText() {
    }

    /** One line: every control character, newlines included, escaped. */
    public static String escape(String s) {
        return escape(s, false);
    }

    /** Several lines: '\n' stays a line break, every other control character is escaped ('\r' too). */
    public static String escapeText(String s) {
        return escape(s, true);
    }

    /** Whether {@code c} is escaped by {@link #escape}. */
    public static boolean unsafe(int c) {
        return c < 0x20 || c == 0x7f || c >= 0x80 && c <= 0x9f || c == 0x2028 || c == 0x2029
                || c == 0x061c || c == 0x200e || c == 0x200f || c >= 0x202a && c <= 0x202e
                || c >= 0x2066 && c <= 0x2069;
    }

    private static String escape(String s, boolean keepNewlines) {
        if (s == null) {
            return "null";
        }
        int i = 0;
        while (i < s.length() && (!unsafe(s.charAt(i)) || keepNewlines && s.charAt(i) == '\n')) {
            i++;
        }
        if (i == s.length()) {
            return s;
        }
        StringBuilder sb = new StringBuilder(s.length() + 16).append(s, 0, i);
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!unsafe(c) || keepNewlines && c == '\n') {
                sb.append(c);
                continue;
            }
            switch (c) {
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case 0x1b -> sb.append("\\e");
                default -> sb.append(c <= 0xff ? String.format("\\x%02x", (int) c) : String.format("\\u%04x", (int) c));
            }
        }
        return sb.toString();
    }
}
