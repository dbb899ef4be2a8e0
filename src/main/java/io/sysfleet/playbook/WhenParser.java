package io.sysfleet.playbook;

import io.sysfleet.core.ConfigException;
import io.sysfleet.core.SourceLocation;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Recursive-descent parser for the {@code when} subset; precedence as in Jinja2. Pure. */
final class WhenParser {
    private static final Set<String> COMPARE = Set.of("==", "!=", "<", "<=", ">", ">=");
    private static final Set<String> TESTS = Set.of("defined", "undefined", "version");
    private static final Set<String> FILTERS = Set.of("int", "bool", "default");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "not", "in", "is",
            "true", "false", "True", "False", "none", "None");

    private enum Kind { NAME, INT, FLOAT, STRING, OP, END }

    private record Token(Kind kind, String text, Object value, int column) { }

    private final String src;
    private final SourceLocation where;
    private final List<Token> tokens;
    private int pos;

    private WhenParser(String src, SourceLocation where) {
        this.src = src;
        this.where = where;
        this.tokens = tokenize();
    }

    static WhenExpr parse(String src, SourceLocation where) {
        if (src.contains("{{") || src.contains("{%")) {
            throw Condition.error(where, src, "do not use {{ }} or {% %} in 'when', write the bare expression "
                    + "(Ansible warns about this too)");
        }
        WhenParser p = new WhenParser(src, where);
        if (p.peek().kind == Kind.END) {
            throw Condition.error(where, src, "empty expression");
        }
        WhenExpr e = p.orExpr();
        if (p.peek().kind != Kind.END) {
            throw p.unexpected();
        }
        return e;
    }

    // ---- grammar ----

    private WhenExpr orExpr() {
        WhenExpr left = andExpr();
        while (isName("or")) {
            pos++;
            left = new WhenExpr.Or(left, andExpr());
        }
        return left;
    }

    private WhenExpr andExpr() {
        WhenExpr left = notExpr();
        while (isName("and")) {
            pos++;
            left = new WhenExpr.And(left, notExpr());
        }
        return left;
    }

    private WhenExpr notExpr() {
        if (isName("not")) {
            pos++;
            return new WhenExpr.Not(notExpr());
        }
        return compare();
    }

    private WhenExpr compare() {
        WhenExpr left = unary();
        String op = compareOp();
        if (op == null) {
            return left;
        }
        WhenExpr right = unary();
        if (compareOp() != null) {
            throw Condition.error(where, src, "chained comparisons (a < b < c) are not supported; use 'and'");
        }
        return new WhenExpr.Compare(op, left, right);
    }

    /** Consumes and returns a comparison operator, or returns null without consuming. */
    private String compareOp() {
        Token t = peek();
        if (t.kind == Kind.OP && COMPARE.contains(t.text)) {
            pos++;
            return t.text;
        }
        if (isName("in")) {
            pos++;
            return "in";
        }
        if (isName("not") && tokens.get(pos + 1).kind == Kind.NAME && tokens.get(pos + 1).text.equals("in")) {
            pos += 2;
            return "not in";
        }
        return null;
    }

    private WhenExpr unary() {
        if (isOp("-")) {
            pos++;
            return new WhenExpr.Neg(unary());
        }
        return postfix(primary());
    }

    private WhenExpr postfix(WhenExpr node) {
        while (true) {
            if (isOp("|")) {
                pos++;
                Token name = expect(Kind.NAME, "a filter name after '|'");
                if (!FILTERS.contains(name.text)) {
                    throw Condition.error(where, src, "filter '" + name.text + "' is not supported "
                            + "(supported: int, bool, default)");
                }
                List<WhenExpr> args = isOp("(") ? args() : List.of();
                checkArity("filter", name.text, args, name.text.equals("default") ? 1 : 0,
                        name.text.equals("default") ? 1 : 0);
                node = new WhenExpr.Filter(name.text, node, args);
            } else if (isName("is")) {
                pos++;
                boolean negate = false;
                if (isName("not")) {
                    pos++;
                    negate = true;
                }
                Token name = expect(Kind.NAME, "a test name after 'is'");
                if (!TESTS.contains(name.text)) {
                    throw Condition.error(where, src, "test '" + name.text + "' is not supported "
                            + "(supported: defined, undefined, version)");
                }
                List<WhenExpr> args = isOp("(") ? args() : List.of();
                if (name.text.equals("version")) {
                    checkArity("test", "version", args, 1, 2);
                } else {
                    checkArity("test", name.text, args, 0, 0);
                }
                node = new WhenExpr.Test(name.text, node, args);
                if (negate) {
                    node = new WhenExpr.Not(node);
                }
            } else {
                return node;
            }
        }
    }

    private void checkArity(String what, String name, List<WhenExpr> args, int min, int max) {
        if (args.size() < min || args.size() > max) {
            String want = min == max ? String.valueOf(min) : min + " or " + max;
            throw Condition.error(where, src, what + " '" + name + "' takes " + want + " argument(s), got "
                    + args.size());
        }
        for (WhenExpr a : args) {
            if (!(a instanceof WhenExpr.Literal) && !(a instanceof WhenExpr.Var)) {
                throw Condition.error(where, src, "arguments of " + what + " '" + name
                        + "' must be literals or variables");
            }
        }
    }

    private List<WhenExpr> args() {
        expectOp("(");
        List<WhenExpr> out = new ArrayList<>();
        if (!isOp(")")) {
            do {
                out.add(orExpr());
            } while (acceptOp(","));
        }
        expectOp(")");
        return out;
    }

    private WhenExpr primary() {
        Token t = peek();
        switch (t.kind) {
            case INT, FLOAT, STRING -> {
                pos++;
                return new WhenExpr.Literal(t.value);
            }
            case NAME -> {
                switch (t.text) {
                    case "true", "True" -> {
                        pos++;
                        return new WhenExpr.Literal(Boolean.TRUE);
                    }
                    case "false", "False" -> {
                        pos++;
                        return new WhenExpr.Literal(Boolean.FALSE);
                    }
                    case "none", "None" -> {
                        pos++;
                        return new WhenExpr.Literal(null);
                    }
                    default -> {
                        if (KEYWORDS.contains(t.text)) {
                            throw unexpected();
                        }
                        pos++;
                        List<String> path = new ArrayList<>();
                        path.add(t.text);
                        while (isOp(".")) {
                            pos++;
                            path.add(expect(Kind.NAME, "an attribute name after '.'").text);
                        }
                        if (isOp("(") ) {
                            throw Condition.error(where, src, "function calls like '" + t.text
                                    + "(...)' are not supported");
                        }
                        if (isOp("[")) {
                            throw Condition.error(where, src, "subscripts like '" + t.text
                                    + "[...]' are not supported; use dotted access a.b");
                        }
                        return new WhenExpr.Var(path);
                    }
                }
            }
            case OP -> {
                if (t.text.equals("(")) {
                    pos++;
                    WhenExpr e = orExpr();
                    expectOp(")");
                    return e;
                }
                if (t.text.equals("[")) {
                    pos++;
                    List<WhenExpr> items = new ArrayList<>();
                    if (!isOp("]")) {
                        do {
                            if (isOp("]")) {
                                break; // trailing comma
                            }
                            items.add(orExpr());
                        } while (acceptOp(","));
                    }
                    expectOp("]");
                    return new WhenExpr.ListLit(items);
                }
                throw unexpected();
            }
            default -> throw unexpected();
        }
    }

    // ---- token helpers ----

    private Token peek() {
        return tokens.get(pos);
    }

    private boolean isName(String word) {
        Token t = peek();
        return t.kind == Kind.NAME && t.text.equals(word);
    }

    private boolean isOp(String op) {
        Token t = peek();
        return t.kind == Kind.OP && t.text.equals(op);
    }

    private boolean acceptOp(String op) {
        if (isOp(op)) {
            pos++;
            return true;
        }
        return false;
    }

    private void expectOp(String op) {
        if (!acceptOp(op)) {
            Token t = peek();
            throw Condition.error(where, src, "expected '" + op + "' at column " + t.column + ", found "
                    + describe(t));
        }
    }

    private Token expect(Kind kind, String what) {
        Token t = peek();
        if (t.kind != kind) {
            throw Condition.error(where, src, "expected " + what + " at column " + t.column + ", found "
                    + describe(t));
        }
        pos++;
        return t;
    }

    private ConfigException unexpected() {
        Token t = peek();
        return Condition.error(where, src, "unexpected " + describe(t) + " at column " + t.column);
    }

    private static String describe(Token t) {
        return t.kind == Kind.END ? "end of expression" : "'" + t.text + "'";
    }

    // ---- tokenizer ----

    private List<Token> tokenize() {
        List<Token> out = new ArrayList<>();
        int i = 0;
        int n = src.length();
        while (i < n) {
            char c = src.charAt(i);
            int col = i + 1;
            if (Character.isWhitespace(c)) {
                i++;
            } else if (Character.isLetter(c) || c == '_') {
                int j = i;
                while (j < n && (Character.isLetterOrDigit(src.charAt(j)) || src.charAt(j) == '_')) {
                    j++;
                }
                out.add(new Token(Kind.NAME, src.substring(i, j), null, col));
                i = j;
            } else if (Character.isDigit(c)) {
                int j = i;
                while (j < n && Character.isDigit(src.charAt(j))) {
                    j++;
                }
                boolean isFloat = false;
                if (j + 1 < n && src.charAt(j) == '.' && Character.isDigit(src.charAt(j + 1))) {
                    isFloat = true;
                    j++;
                    while (j < n && Character.isDigit(src.charAt(j))) {
                        j++;
                    }
                }
                if (j < n && (src.charAt(j) == 'e' || src.charAt(j) == 'E')) {
                    int k = j + 1;
                    if (k < n && (src.charAt(k) == '+' || src.charAt(k) == '-')) {
                        k++;
                    }
                    if (k < n && Character.isDigit(src.charAt(k))) {
                        isFloat = true;
                        j = k;
                        while (j < n && Character.isDigit(src.charAt(j))) {
                            j++;
                        }
                    }
                }
                if (j < n && (Character.isLetter(src.charAt(j)) || src.charAt(j) == '_')) {
                    throw Condition.error(where, src, "malformed number at column " + col);
                }
                String text = src.substring(i, j);
                Object value = isFloat ? (Object) Double.valueOf(text) : (Object) new java.math.BigInteger(text);
                out.add(new Token(isFloat ? Kind.FLOAT : Kind.INT, text, normalizeInt(value), col));
                i = j;
            } else if (c == '\'' || c == '"') {
                StringBuilder sb = new StringBuilder();
                int j = i + 1;
                boolean closed = false;
                while (j < n) {
                    char d = src.charAt(j);
                    if (d == '\\' && j + 1 < n) {
                        char e = src.charAt(j + 1);
                        switch (e) {
                            case 'n' -> sb.append('\n');
                            case 't' -> sb.append('\t');
                            case '\\', '\'', '"' -> sb.append(e);
                            default -> sb.append('\\').append(e);
                        }
                        j += 2;
                    } else if (d == c) {
                        closed = true;
                        j++;
                        break;
                    } else {
                        sb.append(d);
                        j++;
                    }
                }
                if (!closed) {
                    throw Condition.error(where, src, "unterminated string starting at column " + col);
                }
                out.add(new Token(Kind.STRING, src.substring(i, j), sb.toString(), col));
                i = j;
            } else {
                String two = i + 1 < n ? src.substring(i, i + 2) : "";
                if (COMPARE.contains(two)) {
                    out.add(new Token(Kind.OP, two, null, col));
                    i += 2;
                } else if ("<>()[],.|-".indexOf(c) >= 0) {
                    out.add(new Token(Kind.OP, String.valueOf(c), null, col));
                    i++;
                } else {
                    throw Condition.error(where, src, "unsupported character '" + c + "' at column " + col
                            + (c == '=' ? " (use '==' to compare)" : ""));
                }
            }
        }
        out.add(new Token(Kind.END, "", null, n + 1));
        return out;
    }

    private static Object normalizeInt(Object v) {
        if (v instanceof java.math.BigInteger b && b.bitLength() < 63) {
            return b.longValue();
        }
        return v;
    }
}
