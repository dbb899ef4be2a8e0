package io.sysfleet.playbook;

import io.sysfleet.core.ConfigException;
import io.sysfleet.core.SourceLocation;
import io.sysfleet.sysctl.SysctlKey;
import io.sysfleet.template.TemplateEngine;
import io.sysfleet.template.Vars;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Templates in a sysctl task (name, key, value, sysctl_file), rendered for one host by the one template engine
 * ({@link TemplateEngine}: Jinja2 as Ansible runs it), then checked so nothing unsafe reaches a host.
 */
public final class Templater {
    /** The engine every playbook template and condition uses. Immutable. */
    static final TemplateEngine ENGINE = new TemplateEngine();

    /** A plain variable name as Ansible accepts it. */
    public static final Pattern VAR_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    /** An absolute path of ordinary characters without '..' segments. */
    private static final Pattern SAFE_PATH = Pattern.compile("(?:/[A-Za-z0-9_.+@-]+)+");

    private Templater() {
    }

    /** The one template engine of playbooks (immutable). */
    public static TemplateEngine engine() {
        return ENGINE;
    }

    /** True when the text contains template syntax ({{, {% or {#). */
    public static boolean isTemplate(String text) {
        return TemplateEngine.isTemplate(text);
    }

    /** The variable names a (syntactically valid) template refers to, in order, without repeats. */
    public static Set<String> variables(String template) {
        try {
            return ENGINE.variables(template, null);
        } catch (ConfigException e) {
            return Set.of();
        }
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
     * Renders a template to text. {@code what} describes it for messages ("value '{{ x }}'").
     *
     * @throws ConfigException naming {@code where}, the template and the problem (undefined variable, syntax)
     */
    public static String render(String template, Map<String, Object> vars, SourceLocation where, String what) {
        return ENGINE.renderText(template, Vars.of(vars), where, what);
    }

    /**
     * Resolves a task for one host: renders key, value and sysctl_file, applies the sysctl module's value
     * normalisation, and checks the results are safe to send to a host. A value or sysctl_file that renders to
     * {@code omit} is left out, as Ansible leaves out an omitted module argument.
     */
    public static ResolvedTask resolve(SysctlTask task, Map<String, Object> vars) {
        Vars v = Vars.of(vars);
        SourceLocation loc = task.location();
        String name = text(task.name(), v, loc, "name '" + task.name() + "'");
        String spelled = text(task.key(), v, at(task, "name"), "key '" + task.key() + "'").strip();
        SysctlKey key;
        try {
            key = SysctlKey.of(spelled);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(at(task, "name"), e.getMessage());
        }
        String value = null;
        if (task.value() != null) {
            String rendered = text(task.value(), v, at(task, "value"), "value '" + task.value() + "'");
            value = TemplateEngine.isOmit(rendered) ? null : AnsibleValues.sysctlValue(rendered);
        }
        if (value != null) {
            checkValue(value, task.state(), at(task, "value"), key.dotted());
        } else if (task.state() == State.PRESENT) {
            throw new ConfigException(task.value() == null ? loc : at(task, "value"),
                    "value is required when state is present");
        }
        String file = text(task.sysctlFile(), v, at(task, "sysctl_file"),
                "sysctl_file '" + task.sysctlFile() + "'");
        if (TemplateEngine.isOmit(file)) {
            file = "/etc/sysctl.conf";
        }
        checkFile(file, at(task, "sysctl_file"));
        return new ResolvedTask(name, key, value, task.state(), file, task.reload(), task.sysctlSet(),
                task.ignoreErrors(), loc);
    }

    private static String text(String template, Vars vars, SourceLocation where, String what) {
        if (!isTemplate(template)) {
            return template;
        }
        Object v = ENGINE.render(template, vars, where, what);
        if (v == null) {
            throw new ConfigException(where, what + ": renders to None; a sysctl argument needs a value");
        }
        return TemplateEngine.text(v);
    }

    /**
     * A sysctl_file must be a plain absolute path, safe to send to a host. Which such paths sysfleet may manage is
     * the run's {@link io.sysfleet.plan.SysctlPaths} (checked by the planner on every task, in a role or a loop too).
     */
    public static void checkFile(String file, SourceLocation where) {
        if (!SAFE_PATH.matcher(file).matches() || List.of(file.split("/")).contains("..")) {
            throw new ConfigException(where, "sysctl_file '" + printable(file)
                    + "' must be an absolute path of letters, digits and . _ + @ - without '..'");
        }
    }

    /**
     * Shell syntax refused in values: command substitution, variable expansion, command separators and
     * redirections. No sysctl value needs them ({@code |} stays allowed: kernel.core_pattern pipes to a program).
     */
    private static final List<String> SHELL_SYNTAX = List.of("`", "$(", "${", ";", "&", "<", ">");

    /** A sysctl value must be one non-empty line without control characters or shell syntax. */
    public static void checkValue(String value, State state, SourceLocation where, String key) {
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
        for (String bad : SHELL_SYNTAX) {
            if (value.contains(bad)) {
                throw new ConfigException(where, "value for '" + key + "' contains '" + bad + "': shell syntax has no "
                        + "place in a kernel setting (values reach hosts only as quoted data, but a value like this is "
                        + "a mistake or an attack)");
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
        return io.sysfleet.core.TerminalText.escape(s);
    }

    /** Checks a template's syntax, filters and tests; the loader calls this for every template. */
    static void checkSyntax(String template, SourceLocation where, String what) {
        ENGINE.check(template, where, what);
    }
}
