package io.sysfleet.playbook;

import io.sysfleet.core.ConfigException;
import io.sysfleet.core.SourceLocation;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Evaluates a {@link WhenExpr} with Jinja2/Python semantics. One instance per evaluation. */
final class WhenEval {

    /** An undefined value (Jinja's Undefined): only {@code is defined} and {@code default} may look at it. */
    record Undefined(String name) { }

    private final Map<String, Object> vars;
    private final SourceLocation where;
    private final String src;

    WhenEval(Map<String, Object> vars, SourceLocation where, String src) {
        this.vars = vars;
        this.where = where;
        this.src = src;
    }

    Object eval(WhenExpr e) {
        if (e instanceof WhenExpr.Literal l) {
            return l.value();
        }
        if (e instanceof WhenExpr.ListLit l) {
            List<Object> out = new ArrayList<>();
            for (WhenExpr item : l.items()) {
                out.add(defined(eval(item)));
            }
            return out;
        }
        if (e instanceof WhenExpr.Var v) {
            return lookup(v);
        }
        if (e instanceof WhenExpr.Not n) {
            return !truthy(eval(n.operand()));
        }
        if (e instanceof WhenExpr.Neg n) {
            Object v = defined(eval(n.operand()));
            if (!(v instanceof Number) && !(v instanceof Boolean)) {
                throw fail("bad operand type for unary -: '" + pyType(v) + "'");
            }
            if (v instanceof Double d) {
                return -d;
            }
            return toBig(v).negate();
        }
        if (e instanceof WhenExpr.And a) {
            Object left = eval(a.left());
            return truthy(left) ? eval(a.right()) : left;
        }
        if (e instanceof WhenExpr.Or o) {
            Object left = eval(o.left());
            return truthy(left) ? left : eval(o.right());
        }
        if (e instanceof WhenExpr.Compare c) {
            return compare(c.op(), defined(eval(c.left())), defined(eval(c.right())));
        }
        if (e instanceof WhenExpr.Test t) {
            return test(t);
        }
        if (e instanceof WhenExpr.Filter f) {
            return filter(f);
        }
        throw new IllegalStateException("unknown node " + e);
    }

    /** Python truthiness; an undefined value is an error (Ansible's undefined is strict). */
    boolean truthy(Object v) {
        v = defined(v);
        if (v == null) {
            return false;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof Number n) {
            return toBigDecimal(n).signum() != 0;
        }
        if (v instanceof String s) {
            return !s.isEmpty();
        }
        if (v instanceof List<?> l) {
            return !l.isEmpty();
        }
        if (v instanceof Map<?, ?> m) {
            return !m.isEmpty();
        }
        return true;
    }

    private Object lookup(WhenExpr.Var v) {
        String first = v.path().get(0);
        if (!vars.containsKey(first)) {
            return new Undefined(first);
        }
        Object cur = templated(vars.get(first));
        for (int i = 1; i < v.path().size(); i++) {
            String attr = v.path().get(i);
            if (cur instanceof Map<?, ?> m && m.containsKey(attr)) {
                cur = templated(m.get(attr));
            } else {
                return new Undefined(String.join(".", v.path().subList(0, i + 1)));
            }
        }
        return cur;
    }

    /** Ansible templates variable values when they are read; "True"/"False" results become booleans. */
    private Object templated(Object value) {
        if (value instanceof String s && Templater.isTemplate(s)) {
            String out = Templater.render(s, vars, where, "variable value '" + s + "'");
            if (out.equals("True")) {
                return Boolean.TRUE;
            }
            if (out.equals("False")) {
                return Boolean.FALSE;
            }
            return out;
        }
        return value;
    }

    private Object defined(Object v) {
        if (v instanceof Undefined u) {
            throw fail("'" + u.name() + "' is undefined");
        }
        return v;
    }

    private Object test(WhenExpr.Test t) {
        Object subject = eval(t.subject());
        switch (t.name()) {
            case "defined":
                return !(subject instanceof Undefined);
            case "undefined":
                return subject instanceof Undefined;
            default: {
                String left = pyStr(defined(subject));
                String right = pyStr(defined(eval(t.args().get(0))));
                String op = t.args().size() > 1 ? pyStr(defined(eval(t.args().get(1)))) : "eq";
                try {
                    return LooseVersion.compare(left, right, op);
                } catch (IllegalArgumentException ex) {
                    throw fail(ex.getMessage());
                }
            }
        }
    }

    private Object filter(WhenExpr.Filter f) {
        Object subject = eval(f.subject());
        switch (f.name()) {
            case "default":
                return subject instanceof Undefined ? defined(eval(f.args().get(0))) : subject;
            case "bool": {
                Object v = defined(subject);
                if (v == null || v instanceof Boolean) {
                    return v;
                }
                Object key = v instanceof String s ? s.toLowerCase(java.util.Locale.ROOT) : v;
                if (key instanceof Number n && !(key instanceof Double)) {
                    return toBig(n).equals(BigInteger.ONE);
                }
                return key.equals("yes") || key.equals("on") || key.equals("1") || key.equals("true");
            }
            default:
                return toInt(defined(subject));
        }
    }

    /** Jinja's int filter: int(value), else int(float(value)), else 0. */
    private static Object toInt(Object v) {
        if (v instanceof Boolean b) {
            return b ? BigInteger.ONE : BigInteger.ZERO;
        }
        if (v instanceof Double d) {
            return d.isNaN() || d.isInfinite() ? BigInteger.ZERO : new BigDecimal(d).toBigInteger();
        }
        if (v instanceof Number n) {
            return toBig(n);
        }
        if (v instanceof String s) {
            String t = s.strip().replace("_", "");
            try {
                return new BigInteger(t);
            } catch (NumberFormatException e) {
                try {
                    double d = Double.parseDouble(t);
                    return Double.isNaN(d) || Double.isInfinite(d) ? BigInteger.ZERO : new BigDecimal(d).toBigInteger();
                } catch (NumberFormatException e2) {
                    return BigInteger.ZERO;
                }
            }
        }
        return BigInteger.ZERO;
    }

    private Object compare(String op, Object a, Object b) {
        switch (op) {
            case "==":
                return pyEquals(a, b);
            case "!=":
                return !pyEquals(a, b);
            case "in":
                return contains(b, a);
            case "not in":
                return !contains(b, a);
            default: {
                int c = order(op, a, b);
                return switch (op) {
                    case "<" -> c < 0;
                    case "<=" -> c <= 0;
                    case ">" -> c > 0;
                    default -> c >= 0;
                };
            }
        }
    }

    private boolean contains(Object container, Object item) {
        if (container instanceof String s) {
            if (!(item instanceof String i)) {
                throw fail("'in <string>' requires string as left operand, not " + pyType(item));
            }
            return s.contains(i);
        }
        if (container instanceof List<?> l) {
            for (Object o : l) {
                if (pyEquals(templated(o), item)) {
                    return true;
                }
            }
            return false;
        }
        if (container instanceof Map<?, ?> m) {
            return m.containsKey(item);
        }
        throw fail("argument of type '" + pyType(container) + "' is not iterable");
    }

    private int order(String op, Object a, Object b) {
        if (isNum(a) && isNum(b)) {
            return toBigDecimal((Number) num(a)).compareTo(toBigDecimal((Number) num(b)));
        }
        if (a instanceof String x && b instanceof String y) {
            return Integer.signum(x.compareTo(y));
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
                if (!pyEquals(x.get(i), y.get(i))) {
                    return order(op, x.get(i), y.get(i));
                }
            }
            return Integer.compare(x.size(), y.size());
        }
        throw fail("'" + op + "' not supported between instances of '" + pyType(a) + "' and '" + pyType(b) + "'");
    }

    static boolean pyEquals(Object a, Object b) {
        if (a == null || b == null) {
            return a == b;
        }
        if (isNum(a) && isNum(b)) {
            return toBigDecimal((Number) num(a)).compareTo(toBigDecimal((Number) num(b))) == 0;
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (int i = 0; i < x.size(); i++) {
                if (!pyEquals(x.get(i), y.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }

    private static boolean isNum(Object v) {
        return v instanceof Number || v instanceof Boolean;
    }

    private static Object num(Object v) {
        return v instanceof Boolean b ? (b ? BigInteger.ONE : BigInteger.ZERO) : v;
    }

    private static BigInteger toBig(Object v) {
        if (v instanceof BigInteger b) {
            return b;
        }
        if (v instanceof Boolean b) {
            return b ? BigInteger.ONE : BigInteger.ZERO;
        }
        return BigInteger.valueOf(((Number) v).longValue());
    }

    private static BigDecimal toBigDecimal(Number n) {
        if (n instanceof Double || n instanceof Float) {
            double d = n.doubleValue();
            if (Double.isNaN(d)) {
                throw new IllegalArgumentException("NaN cannot be compared");
            }
            if (Double.isInfinite(d)) {
                return d > 0 ? BigDecimal.valueOf(Double.MAX_VALUE).multiply(BigDecimal.TEN)
                        : BigDecimal.valueOf(-Double.MAX_VALUE).multiply(BigDecimal.TEN);
            }
            return new BigDecimal(d);
        }
        return new BigDecimal(toBig(n));
    }

    /** Python's type name, for messages that match Ansible's. */
    static String pyType(Object v) {
        if (v == null) {
            return "NoneType";
        }
        if (v instanceof Boolean) {
            return "bool";
        }
        if (v instanceof Double || v instanceof Float) {
            return "float";
        }
        if (v instanceof Number) {
            return "int";
        }
        if (v instanceof String) {
            return "str";
        }
        if (v instanceof List<?>) {
            return "list";
        }
        if (v instanceof Map<?, ?>) {
            return "dict";
        }
        return v.getClass().getSimpleName();
    }

    /** Python's str() of a scalar; lists and maps are refused. */
    private String pyStr(Object v) {
        String s = AnsibleValues.pyStr(v);
        if (s == null) {
            throw fail("cannot use " + pyType(v) + " value as a version");
        }
        return s;
    }

    private ConfigException fail(String message) {
        return Condition.error(where, src, message);
    }
}
