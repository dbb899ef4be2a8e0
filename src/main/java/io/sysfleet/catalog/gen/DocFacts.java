package io.sysfleet.catalog.gen;

import io.sysfleet.catalog.ValueType;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a {@link DocEntry}'s facts: the type from its {@code - TYPE} header, the values its bullet lists and
 * tables enumerate, the range its text states ({@code Possible values: 0-3}, {@code a value between 0 and 200}),
 * its default ({@code Default: 64}, {@code The default value is 60}, a {@code (default)} bullet), its unit and
 * the version that added it. Only patterns that say one thing are read; anything else is left unknown for the
 * live snapshot or the overrides to decide. Pure.
 */
final class DocFacts {
    private static final long INT_MIN = Integer.MIN_VALUE;
    private static final long INT_MAX = Integer.MAX_VALUE;
    private static final long UINT_MAX = 4294967295L;

    private static final Pattern VECTOR = Pattern.compile("(?:VECTOR OF\\s+)?([0-9]+)\\s+INTEGERS?\\b.*");
    private static final Pattern BULLET = Pattern.compile(
            "^\\s*[-*]\\s+\\(?(-?[0-9]+)(?:\\s*-\\s*(-?[0-9]+))?\\)?\\s*(?:-|:|\\)|\\s|$)(.*)$");
    private static final Pattern DEFAULT_HEADING = Pattern.compile("(?i)^\\s*(?:functional\\s+)?defaults?(?:\\s+values?)?:?\\s*$");
    private static final Pattern OR_VALUE = Pattern.compile("^or (-?[0-9]+)\\b");
    private static final Pattern FLAGS = Pattern.compile("(?i)\\bOR(?:ing|'ing|-ing|ed|'ed)\\b|\\bbit ?mask\\b|\\bbitmap\\b");
    private static final Pattern BULLET_ANY = Pattern.compile("^\\s*[-*]\\s");
    private static final Pattern BULLET_OPEN = Pattern.compile("^\\s*[-*]\\s+(?:not\\s+0|[<>=!]=?|>=|<=|==)");
    private static final Pattern TABLE_BORDER = Pattern.compile("^(\\s*)(=+)((?:\\s+=+)+)\\s*$");
    private static final Pattern NUMBER = Pattern.compile("-?[0-9]+");
    private static final Pattern HEX = Pattern.compile("0x[0-9a-fA-F]+");
    private static final Pattern POSSIBLE = Pattern.compile(
            "(?i)(?:possible|valid|allowed|acceptable) values?(?:\\s+are|\\s+is)?(?:\\s+from)?:?\\s*\\[?(-?[0-9]+)\\s*(?:-|to|\\.\\.|,)\\s*(-?[0-9]+)\\]?\\b(?![\\w^]|\\.[0-9])");
    private static final Pattern RANGE_BRACKET = Pattern.compile("(?i)\\brange\\s*(?:of\\s*)?\\[\\s*(-?[0-9]+)\\s*,\\s*(-?[0-9]+)\\s*]");
    private static final Pattern BETWEEN = Pattern.compile(
            "(?i)\\b(?:should be|must be|value) between (-?[0-9]+) and (-?[0-9]+)\\b(?![\\w]|\\.[0-9])");
    private static final Pattern MIN_IS = Pattern.compile("(?i)\\b(?:the )?min(?:imum)?(?: value)? is (-?[0-9]+)\\b(?![\\w%*]|\\.[0-9])");
    private static final Pattern MAX_IS = Pattern.compile("(?i)\\b(?:the )?max(?:imum)?(?: value)? is (-?[0-9]+)\\b(?![\\w%*]|\\.[0-9])");
    private static final Pattern DEFAULT = Pattern.compile(
            "(?i)\\bdefault(?:s)?(?: value)?(?:\\s+is|\\s+to|:|\\s*=)?\\s*(?:set to\\s+)?"
                    + "(-?[0-9]+|0x[0-9a-fA-F]+|TRUE|FALSE|enabled|disabled)\\b(?![\\w*%/]|\\.[0-9]|\\s*[kKMG]i?B\\b)");
    private static final Pattern ADDED = Pattern.compile(
            "(?i)\\b(?:added|introduced) in (?:linux|kernel)(?: version)?[ -]?v?([0-9]+\\.[0-9]+)");
    private static final Pattern UNIT_PHRASE = Pattern.compile(
            "(?i)\\b(?:in|of|unit is|units of) (seconds|milliseconds|microseconds|nanoseconds|jiffies|bytes|kilobytes|pages|packets|percent|centisecs)\\b");

    private DocFacts() {
    }

    /** The facts {@code e} states, with {@code why} naming the document for each. */
    static KeyDraft read(DocEntry e) {
        KeyDraft d = new KeyDraft(e.name());
        String where = e.file() + ":" + e.line();
        d.source = e.file();
        String header = e.headerType().toUpperCase(Locale.ROOT);
        String leaf = e.name().substring(e.name().lastIndexOf('.') + 1);
        headerType(d, header, where);
        String body = String.join("\n", e.body());
        if (e.prose()) {
            // Named in running text only: the sentence says what it is, not its type.
            return d;
        }
        Values v = values(e.body(), leaf, body);
        applyValues(d, v, where, header.isEmpty());
        Matcher m;
        if ((m = POSSIBLE.matcher(body)).find() || (m = RANGE_BRACKET.matcher(body)).find()
                || (m = BETWEEN.matcher(body)).find()) {
            long a = Long.parseLong(m.group(1));
            long b = Long.parseLong(m.group(2));
            if (a < b && d.type != ValueType.STRING && d.type != ValueType.RANGE_LIST) {
                if (d.type == null || d.type == ValueType.ENUM || (d.type == ValueType.BOOL && b > 1)) {
                    d.type = ValueType.INT;
                    d.values.clear();
                }
                d.min = a;
                d.max = b;
                d.why.put("range", where + " \"" + m.group().strip() + "\"");
            }
        } else {
            if ((m = MIN_IS.matcher(body)).find() && d.type != null && d.type != ValueType.STRING) {
                d.min = Long.parseLong(m.group(1));
                d.why.put("min", where + " \"" + m.group().strip() + "\"");
            }
            if ((m = MAX_IS.matcher(body)).find() && d.type != null && d.type != ValueType.STRING) {
                d.max = Long.parseLong(m.group(1));
                d.why.put("max", where + " \"" + m.group().strip() + "\"");
            }
        }
        if (d.type != ValueType.INT_VECTOR && d.type != ValueType.STRING && d.type != ValueType.RANGE_LIST) {
            String def = v.defaultValue;
            String why = where + " (default) bullet";
            if (def == null && (m = DEFAULT.matcher(body)).find()) {
                def = m.group(1);
                why = where + " \"" + m.group().strip() + "\"";
            }
            if (def != null) {
                d.defaultValue = number(def);
                d.why.put("default", why);
            }
        }
        if ((m = ADDED.matcher(body)).find()) {
            d.addedIn = m.group(1);
            d.why.put("added_in", where + " \"" + m.group().strip() + "\"");
        }
        if (d.unit == null) {
            d.unit = unitOf(leaf, e.body());
        }
        if (body.toLowerCase(Locale.ROOT).contains("this is a read-only") || header.contains("READ-ONLY")) {
            d.readOnly = true;
            d.why.put("read_only", where);
        }
        return d;
    }

    private static void headerType(KeyDraft d, String header, String where) {
        if (header.isEmpty()) {
            return;
        }
        Matcher paren = Pattern.compile("\\(([^)]*)\\)").matcher(header);
        if (paren.find()) {
            String p = paren.group(1).toLowerCase(Locale.ROOT).strip();
            if (p.equals("read-only")) {
                d.readOnly = true;
                d.why.put("read_only", where + " header");
            } else if (p.matches("[a-z]+")) {
                d.unit = p;
            }
        }
        Matcher vec = VECTOR.matcher(header);
        if (header.startsWith("BOOLEAN")) {
            d.type = ValueType.BOOL;
        } else if (vec.matches()) {
            d.type = ValueType.INT_VECTOR;
            d.fields = Integer.parseInt(vec.group(1));
        } else if (header.contains("COMMA SEPARATED RANGES")) {
            d.type = ValueType.RANGE_LIST;
            d.min = 0L;
        } else if (header.startsWith("UNSIGNED LONG") || header.startsWith("LONG")) {
            d.type = ValueType.INT;
            d.min = header.startsWith("UNSIGNED") ? 0L : null;
        } else if (header.startsWith("UNSIGNED INTEGER") || header.startsWith("UNSIGNED")) {
            d.type = ValueType.INT;
            d.min = 0L;
            d.max = UINT_MAX;
        } else if (header.startsWith("INTEGER") || header.startsWith("INT")) {
            d.type = ValueType.INT;
            d.min = INT_MIN;
            d.max = INT_MAX;
        } else {
            d.type = ValueType.STRING;
        }
        d.why.put("type", where + " header \"" + header + "\"");
    }

    /** What a body's bullet lists, tables and sentences enumerate. */
    private record Values(TreeSet<Long> numbers, boolean open, boolean hex, boolean flags, String defaultValue) { }

    private static Values values(List<String> lines, String leaf, String body) {
        TreeSet<Long> nums = new TreeSet<>();
        boolean open = false;
        boolean hex = false;
        String def = null;
        boolean defaultBlock = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            // Bullets under "Default:" / "Functional default:" list conditional defaults, not the values.
            if (DEFAULT_HEADING.matcher(line).matches()) {
                defaultBlock = true;
                continue;
            }
            if (defaultBlock) {
                if (line.isBlank() || BULLET_ANY.matcher(line).find()) {
                    continue;
                }
                defaultBlock = false;
            }
            if (BULLET_OPEN.matcher(line).find()) {
                open = true;
                continue;
            }
            Matcher b = BULLET.matcher(line);
            if (b.matches()) {
                String rest = b.group(3).toLowerCase(Locale.ROOT).strip();
                if (rest.contains("reserved") || rest.startsWith("if ") || rest.startsWith("(for")) {
                    continue;
                }
                long a = Long.parseLong(b.group(1));
                long z = b.group(2) == null ? a : Long.parseLong(b.group(2));
                for (long x = a; x <= z && x - a < 64; x++) {
                    nums.add(x);
                }
                Matcher or = OR_VALUE.matcher(rest);
                if (or.find()) {
                    nums.add(Long.parseLong(or.group(1))); // "- 3 or 4 enables TLP"
                }
                if (rest.contains("(default)") || rest.startsWith("default")) {
                    def = b.group(1);
                }
                continue;
            }
            Matcher t = TABLE_BORDER.matcher(line);
            if (t.matches()) {
                int col = t.group(1).length();
                int width = t.group(2).length();
                int j = i + 1;
                for (int region = 0; region < 2; region++) {
                    int numeric = 0;
                    int rows = 0;
                    while (j < lines.size() && !TABLE_BORDER.matcher(lines.get(j)).matches()) {
                        String row = lines.get(j);
                        String cell = row.length() > col ? row.substring(col, Math.min(row.length(), col + width + 1)).strip() : "";
                        if (!cell.isEmpty()) {
                            rows++;
                            String first = cell.split("\\s+")[0];
                            if (NUMBER.matcher(first).matches()) {
                                numeric++;
                                nums.add(Long.parseLong(first));
                                if (row.toLowerCase(Locale.ROOT).contains("(default)")) {
                                    def = first;
                                }
                            } else if (HEX.matcher(first).matches()) {
                                hex = true;
                            } else if (first.matches("[<>=!]=?.*")) {
                                open = true;
                            }
                        }
                        j++;
                    }
                    // A first region of one text row is the table's header: its body follows the next border.
                    if (region == 0 && numeric == 0 && rows <= 1 && j + 1 < lines.size()) {
                        j++;
                        continue;
                    }
                    break;
                }
                i = j; // past the closing border
            }
        }
        // Sentences such as "When ``kptr_restrict`` is set to 2, ..." or "When this flag is 1, ...".
        Matcher s = Pattern.compile("(?i)\\bwhen (?:``" + Pattern.quote(leaf) + "``|" + Pattern.quote(leaf)
                + "|this (?:flag|value|toggle|option|sysctl)) is (?:set to )?(-?[0-9]+)\\b(?![.\\w]\\d)").matcher(body);
        while (s.find()) {
            nums.add(Long.parseLong(s.group(1)));
        }
        Matcher quoted = Pattern.compile("(?i)\\bwhen set to \"?(-?[0-9]+)\"?(?![.\\w]\\d)").matcher(body);
        while (quoted.find()) {
            nums.add(Long.parseLong(quoted.group(1)));
        }
        if (body.contains("0x") && Pattern.compile("\\b0x[0-9a-fA-F]+\\b").matcher(body).find()
                && body.toLowerCase(Locale.ROOT).contains("bit")) {
            hex = true;
        }
        return new Values(nums, open, hex, FLAGS.matcher(body).find(), def);
    }

    private static void applyValues(KeyDraft d, Values v, String where, boolean untyped) {
        if (v.open || v.numbers.size() < 2) {
            if (v.hex && (d.type == ValueType.INT || d.type == null)) {
                d.type = ValueType.INT;
                d.min = 0L;
                d.why.put("range", where + " a bitmask (hexadecimal flags)");
            }
            return;
        }
        if (d.type != null && d.type != ValueType.INT && d.type != ValueType.BOOL) {
            return;
        }
        List<Long> list = new ArrayList<>(v.numbers);
        long lo = list.get(0);
        long hi = list.get(list.size() - 1);
        boolean contiguous = hi - lo + 1 == list.size();
        if (v.hex || v.flags || bitmask(list)) {
            // Flags that combine ("the result of ORing the following"): any sum of them is valid.
            d.type = ValueType.INT;
            d.min = Math.min(0L, lo);
            d.max = Long.highestOneBit(Math.max(1, hi)) * 2 - 1;
            d.why.put("range", where + " bitmask of " + list);
            return;
        }
        if (d.type == ValueType.BOOL && lo == 0 && hi == 1) {
            d.why.put("range", where + " values " + list);
            return;
        }
        if (contiguous) {
            d.type = lo == 0 && hi == 1 && untyped ? ValueType.BOOL : ValueType.INT;
            d.min = lo;
            d.max = hi;
        } else {
            d.type = ValueType.ENUM;
            d.values = list.stream().map(String::valueOf).toList();
            d.values = new ArrayList<>(d.values);
        }
        d.why.put("range", where + " values " + list);
        d.why.put("type", where + " values " + list);
    }

    /** Single bits, three or more ({@code 1, 2, 4} or {@code 0, 1, 2, 4, 8}): flags that combine, not a set of values. */
    private static boolean bitmask(List<Long> values) {
        int bits = 0;
        for (long x : values) {
            if (x < 0 || (x > 0 && Long.bitCount(x) != 1)) {
                return false;
            }
            bits += x > 0 ? 1 : 0;
        }
        return bits >= 3;
    }

    private static String number(String word) {
        String w = word.toLowerCase(Locale.ROOT);
        if (w.equals("true") || w.equals("enabled")) {
            return "1";
        }
        if (w.equals("false") || w.equals("disabled")) {
            return "0";
        }
        if (w.startsWith("0x")) {
            return String.valueOf(Long.parseLong(w.substring(2), 16));
        }
        return word;
    }

    /** The unit a key's name or first lines state ({@code _ms}, {@code in seconds}), or null. */
    static String unitOf(String leaf, List<String> body) {
        String l = leaf.toLowerCase(Locale.ROOT);
        if (l.endsWith("_ms") || l.endsWith("_msecs")) {
            return "milliseconds";
        }
        if (l.endsWith("_us") || l.endsWith("_usecs")) {
            return "microseconds";
        }
        if (l.endsWith("_ns")) {
            return "nanoseconds";
        }
        if (l.endsWith("_secs") || l.endsWith("_sec") || l.endsWith("_seconds")) {
            return "seconds";
        }
        if (l.endsWith("_centisecs")) {
            return "centiseconds";
        }
        if (l.endsWith("_kbytes") || l.endsWith("_kb")) {
            return "kilobytes";
        }
        if (l.endsWith("_bytes")) {
            return "bytes";
        }
        if (l.endsWith("_ratio") && l.startsWith("dirty")) {
            return "percent";
        }
        String first = String.join(" ", body.subList(0, Math.min(3, body.size())));
        Matcher m = UNIT_PHRASE.matcher(first);
        return m.find() ? m.group(1).toLowerCase(Locale.ROOT).replace("centisecs", "centiseconds") : null;
    }
}
