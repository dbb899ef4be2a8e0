package io.sysfleet.sysctl;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed sysctl.conf that keeps every byte: {@code parse(text).text().equals(text)} always holds.
 *
 * <p>Parsing follows procps-ng {@code sysctl -p} (sysctl.c, {@code parse_setting_line}, 3.3.17 / 4.0):
 * <ul>
 *   <li>a line ends at '\n'; a '\r' before it belongs to the line ending (CRLF); a lone '\r' elsewhere
 *       is ordinary text, and the last line may lack a newline;</li>
 *   <li>leading whitespace is skipped; a line whose first character then is '#' or ';' is a comment;</li>
 *   <li>otherwise the line is split at the <em>first</em> '='; the key is the text before it with
 *       trailing whitespace removed, an optional leading '-' meaning "ignore errors setting this key";
 *       the value is the whole rest of the line with leading and trailing whitespace removed. There
 *       are no trailing comments: in {@code a = 1 # note} the value is {@code 1 # note};</li>
 *   <li>a line without '=' that starts with '-' is a glob exclusion ({@code -net.ipv4.conf.*.x});
 *       any other line without '=' is invalid syntax (sysctl warns and continues). We also report
 *       settings with an empty key or whitespace inside the key, which sysctl cannot apply;</li>
 *   <li>lines apply in file order, so for a key written twice the last line wins.</li>
 * </ul>
 * Whitespace means the C {@code isspace} set: space, \t, \n, \v, \f, \r.
 */
public final class SysctlFile {

    private final List<SysctlLine> lines;

    private SysctlFile(List<SysctlLine> lines) {
        this.lines = List.copyOf(lines);
    }

    /** Parses any text; never throws for any input (null is not allowed). */
    public static SysctlFile parse(String text) {
        List<SysctlLine> out = new ArrayList<>();
        int start = 0;
        int number = 1;
        while (start < text.length()) {
            int nl = text.indexOf('\n', start);
            int end = nl < 0 ? text.length() : nl + 1;
            out.add(parseLine(number++, text.substring(start, end)));
            start = end;
        }
        return new SysctlFile(out);
    }

    /** Parses a single line (with or without its ending) as line number {@code number}. */
    static SysctlLine parseLine(int number, String raw) {
        String ending = raw.endsWith("\r\n") ? "\r\n" : raw.endsWith("\n") ? "\n" : "";
        String content = raw.substring(0, raw.length() - ending.length());
        int i = 0;
        while (i < content.length() && isSpace(content.charAt(i))) {
            i++;
        }
        if (i == content.length()) {
            return other(number, raw, ending, SysctlLine.Kind.BLANK);
        }
        char first = content.charAt(i);
        if (first == '#' || first == ';') {
            return other(number, raw, ending, SysctlLine.Kind.COMMENT);
        }
        int eq = content.indexOf('=', i);
        boolean dash = first == '-';
        int keyStart = dash ? i + 1 : i;
        if (eq < 0) {
            String key = rstrip(content.substring(keyStart));
            if (dash && isKeyText(key)) {
                return new SysctlLine(number, raw, ending, SysctlLine.Kind.EXCLUDE, SysctlKey.dottedForm(key),
                        true, null, null, null);
            }
            return other(number, raw, ending, SysctlLine.Kind.INVALID);
        }
        String key = rstrip(content.substring(keyStart, eq));
        if (!isKeyText(key)) {
            return other(number, raw, ending, SysctlLine.Kind.INVALID);
        }
        int valueStart = eq + 1;
        while (valueStart < content.length() && isSpace(content.charAt(valueStart))) {
            valueStart++;
        }
        int valueEnd = content.length();
        while (valueEnd > valueStart && isSpace(content.charAt(valueEnd - 1))) {
            valueEnd--;
        }
        return new SysctlLine(number, raw, ending, SysctlLine.Kind.SETTING, SysctlKey.dottedForm(key), dash,
                content.substring(0, valueStart), content.substring(valueStart, valueEnd),
                content.substring(valueEnd));
    }

    private static SysctlLine other(int number, String raw, String ending, SysctlLine.Kind kind) {
        return new SysctlLine(number, raw, ending, kind, null, false, null, null, null);
    }

    private static boolean isKeyText(String key) {
        if (key.isEmpty()) {
            return false;
        }
        for (int i = 0; i < key.length(); i++) {
            if (isSpace(key.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** C isspace() in the C locale. */
    static boolean isSpace(char c) {
        return SysctlValue.isSpace(c);
    }

    /** The string without leading and trailing C whitespace, as sysctl trims values. */
    static String trim(String s) {
        int start = 0;
        while (start < s.length() && isSpace(s.charAt(start))) {
            start++;
        }
        return rstrip(s.substring(start));
    }

    private static String rstrip(String s) {
        int end = s.length();
        while (end > 0 && isSpace(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(0, end);
    }

    /** All lines in order. */
    public List<SysctlLine> lines() {
        return lines;
    }

    /** Lines sysctl cannot apply (reported so a caller can warn; they are never changed). */
    public List<SysctlLine> invalidLines() {
        return lines.stream().filter(l -> l.kind() == SysctlLine.Kind.INVALID).toList();
    }

    /** The exact original text. */
    public String text() {
        StringBuilder sb = new StringBuilder();
        lines.forEach(l -> sb.append(l.raw()));
        return sb.toString();
    }

    /**
     * What {@code sysctl -p} would set: dotted key to value (as written, trimmed), last line winning,
     * in order of each key's first appearance. Glob keys ({@code net.ipv4.conf.*.rp_filter}) appear
     * literally; they are not expanded.
     */
    public Map<String, String> effectiveValues() {
        Map<String, String> values = new LinkedHashMap<>();
        for (SysctlLine line : lines) {
            if (line.isSetting()) {
                values.put(line.key(), line.value());
            }
        }
        return Collections.unmodifiableMap(values);
    }

    /** "\r\n" if more lines end in CRLF than in LF, else "\n". */
    public String dominantEnding() {
        int crlf = 0;
        int lf = 0;
        for (SysctlLine line : lines) {
            if (line.ending().equals("\r\n")) {
                crlf++;
            } else if (line.ending().equals("\n")) {
                lf++;
            }
        }
        return crlf > lf ? "\r\n" : "\n";
    }
}
