package io.sysfleet.playbook;

import io.sysfleet.core.ConfigException;
import io.sysfleet.core.SourceLocation;
import io.sysfleet.sysctl.SysctlKey;
import org.apache.commons.text.StringSubstitutor;
import org.apache.commons.text.lookup.StringLookup;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The templating subset: {@code {{ var }}}, {@code {{ var | default('x') }}} and {@code {{ var | int }}} in a
 * task's name, value and sysctl_file, filled from host variables (commons-text StringSubstitutor with the
 * prefix {{ and suffix }}). Values that are themselves templates are rendered in turn. Anything else inside
 * {{ }} (expressions, other filters), {% %} blocks and {# #} comments are errors, never passed through.
 */
public final class Templater {
    /** A plain variable name as Ansible accepts it. */
    public static final Pattern VAR_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    /** An absolute path of ordinary characters without '..' segments. */
    private static final Pattern SAFE_PATH = Pattern.compile("(?:/[A-Za-z0-9_.+@-]+)+");
    private static final Pattern INNER = Pattern.compile(
            "\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*(?:\\|\\s*(?:(int)|default\\(\\s*(?:'([^'\\\\]*)'|\"([^\"\\\\]*)\"|(-?\\d+))\\s*\\)))?\\s*");

    private Templater() {
    }

    /** True when the text contains template syntax ({{, {% or {#). */
    public static boolean isTemplate(String text) {
        return text.contains("{{") || text.contains("{%") || text.contains("{#");
    }

    /** The variable names a (syntactically valid) template refers to, in order, without repeats. */
    public static java.util.Set<String> variables(String template) {
        java.util.Set<String> out = new java.util.LinkedHashSet<>();
        int i = 0;
        while ((i = template.indexOf("{{", i)) >= 0) {
            int end = template.indexOf("}}", i + 2);
            if (end < 0) {
                break;
            }
            Matcher m = INNER.matcher(template.substring(i + 2, end));
            if (m.matches()) {
                out.add(m.group(1));
            }
            i = end + 2;
        }
        return out;
    }

    /**
     * Play vars over inventory (host and group) vars, as in Ansible: play vars win.
     */
    public static Map<String, Object> merge(Map<String, Object> inventoryVars, Map<String, Object> playVars) {
        Map<String, Object> out = new LinkedHashMap<>(inventoryVars);
        out.putAll(playVars);
        return out;
    }

    /**
     * Renders a template. {@code what} describes it for messages ("value '{{ x }}'").
     *
     * @throws ConfigException naming {@code where}, the template and the problem (undefined variable,
     *     unsupported syntax)
     */
    public static String render(String template, Map<String, Object> vars, SourceLocation where, String what) {
        checkSyntax(template, where, what);
        if (!template.contains("{{")) {
            return template;
        }
        StringSubstitutor sub = new StringSubstitutor(new Lookup(vars));
        sub.setVariablePrefix("{{");
        sub.setVariableSuffix("}}");
        sub.setValueDelimiterMatcher(null);
        sub.setEscapeChar((char) 0);
        sub.setEnableUndefinedVariableException(true);
        try {
            return sub.replace(template);
        } catch (TemplateError e) {
            throw new ConfigException(where, what + ": " + e.getMessage());
        } catch (IllegalStateException e) {
            String msg = e.getMessage() == null ? "" : e.getMessage();
            if (msg.contains("Infinite loop")) {
                throw new ConfigException(where, what + ": variables refer to each other in a loop ("
                        + msg.replaceAll(".*: ", "") + ")");
            }
            throw new ConfigException(where, what + ": " + msg);
        }
    }

    /**
     * Resolves a task for one host: renders key, value and sysctl_file, applies the sysctl module's value
     * normalisation, and checks the results are safe to send to a host.
     */
    public static ResolvedTask resolve(SysctlTask task, Map<String, Object> vars) {
        SourceLocation loc = task.location();
        String name = render(task.name(), vars, loc, "name '" + task.name() + "'");
        String spelled = render(task.key(), vars, at(task, "name"), "key '" + task.key() + "'").strip();
        SysctlKey key;
        try {
            key = SysctlKey.of(spelled);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(at(task, "name"), e.getMessage());
        }
        String value = null;
        if (task.value() != null) {
            value = AnsibleValues.sysctlValue(render(task.value(), vars, at(task, "value"),
                    "value '" + task.value() + "'"));
            checkValue(value, task.state(), at(task, "value"), key.dotted());
        } else if (task.state() == State.PRESENT) {
            throw new ConfigException(loc, "value is required when state is present");
        }
        String file = render(task.sysctlFile(), vars, at(task, "sysctl_file"),
                "sysctl_file '" + task.sysctlFile() + "'");
        if (!SAFE_PATH.matcher(file).matches() || List.of(file.split("/")).contains("..")) {
            throw new ConfigException(at(task, "sysctl_file"), "sysctl_file '" + printable(file)
                    + "' must be an absolute path of letters, digits and . _ + @ - without '..'");
        }
        return new ResolvedTask(name, key, value, task.state(), file, task.reload(), task.sysctlSet(),
                task.ignoreErrors(), loc);
    }

    /** A sysctl value must be one non-empty line without control characters. */
    static void checkValue(String value, State state, SourceLocation where, String key) {
        if (value.isEmpty() && state == State.PRESENT) {
            throw new ConfigException(where, "value for '" + key + "' is empty");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                throw new ConfigException(where, "value for '" + key + "' contains a control character "
                        + String.format("(U+%04X)", (int) c) + "; a value must be a single line");
            }
        }
        if (value.length() > 4096) {
            throw new ConfigException(where, "value for '" + key + "' is longer than 4096 characters");
        }
    }

    private static SourceLocation at(SysctlTask task, String arg) {
        return task.argLocations().getOrDefault(arg, task.location());
    }

    private static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            sb.append(Character.isISOControl(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return sb.toString();
    }

    /** Checks that a template uses only the supported syntax; the loader calls this for every template. */
    static void checkSyntax(String template, SourceLocation where, String what) {
        if (template.contains("{%") || template.contains("{#")) {
            throw new ConfigException(where, what + ": Jinja2 blocks {% %} and comments {# #} are not supported");
        }
        int i = 0;
        while ((i = template.indexOf("{{", i)) >= 0) {
            int end = template.indexOf("}}", i + 2);
            if (end < 0) {
                throw new ConfigException(where, what + ": '{{' without a closing '}}'");
            }
            String inner = template.substring(i + 2, end);
            if (inner.contains("{{")) {
                throw new ConfigException(where, what + ": nested '{{' is not supported");
            }
            if (!INNER.matcher(inner).matches()) {
                throw new ConfigException(where, what + ": '{{" + inner + "}}' is not supported; only "
                        + "{{ var }}, {{ var | int }} and {{ var | default('text') }} are");
            }
            i = end + 2;
        }
    }

    /** Thrown by the lookup; carries a message for the user. */
    private static final class TemplateError extends RuntimeException {
        TemplateError(String message) {
            super(message, null, false, false);
        }
    }

    /** Resolves one {{ ... }}: a variable, optionally with | int or | default(...). Never returns null. */
    private static final class Lookup implements StringLookup {
        private final Map<String, Object> vars;

        Lookup(Map<String, Object> vars) {
            this.vars = vars;
        }

        @Override
        public String lookup(String inner) {
            Matcher m = INNER.matcher(inner);
            if (!m.matches()) {
                throw new TemplateError("'{{" + inner + "}}' is not supported");
            }
            String name = m.group(1);
            boolean hasDefault = m.group(3) != null || m.group(4) != null || m.group(5) != null;
            if (!vars.containsKey(name)) {
                if (hasDefault) {
                    return m.group(3) != null ? m.group(3) : m.group(4) != null ? m.group(4) : m.group(5);
                }
                throw new TemplateError("undefined variable '" + name + "'");
            }
            Object v = vars.get(name);
            String s = AnsibleValues.pyStr(v);
            if (s == null || v == null) {
                throw new TemplateError("variable '" + name + "' is " + WhenEval.pyType(v)
                        + "; only strings, numbers and booleans can be used in a template");
            }
            if (s.contains("{%") || s.contains("{#")) {
                throw new TemplateError("variable '" + name + "' uses Jinja2 blocks or comments, which are "
                        + "not supported");
            }
            if (m.group(2) != null) {
                if (isTemplate(s)) {
                    try {
                        s = render(s, vars, null, "variable '" + name + "'");
                    } catch (ConfigException e) {
                        throw new TemplateError(e.getMessage());
                    }
                }
                return String.valueOf(intFilter(v instanceof String ? s : v));
            }
            return s;
        }

        private static Object intFilter(Object v) {
            Object n = new WhenEval(Map.of(), null, "").eval(new WhenExpr.Filter("int",
                    new WhenExpr.Literal(v), List.of()));
            return n;
        }
    }
}
