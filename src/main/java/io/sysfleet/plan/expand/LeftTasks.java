package io.sysfleet.plan.expand;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Whether a task sysfleet leaves for ansible-playbook ({@code --sysctl-only}) may change what the sysctl part
 * means: a template, copy, lineinfile (and the like) to a path under {@code /etc/sysctl*}, a command or shell that
 * runs {@code sysctl} or {@code modprobe}, systemd-sysctl restarted. (A modprobe task is not left: sysfleet runs
 * it, see {@link HostRun}.) Pure.
 */
public final class LeftTasks {
    private static final Set<String> FILE_MODULES = Set.of("template", "copy", "lineinfile", "blockinfile",
            "replace", "ini_file", "file", "community.general.ini_file");
    private static final Set<String> COMMANDS = Set.of("command", "shell", "raw", "script");
    private static final Set<String> SERVICES = Set.of("service", "systemd", "systemd_service");

    private LeftTasks() {
    }

    /**
     * Why the task may change the outcome, or null. {@code module} is the short name for ansible.builtin
     * modules; {@code render} renders an argument for this host (or returns it as written).
     */
    public static String risk(String module, Map<String, Object> args, Function<Object, String> render) {
        if (FILE_MODULES.contains(module)) {
            for (String a : new String[] {"dest", "path", "name"}) {
                if (args.get(a) != null) {
                    String path = render.apply(args.get(a));
                    if (path.startsWith("/etc/sysctl")) {
                        return "it writes " + path;
                    }
                }
            }
            return null;
        }
        if (COMMANDS.contains(module)) {
            Object cmd = args.get("_raw_params") != null ? args.get("_raw_params")
                    : args.get("cmd") != null ? args.get("cmd") : args.get("argv");
            String text = cmd == null ? "" : render.apply(cmd);
            for (String word : text.split("[\\s;&|'\"\\[\\],]+")) {
                String w = word.substring(word.lastIndexOf('/') + 1);
                if (w.equals("sysctl") || w.equals("modprobe")) {
                    return "it runs " + w;
                }
            }
            return null;
        }
        if (SERVICES.contains(module) && args.get("name") != null
                && render.apply(args.get("name")).toLowerCase(Locale.ROOT).startsWith("systemd-sysctl")) {
            return "it restarts systemd-sysctl";
        }
        return null;
    }
}
