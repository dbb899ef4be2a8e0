package io.sysfleet.template;

import io.sysfleet.core.SourceLocation;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * sysfleet's one Jinja2 engine, with Ansible's semantics (ansible-core 2.14 is the oracle, checked by
 * AnsibleWhenEquivalenceTest): inventory connection variables, task arguments, loops and {@code when} all go
 * through it. Built on Jinjava, with Python's operators, values, filters and tests put in (see
 * {@link AnsibleSyntax}, {@link Py}, {@link Filters}, {@link Tests}).
 *
 * <p>Every problem is a {@link TemplateException} (exit code 4): one line naming the location and the template.
 * Safe to share between threads. Jinjava is built at the first template that needs it, not before: most sysctl
 * playbooks have none, and building it loads about 400 classes (about 150 ms of a start-up).
 */
public final class TemplateEngine {
    /**
     * The value of {@code omit}: a task argument that renders to exactly this is left out, as in Ansible.
     * Detect it with {@link #isOmit}.
     */
    public static final String OMIT = "__omit_place_holder__sysfleet";

    private static final Set<String> BLOCKS = Set.of("if", "for", "raw", "macro", "call", "filter", "block");

    private final Limits limits;
    private final Map<String, String> environment;
    /** Built once, at the first {@link #jinja()} call; never changed afterwards. */
    private volatile Jinja jinja;

    /** Default limits; {@code lookup('env', ...)} reads this process's environment. */
    public TemplateEngine() {
        this(Limits.DEFAULT, System.getenv());
    }

    /** @param environment what {@code lookup('env', NAME)} reads */
    public TemplateEngine(Limits limits, Map<String, String> environment) {
        this.limits = limits;
        this.environment = Map.copyOf(environment);
    }

    public Limits limits() {
        return limits;
    }

    Map<String, String> environment() {
        return environment;
    }

    /** The Jinjava set-up, built on first use (double-checked: the field is volatile). */
    Jinja jinja() {
        Jinja j = jinja;
        if (j == null) {
            synchronized (this) {
                j = jinja;
                if (j == null) {
                    j = new Jinja(this);
                    jinja = j;
                }
            }
        }
        return j;
    }

    /** True once Jinjava has been built: for the test that a template-free plan never builds it. */
    boolean jinjaBuilt() {
        return jinja != null;
    }

    /** True when the text contains template syntax ({@code {{}}, {@code {%} or {@code {#}), as Ansible checks. */
    public static boolean isTemplate(String text) {
        return text != null && (text.contains("{{") || text.contains("{%") || text.contains("{#"));
    }

    /** True for the rendered value of {@code omit}. */
    public static boolean isOmit(Object value) {
        return value instanceof String s && s.contains(OMIT);
    }

    /**
     * Renders a value the way Ansible renders a task argument or variable: text without template syntax as it
     * is; exactly {@code {{ name }}} of a number, boolean or null keeps that value; anything else renders to
     * text, which becomes a list, dict or boolean when it reads as one ({@code "{{ settings | dict2items }}"}
     * is a list; {@code "{{ n + 1 }}"} is the string "6", as in ansible-core 2.14). Lists and mappings are
     * rendered item by item.
     */
    public Object render(Object value, Vars vars, SourceLocation where) {
        return render(value, vars, where, describe(value));
    }

    /** {@link #render(Object, Vars, SourceLocation)}, with {@code what} naming the value in messages. */
    public Object render(Object value, Vars vars, SourceLocation where, String what) {
        return run(where, what, () -> new Session(this, vars).template(value));
    }

    /** Python's {@code str()} of a rendered value: {@code True}, {@code 5}, {@code ['a', 1]}, {@code None}. */
    public static String text(Object rendered) {
        return Py.str(rendered);
    }

    /** {@link #render} as text: Python's {@code str()} of the result ({@code True}, {@code 5}, {@code [1, 2]}). */
    public String renderText(String template, Vars vars, SourceLocation where, String what) {
        Object v = render(template, vars, where, what);
        return v == null ? "None" : run(where, what, () -> Py.str(v));
    }

    /**
     * A task's {@code when}, as Ansible 2.14 evaluates it: {@code null}, {@code ""} and {@code true} hold;
     * a boolean is itself; a list holds when every item does; a string is a Jinja2 expression, evaluated as
     * {@code {% if EXPR %}True{% else %}False{% endif %}}. A string that contains {@code {{ }}} is first
     * rendered and the result evaluated (Ansible warns about that: see {@link #whenWarning}); a result built
     * from host data ({@link Unsafe}) is refused, as in Ansible.
     */
    public boolean when(Object condition, Vars vars, SourceLocation where) {
        if (condition instanceof List<?> l) {
            for (Object c : l) {
                if (!when(c, vars, where)) {
                    return false;
                }
            }
            return true;
        }
        String what = "when '" + show(String.valueOf(condition)) + "'";
        return run(where, what, () -> evaluate(condition, new Session(this, vars)));
    }

    private boolean evaluate(Object condition, Session session) {
        if (condition == null || condition instanceof Boolean || condition instanceof Number) {
            return condition == null || Py.truthy(condition);
        }
        if (!(condition instanceof String text)) {
            throw Py.fail("a condition must be an expression, a boolean or a list of them, not "
                    + Py.typeName(condition));
        }
        if (text.isEmpty()) {
            return true;
        }
        Object c = text;
        if (isTemplate(text)) {
            c = session.renderValue(text);
            if (!(c instanceof String) || ((String) c).isEmpty()) {
                return Py.truthy(c);
            }
            if (session.touchedUnsafe) {
                throw Py.fail("Conditional is marked as unsafe, and cannot be evaluated.");
            }
        }
        String expr = (String) c;
        if (expr.isBlank()) {
            throw Py.fail("empty expression");
        }
        checkShape(expr);
        String out = session.renderText("{% if " + expr + " %}True{% else %}False{% endif %}").strip();
        if (out.equals("True")) {
            return true;
        }
        if (out.equals("False")) {
            return false;
        }
        throw Py.fail("unable to evaluate conditional");
    }

    /** Ansible's warning for a {@code when} written with {@code {{ }}} or {@code {% %}}, if it applies. */
    public static Optional<String> whenWarning(Object condition) {
        if (condition instanceof String s && isTemplate(s)) {
            return Optional.of("conditional statements should not include jinja2 templating delimiters such as "
                    + "{{ }} or {% %}. Found: " + show(s));
        }
        return Optional.empty();
    }

    /**
     * Checks a template's syntax and limits without variables, so a playbook's mistakes surface before the
     * first connection: unknown filters and tests, unbalanced delimiters, nesting, length.
     */
    public void check(String template, SourceLocation where, String what) {
        if (!isTemplate(template)) {
            return;
        }
        run(where, what, () -> {
            checkShape(template);
            jinja().checkTemplate(template, new Session(this, Vars.empty()));
            return null;
        });
    }

    /**
     * The top-level variable names a template's expressions use ({@code {{ a.b | default(c) }}} gives a, c),
     * for lint's "needs a variable" hints. Empty for text without template syntax.
     */
    public Set<String> variables(String template, SourceLocation where) {
        if (!isTemplate(template)) {
            return Set.of();
        }
        return run(where, describe(template), () -> {
            checkShape(template);
            return jinja().variables(template, new Session(this, Vars.empty()));
        });
    }

    /** {@link #check} for a {@code when} expression (bare, without {@code {{ }}}). */
    public void checkCondition(String expression, SourceLocation where) {
        String what = "when '" + show(expression) + "'";
        run(where, what, () -> {
            if (expression.isBlank()) {
                throw Py.fail("empty expression");
            }
            if (isTemplate(expression)) {
                checkShape(expression);
                return null;
            }
            checkShape(expression);
            jinja().checkTemplate("{% if " + expression + " %}True{% else %}False{% endif %}",
                    new Session(this, Vars.empty()));
            return null;
        });
    }

    private interface Body<T> {
        T run();
    }

    private <T> T run(SourceLocation where, String what, Body<T> body) {
        try {
            return body.run();
        } catch (Abort e) {
            throw new TemplateException(where, what, e.problem);
        } catch (StackOverflowError e) {
            throw new TemplateException(where, what, "the template nests too deeply");
        } catch (RuntimeException e) {
            // a Jinjava failure outside an expression (its tree builder, a tag): still one line
            throw new TemplateException(where, what, JinjaErrors.oneLine(String.valueOf(e.getMessage())));
        }
    }

    /**
     * The limits that must hold before anything is parsed: length, and the nesting of brackets and blocks
     * (counted with a scan that knows string literals), so deep nesting fails here instead of in a parser.
     */
    void checkShape(String template) {
        if (template.length() > limits.maxTemplateLength()) {
            throw Py.fail("template is longer than " + limits.maxTemplateLength() + " characters");
        }
        int depth = 0;
        int blocks = 0;
        char quote = 0;
        boolean code = !isTemplate(template);
        for (int i = 0; i < template.length(); i++) {
            char c = template.charAt(i);
            if (!code) {
                if ((c == '{') && i + 1 < template.length() && (template.charAt(i + 1) == '{'
                        || template.charAt(i + 1) == '%')) {
                    code = true;
                    if (template.charAt(i + 1) == '%') {
                        String rest = template.substring(i + 2).stripLeading();
                        if (rest.startsWith("-") || rest.startsWith("+")) {
                            rest = rest.substring(1).stripLeading();
                        }
                        String word = rest.split("[^A-Za-z_]", 2)[0];
                        if (BLOCKS.contains(word) || word.equals("set") && !rest.contains("=")) {
                            blocks++;
                        } else if (word.startsWith("end")) {
                            blocks--;
                        }
                        if (blocks > limits.maxNesting()) {
                            throw Py.fail("blocks are nested more than " + limits.maxNesting() + " deep");
                        }
                    }
                    i++;
                }
                continue;
            }
            if (quote != 0) {
                if (c == '\\') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '(' || c == '[' || c == '{') {
                if (++depth > limits.maxNesting()) {
                    throw Py.fail("expression nests brackets more than " + limits.maxNesting() + " deep");
                }
            } else if (c == ')' || c == ']' || c == '}') {
                if (depth == 0 && c == '}' && i + 1 < template.length() && template.charAt(i + 1) == '}'
                        && isTemplate(template)) {
                    code = false;
                    i++;
                } else if (depth > 0) {
                    depth--;
                }
            } else if (c == '%' && depth == 0 && i + 1 < template.length() && template.charAt(i + 1) == '}'
                    && isTemplate(template)) {
                code = false;
                i++;
            }
        }
    }

    /** How a template appears in messages: one line, at most 200 characters. */
    static String show(String template) {
        StringBuilder sb = new StringBuilder();
        for (char c : template.toCharArray()) {
            sb.append(c == '\n' ? "\\n" : c == '\t' ? "\\t" : Character.isISOControl(c)
                    ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            if (sb.length() > 200) {
                return sb.substring(0, 200) + "...";
            }
        }
        return sb.toString();
    }

    private static String describe(Object value) {
        return value instanceof String s ? "template '" + show(s) + "'" : "value";
    }
}
