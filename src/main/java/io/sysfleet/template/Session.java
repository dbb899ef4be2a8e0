package io.sysfleet.template;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One top-level rendering: the variables, the limits, and what has been resolved so far. A variable is rendered
 * the first time it is used and remembered for the rest of the rendering (Ansible renders it each time; the
 * result is the same, this is only faster). Variables that refer to each other in a cycle, or nest deeper than
 * the limit, fail with a one-line message.
 */
final class Session {
    /** Ansible's SINGLE_VAR: a template that is exactly one variable keeps a number's or a boolean's type. */
    private static final Pattern SINGLE_VAR = Pattern.compile("^\\{\\{\\s*(\\w*)\\s*\\}\\}$");

    final TemplateEngine engine;
    final Vars vars;
    final Limits limits;
    private final Map<String, Object> resolved = new HashMap<>();
    private final Set<String> resolving = new LinkedHashSet<>();
    boolean touchedUnsafe;

    Session(TemplateEngine engine, Vars vars) {
        this.engine = engine;
        this.vars = vars;
        this.limits = engine.limits();
    }

    /** The session of the rendering running on this thread (Jinjava keeps the current interpreter). */
    static Session current() {
        return JinjavaInterpreter.getCurrentMaybe()
                .filter(AnsibleInterpreter.class::isInstance)
                .map(i -> ((AnsibleInterpreter) i).session())
                .orElse(null);
    }

    /** Fails when a string of {@code n} characters would exceed the output limit. */
    static void checkLength(long n) {
        Session s = current();
        long max = s == null ? Limits.DEFAULT.maxOutputLength() : s.limits.maxOutputLength();
        if (n > max) {
            throw Py.fail("output would exceed " + max + " characters (the template expands too much)");
        }
    }

    /** Fails when a list of {@code n} items would exceed the collection limit. */
    static void checkSize(long n) {
        Session s = current();
        long max = s == null ? Limits.DEFAULT.maxCollectionSize() : s.limits.maxCollectionSize();
        if (n > max) {
            throw Py.fail("a list would have more than " + max + " items");
        }
    }

    // ---- variables ----

    /** The value of a top-level variable for an expression: rendered, or {@link Undefined}. */
    Object lookup(String name) {
        if (resolved.containsKey(name)) {
            return resolved.get(name);
        }
        if (!vars.has(name)) {
            return switch (name) {
                case "omit" -> TemplateEngine.OMIT;
                case "none", "None" -> null;
                default -> Undefined.variable(name);
            };
        }
        if (resolving.contains(name)) {
            List<String> chain = new ArrayList<>(resolving);
            chain = chain.subList(chain.indexOf(name), chain.size());
            throw Py.fail("recursive loop detected in template: " + String.join(" -> ", chain) + " -> " + name);
        }
        if (resolving.size() >= limits.maxVariableDepth()) {
            throw Py.fail("variables refer to each other more than " + limits.maxVariableDepth()
                    + " levels deep (" + String.join(" -> ", resolving) + " -> " + name + ")");
        }
        resolving.add(name);
        Object value;
        try {
            value = template(vars.raw(name));
        } catch (Abort e) {
            if (!e.undefined) {
                throw e;
            }
            // Ansible: a variable whose value uses an undefined one is itself undefined (is defined: false)
            value = new Undefined(name, e.problem);
        } finally {
            resolving.remove(name);
        }
        resolved.put(name, value);
        return value;
    }

    /** Ansible's {@code Templar.template} of a variable's value: strings rendered, structures recursively. */
    Object template(Object raw) {
        if (raw instanceof Unsafe u) {
            touchedUnsafe = true;
            return data(u.value());
        }
        if (raw instanceof Vars v) {
            return new HostVarsView(engine, v);
        }
        if (raw instanceof String s) {
            return renderValue(s);
        }
        if (raw instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            for (Object o : l) {
                out.add(template(o));
            }
            return out;
        }
        if (raw instanceof Map<?, ?> m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                out.put(e.getKey(), template(e.getValue()));
            }
            return out;
        }
        return raw;
    }

    /** Data from a host: structures copied without any rendering; nested Unsafe wrappers removed. */
    static Object data(Object v) {
        if (v instanceof Unsafe u) {
            return data(u.value());
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            l.forEach(o -> out.add(data(o)));
            return out;
        }
        if (v instanceof Map<?, ?> m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(k, data(x)));
            return out;
        }
        return v;
    }

    /**
     * Ansible 2.14's top-level rendering of a string: not a template stays as is; exactly {@code {{ name }}} of
     * a number, boolean or null keeps it; otherwise the text, turned back into a list, dict or boolean when it
     * reads as one ({@link PyLiteral}).
     */
    Object renderValue(String template) {
        if (!TemplateEngine.isTemplate(template)) {
            return template;
        }
        Matcher m = SINGLE_VAR.matcher(template);
        if (m.matches() && vars.has(m.group(1))) {
            Object raw = vars.raw(m.group(1));
            if (raw instanceof Unsafe u) {
                raw = u.value();
                touchedUnsafe = true;
            }
            if (raw == null || raw instanceof Boolean || raw instanceof Number) {
                return raw;
            }
        }
        String text = renderText(escapeBackslashes(template));
        return NATIVE_TEXT.matcher(template).matches() ? text : literal(text);
    }

    /**
     * A template that is one expression ending in {@code | string} or {@code | to_json}: Ansible marks that
     * text native and does not turn it back into a list or dict.
     */
    private static final Pattern NATIVE_TEXT = Pattern.compile(
            "^\\{\\{(?:(?!\\}\\}|\\{\\{).)*\\|\\s*(?:ansible\\.builtin\\.)?(?:string|to_json|to_nice_json)"
                    + "\\s*(?:\\([^}]*\\))?\\s*\\}\\}$", Pattern.DOTALL);

    /**
     * Ansible's _escape_backslashes: inside {@code {{ }}}, a string literal's backslashes are doubled before
     * Jinja2 reads it, so {@code '\\n'} there is a backslash and an n (in {@code {% %}} and {@code when} it
     * is a newline).
     */
    static String escapeBackslashes(String template) {
        if (template.indexOf('\\') < 0 || !template.contains("{{")) {
            return template;
        }
        StringBuilder sb = new StringBuilder(template.length() + 8);
        boolean inVar = false;
        for (int i = 0; i < template.length(); i++) {
            char c = template.charAt(i);
            if (!inVar) {
                sb.append(c);
                if (c == '{' && i + 1 < template.length() && template.charAt(i + 1) == '{') {
                    sb.append('{');
                    i++;
                    inVar = true;
                }
                continue;
            }
            if (c == '}' && i + 1 < template.length() && template.charAt(i + 1) == '}') {
                sb.append("}}");
                i++;
                inVar = false;
            } else if (c == '\'' || c == '"') {
                int j = i + 1;
                while (j < template.length() && template.charAt(j) != c) {
                    j += template.charAt(j) == '\\' ? 2 : 1;
                }
                int end = Math.min(j + 1, template.length());
                sb.append(template.substring(i, end).replace("\\", "\\\\"));
                i = end - 1;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    static Object literal(String text) {
        if (text.startsWith("{") || text.startsWith("[") || text.equals("True") || text.equals("False")) {
            return PyLiteral.parse(text).map(v -> v == PyLiteral.NONE ? null : v).orElse(text);
        }
        return text;
    }

    /** Renders a template to text with Jinjava, inside this session. */
    String renderText(String template) {
        engine.checkShape(template);
        AnsibleInterpreter interpreter = engine.jinja().interpreter(this);
        JinjavaInterpreter.pushCurrent(interpreter);
        try {
            String out = interpreter.render(template);
            checkLength(out.length());
            return out;
        } finally {
            JinjavaInterpreter.popCurrent();
        }
    }
}
