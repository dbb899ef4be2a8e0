package io.sysfleet.inventory;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How Ansible's INI plugin types a value: Python's {@code ast.literal_eval}, and the text itself when that
 * fails. Recognises exactly literal_eval's grammar: strings (prefixes, escapes, implicit concatenation), bytes,
 * int (decimal, 0x, 0o, 0b, underscores), float, {@code True}/{@code False}/{@code None}, lists, tuples
 * (as lists), dicts, unary +/-, parentheses and comments. Results Ansible can hold but not print (complex,
 * sets, {@code ...}, bytes inside containers, tuple keys) and values Python itself refuses (unhashable keys)
 * are errors. Dict keys that are not strings stay numbers/booleans, as in Python. Pure functions.
 */
final class PyLiteral {
    /** Thrown for a literal that Ansible would fail on; the message is one line. */
    static final class Unsupported extends RuntimeException {
        Unsupported(String message) {
            super(message, null, false, false);
        }
    }

    /** Not a literal: literal_eval raises SyntaxError or ValueError, so Ansible keeps the text. */
    private static final class NotLiteral extends RuntimeException {
        NotLiteral() {
            super(null, null, false, false);
        }
    }

    private static final int MAX_DEPTH = 100;
    private static final int MAX_INT_DIGITS = 4300;

    private record Complex(double real, double imag) { }

    private record Bytes(byte[] value) { }

    private record PySet() { }

    private record Ellipsis() { }

    // AST nodes: only what literal_eval looks at.
    private sealed interface Node permits Const, Unary, Bin, Seq, Dict, SetCall { }

    private record Const(Object value) implements Node { }

    private record Unary(char op, Node operand) implements Node { }

    private record Bin(Node left, char op, Node right) implements Node { }

    /** kind: 't' tuple, 'l' list, 's' set. */
    private record Seq(char kind, List<Node> items) implements Node { }

    private record Dict(List<Node> keys, List<Node> values) implements Node { }

    private record SetCall() implements Node { }

    private final String src;
    private int pos;
    private int depth;

    private PyLiteral(String src) {
        this.src = src;
    }

    /**
     * {@code to_text(literal_eval(text))} as Ansible's INI plugin computes it: the literal's value, or the text
     * itself when it is not a Python literal.
     *
     * @throws Unsupported when the literal is one Ansible cannot represent (complex, set, bytes in a container,
     *                     ...) or Python refuses (an unhashable dict key)
     */
    static Object valueOf(String text) {
        String s = text;
        int start = 0;
        while (start < s.length() && (s.charAt(start) == ' ' || s.charAt(start) == '\t')) {
            start++;
        }
        Node node;
        try {
            PyLiteral p = new PyLiteral(s.substring(start));
            node = p.parseTop();
        } catch (NotLiteral e) {
            return text;
        }
        Object v;
        try {
            v = convert(node);
        } catch (NotLiteral e) {
            return text;
        }
        if (v instanceof Bytes b) {
            try {
                return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(b.value())).toString();
            } catch (CharacterCodingException e) {
                throw new Unsupported("the bytes literal " + text + " is not UTF-8 text");
            }
        }
        checkPrintable(v, text);
        return normalise(v);
    }

    private static void checkPrintable(Object v, String text) {
        if (v instanceof Complex) {
            throw new Unsupported("the value " + text + " is a Python complex number, which Ansible cannot print");
        }
        if (v instanceof PySet) {
            throw new Unsupported("the value " + text + " is a Python set, which Ansible cannot print");
        }
        if (v instanceof Ellipsis) {
            throw new Unsupported("the value " + text + " is Python's Ellipsis, which Ansible cannot print");
        }
        if (v instanceof Bytes) {
            throw new Unsupported("the value " + text + " holds a bytes literal, which Ansible cannot print");
        }
        if (v instanceof List<?> l) {
            for (Object o : l) {
                checkPrintable(o, text);
            }
        }
        if (v instanceof Map<?, ?> m) {
            Class<?> keyKind = null;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                Object k = e.getKey();
                if (k instanceof List || k instanceof Bytes || k instanceof Complex || k instanceof Ellipsis) {
                    throw new Unsupported("the value " + text + " has a dict key that is not a string, number,"
                            + " boolean or None, which Ansible cannot print");
                }
                Class<?> kind = k instanceof String ? String.class : k == null ? Void.class : Number.class;
                if (keyKind != null && keyKind != kind) {
                    throw new Unsupported("the value " + text + " mixes string and non-string dict keys, which"
                            + " Ansible cannot print sorted");
                }
                keyKind = kind;
                checkPrintable(e.getValue(), text);
            }
        }
    }

    // ---- conversion: ast.literal_eval's _convert ----

    private static Object convert(Node n) {
        if (n instanceof Const c) {
            return c.value();
        }
        if (n instanceof Seq s) {
            List<Object> out = new ArrayList<>();
            for (Node item : s.items()) {
                out.add(convert(item));
            }
            if (s.kind() == 's') {
                out.forEach(PyLiteral::requireHashable);
                return new PySet();
            }
            if (s.kind() == 't') {
                return new TupleList(out);
            }
            return out;
        }
        if (n instanceof SetCall) {
            return new PySet();
        }
        if (n instanceof Dict d) {
            Map<Object, Object> out = new LinkedHashMap<>();
            for (int i = 0; i < d.keys().size(); i++) {
                Object k = convert(d.keys().get(i));
                requireHashable(k);
                Object v = convert(d.values().get(i));
                k = k instanceof TupleList t ? List.copyOf(t) : k;
                Object same = k;
                for (Object existing : out.keySet()) {
                    if (pyEqualNumbers(existing, k)) {
                        same = existing; // Python: 1, 1.0 and True are one key; the first spelling stays
                        break;
                    }
                }
                out.put(same, v);
            }
            return out;
        }
        if (n instanceof Bin b) {
            Object left = signedNum(b.left());
            Object right = num(b.right());
            if ((left instanceof BigInteger || left instanceof Double) && right instanceof Complex c) {
                double l = ((Number) left).doubleValue();
                return b.op() == '+' ? new Complex(l + c.real(), c.imag()) : new Complex(l - c.real(), -c.imag());
            }
            throw new NotLiteral();
        }
        return signedNum(n);
    }

    private static boolean pyEqualNumbers(Object a, Object b) {
        java.math.BigDecimal x = numeric(a);
        java.math.BigDecimal y = numeric(b);
        return x != null && y != null && x.compareTo(y) == 0;
    }

    private static java.math.BigDecimal numeric(Object o) {
        if (o instanceof Boolean bo) {
            return bo ? java.math.BigDecimal.ONE : java.math.BigDecimal.ZERO;
        }
        if (o instanceof BigInteger i) {
            return new java.math.BigDecimal(i);
        }
        if (o instanceof Double d && Double.isFinite(d)) {
            return new java.math.BigDecimal(d);
        }
        return null;
    }

    private static Object signedNum(Node n) {
        if (n instanceof Unary u) {
            Object v = num(u.operand());
            if (u.op() == '+') {
                return v;
            }
            if (v instanceof BigInteger i) {
                return i.negate();
            }
            if (v instanceof Double d) {
                return -d;
            }
            Complex c = (Complex) v;
            return new Complex(-c.real(), -c.imag());
        }
        return num(n);
    }

    private static Object num(Node n) {
        if (n instanceof Const c && (c.value() instanceof BigInteger || c.value() instanceof Double
                || c.value() instanceof Complex)) {
            return c.value();
        }
        throw new NotLiteral();
    }

    /** Python raises TypeError (not caught by Ansible) for an unhashable set item or dict key. */
    private static void requireHashable(Object k) {
        if (k instanceof TupleList t) {
            t.forEach(PyLiteral::requireHashable);
            return;
        }
        if (k instanceof List || k instanceof Map || k instanceof PySet) {
            throw new Unsupported("a dict key or set item is a list, dict or set, which Python cannot hash");
        }
    }

    /** A tuple: a list to JSON, but hashable as a key. */
    private static final class TupleList extends ArrayList<Object> {
        TupleList(List<Object> items) {
            super(items);
        }
    }

    /** Normalises what the parser produced into the value types the rest of sysfleet uses. */
    private static Object normalise(Object v) {
        if (v instanceof BigInteger i) {
            if (i.bitLength() < 32) {
                return i.intValue();
            }
            return i.bitLength() < 64 ? (Object) i.longValue() : i;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            l.forEach(x -> out.add(normalise(x)));
            return out;
        }
        if (v instanceof Map<?, ?> m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(normalise(k), normalise(x)));
            return out;
        }
        return v;
    }

    // ---- parsing ----

    private Node parseTop() {
        skipSpace();
        if (pos >= src.length()) {
            throw new NotLiteral();
        }
        Node n = exprList(true);
        skipSpace();
        if (pos < src.length()) {
            throw new NotLiteral();
        }
        return n;
    }

    /** expression (',' expression)* [','] ; a comma makes a tuple. */
    private Node exprList(boolean top) {
        Node first = expr();
        skipSpace();
        if (!peek(',')) {
            return first;
        }
        List<Node> items = new ArrayList<>();
        items.add(first);
        while (peek(',')) {
            pos++;
            skipSpace();
            if (pos >= src.length() || (!top && peek(')'))) {
                break;
            }
            items.add(expr());
            skipSpace();
        }
        return new Seq('t', items);
    }

    /** unary (('+'|'-') unary)? : literal_eval accepts at most one binary operator (for complex numbers). */
    private Node expr() {
        if (++depth > MAX_DEPTH) {
            throw new NotLiteral();
        }
        try {
            Node left = unary();
            skipSpace();
            if (peek('+') || peek('-')) {
                char op = src.charAt(pos++);
                Node right = unary();
                skipSpace();
                if (peek('+') || peek('-')) {
                    throw new NotLiteral(); // a chain: BinOp(BinOp(...)) is not a literal
                }
                return new Bin(left, op, right);
            }
            return left;
        } finally {
            depth--;
        }
    }

    private Node unary() {
        skipSpace();
        if (peek('+') || peek('-')) {
            char op = src.charAt(pos++);
            if (++depth > MAX_DEPTH) {
                throw new NotLiteral();
            }
            try {
                return new Unary(op, unary());
            } finally {
                depth--;
            }
        }
        Node atom = atom();
        skipSpace();
        if (peek('(') || peek('[') || peek('.') || peek('*') || peek('/') || peek('%') || peek('@')
                || peek('<') || peek('>') || peek('=') || peek('!') || peek('&') || peek('|') || peek('^')
                || peek('~')) {
            throw new NotLiteral();
        }
        if (pos < src.length() && isNameStart(src.codePointAt(pos))) {
            throw new NotLiteral(); // 'if', 'and', 'for', ...: valid Python, not a literal
        }
        return atom;
    }

    private Node atom() {
        skipSpace();
        if (pos >= src.length()) {
            throw new NotLiteral();
        }
        char c = src.charAt(pos);
        if (c == '(') {
            pos++;
            skipSpace();
            if (peek(')')) {
                pos++;
                return new Seq('t', List.of());
            }
            Node inner = exprList(false);
            skipSpace();
            expect(')');
            return inner;
        }
        if (c == '[') {
            pos++;
            return new Seq('l', items(']'));
        }
        if (c == '{') {
            pos++;
            return braces();
        }
        if (c == '.' && src.startsWith("...", pos)) {
            pos += 3;
            return new Const(new Ellipsis());
        }
        if (c >= '0' && c <= '9' || c == '.' && pos + 1 < src.length() && isDigit(src.charAt(pos + 1))) {
            return new Const(number());
        }
        if (c == '\'' || c == '"') {
            return strings();
        }
        if (isNameStart(src.codePointAt(pos))) {
            int start = pos;
            while (pos < src.length() && isNamePart(src.codePointAt(pos))) {
                pos += Character.charCount(src.codePointAt(pos));
            }
            String name = src.substring(start, pos);
            if (pos < src.length() && (src.charAt(pos) == '\'' || src.charAt(pos) == '"')
                    && isStringPrefix(name)) {
                pos = start;
                return strings();
            }
            switch (name) {
                case "True":
                    return new Const(Boolean.TRUE);
                case "False":
                    return new Const(Boolean.FALSE);
                case "None":
                    return new Const(null);
                case "set":
                    skipSpace();
                    if (peek('(')) {
                        pos++;
                        skipSpace();
                        expect(')');
                        return new SetCall();
                    }
                    throw new NotLiteral();
                default:
                    throw new NotLiteral();
            }
        }
        throw new NotLiteral();
    }

    private List<Node> items(char close) {
        List<Node> out = new ArrayList<>();
        skipSpace();
        while (!peek(close)) {
            out.add(expr());
            skipSpace();
            if (peek(',')) {
                pos++;
                skipSpace();
            } else if (!peek(close)) {
                throw new NotLiteral();
            }
        }
        pos++;
        return out;
    }

    private Node braces() {
        skipSpace();
        if (peek('}')) {
            pos++;
            return new Dict(List.of(), List.of());
        }
        Node first = expr();
        skipSpace();
        if (peek(':')) {
            List<Node> keys = new ArrayList<>();
            List<Node> values = new ArrayList<>();
            Node key = first;
            while (true) {
                expect(':');
                Node value = expr();
                keys.add(key);
                values.add(value);
                skipSpace();
                if (peek(',')) {
                    pos++;
                    skipSpace();
                    if (peek('}')) {
                        pos++;
                        return new Dict(keys, values);
                    }
                    key = expr();
                    skipSpace();
                } else {
                    expect('}');
                    return new Dict(keys, values);
                }
            }
        }
        List<Node> items = new ArrayList<>();
        items.add(first);
        while (peek(',')) {
            pos++;
            skipSpace();
            if (peek('}')) {
                break;
            }
            items.add(expr());
            skipSpace();
        }
        expect('}');
        return new Seq('s', items);
    }

    // ---- tokens ----

    private void skipSpace() {
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (c == ' ' || c == '\t' || c == '\f') {
                pos++;
            } else if (c == '#') {
                pos = src.length();
            } else if (c == '\\' && pos + 1 < src.length() && src.charAt(pos + 1) == '\n') {
                pos += 2;
            } else {
                return;
            }
        }
    }

    private boolean peek(char c) {
        return pos < src.length() && src.charAt(pos) == c;
    }

    private void expect(char c) {
        skipSpace();
        if (!peek(c)) {
            throw new NotLiteral();
        }
        pos++;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isNameStart(int cp) {
        return cp == '_' || Character.isLetter(cp) || Character.getType(cp) == Character.LETTER_NUMBER;
    }

    private static boolean isNamePart(int cp) {
        return isNameStart(cp) || Character.isDigit(cp) || Character.getType(cp) == Character.NON_SPACING_MARK
                || Character.getType(cp) == Character.COMBINING_SPACING_MARK
                || Character.getType(cp) == Character.CONNECTOR_PUNCTUATION;
    }

    private static boolean isStringPrefix(String p) {
        String l = p.toLowerCase(java.util.Locale.ROOT);
        return switch (l) {
            case "r", "u", "b", "br", "rb", "f", "fr", "rf" -> true;
            default -> false;
        };
    }

    /** digits with single underscores between them; at least one digit. */
    private String digits(String allowed) {
        int start = pos;
        boolean lastUnderscore = true;
        StringBuilder sb = new StringBuilder();
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (allowed.indexOf(Character.toLowerCase(c)) >= 0) {
                sb.append(c);
                lastUnderscore = false;
                pos++;
            } else if (c == '_' && !lastUnderscore) {
                lastUnderscore = true;
                pos++;
            } else {
                break;
            }
        }
        if (pos == start || lastUnderscore) {
            throw new NotLiteral();
        }
        return sb.toString();
    }

    private Object number() {
        int start = pos;
        char c = src.charAt(pos);
        if (c == '0' && pos + 1 < src.length() && "xXoObB".indexOf(src.charAt(pos + 1)) >= 0) {
            char base = Character.toLowerCase(src.charAt(pos + 1));
            pos += 2;
            if (peek('_')) {
                pos++;
            }
            String allowed = base == 'x' ? "0123456789abcdef" : base == 'o' ? "01234567" : "01";
            String d = digits(allowed);
            noNameAfterNumber();
            return new BigInteger(d, base == 'x' ? 16 : base == 'o' ? 8 : 2);
        }
        String intPart = "";
        if (c != '.') {
            intPart = digits("0123456789");
        }
        boolean isFloat = false;
        String frac = "";
        String exp = "";
        if (peek('.')) {
            isFloat = true;
            pos++;
            if (pos < src.length() && isDigit(src.charAt(pos))) {
                frac = digits("0123456789");
            } else if (intPart.isEmpty()) {
                throw new NotLiteral();
            }
        }
        if (pos < src.length() && (src.charAt(pos) == 'e' || src.charAt(pos) == 'E')) {
            int save = pos;
            pos++;
            String sign = "";
            if (peek('+') || peek('-')) {
                sign = String.valueOf(src.charAt(pos));
                pos++;
            }
            if (pos < src.length() && isDigit(src.charAt(pos))) {
                exp = sign + digits("0123456789");
                isFloat = true;
            } else {
                pos = save;
                throw new NotLiteral();
            }
        }
        boolean imaginary = false;
        if (pos < src.length() && (src.charAt(pos) == 'j' || src.charAt(pos) == 'J')) {
            imaginary = true;
            pos++;
        }
        noNameAfterNumber();
        if (imaginary) {
            String text = (intPart.isEmpty() ? "0" : intPart) + "." + (frac.isEmpty() ? "0" : frac)
                    + (exp.isEmpty() ? "" : "e" + exp);
            return new Complex(0, Double.parseDouble(text));
        }
        if (isFloat) {
            String text = (intPart.isEmpty() ? "0" : intPart) + "." + (frac.isEmpty() ? "0" : frac)
                    + (exp.isEmpty() ? "" : "e" + exp);
            return Double.parseDouble(text);
        }
        if (intPart.length() > 1 && intPart.charAt(0) == '0' && !intPart.chars().allMatch(ch -> ch == '0')) {
            throw new NotLiteral(); // leading zeros in a decimal integer
        }
        if (intPart.length() > MAX_INT_DIGITS) {
            throw new NotLiteral(); // Python 3.11 refuses to convert it
        }
        if (pos == start) {
            throw new NotLiteral();
        }
        return new BigInteger(intPart);
    }

    private void noNameAfterNumber() {
        if (pos < src.length() && (isNamePart(src.codePointAt(pos)) || src.charAt(pos) == '.')) {
            // "1if", "0x1for", "1.2.3": valid or not, never a literal
            throw new NotLiteral();
        }
    }

    /** One or more adjacent string literals, concatenated; bytes and str cannot mix; f-strings are not literals. */
    private Node strings() {
        StringBuilder text = new StringBuilder();
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        Boolean isBytes = null;
        boolean fstring = false;
        while (true) {
            skipSpace();
            int start = pos;
            while (pos < src.length() && Character.isLetter(src.charAt(pos)) && pos - start < 2) {
                pos++;
            }
            String prefix = src.substring(start, pos).toLowerCase(java.util.Locale.ROOT);
            if (pos >= src.length() || (src.charAt(pos) != '\'' && src.charAt(pos) != '"')
                    || !(prefix.isEmpty() || isStringPrefix(prefix))) {
                pos = start;
                break;
            }
            boolean b = prefix.contains("b");
            boolean raw = prefix.contains("r");
            fstring |= prefix.contains("f");
            if (isBytes != null && isBytes != b) {
                throw new NotLiteral(); // cannot mix bytes and nonbytes literals
            }
            isBytes = b;
            String body = stringBody(raw);
            if (b) {
                for (int i = 0; i < body.length(); i++) {
                    char ch = body.charAt(i);
                    if (ch > 0x7f && !raw) {
                        throw new NotLiteral();
                    }
                }
                byte[] v = raw ? body.getBytes(StandardCharsets.ISO_8859_1) : bytesEscapes(body);
                if (raw && body.chars().anyMatch(ch -> ch > 0x7f)) {
                    throw new NotLiteral();
                }
                bytes.writeBytes(v);
            } else {
                text.append(raw ? body : strEscapes(body));
            }
        }
        if (isBytes == null) {
            throw new NotLiteral();
        }
        if (fstring) {
            throw new NotLiteral(); // a JoinedStr node
        }
        return new Const(isBytes ? new Bytes(bytes.toByteArray()) : text.toString());
    }

    /** The raw text between the quotes (escapes not yet applied); pos is left after the closing quote. */
    private String stringBody(boolean raw) {
        char q = src.charAt(pos);
        boolean triple = src.startsWith(String.valueOf(q).repeat(3), pos);
        String close = triple ? String.valueOf(q).repeat(3) : String.valueOf(q);
        pos += close.length();
        int start = pos;
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (c == '\\') {
                pos += 2;
                continue;
            }
            if (!triple && c == '\n') {
                throw new NotLiteral();
            }
            if (src.startsWith(close, pos)) {
                String body = src.substring(start, pos);
                pos += close.length();
                return body;
            }
            pos++;
        }
        throw new NotLiteral();
    }

    private static String strEscapes(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (i + 1 >= s.length()) {
                throw new NotLiteral();
            }
            char e = s.charAt(++i);
            switch (e) {
                case '\n' -> { }
                case '\\' -> out.append('\\');
                case '\'' -> out.append('\'');
                case '"' -> out.append('"');
                case 'a' -> out.append('\u0007');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'v' -> out.append('\u000b');
                case 'x' -> {
                    out.appendCodePoint(hex(s, i + 1, 2));
                    i += 2;
                }
                case 'u' -> {
                    out.appendCodePoint(hex(s, i + 1, 4));
                    i += 4;
                }
                case 'U' -> {
                    int cp = hex(s, i + 1, 8);
                    if (cp > 0x10FFFF) {
                        throw new NotLiteral();
                    }
                    out.appendCodePoint(cp);
                    i += 8;
                }
                case 'N' -> {
                    int close = s.indexOf('}', i);
                    if (i + 1 >= s.length() || s.charAt(i + 1) != '{' || close < 0) {
                        throw new NotLiteral();
                    }
                    String name = s.substring(i + 2, close);
                    int cp;
                    try {
                        cp = Character.codePointOf(name);
                    } catch (IllegalArgumentException ex) {
                        throw new NotLiteral();
                    }
                    out.appendCodePoint(cp);
                    i = close;
                }
                default -> {
                    if (e >= '0' && e <= '7') {
                        int v = e - '0';
                        int n = 1;
                        while (n < 3 && i + 1 < s.length() && s.charAt(i + 1) >= '0' && s.charAt(i + 1) <= '7') {
                            v = v * 8 + (s.charAt(++i) - '0');
                            n++;
                        }
                        out.appendCodePoint(v);
                    } else {
                        out.append('\\').append(e);
                    }
                }
            }
        }
        return out.toString();
    }

    private static byte[] bytesEscapes(String s) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\') {
                out.write(c);
                continue;
            }
            if (i + 1 >= s.length()) {
                throw new NotLiteral();
            }
            char e = s.charAt(++i);
            switch (e) {
                case '\n' -> { }
                case '\\' -> out.write('\\');
                case '\'' -> out.write('\'');
                case '"' -> out.write('"');
                case 'a' -> out.write(7);
                case 'b' -> out.write(8);
                case 'f' -> out.write(12);
                case 'n' -> out.write(10);
                case 'r' -> out.write(13);
                case 't' -> out.write(9);
                case 'v' -> out.write(11);
                case 'x' -> {
                    out.write(hex(s, i + 1, 2));
                    i += 2;
                }
                default -> {
                    if (e >= '0' && e <= '7') {
                        int v = e - '0';
                        int n = 1;
                        while (n < 3 && i + 1 < s.length() && s.charAt(i + 1) >= '0' && s.charAt(i + 1) <= '7') {
                            v = v * 8 + (s.charAt(++i) - '0');
                            n++;
                        }
                        out.write(v & 0xff);
                    } else {
                        out.write('\\');
                        out.write(e);
                    }
                }
            }
        }
        return out.toByteArray();
    }

    private static int hex(String s, int from, int n) {
        if (from + n > s.length()) {
            throw new NotLiteral();
        }
        String h = s.substring(from, from + n);
        if (!h.chars().allMatch(ch -> Character.digit(ch, 16) >= 0 && ch < 128)) {
            throw new NotLiteral();
        }
        long v = Long.parseLong(h, 16);
        if (v > 0x10FFFF) {
            throw new NotLiteral(); // Python: illegal Unicode character
        }
        return (int) v;
    }
}
