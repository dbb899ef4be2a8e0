package io.sysfleet.playbook;

import io.sysfleet.core.ConfigException;
import io.sysfleet.core.SourceLocation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A task's {@code when}: a documented subset of Ansible's Jinja2 conditionals, parsed once and evaluated per
 * host. Supported: string ('..', "..."), int, float, list ([..]) and true/false/True/False/none/None literals;
 * variable names with dotted access ({@code a.b}); {@code == != < <= > >= in, not in}; {@code and or not};
 * parentheses; unary minus on numbers; the tests {@code is [not] defined}, {@code is [not] undefined} and
 * {@code is [not] version('4.12', '<')}; the filters {@code | int}, {@code | bool} and
 * {@code | default(literal)}. Anything else is a parse error.
 *
 * <p>Semantics follow Jinja2/Python as Ansible uses them: {@code "5" == 5} is false, comparing a string and a
 * number with {@code <} is an error, {@code and}/{@code or} return an operand, truthiness is Python's (empty
 * string, 0, empty list, none are false; the string "false" is true). Using an undefined variable anywhere
 * but in {@code is defined} is an error, as in Ansible.
 */
public final class Condition {
    private static final Condition ALWAYS = new Condition(List.of(), List.of(), null);

    private final List<String> sources;
    private final List<WhenExpr> exprs;
    private final SourceLocation location;

    private Condition(List<String> sources, List<WhenExpr> exprs, SourceLocation location) {
        this.sources = List.copyOf(sources);
        this.exprs = List.copyOf(exprs);
        this.location = location;
    }

    /** The condition of a task without {@code when}: always true. */
    public static Condition always() {
        return ALWAYS;
    }

    /** Parses one expression; a syntax error is a {@link ConfigException} naming the location and the text. */
    public static Condition parse(String expression, SourceLocation location) {
        return new Condition(List.of(expression), List.of(WhenParser.parse(expression, location)), location);
    }

    /** A literal YAML boolean {@code when: true}. */
    public static Condition literal(boolean value, SourceLocation location) {
        return new Condition(List.of(value ? "True" : "False"),
                List.of(new WhenExpr.Literal(value)), location);
    }

    /** All of the given conditions must hold (a {@code when} list). */
    public static Condition all(List<Condition> parts) {
        List<String> sources = new ArrayList<>();
        List<WhenExpr> exprs = new ArrayList<>();
        SourceLocation where = null;
        for (Condition c : parts) {
            sources.addAll(c.sources);
            exprs.addAll(c.exprs);
            if (where == null) {
                where = c.location;
            }
        }
        return exprs.isEmpty() ? ALWAYS : new Condition(sources, exprs, where);
    }

    /** True for a task without {@code when}. */
    public boolean isAlways() {
        return exprs.isEmpty();
    }

    /** The expressions as written (one per list item). */
    public List<String> sources() {
        return sources;
    }

    /** The names of the variables the expressions use (the first part of {@code a.b}), in order, once each. */
    public java.util.Set<String> variables() {
        java.util.Set<String> out = new java.util.LinkedHashSet<>();
        exprs.forEach(e -> collect(e, out));
        return out;
    }

    private static void collect(WhenExpr e, java.util.Set<String> out) {
        if (e instanceof WhenExpr.Var v) {
            out.add(v.path().get(0));
        } else if (e instanceof WhenExpr.ListLit l) {
            l.items().forEach(i -> collect(i, out));
        } else if (e instanceof WhenExpr.Not n) {
            collect(n.operand(), out);
        } else if (e instanceof WhenExpr.Neg n) {
            collect(n.operand(), out);
        } else if (e instanceof WhenExpr.And a) {
            collect(a.left(), out);
            collect(a.right(), out);
        } else if (e instanceof WhenExpr.Or o) {
            collect(o.left(), out);
            collect(o.right(), out);
        } else if (e instanceof WhenExpr.Compare c) {
            collect(c.left(), out);
            collect(c.right(), out);
        } else if (e instanceof WhenExpr.Test t) {
            collect(t.subject(), out);
            t.args().forEach(x -> collect(x, out));
        } else if (e instanceof WhenExpr.Filter f) {
            collect(f.subject(), out);
            f.args().forEach(x -> collect(x, out));
        }
    }

    /** Where the {@code when} was written; null for {@link #always()}. */
    public SourceLocation location() {
        return location;
    }

    /**
     * Evaluates against a host's variables. An undefined variable, a comparison of incompatible types or a
     * failed version comparison is a {@link ConfigException} naming the location and the expression.
     */
    public boolean evaluate(Map<String, Object> vars) {
        for (int i = 0; i < exprs.size(); i++) {
            WhenEval eval = new WhenEval(vars, location, sources.get(i));
            if (!eval.truthy(eval.eval(exprs.get(i)))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        if (exprs.isEmpty()) {
            return "always";
        }
        return sources.stream().map(s -> "(" + s + ")").collect(Collectors.joining(" and "));
    }

    static ConfigException error(SourceLocation where, String expression, String message) {
        return new ConfigException(where, "when '" + expression + "': " + message);
    }
}
