package io.sysfleet.playbook;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where Ansible looks for roles after {@code roles/} beside the playbook: {@code ANSIBLE_ROLES_PATH} when set,
 * else {@code roles_path} in the {@code [defaults]} section of the ansible.cfg Ansible would read
 * ({@code ANSIBLE_CONFIG}, {@code ./ansible.cfg}, {@code ~/.ansible.cfg}, {@code /etc/ansible/ansible.cfg}: the
 * first that exists), else Ansible's default {@code ~/.ansible/roles:/usr/share/ansible/roles:/etc/ansible/roles}.
 * Relative entries of ansible.cfg are relative to the file's directory; {@code ~} is the home directory. Pure
 * apart from reading the one config file.
 */
public final class RolesPath {
    private RolesPath() {
    }

    /** The roles path for this environment, {@code cwd} being the directory sysfleet runs in. */
    public static List<Path> of(Map<String, String> env, Path cwd) {
        String home = env.getOrDefault("HOME", System.getProperty("user.home"));
        String fromEnv = env.get("ANSIBLE_ROLES_PATH");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return split(fromEnv, cwd, home);
        }
        List<Path> configs = new ArrayList<>();
        if (env.get("ANSIBLE_CONFIG") != null && !env.get("ANSIBLE_CONFIG").isBlank()) {
            configs.add(cwd.resolve(env.get("ANSIBLE_CONFIG")));
        }
        configs.add(cwd.resolve("ansible.cfg"));
        configs.add(Path.of(home, ".ansible.cfg"));
        configs.add(Path.of("/etc/ansible/ansible.cfg"));
        for (Path cfg : configs) {
            if (Files.isRegularFile(cfg)) {
                String value = rolesPath(cfg);
                if (value != null) {
                    return split(value, cfg.toAbsolutePath().getParent(), home);
                }
                break;
            }
        }
        return split("~/.ansible/roles:/usr/share/ansible/roles:/etc/ansible/roles", cwd, home);
    }

    /** {@code roles_path} of the {@code [defaults]} section, or null. */
    static String rolesPath(Path cfg) {
        List<String> lines;
        try {
            lines = Files.readAllLines(cfg);
        } catch (IOException e) {
            return null;
        }
        boolean defaults = false;
        for (String raw : lines) {
            String line = raw.strip();
            if (line.startsWith("[")) {
                defaults = line.equals("[defaults]");
            } else if (defaults && !line.startsWith("#") && !line.startsWith(";")) {
                int eq = line.indexOf('=');
                if (eq > 0 && line.substring(0, eq).strip().equals("roles_path")) {
                    return line.substring(eq + 1).strip();
                }
            }
        }
        return null;
    }

    private static List<Path> split(String value, Path base, String home) {
        List<Path> out = new ArrayList<>();
        for (String part : value.split(":")) {
            String p = part.strip();
            if (p.isEmpty()) {
                continue;
            }
            if (p.equals("~") || p.startsWith("~/")) {
                p = home + p.substring(1);
            }
            out.add(base.resolve(p).normalize());
        }
        return out;
    }
}
