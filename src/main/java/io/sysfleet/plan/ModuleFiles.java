package io.sysfleet.plan;

import io.sysfleet.playbook.ModprobeTask.Persistence;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Pure edits of the files that make a module persistent, with community.general.modprobe's rules: a module
 * loads at boot when a line of its {@code /etc/modules-load.d} file is its name (spaces and a trailing
 * {@code #} or {@code ;} comment allowed); its parameters are the {@code options MODULE PARAM...} lines of its
 * {@code /etc/modprobe.d} file. {@code present} adds the name when no line has it, and replaces the options lines
 * (commented out, one new line per parameter) when their parameters are not exactly the task's; {@code absent}
 * comments out both. Every other line, and every byte of a line left alone, stays as it was.
 *
 * <p>Unlike Ansible, which looks at every file of both directories, only the module's own files
 * ({@code MODULE.conf}, the files Ansible writes) are read and edited.
 */
public final class ModuleFiles {
    private ModuleFiles() {
    }

    /** The new text of the module's {@code /etc/modules-load.d} file ({@code old} null: the file does not exist). */
    public static String modulesLoad(String old, String module, Persistence p) {
        Pattern line = Pattern.compile("^ *" + Pattern.quote(module) + " *(?:[#;].*)?$");
        List<String> lines = lines(old);
        boolean listed = lines.stream().anyMatch(l -> line.matcher(strip(l)).matches());
        if (p == Persistence.PRESENT) {
            return listed ? nullToEmpty(old) : append(old, List.of(module));
        }
        if (p == Persistence.ABSENT && listed) {
            StringBuilder b = new StringBuilder();
            for (String l : lines) {
                b.append(line.matcher(strip(l)).matches() ? "#" + l : l);
            }
            return b.toString();
        }
        return nullToEmpty(old);
    }

    /** The new text of the module's {@code /etc/modprobe.d} file for {@code params}. */
    public static String options(String old, String module, List<String> params, Persistence p) {
        Pattern line = Pattern.compile("^options +" + Pattern.quote(module) + "((?: +\\S+)+?) *(?:[#;].*)?$");
        List<String> lines = lines(old);
        Set<String> current = new LinkedHashSet<>();
        boolean any = false;
        for (String l : lines) {
            Matcher m = line.matcher(strip(l));
            if (m.matches()) {
                any = true;
                current.addAll(List.of(m.group(1).strip().split(" +")));
            }
        }
        if (p == Persistence.DISABLED || p == Persistence.PRESENT && current.equals(new LinkedHashSet<>(params))
                || p == Persistence.ABSENT && !any) {
            return nullToEmpty(old);
        }
        StringBuilder b = new StringBuilder();
        for (String l : lines) {
            b.append(line.matcher(strip(l)).matches() ? "#" + l : l);
        }
        String kept = old == null ? null : b.toString();
        if (p == Persistence.ABSENT) {
            return nullToEmpty(kept);
        }
        List<String> add = new ArrayList<>();
        for (String param : params) {
            add.add("options " + module + " " + param);
        }
        return add.isEmpty() ? nullToEmpty(kept) : append(kept, add);
    }

    /** The parameters the module's options file gives it ({@code hashsize=131072}), in file order. */
    public static List<String> params(String text, String module) {
        Pattern line = Pattern.compile("^options +" + Pattern.quote(module) + "((?: +\\S+)+?) *(?:[#;].*)?$");
        List<String> out = new ArrayList<>();
        for (String l : lines(text)) {
            Matcher m = line.matcher(strip(l));
            if (m.matches()) {
                out.addAll(List.of(m.group(1).strip().split(" +")));
            }
        }
        return out;
    }

    /** The lines of {@code text} with their line ends. */
    private static List<String> lines(String text) {
        List<String> out = new ArrayList<>();
        if (text == null) {
            return out;
        }
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                out.add(text.substring(start, i + 1));
                start = i + 1;
            }
        }
        if (start < text.length()) {
            out.add(text.substring(start));
        }
        return out;
    }

    private static String strip(String line) {
        String l = line.endsWith("\n") ? line.substring(0, line.length() - 1) : line;
        return l.endsWith("\r") ? l.substring(0, l.length() - 1) : l;
    }

    private static String append(String old, List<String> add) {
        StringBuilder b = new StringBuilder(nullToEmpty(old));
        if (b.length() > 0 && b.charAt(b.length() - 1) != '\n') {
            b.append('\n');
        }
        for (String l : add) {
            b.append(l).append('\n');
        }
        return b.toString();
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
