package io.sysfleet.inventory;

import io.sysfleet.core.Problems;
import io.sysfleet.core.SourceLocation;
import io.sysfleet.inventory.InventoryGraph.GroupDraft;
import io.sysfleet.inventory.InventoryGraph.HostDraft;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Adds one INI inventory to the graph, read as Ansible's {@code ini} inventory plugin reads it:
 * <ul>
 *   <li>lines are stripped; empty lines and lines starting with {@code #} or {@code ;} are skipped;</li>
 *   <li>{@code [group]}, {@code [group:hosts]}, {@code [group:vars]}, {@code [group:children]} start sections;
 *       lines before the first section are hosts of {@code ungrouped};</li>
 *   <li>a host line is split like a shell line ({@link Shlex}, {@code #} comments): a host (range, {@code :port})
 *       and {@code key=value} words;</li>
 *   <li>every value, on host lines and in {@code :vars} sections alike, is typed with Python's
 *       {@code ast.literal_eval} ({@link PyLiteral}): {@code 22} is a number, {@code yes} stays text;</li>
 *   <li>a group named under {@code :children} before it is declared is linked when its {@code [name]} or
 *       {@code [name:children]} section comes; a {@code [name:vars]} section alone does not declare a group.</li>
 * </ul>
 * The first problem stops the file, as in Ansible; it is thrown as {@link IniException} with its line.
 */
final class IniInventoryReader {
    /** A problem in an INI file: the 1-based line and a one-line message. */
    static final class IniException extends RuntimeException {
        final int line;

        IniException(int line, String message) {
            super(message, null, false, false);
            this.line = line;
        }
    }

    private static final Pattern SECTION = Pattern.compile(
            "^\\[([^:\\]\\s]+)(?::(\\w+))?\\]\\s*(?:#.*)?$", Pattern.UNICODE_CHARACTER_CLASS);
    private static final Pattern GROUP_NAME = Pattern.compile("^([^:\\]\\s]+)\\s*(?:#.*)?$",
            Pattern.UNICODE_CHARACTER_CLASS);

    private record Pending(int line, String state, String name, List<String> parents) {
    }

    private final InventoryGraph graph;
    private final Path file;
    private final Problems warnings;
    private final Function<Object, Object> value;
    private int lineno;

    IniInventoryReader(InventoryGraph graph, Path file, Problems warnings, Function<Object, Object> value) {
        this.graph = graph;
        this.file = file;
        this.warnings = warnings;
        this.value = value;
    }

    /**
     * Reads the file's lines (already decoded).
     *
     * @throws IniException at the first problem
     */
    void read(List<String> lines) {
        Map<String, Pending> pending = new LinkedHashMap<>();
        String groupname = InventoryGraph.UNGROUPED;
        String state = "hosts";
        lineno = 0;
        for (String raw : lines) {
            lineno++;
            String line = pyStrip(raw);
            if (line.isEmpty() || line.charAt(0) == '#' || line.charAt(0) == ';') {
                continue;
            }
            Matcher m = SECTION.matcher(line);
            if (m.matches()) {
                groupname = m.group(1);
                state = m.group(2) == null ? "hosts" : m.group(2);
                YamlInventoryReader.warnGroupName(groupname, where(), warnings);
                if (!List.of("hosts", "children", "vars").contains(state)) {
                    throw error("section [" + groupname + ":" + state + "] has unknown type: " + state
                            + " (use [" + groupname + "], [" + groupname + ":vars] or [" + groupname + ":children])");
                }
                if (!graph.groups.containsKey(groupname)) {
                    if (state.equals("vars") && !pending.containsKey(groupname)) {
                        pending.put(groupname, new Pending(lineno, state, groupname, new ArrayList<>()));
                    }
                    graph.group(groupname, where());
                }
                Pending p = pending.get(groupname);
                if (p != null && !state.equals("vars")) {
                    if (p.state().equals("children")) {
                        addPendingChildren(groupname, pending);
                    } else {
                        pending.remove(groupname);
                    }
                }
                continue;
            } else if (line.startsWith("[") && line.endsWith("]")) {
                throw error("invalid section entry '" + line + "': a section is [group], [group:vars] or"
                        + " [group:children], without spaces");
            }
            switch (state) {
                case "hosts" -> hostLine(line, groupname);
                case "vars" -> varLine(line, groupname);
                default -> childLine(line, groupname, pending);
            }
        }
        for (Pending p : pending.values()) {
            if (p.state().equals("vars")) {
                throw new IniException(p.line(), "section [" + p.name() + ":vars] is for group '" + p.name()
                        + "', which is never declared with [" + p.name() + "] or [" + p.name() + ":children]");
            }
            throw new IniException(p.line(), "section [" + p.parents().get(p.parents().size() - 1)
                    + ":children] names group '" + p.name() + "', which is never declared with [" + p.name()
                    + "] or [" + p.name() + ":children]");
        }
    }

    private void addPendingChildren(String group, Map<String, Pending> pending) {
        for (String parent : pending.get(group).parents()) {
            link(graph.groups.get(parent), graph.groups.get(group));
            Pending pp = pending.get(parent);
            if (pp != null && pp.state().equals("children")) {
                addPendingChildren(parent, pending);
            }
        }
        pending.remove(group);
    }

    private void link(GroupDraft parent, GroupDraft child) {
        String refused = graph.addChild(parent, child);
        if (refused != null) {
            throw error(refused);
        }
    }

    private void childLine(String line, String groupname, Map<String, Pending> pending) {
        Matcher m = GROUP_NAME.matcher(line);
        if (!m.matches()) {
            throw error("expected a group name in [" + groupname + ":children], got '" + line + "'");
        }
        String child = m.group(1);
        if (!graph.groups.containsKey(child)) {
            Pending p = pending.get(child);
            if (p == null) {
                pending.put(child, new Pending(lineno, "children", child, new ArrayList<>(List.of(groupname))));
            } else {
                p.parents().add(groupname);
            }
        } else {
            link(graph.groups.get(groupname), graph.groups.get(child));
        }
    }

    private void varLine(String line, String groupname) {
        int eq = line.indexOf('=');
        if (eq < 0) {
            throw error("expected key=value in [" + groupname + ":vars], got '" + line + "'");
        }
        String key = pyStrip(line.substring(0, eq));
        Object v = literal(pyStrip(line.substring(eq + 1)));
        GroupDraft group = graph.groups.get(groupname);
        if (YamlInventoryReader.PRIORITY.equals(key)) {
            Integer p = YamlInventoryReader.priority(v);
            if (p == null) {
                throw error(YamlInventoryReader.PRIORITY + " of group '" + groupname + "' must be an integer, got '"
                        + line.substring(eq + 1).strip() + "'");
            }
            group.priority = p;
            return;
        }
        group.vars.put(key, value.apply(v), where());
    }

    private void hostLine(String line, String groupname) {
        List<String> tokens;
        try {
            tokens = Shlex.split(line);
        } catch (IllegalArgumentException e) {
            throw error("cannot split host line '" + line + "': " + e.getMessage());
        }
        if (tokens.isEmpty()) {
            return;
        }
        String pattern = tokens.get(0);
        InventoryGraph.Expanded hosts;
        try {
            hosts = InventoryGraph.expandHosts(pattern);
        } catch (IllegalArgumentException e) {
            throw error(e.getMessage());
        }
        if (pattern.strip().endsWith(":") && hosts.port() == null) {
            throw error("invalid host pattern '" + pattern + "': a trailing ':' is reserved for a port"
                    + " (is this a YAML file with another name?)");
        }
        for (String name : hosts.names()) {
            if (name.strip().equals("---")) {
                throw error("invalid host pattern '" + pattern + "': '---' is normally a sign this is a YAML file");
            }
        }
        Map<String, Object> vars = new LinkedHashMap<>();
        for (String t : tokens.subList(1, tokens.size())) {
            int eq = t.indexOf('=');
            if (eq < 0) {
                throw error("expected key=value host variable assignment, got '" + t + "'");
            }
            vars.put(t.substring(0, eq), literal(t.substring(eq + 1)));
        }
        GroupDraft group = graph.groups.get(groupname);
        for (HostDraft host : graph.addHosts(group, hosts, where())) {
            vars.forEach((k, v) -> host.vars.put(k, value.apply(v), where()));
        }
    }

    private Object literal(String text) {
        try {
            return PyLiteral.valueOf(text);
        } catch (PyLiteral.Unsupported e) {
            throw error(e.getMessage());
        }
    }

    private SourceLocation where() {
        return new SourceLocation(file.toString(), lineno, 0);
    }

    private IniException error(String message) {
        return new IniException(lineno, message);
    }

    /** Python's str.strip(): Unicode whitespace at both ends. */
    static String pyStrip(String s) {
        int a = 0;
        int b = s.length();
        while (a < b && isPySpace(s.charAt(a))) {
            a++;
        }
        while (b > a && isPySpace(s.charAt(b - 1))) {
            b--;
        }
        return s.substring(a, b);
    }

    private static boolean isPySpace(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\u0085';
    }

    /** Python's str.splitlines(). */
    static List<String> pySplitLines(String s) {
        List<String> out = new ArrayList<>();
        int start = 0;
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '\n' || c == '\r' || c == '\u000b' || c == '\f' || c == '\u001c' || c == '\u001d'
                    || c == '\u001e' || c == '\u0085' || c == '\u2028' || c == '\u2029') {
                out.add(s.substring(start, i));
                i += c == '\r' && i + 1 < s.length() && s.charAt(i + 1) == '\n' ? 2 : 1;
                start = i;
            } else {
                i++;
            }
        }
        if (start < s.length()) {
            out.add(s.substring(start));
        }
        return out;
    }
}
