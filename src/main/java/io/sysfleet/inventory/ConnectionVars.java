package io.sysfleet.inventory;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reading and checking the connection variables of a host. {@link #problems(Map)} lists what is wrong so the
 * loader can report every problem with its file:line:col; the readers assume a checked host.
 */
public final class ConnectionVars {
    public static final String HOST = "ansible_host";
    public static final String PORT = "ansible_port";
    public static final String USER = "ansible_user";
    public static final String KEY_FILE = "ansible_ssh_private_key_file";
    public static final String CONNECTION = "ansible_connection";
    public static final String BECOME = "ansible_become";
    public static final String BECOME_USER = "ansible_become_user";

    private static final Set<String> TRUE = Set.of("y", "yes", "on", "1", "true", "t");
    private static final Set<String> FALSE = Set.of("n", "no", "off", "0", "false", "f");
    private static final Pattern USER_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}\\$?");

    private ConnectionVars() {
    }

    private static final Set<String> NAMES = Set.of(HOST, PORT, USER, KEY_FILE, CONNECTION, BECOME, BECOME_USER);

    /** Variable name to a one-line reason for each connection variable whose value is unusable, in map order. */
    public static Map<String, String> problems(Map<String, Object> vars) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String name : vars.keySet()) {
            if (NAMES.contains(name) && vars.get(name) != null) {
                String why = check(name, vars.get(name));
                if (why != null) {
                    out.put(name, name + " " + why);
                }
            }
        }
        return out;
    }

    private static String check(String name, Object v) {
        if (v instanceof String s && (s.contains("{{") || s.contains("{%"))) {
            return "uses a Jinja2 template, which sysfleet does not evaluate: '" + s + "'";
        }
        switch (name) {
            case PORT:
                return portValue(v) == null ? "must be a port number from 1 to 65535, got " + show(v) : null;
            case BECOME:
                return bool(v) == null ? "must be a boolean (true/false, yes/no, on/off, 1/0), got " + show(v) : null;
            case CONNECTION:
                return connectionValue(v) == null ? "must be 'ssh' or 'local', got " + show(v) : null;
            case HOST:
                if (!(v instanceof String s)) {
                    return "must be a host name or address, got " + show(v);
                }
                String why = HostAddress.unsafeReason(s);
                return why == null ? null : "'" + s + "' " + why;
            case USER:
            case BECOME_USER:
                return v instanceof String s && USER_NAME.matcher(s).matches()
                        ? null : "must be a user name (letters, digits, '_', '.', '-'), got " + show(v);
            case KEY_FILE:
                return v instanceof String s && !s.isBlank() && s.chars().noneMatch(Character::isISOControl)
                        ? null : "must be a file path, got " + show(v);
            default:
                return null;
        }
    }

    static String string(Host h, String name) {
        Object v = h.vars().get(name);
        if (v == null) {
            return null;
        }
        return (String) valid(h, name, v);
    }

    static Integer port(Host h) {
        Object v = h.vars().get(PORT);
        return v == null ? null : portValue(valid(h, PORT, v));
    }

    static String connection(Host h) {
        Object v = h.vars().get(CONNECTION);
        return v == null ? "ssh" : connectionValue(valid(h, CONNECTION, v));
    }

    static boolean become(Host h) {
        Object v = h.vars().get(BECOME);
        return v != null && bool(valid(h, BECOME, v));
    }

    private static Object valid(Host h, String name, Object v) {
        String why = check(name, v);
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

    private static String connectionValue(Object v) {
        if (!(v instanceof String s)) {
            return null;
        }
        return switch (s) {
            case "ssh", "smart" -> "ssh";
            case "local" -> "local";
            default -> null;
        };
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
}
