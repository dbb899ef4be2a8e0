package io.sysfleet.inventory;

import io.sysfleet.config.YNode;
import io.sysfleet.config.YNode.YMap;
import io.sysfleet.config.YNode.YScalar;
import io.sysfleet.config.YamlLoader;
import io.sysfleet.core.ConfigException;
import io.sysfleet.core.Problems;
import io.sysfleet.core.SourceLocation;
import io.sysfleet.inventory.InventoryGraph.GroupDraft;
import io.sysfleet.inventory.InventoryGraph.HostDraft;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads an Ansible YAML inventory file (the {@code yaml} inventory plugin's format) and the
 * {@code group_vars/} and {@code host_vars/} beside it. Every problem is reported with file:line:col; where
 * Ansible only warns and skips (unknown keys, malformed groups), sysfleet refuses the inventory.
 */
public final class InventoryLoader {
    private static final Pattern INVALID_GROUP_CHARS = Pattern.compile("^[\\d\\W]|[^\\w]",
            Pattern.UNICODE_CHARACTER_CLASS);
    private static final String PRIORITY = "ansible_group_priority";

    private final Problems problems = new Problems();
    private final Problems warnings = new Problems();
    private InventoryGraph graph;

    private InventoryLoader() {
    }

    /**
     * Loads an inventory file.
     *
     * @throws ConfigException with every problem found (exit code 4)
     */
    public static Inventory load(Path file) {
        return new InventoryLoader().read(file);
    }

    private Inventory read(Path file) {
        YNode root = YamlLoader.load(file);
        SourceLocation whole = SourceLocation.file(file);
        if (root == null || root instanceof YScalar s && s.isNull()) {
            throw new ConfigException(whole, "the inventory is empty");
        }
        if (!(root instanceof YMap top)) {
            throw new ConfigException(root.location(),
                    "an inventory must be a mapping of group names (all: ...), not " + root.kind());
        }
        if (top.get("plugin") != null) {
            throw new ConfigException(top.entry("plugin").keyLocation(),
                    "inventory plugin configuration files are not supported; write a YAML inventory with groups");
        }
        graph = new InventoryGraph(whole);
        for (YNode.Entry e : top.entries()) {
            group(e.key(), e.keyLocation(), e.value());
        }
        problems.throwIfAny();
        graph.reconcile(warnings);
        Path base = file.toAbsolutePath().getParent();
        VarsFiles files = new VarsFiles(base, problems, warnings);
        graph.groups.values().forEach(g -> files.load("group_vars", g.name, g.fileVars));
        graph.hosts.values().forEach(h -> files.load("host_vars", h.name, h.fileVars));
        problems.throwIfAny();
        Inventory inventory = InventoryAssembler.assemble(file, graph, warnings.list(), problems);
        problems.throwIfAny();
        return inventory;
    }

    private GroupDraft group(String name, SourceLocation where, YNode value) {
        if (name.isEmpty()) {
            problems.add(where, "a group name cannot be empty");
            return null;
        }
        if (INVALID_GROUP_CHARS.matcher(name).find()) {
            warnings.add(where, "group name '" + name + "' has characters Ansible calls invalid in group names"
                    + " (only letters, digits and '_', not starting with a digit); kept as is, as Ansible does");
        }
        GroupDraft group = graph.group(name, where);
        if (value == null || value instanceof YScalar s && s.isNull()) {
            return group;
        }
        if (!(value instanceof YMap map)) {
            problems.add(value.location(), "group '" + name + "' must be a mapping with hosts, children or vars, not "
                    + value.kind());
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
            Integer p = priority(v.value());
            if (p == null) {
                problems.add(v.value().location(), PRIORITY + " of group '" + group.name
                        + "' must be an integer, not " + v.value().kind());
            } else {
                group.priority = p;
            }
            return;
        }
        group.vars.put(v.key(), v.value().toJava(), v.keyLocation());
    }

    private static Integer priority(YNode n) {
        if (n instanceof YScalar s) {
            Object v = s.value();
            if (v instanceof Integer i) {
                return i;
            }
            if (v instanceof Boolean b) {
                return b ? 1 : 0;
            }
            if (v instanceof String str && str.trim().matches("[-+]?[0-9]{1,9}")) {
                return Integer.valueOf(str.trim());
            }
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
        YNode value = h.value();
        boolean empty = value == null || value instanceof YScalar s && s.isNull();
        if (!empty && !(value instanceof YMap)) {
            problems.add(value.location(), "host '" + h.key() + "' in group '" + group.name
                    + "' must have a mapping of variables or nothing, not " + value.kind());
            return;
        }
        HostAddress.Parsed parsed = HostAddress.parse(h.key());
        List<String> names;
        try {
            names = HostRange.expand(parsed.pattern());
        } catch (IllegalArgumentException e) {
            problems.add(h.keyLocation(), "bad host range '" + h.key() + "': " + e.getMessage());
            return;
        }
        for (String name : names) {
            String unsafe = HostAddress.unsafeReason(name);
            if (unsafe != null) {
                problems.add(h.keyLocation(), "bad host name '" + printable(name) + "': " + unsafe);
                return;
            }
        }
        for (String name : names) {
            boolean isNew = !graph.hosts.containsKey(name);
            HostDraft host = graph.host(name, h.keyLocation());
            if (isNew && parsed.port() != null) {
                host.vars.put(ConnectionVars.PORT, parsed.port(), h.keyLocation());
            }
            graph.addHost(group, host);
            if (!empty) {
                for (YNode.Entry v : ((YMap) value).entries()) {
                    host.vars.put(v.key(), v.value().toJava(), v.keyLocation());
                }
            }
        }
    }

    /** The name with control characters made visible, so the error stays on one line. */
    static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        s.codePoints().forEach(cp -> {
            if (Character.isISOControl(cp) || Character.getType(cp) == Character.FORMAT) {
                sb.append(String.format("\\u%04x", cp));
            } else {
                sb.append(Character.toChars(cp));
            }
        });
        return sb.toString();
    }
}
