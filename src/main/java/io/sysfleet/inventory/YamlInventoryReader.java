package io.sysfleet.inventory;

import io.sysfleet.config.YNode;
import io.sysfleet.config.YNode.YMap;
import io.sysfleet.config.YNode.YScalar;
import io.sysfleet.core.Problems;
import io.sysfleet.core.SourceLocation;
import io.sysfleet.inventory.InventoryGraph.GroupDraft;
import io.sysfleet.inventory.InventoryGraph.HostDraft;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Adds one YAML inventory (the {@code yaml} inventory plugin's format) to the graph. Every problem is collected
 * with file:line:col; where Ansible only warns and skips (unknown keys, malformed groups), sysfleet refuses.
 */
final class YamlInventoryReader {
    static final Pattern INVALID_GROUP_CHARS = Pattern.compile("^[\\d\\W]|[^\\w]", Pattern.UNICODE_CHARACTER_CLASS);
    static final String PRIORITY = "ansible_group_priority";

    private final InventoryGraph graph;
    private final Problems problems;
    private final Problems warnings;
    private final Function<Object, Object> value;

    /** {@code value} turns each variable's value into what is stored (secret values of an encrypted file). */
    YamlInventoryReader(InventoryGraph graph, Problems problems, Problems warnings, Function<Object, Object> value) {
        this.graph = graph;
        this.problems = problems;
        this.warnings = warnings;
        this.value = value;
    }

    /** Reads the top mapping (group name to group); problems are collected, not thrown. */
    void read(YMap top) {
        for (YNode.Entry e : top.entries()) {
            group(e.key(), e.keyLocation(), e.value());
        }
    }

    static void warnGroupName(String name, SourceLocation where, Problems warnings) {
        if (INVALID_GROUP_CHARS.matcher(name).find()) {
            warnings.add(where, "group name '" + name + "' has characters Ansible calls invalid in group names"
                    + " (only letters, digits and '_', not starting with a digit); kept as is, as Ansible does");
        }
    }

    private GroupDraft group(String name, SourceLocation where, YNode node) {
        if (name.isEmpty()) {
            problems.add(where, "a group name cannot be empty");
            return null;
        }
        warnGroupName(name, where, warnings);
        GroupDraft group = graph.group(name, where);
        if (node == null || node instanceof YScalar s && s.isNull()) {
            return group;
        }
        if (!(node instanceof YMap map)) {
            problems.add(node.location(), "group '" + name + "' must be a mapping with hosts, children or vars, not "
                    + node.kind());
            return group;
        }
        for (YNode.Entry e : map.entries()) {
            switch (e.key()) {
                case "vars" -> section(group, e).forEach(v -> groupVar(group, v));
                case "children" -> section(group, e).forEach(c -> child(group, c));
                case "hosts" -> section(group, e).forEach(h -> hosts(group, h));
                default -> problems.add(e.keyLocation(), "unknown key '" + e.key() + "' in group '" + name
                        + "'; a group has only hosts, children and vars");
            }
        }
        return group;
    }

    /** The entries of a hosts/children/vars section; a plain string is one entry with no value, as in Ansible. */
    private List<YNode.Entry> section(GroupDraft group, YNode.Entry section) {
        YNode v = section.value();
        List<YNode.Entry> out = new ArrayList<>();
        if (v instanceof YMap m) {
            out.addAll(m.entries());
        } else if (v instanceof YScalar s && s.value() instanceof String text) {
            out.add(new YNode.Entry(text, s.location(), new YScalar(s.location(), null, "", false)));
        } else if (!(v instanceof YScalar s && s.isNull())) {
            problems.add(v.location(), "'" + section.key() + "' of group '" + group.name
                    + "' must be a mapping, not " + v.kind());
        }
        return out;
    }

    private void groupVar(GroupDraft group, YNode.Entry v) {
        if (PRIORITY.equals(v.key())) {
            Integer p = priority(v.value().toJava());
            if (p == null) {
                problems.add(v.value().location(), PRIORITY + " of group '" + group.name
                        + "' must be an integer, not " + v.value().kind());
            } else {
                group.priority = p;
            }
            return;
        }
        group.vars.put(v.key(), value.apply(v.value().toJava()), v.keyLocation());
    }

    /** Python's int() of an ansible_group_priority value, or null when int() would fail. */
    static Integer priority(Object v) {
        if (v instanceof Integer i) {
            return i;
        }
        if (v instanceof Long l && l == l.intValue()) {
            return l.intValue();
        }
        if (v instanceof Boolean b) {
            return b ? 1 : 0;
        }
        if (v instanceof Double d && Double.isFinite(d) && Math.abs(d) < 1e9) {
            return (int) d.doubleValue();
        }
        if (v instanceof String str && str.strip().matches("[-+]?[0-9](_?[0-9]){0,8}")) {
            return Integer.valueOf(str.strip().replace("_", ""));
        }
        return null;
    }

    private void child(GroupDraft parent, YNode.Entry c) {
        GroupDraft child = group(c.key(), c.keyLocation(), c.value());
        if (child != null) {
            String refused = graph.addChild(parent, child);
            if (refused != null) {
                problems.add(c.keyLocation(), refused);
            }
        }
    }

    private void hosts(GroupDraft group, YNode.Entry h) {
        YNode node = h.value();
        boolean empty = node == null || node instanceof YScalar s && s.isNull();
        if (!empty && !(node instanceof YMap)) {
            problems.add(node.location(), "host '" + h.key() + "' in group '" + group.name
                    + "' must have a mapping of variables or nothing, not " + node.kind());
            return;
        }
        InventoryGraph.Expanded expanded;
        try {
            expanded = InventoryGraph.expandHosts(h.key());
        } catch (IllegalArgumentException e) {
            problems.add(h.keyLocation(), e.getMessage());
            return;
        }
        for (HostDraft host : graph.addHosts(group, expanded, h.keyLocation())) {
            if (!empty) {
                for (YNode.Entry v : ((YMap) node).entries()) {
                    host.vars.put(v.key(), value.apply(v.value().toJava()), v.keyLocation());
                }
            }
        }
    }
}
