package io.sysfleet.inventory;

import io.sysfleet.core.ExitCode;
import io.sysfleet.core.SysfleetException;
import io.sysfleet.result.Phase;
import io.sysfleet.transport.Secret;
import io.sysfleet.vault.Vaulted;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reading and checking the connection variables of a host.
 *
 * <p>Each setting may be written under several names, as Ansible's ssh connection and sudo become plugins read
 * them; when several are set, the later name in {@link Setting#names()} wins (so {@code ansible_ssh_host} beats
 * {@code ansible_host}, as in Ansible).
 *
 * <p>Three kinds of values are not checked when the inventory is loaded, because they only have a value for a
 * run: Jinja2 templates ({@code {{ ... }}}), vault-encrypted values and, on a host whose
 * {@code ansible_connection} sysfleet does not speak ({@code docker}, {@code network_cli}, ...), everything.
 * {@link #resolve(Host, TemplateRenderer)} gives the host a run uses: vaulted values decrypted, templates
 * rendered, and the results checked by the same rules as literal values. {@link #unmanageable(Host)} says why
 * sysfleet cannot run a host.
 */
public final class ConnectionVars {
    public static final String HOST = "ansible_host";
    public static final String PORT = "ansible_port";
    public static final String USER = "ansible_user";
    public static final String KEY_FILE = "ansible_ssh_private_key_file";
    public static final String CONNECTION = "ansible_connection";
    public static final String BECOME = "ansible_become";
    public static final String BECOME_USER = "ansible_become_user";

    /** A connection setting and the variables that set it, lowest precedence first. */
    public enum Setting {
        ADDRESS(HOST, "ansible_ssh_host"),
        PORT(ConnectionVars.PORT, "ansible_ssh_port"),
        USER(ConnectionVars.USER, "ansible_ssh_user"),
        KEY_FILE("ansible_private_key_file", ConnectionVars.KEY_FILE),
        CONNECTION(ConnectionVars.CONNECTION),
        BECOME(ConnectionVars.BECOME),
        BECOME_USER(ConnectionVars.BECOME_USER, "ansible_sudo_user"),
        BECOME_PASSWORD("ansible_become_password", "ansible_become_pass", "ansible_sudo_pass");

        private final List<String> names;

        Setting(String... names) {
            this.names = List.of(names);
        }

        public List<String> names() {
            return names;
        }
    }

    /** The connections sysfleet speaks: Ansible's names for SSH (JSch here) and for the controller itself. */
    private static final Map<String, String> CONNECTIONS = Map.of(
            "ssh", "ssh", "smart", "ssh", "paramiko", "ssh", "paramiko_ssh", "ssh",
            "ansible.builtin.ssh", "ssh", "ansible.builtin.paramiko_ssh", "ssh",
            "local", "local", "ansible.builtin.local", "local");

    private static final Map<String, Setting> SETTING_OF = new java.util.HashMap<>();

    static {
        for (Setting s : Setting.values()) {
            s.names().forEach(n -> SETTING_OF.put(n, s));
        }
    }

    private static final Set<String> TRUE = Set.of("y", "yes", "on", "1", "true", "t");
    private static final Set<String> FALSE = Set.of("n", "no", "off", "0", "false", "f");
    private static final Pattern USER_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}\\$?");

    private ConnectionVars() {
    }

    /** Whether a value is a Jinja2 template, as Ansible decides it (it holds a start marker). */
    public static boolean isTemplate(Object v) {
        return v instanceof String s && (s.contains("{{") || s.contains("{%") || s.contains("{#"));
    }

    /**
     * Variable name to a one-line reason for each literal connection variable whose value is unusable, in map
     * order. Templates and vaulted values are checked later, by {@link #resolve}; a host whose connection
     * sysfleet does not speak has no problems (it is refused when a run selects it).
     */
    public static Map<String, String> problems(Map<String, Object> vars) {
        Map<String, String> out = new LinkedHashMap<>();
        if (unsupportedConnection(vars) != null) {
            return out;
        }
        for (Map.Entry<String, Object> e : vars.entrySet()) {
            Setting s = SETTING_OF.get(e.getKey());
            Object v = e.getValue();
            if (s == null || v == null || isTemplate(v) || v instanceof Vaulted) {
                continue;
            }
            String why = check(s, v);
            if (why != null) {
                out.put(e.getKey(), e.getKey() + " " + why);
            }
        }
        return out;
    }

    /**
     * Why sysfleet cannot run this host as it is, or null: a connection it does not speak, or a connection
     * variable that is still a template or vault-encrypted (see {@link #resolve}), or an unusable value.
     */
    public static String unmanageable(Host h) {
        String unsupported = unsupportedConnection(h.vars());
        if (unsupported != null) {
            return "connection '" + unsupported + "' is not supported: sysfleet manages hosts over ssh or local";
        }
        for (Setting s : Setting.values()) {
            if (s == Setting.BECOME_PASSWORD) {
                continue; // only read when become needs it; a vaulted password is normal
            }
            String name = effectiveName(h.vars(), s);
            if (name == null) {
                continue;
            }
            Object v = h.vars().get(name);
            if (isTemplate(v)) {
                return name + " is a template (" + quote(v) + "), which sysfleet does not render for connection"
                        + " variables yet";
            }
            if (v instanceof Vaulted) {
                return name + " is vault-encrypted and was not decrypted for this run";
            }
            String why = check(s, v);
            if (why != null) {
                return name + " " + why;
            }
        }
        return null;
    }

    /**
     * The host a run uses: every connection variable that is vault-encrypted is decrypted, every template is
     * rendered by {@code engine} (when it is null, templates are left, and {@link #unmanageable} names them),
     * and each resulting value is checked by the rules literal values follow. Other variables are unchanged.
     *
     * @throws SysfleetException naming the host and variable when a value cannot be rendered or is unusable
     * @throws io.sysfleet.vault.VaultException when a vaulted value cannot be decrypted
     */
    public static Host resolve(Host host, TemplateRenderer engine) {
        if (unsupportedConnection(host.vars()) != null) {
            return host;
        }
        Map<String, Object> vars = new LinkedHashMap<>(host.vars());
        boolean changed = false;
        for (Setting s : Setting.values()) {
            if (s == Setting.BECOME_PASSWORD) {
                String name = effectiveName(vars, s);
                if (name != null && isTemplate(vars.get(name)) && engine != null) {
                    vars.put(name, renderPassword(host, name, (String) vars.get(name), engine));
                    changed = true;
                }
                continue;
            }
            for (String name : s.names()) {
                Object v = vars.get(name);
                // A decrypted value never goes into a message: errors name the variable, not its value.
                boolean secret = v instanceof Vaulted;
                if (v instanceof Vaulted vault) {
                    v = vault.reveal();
                    vars.put(name, v);
                    changed = true;
                }
                String written = secret ? "(vault-encrypted)" : quote(v);
                if (isTemplate(v) && engine != null) {
                    Object rendered;
                    try {
                        rendered = engine.render((String) v, host);
                    } catch (io.sysfleet.vault.VaultException e) {
                        throw e;
                    } catch (RuntimeException e) {
                        throw new SysfleetException(ExitCode.CONFIG, Phase.INVENTORY, host.name(), name + " " + written
                                + " cannot be rendered: " + (secret ? "the template engine refused it"
                                : e.getMessage()), secret ? null : e);
                    }
                    vars.put(name, rendered);
                    changed = true;
                    String why = rendered == null ? "it is empty" : isTemplate(rendered) ? null : check(s, rendered);
                    if (why != null) {
                        throw new SysfleetException(ExitCode.CONFIG, Phase.INVENTORY, host.name(), name + " " + written
                                + (secret ? " rendered to an unusable value" : " rendered to " + quote(rendered) + ": "
                                + why), null);
                    }
                } else if (v != null && !isTemplate(v)) {
                    String why = check(s, v);
                    if (why != null) {
                        throw new SysfleetException(ExitCode.CONFIG, Phase.INVENTORY, host.name(), name + " "
                                + (secret ? "(vault-encrypted) has an unusable value" : why), null);
                    }
                }
            }
        }
        return changed ? new Host(host.name(), vars) : host;
    }

    /** The name of the variable that decides a setting (the last of its names that is set), or null. */
    static String effectiveName(Map<String, Object> vars, Setting s) {
        String found = null;
        for (String name : s.names()) {
            if (vars.get(name) != null) {
                found = name;
            }
        }
        return found;
    }

    private static Object effective(Host h, Setting s) {
        String name = effectiveName(h.vars(), s);
        return name == null ? null : valid(h, s, name, h.vars().get(name));
    }

    /** The literal connection name when it is one sysfleet does not speak, else null. */
    public static String unsupportedConnection(Map<String, Object> vars) {
        Object v = vars.get(CONNECTION);
        if (v == null || isTemplate(v) || v instanceof Vaulted) {
            return null;
        }
        String name = v instanceof String s ? s : String.valueOf(v);
        return CONNECTIONS.containsKey(name) ? null : name;
    }

    private static String check(Setting s, Object v) {
        switch (s) {
            case PORT:
                return portValue(v) == null ? "must be a port number from 1 to 65535, got " + show(v) : null;
            case BECOME:
                return bool(v) == null ? "must be a boolean (true/false, yes/no, on/off, 1/0), got " + show(v) : null;
            case CONNECTION:
                return v instanceof String c && CONNECTIONS.containsKey(c) ? null
                        : "must be 'ssh' or 'local', got " + show(v);
            case ADDRESS:
                if (!(v instanceof String str)) {
                    return "must be a host name or address, got " + show(v);
                }
                String why = HostAddress.unsafeReason(str);
                return why == null ? null : "'" + str + "' " + why;
            case USER:
            case BECOME_USER:
                return v instanceof String str && USER_NAME.matcher(str).matches()
                        ? null : "must be a user name (letters, digits, '_', '.', '-'), got " + show(v);
            case KEY_FILE:
                return v instanceof String str && !str.isBlank() && str.chars().noneMatch(Character::isISOControl)
                        ? null : "must be a file path, got " + show(v);
            default:
                return null;
        }
    }

    static String string(Host h, Setting s) {
        return (String) effective(h, s);
    }

    static Integer port(Host h) {
        Object v = effective(h, Setting.PORT);
        return v == null ? null : portValue(v);
    }

    static String connection(Host h) {
        Object v = h.vars().get(CONNECTION);
        if (v == null) {
            return "ssh";
        }
        String unsupported = unsupportedConnection(h.vars());
        if (unsupported != null) {
            return unsupported;
        }
        return CONNECTIONS.get((String) valid(h, Setting.CONNECTION, CONNECTION, v));
    }

    static boolean become(Host h) {
        Object v = effective(h, Setting.BECOME);
        return v != null && bool(v);
    }

    /**
     * A templated become password rendered to a {@link Secret}: neither the template's result nor the error of a
     * failed rendering (which may quote what it rendered) is ever shown; the message names the variable only.
     */
    private static Secret renderPassword(Host host, String name, String template, TemplateRenderer engine) {
        Object rendered;
        try {
            rendered = engine.render(template, host);
        } catch (io.sysfleet.vault.VaultException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new SysfleetException(ExitCode.CONFIG, Phase.INVENTORY, host.name(), name + " " + quote(template)
                    + " cannot be rendered: " + e.getMessage(), null);
        }
        if (rendered == null || AnsibleText.str(rendered).isEmpty()) {
            throw new SysfleetException(ExitCode.CONFIG, Phase.INVENTORY, host.name(), name + " " + quote(template)
                    + " renders to an empty password", null);
        }
        return Secret.of("inventory variable " + name + " of " + host.name(), AnsibleText.str(rendered));
    }

    static Secret becomePassword(Host h) {
        String name = effectiveName(h.vars(), Setting.BECOME_PASSWORD);
        if (name == null) {
            return null;
        }
        Object v = h.vars().get(name);
        if (v instanceof Secret rendered) {
            return rendered;
        }
        if (v instanceof Vaulted vault) {
            return vault.secret();
        }
        if (isTemplate(v)) {
            throw new IllegalStateException("host '" + h.name() + "': " + name + " is a template; resolve it first");
        }
        return Secret.of("inventory variable " + name + " of " + h.name(), AnsibleText.str(v));
    }

    private static Object valid(Host h, Setting s, String name, Object v) {
        if (isTemplate(v) || v instanceof Vaulted) {
            throw new IllegalStateException("host '" + h.name() + "': " + name + " is "
                    + (v instanceof Vaulted ? "vault-encrypted" : "a template") + "; resolve the host first");
        }
        String why = check(s, v);
        if (why != null) {
            throw new IllegalStateException("host '" + h.name() + "': " + name + " " + why);
        }
        return v;
    }

    private static Integer portValue(Object v) {
        long n;
        if (v instanceof Integer || v instanceof Long) {
            n = ((Number) v).longValue();
        } else if (v instanceof String s && s.trim().matches("[0-9]{1,5}")) {
            n = Long.parseLong(s.trim());
        } else {
            return null;
        }
        return n >= 1 && n <= 65535 ? (int) n : null;
    }

    /** Ansible's boolean(): the usual words in any case, 1/0, true/false; anything else is not a boolean. */
    static Boolean bool(Object v) {
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof Integer || v instanceof Long || v instanceof Double) {
            double d = ((Number) v).doubleValue();
            return d == 1 ? Boolean.TRUE : d == 0 ? Boolean.FALSE : null;
        }
        if (v instanceof String s) {
            String l = s.trim().toLowerCase(Locale.ROOT);
            return TRUE.contains(l) ? Boolean.TRUE : FALSE.contains(l) ? Boolean.FALSE : null;
        }
        return null;
    }

    private static String quote(Object v) {
        return v instanceof String s ? "'" + s + "'" : String.valueOf(v);
    }

    private static String show(Object v) {
        if (v instanceof String s) {
            return "'" + s + "'";
        }
        if (v instanceof Map) {
            return "a mapping";
        }
        if (v instanceof java.util.List) {
            return "a list";
        }
        return String.valueOf(v);
    }

    /** Python's str() of a scalar. */
    private static final class AnsibleText {
        static String str(Object v) {
            if (v instanceof Boolean b) {
                return b ? "True" : "False";
            }
            if (v instanceof Double d) {
                return PyJson.pyRepr(d);
            }
            return String.valueOf(v);
        }
    }
}
