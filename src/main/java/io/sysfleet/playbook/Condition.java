package io.sysfleet.playbook;

import io.sysfleet.core.SourceLocation;
import io.sysfleet.template.TemplateEngine;
import io.sysfleet.template.Vars;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A task's {@code when}: Jinja2 conditionals as Ansible evaluates them, by the one template engine
 * ({@link TemplateEngine#when}). Checked for syntax, unknown filters and tests when the playbook loads;
 * evaluated per host. A list means all of them; a YAML boolean is itself.
 */
public final class Condition {
    private static final Condition ALWAYS = new Condition(List.of(), List.of(), null);

    private final List<String> sources;
    private final List<Object> conditions;
    private final SourceLocation location;

    private Condition(List<String> sources, List<Object> conditions, SourceLocation location) {
        this.sources = List.copyOf(sources);
        this.conditions = List.copyOf(conditions);
        this.location = location;
    }

    /** The condition of a task without {@code when}: always true. */
    public static Condition always() {
        return ALWAYS;
    }

    /** Checks one expression; a syntax error is a ConfigException naming the location and the text. */
    public static Condition parse(String expression, SourceLocation location) {
        Templater.ENGINE.checkCondition(expression, location);
        return new Condition(List.of(expression), List.of(expression), location);
    }

    /** A literal YAML boolean {@code when: true}. */
    public static Condition literal(boolean value, SourceLocation location) {
        return new Condition(List.of(value ? "True" : "False"), List.of(value), location);
    }

    /** All of the given conditions must hold (a {@code when} list). */
    public static Condition all(List<Condition> parts) {
        List<String> sources = new ArrayList<>();
        List<Object> conditions = new ArrayList<>();
        SourceLocation where = null;
        for (Condition c : parts) {
            sources.addAll(c.sources);
            conditions.addAll(c.conditions);
            if (where == null) {
                where = c.location;
            }
        }
        return conditions.isEmpty() ? ALWAYS : new Condition(sources, conditions, where);
    }

    /** True for a task without {@code when}. */
    public boolean isAlways() {
        return conditions.isEmpty();
    }

    /** The expressions as written (one per list item). */
    public List<String> sources() {
        return sources;
    }

    /**
     * The names of the variables the expressions use (the first part of {@code a.b}), in order, once each: what
     * the template engine finds in them (empty for an expression it cannot read; evaluating it says why).
     */
    public java.util.Set<String> variables() {
        java.util.Set<String> out = new java.util.LinkedHashSet<>();
        for (Object c : conditions) {
            if (c instanceof String s) {
                out.addAll(Templater.variables(TemplateEngine.isTemplate(s) ? s
                        : "{% if " + s + " %}True{% else %}False{% endif %}"));
            }
        }
        return out;
    }

    /** Where the {@code when} was written; null for {@link #always()}. */
    public SourceLocation location() {
        return location;
    }

    /** Ansible's warning when an expression is written with {@code {{ }}}, for the first such item. */
    public Optional<String> warning() {
        return conditions.stream().map(TemplateEngine::whenWarning).flatMap(Optional::stream).findFirst();
    }

    /**
     * Evaluates against a host's variables (values wrapped in {@link io.sysfleet.template.Unsafe} are data).
     * An undefined variable, a comparison of incompatible types or a failed version comparison is a
     * ConfigException naming the location and the expression.
     */
    public boolean evaluate(Map<String, Object> vars) {
        return evaluate(Vars.of(vars));
    }

    public boolean evaluate(Vars vars) {
        return conditions.isEmpty() || Templater.ENGINE.when(conditions, vars, location);
    }

    @Override
    public String toString() {
        if (conditions.isEmpty()) {
            return "always";
        }
        return sources.stream().map(s -> "(" + s + ")").collect(Collectors.joining(" and "));
    }
}
