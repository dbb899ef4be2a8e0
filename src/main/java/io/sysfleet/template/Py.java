package io.sysfleet.template;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Python's semantics for the values Jinja2 works on, as Ansible runs it: truthiness, {@code str()} and
 * {@code repr()}, {@code ==}, ordering, {@code in} and arithmetic, with Python's error messages. Integers are
 * {@link Long} or {@link BigInteger}, floats {@link Double}; {@code True == 1}. Pure, except that every string
 * or number built is checked against the current rendering's size limit before it is built.
 */
final class Py {
    private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    private Py() {
    }

    static Abort fail(String problem) {
        return new Abort(problem);
    }

    /** Fails with the undefined value's message when {@code v} is undefined; returns {@code v} otherwise. */
    static Object defined(Object v) {
        if (v instanceof Undefined u) {
            throw new Abort(u.message(), true);
        }
        return v;
    }

    // ---- types ----

    static boolean isInt(Object v) {
        return v instanceof Long || v instanceof Integer || v instanceof BigInteger || v instanceof Short
                || v instanceof Byte;
    }

    static boolean isFloat(Object v) {
        return v instanceof Double || v instanceof Float || v instanceof BigDecimal;
    }

    /** A number as Python sees it: int, float or bool. */
    static boolean isNumber(Object v) {
        return isInt(v) || isFloat(v) || v instanceof Boolean;
    }

    static String typeName(Object v) {
        if (v == null) {
            return "NoneType";
        }
        if (v instanceof Boolean) {
            return "bool";
        }
        if (isInt(v)) {
            return "int";
        }
        if (isFloat(v)) {
            return "float";
        }
        if (v instanceof String) {
            return "str";
        }
        if (v instanceof AnsibleSyntax.Tuple) {
            return "tuple";
        }
        if (v instanceof List<?>) {
            return "list";
        }
        if (v instanceof Map<?, ?>) {
            return "dict";
        }
        if (v instanceof Undefined) {
            return "AnsibleUndefined";
        }
        return v.getClass().getSimpleName();
    }

    /** An integer normalised: Long when it fits, else BigInteger. */
    static Object integer(BigInteger b) {
        return b.compareTo(LONG_MIN) >= 0 && b.compareTo(LONG_MAX) <= 0 ? (Object) b.longValue() : b;
    }

    static BigInteger big(Object v) {
        if (v instanceof BigInteger b) {
            return b;
        }
        if (v instanceof Boolean b) {
            return b ? BigInteger.ONE : BigInteger.ZERO;
        }
        return BigInteger.valueOf(((Number) v).longValue());
    }

    static double dbl(Object v) {
        if (v instanceof Boolean b) {
            return b ? 1 : 0;
        }
        return ((Number) v).doubleValue();
    }

    /** Exact value of a number for comparisons; NaN and infinities are handled by the callers. */
    private static BigDecimal exact(Object v) {
        if (isFloat(v)) {
            return new BigDecimal(dbl(v));
        }
        return new BigDecimal(big(v));
    }

    private static boolean finite(Object v) {
        return !isFloat(v) || Double.isFinite(dbl(v));
    }

    // ---- truth, str, repr ----

    static boolean truthy(Object v) {
        defined(v);
        if (v == null) {
            return false;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        if (isFloat(v)) {
            return dbl(v) != 0;
        }
        if (isInt(v)) {
            return big(v).signum() != 0;
        }
        if (v instanceof CharSequence s) {
            return s.length() > 0;
        }
        if (v instanceof Collection<?> c) {
            return !c.isEmpty();
        }
        if (v instanceof Map<?, ?> m) {
            return !m.isEmpty();
        }
        return true;
    }

    /** Python's {@code str()}. */
    static String str(Object v) {
        defined(v);
        if (v instanceof String s) {
            return s;
        }
        if (v instanceof List<?> || v instanceof Map<?, ?>) {
            StringBuilder sb = new StringBuilder();
            repr(v, sb);
            return sb.toString();
        }
        return scalar(v);
    }

    /** Python's {@code repr()}. */
    static String repr(Object v) {
        StringBuilder sb = new StringBuilder();
        repr(v, sb);
        return sb.toString();
    }

    private static void repr(Object v, StringBuilder sb) {
        defined(v);
        Session.checkLength(sb.length());
        if (v instanceof String s) {
            quote(s, sb);
        } else if (v instanceof List<?> l) {
            boolean tuple = v instanceof AnsibleSyntax.Tuple;
            sb.append(tuple ? '(' : '[');
            boolean first = true;
            for (Object o : l) {
                if (!first) {
                    sb.append(", ");
                }
                first = false;
                repr(o, sb);
            }
            sb.append(tuple ? (l.size() == 1 ? ",)" : ")") : "]");
        } else if (v instanceof Map<?, ?> m) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!first) {
                    sb.append(", ");
                }
                first = false;
                repr(e.getKey(), sb);
                sb.append(": ");
                repr(e.getValue(), sb);
            }
            sb.append('}');
        } else {
            sb.append(scalar(v));
        }
    }

    private static String scalar(Object v) {
        if (v == null) {
            return "None";
        }
        if (v instanceof Boolean b) {
            return b ? "True" : "False";
        }
        if (isFloat(v)) {
            return floatRepr(dbl(v));
        }
        if (isInt(v)) {
            return big(v).toString();
        }
        return String.valueOf(v);
    }

    /** Python's repr of a float: shortest round-trip digits, exponent form below 1e-4 and from 1e16. */
    static String floatRepr(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (d == 0) {
            return 1 / d < 0 ? "-0.0" : "0.0";
        }
        BigDecimal bd = new BigDecimal(Double.toString(d)).stripTrailingZeros();
        String digits = bd.unscaledValue().abs().toString();
        int exp = digits.length() - bd.scale() - 1;
        String sign = d < 0 ? "-" : "";
        if (exp < -4 || exp >= 16) {
            String mant = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            return sign + mant + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
        }
        String plain = bd.abs().toPlainString();
        return sign + (plain.contains(".") ? plain : plain + ".0");
    }

    private static void quote(String s, StringBuilder sb) {
        char q = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
        sb.append(q);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == q || c == '\\') {
                sb.append('\\').append(c);
            } else if (c == '\n') {
                sb.append("\\n");
            } else if (c == '\r') {
                sb.append("\\r");
            } else if (c == '\t') {
                sb.append("\\t");
            } else if (c < 0x20 || c == 0x7f) {
                sb.append(String.format("\\x%02x", (int) c));
            } else {
                sb.append(c);
            }
        }
        sb.append(q);
    }

    // ---- comparisons ----

    static boolean eq(Object a, Object b) {
        defined(a);
        defined(b);
        if (a == null || b == null) {
            return a == b;
        }
        if (isNumber(a) && isNumber(b)) {
            if (!finite(a) || !finite(b)) {
                return dbl(a) == dbl(b);
            }
            return exact(a).compareTo(exact(b)) == 0;
        }
        if (a instanceof CharSequence x && b instanceof CharSequence y) {
            return x.toString().equals(y.toString());
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            Iterator<?> i = x.iterator();
            Iterator<?> j = y.iterator();
            while (i.hasNext()) {
                if (!eq(i.next(), j.next())) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (Map.Entry<?, ?> e : x.entrySet()) {
                Object k = findKey(y, e.getKey());
                if (k == null && !y.containsKey(null) || !eq(e.getValue(), y.get(k))) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }

    /** The key of {@code m} equal to {@code key} the Python way (1 and 1.0 and True are one key), or null. */
    static Object findKey(Map<?, ?> m, Object key) {
        if (m.containsKey(key)) {
            return key;
        }
        for (Object k : m.keySet()) {
            if (k != null && key != null && (isNumber(k) && isNumber(key) || k instanceof CharSequence
                    && key instanceof CharSequence) && eq(k, key)) {
                return k;
            }
        }
        return null;
    }

    /** {@code a op b} for op one of {@code < <= > >=}. */
    static boolean order(String op, Object a, Object b) {
        int c = compare(op, a, b);
        return switch (op) {
            case "<" -> c < 0;
            case "<=" -> c <= 0;
            case ">" -> c > 0;
            default -> c >= 0;
        };
    }

    private static int compare(String op, Object a, Object b) {
        defined(a);
        defined(b);
        if (isNumber(a) && isNumber(b)) {
            if (!finite(a) || !finite(b)) {
                return Double.compare(dbl(a), dbl(b));
            }
            return exact(a).compareTo(exact(b));
        }
        if (a instanceof CharSequence x && b instanceof CharSequence y) {
            return Integer.signum(x.toString().compareTo(y.toString()));
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            Iterator<?> i = x.iterator();
            Iterator<?> j = y.iterator();
            while (i.hasNext() && j.hasNext()) {
                Object p = i.next();
                Object q = j.next();
                if (!eq(p, q)) {
                    return compare(op, p, q);
                }
            }
            return Integer.compare(x.size(), y.size());
        }
        throw fail("'" + op + "' not supported between instances of '" + typeName(a) + "' and '"
                + typeName(b) + "'");
    }

    /** Python's {@code item in container}. */
    static boolean contains(Object container, Object item) {
        defined(container);
        defined(item);
        if (container instanceof CharSequence s) {
            if (!(item instanceof CharSequence i)) {
                throw fail("'in <string>' requires string as left operand, not " + typeName(item));
            }
            return s.toString().contains(i);
        }
        if (container instanceof Collection<?> l) {
            for (Object o : l) {
                if (eq(o, item)) {
                    return true;
                }
            }
            return false;
        }
        if (container instanceof Map<?, ?> m) {
            if (item instanceof List<?> || item instanceof Map<?, ?>) {
                throw fail("unhashable type: '" + typeName(item) + "'");
            }
            return findKey(m, item) != null || item == null && m.containsKey(null);
        }
        throw fail("argument of type '" + typeName(container) + "' is not iterable");
    }

    // ---- arithmetic ----

    private static Abort operandError(String op, Object a, Object b) {
        return fail("unsupported operand type(s) for " + op + ": '" + typeName(a) + "' and '" + typeName(b) + "'");
    }

    static Object add(Object a, Object b) {
        defined(a);
        defined(b);
        if (isNumber(a) && isNumber(b)) {
            if (isFloat(a) || isFloat(b)) {
                return dbl(a) + dbl(b);
            }
            return integer(big(a).add(big(b)));
        }
        if (a instanceof CharSequence x && b instanceof CharSequence y) {
            Session.checkLength((long) x.length() + y.length());
            return x.toString() + y;
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            Session.checkSize((long) x.size() + y.size());
            List<Object> out = new ArrayList<>(x);
            out.addAll(y);
            return out;
        }
        if (a instanceof CharSequence) {
            throw fail("can only concatenate str (not \"" + typeName(b) + "\") to str");
        }
        throw operandError("+", a, b);
    }

    static Object sub(Object a, Object b) {
        defined(a);
        defined(b);
        if (isNumber(a) && isNumber(b)) {
            if (isFloat(a) || isFloat(b)) {
                return dbl(a) - dbl(b);
            }
            return integer(big(a).subtract(big(b)));
        }
        throw operandError("-", a, b);
    }

    static Object mul(Object a, Object b) {
        defined(a);
        defined(b);
        if (isNumber(a) && isNumber(b)) {
            if (isFloat(a) || isFloat(b)) {
                return dbl(a) * dbl(b);
            }
            BigInteger x = big(a);
            BigInteger y = big(b);
            Session.checkLength((x.bitLength() + y.bitLength()) / 3);
            return integer(x.multiply(y));
        }
        if ((a instanceof CharSequence || a instanceof List<?>) && isInt(b) || a instanceof Boolean
                && b instanceof CharSequence) {
            return repeat(a, b);
        }
        if (isInt(a) && (b instanceof CharSequence || b instanceof List<?>)) {
            return repeat(b, a);
        }
        throw operandError("*", a, b);
    }

    private static Object repeat(Object seq, Object times) {
        BigInteger n = big(times);
        if (n.signum() <= 0) {
            return seq instanceof CharSequence ? "" : new ArrayList<>();
        }
        if (seq instanceof CharSequence s) {
            BigInteger len = n.multiply(BigInteger.valueOf(s.length()));
            Session.checkLength(len.bitLength() > 62 ? Long.MAX_VALUE : len.longValue());
            return s.toString().repeat(n.intValueExact());
        }
        List<?> l = (List<?>) seq;
        BigInteger len = n.multiply(BigInteger.valueOf(l.size()));
        Session.checkSize(len.bitLength() > 62 ? Long.MAX_VALUE : len.longValue());
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < n.intValueExact(); i++) {
            out.addAll(l);
        }
        return out;
    }

    static Object div(Object a, Object b) {
        defined(a);
        defined(b);
        if (!isNumber(a) || !isNumber(b)) {
            throw operandError("/", a, b);
        }
        if (dbl(b) == 0 && (!isFloat(b) || !Double.isNaN(dbl(b)))) {
            throw fail("division by zero");
        }
        if (isInt(a) && isInt(b) || a instanceof Boolean || b instanceof Boolean) {
            return new BigDecimal(big(a)).divide(new BigDecimal(big(b)), java.math.MathContext.DECIMAL64)
                    .doubleValue();
        }
        return dbl(a) / dbl(b);
    }

    static Object floorDiv(Object a, Object b) {
        defined(a);
        defined(b);
        if (!isNumber(a) || !isNumber(b)) {
            throw operandError("//", a, b);
        }
        if (dbl(b) == 0) {
            throw fail("integer division or modulo by zero");
        }
        if (isFloat(a) || isFloat(b)) {
            return Math.floor(dbl(a) / dbl(b));
        }
        BigInteger[] qr = big(a).divideAndRemainder(big(b));
        BigInteger q = qr[0];
        if (qr[1].signum() != 0 && qr[1].signum() != big(b).signum()) {
            q = q.subtract(BigInteger.ONE);
        }
        return integer(q);
    }

    static Object mod(Object a, Object b) {
        defined(a);
        defined(b);
        if (!isNumber(a) || !isNumber(b)) {
            throw operandError("%", a, b);
        }
        if (dbl(b) == 0) {
            throw fail("integer division or modulo by zero");
        }
        if (isFloat(a) || isFloat(b)) {
            double x = dbl(a);
            double y = dbl(b);
            double r = x % y;
            return r != 0 && (r < 0) != (y < 0) ? r + y : r;
        }
        BigInteger r = big(a).mod(big(b).abs());
        if (big(b).signum() < 0 && r.signum() != 0) {
            r = r.add(big(b));
        }
        return integer(r);
    }

    static Object pow(Object a, Object b) {
        defined(a);
        defined(b);
        if (!isNumber(a) || !isNumber(b)) {
            throw operandError("** or pow()", a, b);
        }
        if (isFloat(a) || isFloat(b) || big(b).signum() < 0) {
            return Math.pow(dbl(a), dbl(b));
        }
        BigInteger base = big(a);
        BigInteger e = big(b);
        if (base.abs().compareTo(BigInteger.ONE) <= 0) {
            return integer(base.pow(e.testBit(0) ? 1 : e.signum() == 0 ? 0 : 2));
        }
        // digits of the result, about bitLength * e / 3.3: refuse before computing
        BigInteger digits = e.multiply(BigInteger.valueOf(base.bitLength())).divide(BigInteger.valueOf(3));
        Session.checkLength(digits.bitLength() > 62 ? Long.MAX_VALUE : digits.longValue());
        return integer(base.pow(e.intValueExact()));
    }

    static Object neg(Object a) {
        defined(a);
        if (isFloat(a)) {
            return -dbl(a);
        }
        if (isInt(a) || a instanceof Boolean) {
            return integer(big(a).negate());
        }
        throw fail("bad operand type for unary -: '" + typeName(a) + "'");
    }

    /** Jinja2's {@code ~}: both sides as text. */
    static String concat(Object a, Object b) {
        String x = str(a);
        String y = str(b);
        Session.checkLength((long) x.length() + y.length());
        return x + y;
    }

    /** int() of a float the Python way: truncation toward zero. */
    static Object truncate(double d) {
        if (!Double.isFinite(d)) {
            throw fail("cannot convert float " + floatRepr(d) + " to integer");
        }
        return integer(new BigDecimal(d).setScale(0, RoundingMode.DOWN).toBigInteger());
    }

    static boolean same(Object a, Object b) {
        return Objects.equals(a, b);
    }
}
