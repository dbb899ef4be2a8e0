package io.sysfleet.template;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Python's {@code ast.literal_eval} for the text a template produced, as Ansible 2.14 applies it to every
 * rendered string that starts with {@code [} or {@code {} or is {@code True}/{@code False}: lists, tuples
 * (as lists), dicts, strings, numbers, {@code True False None} and the JSON names {@code true false null}.
 * Anything else (a name, an operator, a call, nesting deeper than 100) is not a literal and the text stays
 * text. Jinjava has nothing like it; it never evaluates anything, so text from a host cannot run as code.
 */
final class PyLiteral {
    private static final int MAX_DEPTH = 100;

    private final String s;
    private int i;
    private int depth;

    private PyLiteral(String s) {
        this.s = s;
    }

    /** The literal's value, or empty when the text is not a literal (Ansible then keeps the string). */
    static Optional<Object> parse(String text) {
        PyLiteral p = new PyLiteral(text);
        try {
            Object v = p.value();
            if (p.peek(',')) {
                List<Object> tuple = new ArrayList<>();
                tuple.add(v);
                while (p.peek(',')) {
                    p.i++;
                    p.ws();
                    if (p.i == text.length()) {
                        break;
                    }
                    tuple.add(p.value());
                }
                v = new AnsibleSyntax.Tuple(tuple);
            }
            p.ws();
            return p.i == text.length() ? Optional.ofNullable(v).or(() -> Optional.of(NONE)) : Optional.empty();
        } catch (NotLiteral e) {
            return Optional.empty();
        }
    }

    /** Stands for Python's None in {@link #parse}'s result. */
    static final Object NONE = new Object() {
        @Override
        public String toString() {
            return "None";
        }
    };

    private static final class NotLiteral extends RuntimeException {
        NotLiteral() {
            super(null, null, false, false);
        }
    }

    private void ws() {
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t' || s.charAt(i) == '\n'
                || s.charAt(i) == '\r')) {
            i++;
        }
    }

    private boolean peek(char c) {
        ws();
        return i < s.length() && s.charAt(i) == c;
    }

    private void expect(char c) {
        if (!peek(c)) {
            throw new NotLiteral();
        }
        i++;
    }

    private Object value() {
        ws();
        if (i >= s.length()) {
            throw new NotLiteral();
        }
        char c = s.charAt(i);
        if (c == '[' || c == '(') {
            return sequence(c == '[' ? ']' : ')');
        }
        if (c == '{') {
            return dict();
        }
        if (c == '\'' || c == '"') {
            StringBuilder sb = new StringBuilder();
            do {
                string(sb);
            } while (peek('\'') || peek('"'));
            return sb.toString();
        }
        if (c == '-' || c == '+' || Character.isDigit(c) || c == '.') {
            return number();
        }
        int start = i;
        while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) {
            i++;
        }
        return switch (s.substring(start, i)) {
            case "True", "true" -> Boolean.TRUE;
            case "False", "false" -> Boolean.FALSE;
            case "None", "null" -> null;
            default -> throw new NotLiteral();
        };
    }

    private Object sequence(char close) {
        if (++depth > MAX_DEPTH) {
            throw new NotLiteral();
        }
        i++;
        List<Object> out = new ArrayList<>();
        boolean comma = true;
        while (!peek(close)) {
            if (!comma) {
                throw new NotLiteral();
            }
            out.add(value());
            comma = peek(',');
            if (comma) {
                i++;
            }
        }
        i++;
        depth--;
        if (close == ')' && out.size() == 1 && !comma) {
            return out.get(0); // (x) is x
        }
        return close == ')' ? new AnsibleSyntax.Tuple(out) : out;
    }

    private Map<Object, Object> dict() {
        if (++depth > MAX_DEPTH) {
            throw new NotLiteral();
        }
        i++;
        Map<Object, Object> out = new LinkedHashMap<>();
        boolean comma = true;
        while (!peek('}')) {
            if (!comma) {
                throw new NotLiteral();
            }
            Object k = value();
            if (k instanceof List<?> || k instanceof Map<?, ?>) {
                throw new NotLiteral(); // unhashable
            }
            expect(':');
            out.put(k, value());
            comma = peek(',');
            if (comma) {
                i++;
            }
        }
        i++;
        depth--;
        return out;
    }

    private void string(StringBuilder sb) {
        ws();
        char q = s.charAt(i++);
        while (true) {
            if (i >= s.length()) {
                throw new NotLiteral();
            }
            char c = s.charAt(i++);
            if (c == q) {
                return;
            }
            if (c == '\n') {
                throw new NotLiteral();
            }
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            if (i >= s.length()) {
                throw new NotLiteral();
            }
            char e = s.charAt(i++);
            switch (e) {
                case 'n' -> sb.append('\n');
                case 't' -> sb.append('\t');
                case 'r' -> sb.append('\r');
                case '0' -> sb.append('\0');
                case 'a' -> sb.append('\u0007');
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'v' -> sb.append('\u000b');
                case '\\', '\'', '"' -> sb.append(e);
                case '\n' -> { }
                case 'x' -> sb.append((char) hex(2));
                case 'u' -> sb.append((char) hex(4));
                case 'U' -> sb.appendCodePoint(hex(8));
                default -> sb.append('\\').append(e);
            }
        }
    }

    private int hex(int n) {
        if (i + n > s.length()) {
            throw new NotLiteral();
        }
        try {
            int v = Integer.parseUnsignedInt(s.substring(i, i + n), 16);
            i += n;
            return v;
        } catch (NumberFormatException e) {
            throw new NotLiteral();
        }
    }

    private Object number() {
        int start = i;
        boolean negative = false;
        while (i < s.length() && (s.charAt(i) == '-' || s.charAt(i) == '+')) {
            negative ^= s.charAt(i) == '-';
            i++;
            ws();
        }
        int digits = i;
        while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '.' || s.charAt(i) == '_'
                || (s.charAt(i) == '-' || s.charAt(i) == '+') && (s.charAt(i - 1) == 'e' || s.charAt(i - 1) == 'E'))) {
            i++;
        }
        String t = s.substring(digits, i).replace("_", "");
        if (t.isEmpty() || start == i) {
            throw new NotLiteral();
        }
        try {
            if (t.matches("0|[1-9][0-9]*")) {
                BigInteger b = new BigInteger(t);
                return Py.integer(negative ? b.negate() : b);
            }
            if (t.matches("([0-9]+\\.[0-9]*|\\.[0-9]+|[0-9]+)([eE][-+]?[0-9]+)?")) {
                double d = Double.parseDouble(t);
                return negative ? -d : d;
            }
        } catch (NumberFormatException e) {
            throw new NotLiteral();
        }
        throw new NotLiteral();
    }
}
