package io.sysfleet.plan.expand;

import io.sysfleet.playbook.tree.*;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code ansible.posix.sysctl} module's changed/ok rule (SysctlModule.process), over one host's sysctl
 * files and live values, task after task: each task sees the files and live values the earlier tasks left
 * (outside check mode).
 */
public final class SysctlModuleModel implements SysctlExecutor {
    private final Map<String, String> files;
    private final Map<String, String> live = new HashMap<>();
    private final java.util.function.Function<String, String> liveBefore;

    /**
     * @param files      the text of each sysctl file (a missing file: no entry)
     * @param liveBefore the live value of a key (dotted) before the play, null when it has none
     */
    public SysctlModuleModel(Map<String, String> files, java.util.function.Function<String, String> liveBefore) {
        this.files = new HashMap<>();
        files.forEach((k, v) -> {
            if (v != null) {
                this.files.put(k, v);
            }
        });
        this.liveBefore = liveBefore;
    }

    @Override
    public Outcome run(SysctlCall c, boolean checkMode) {
        Map<String, String> values = values(files.get(c.sysctlFile()));
        String current = values.get(c.key());
        String proc = live.containsKey(c.key()) ? live.get(c.key()) : liveBefore.apply(c.key());
        boolean present = c.state().equals("present");
        String value = c.value() == null ? "" : c.value();
        boolean changed = false;
        boolean write = false;
        boolean setProc = false;
        if (current == null && present) {
            changed = write = true;
        } else if (current == null) {
            changed = false;
        } else if (!current.isEmpty() && !present) {
            changed = write = true;
        } else if (!current.equals(value)) {
            changed = write = true;
        } else if (c.reload() && !equal(proc, value)) {
            changed = true;
        }
        if (c.sysctlSet() && present && !equal(proc, value)) {
            changed = true;
            setProc = proc != null;
        }
        if (!checkMode) {
            if (setProc) {
                live.put(c.key(), value);
            }
            if (write) {
                files.put(c.sysctlFile(), rewrite(files.get(c.sysctlFile()), c.key(), value, present));
            }
            if (changed && c.reload()) {
                live.putAll(values(files.get(c.sysctlFile())));
            }
        }
        return new Outcome(changed, null);
    }

    private static boolean equal(String a, String b) {
        if (a == null || b == null) {
            return false;
        }
        return java.util.Arrays.equals(a.strip().split("\\s+"), b.strip().split("\\s+"));
    }

    /** The module's read_sysctl_file: the last value of each key, keys and values stripped. */
    static Map<String, String> values(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        if (text == null) {
            return out;
        }
        for (String line : text.split("\n", -1)) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#") || l.startsWith(";") || !l.contains("=")) {
                continue;
            }
            int eq = l.indexOf('=');
            out.put(l.substring(0, eq).strip(), l.substring(eq + 1).strip());
        }
        return out;
    }

    /** The module's fix_lines + write_sysctl. */
    static String rewrite(String text, String key, String value, boolean present) {
        StringBuilder out = new StringBuilder();
        java.util.Set<String> checked = new java.util.HashSet<>();
        if (text != null) {
            String[] lines = text.split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                if (i == lines.length - 1 && lines[i].isEmpty()) {
                    break;
                }
                String l = lines[i].strip();
                if (l.isEmpty() || l.startsWith("#") || l.startsWith(";") || !l.contains("=")) {
                    out.append(l).append('\n');
                    continue;
                }
                int eq = l.indexOf('=');
                String k = l.substring(0, eq).strip();
                if (checked.add(k)) {
                    if (k.equals(key)) {
                        if (present) {
                            out.append(k).append('=').append(value).append('\n');
                        }
                    } else {
                        out.append(k).append('=').append(l.substring(eq + 1).strip()).append('\n');
                    }
                }
            }
        }
        if (!checked.contains(key) && present) {
            out.append(key).append('=').append(value).append('\n');
        }
        return out.toString();
    }
}
