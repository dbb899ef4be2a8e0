package io.sysfleet.inventory;

import io.sysfleet.core.Problems;
import io.sysfleet.core.SourceLocation;
import io.sysfleet.inventory.InventoryGraph.GroupDraft;
import io.sysfleet.inventory.InventoryGraph.HostDraft;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the read graph into the immutable {@link Inventory}: effective host variables in Ansible's order of
 * precedence, and connection variables checked.
 *
 * <p>Order (later wins): {@code all} inline vars, {@code group_vars/all}, the inline vars of the host's other
 * groups sorted by (depth, ansible_group_priority, name), their {@code group_vars/} files in that same order,
 * the host's inline vars, {@code host_vars/} files. This is ansible-core's default VARIABLE_PRECEDENCE: a
 * parent group's group_vars file therefore overrides a child group's inline vars, as in Ansible.
 */
final class InventoryAssembler {
    static final Comparator<GroupDraft> GROUP_ORDER = Comparator.<GroupDraft>comparingInt(g -> g.depth)
            .thenComparingInt(g -> g.priority)
            .thenComparing(g -> g.name);

    private InventoryAssembler() {
    }

    static Inventory assemble(Path file, InventoryGraph graph, List<io.sysfleet.core.Problem> warnings,
                              Problems problems) {
        Map<String, Group> groups = new LinkedHashMap<>();
        for (GroupDraft g : graph.groups.values()) {
            VarMap own = new VarMap();
            own.putAll(g.vars);
            own.putAll(g.fileVars);
            groups.put(g.name, new Group(g.name, g.children.stream().map(c -> c.name).toList(),
                    g.hosts.stream().map(h -> h.name).toList(), own.values(), g.depth, g.priority));
        }
        Map<String, Host> hosts = new LinkedHashMap<>();
        for (HostDraft h : graph.hosts.values()) {
            VarMap vars = effectiveVars(graph, h);
            Host host = new Host(h.name, vars.values());
            ConnectionVars.problems(host.vars()).forEach((name, why) -> {
                SourceLocation where = vars.origin(name);
                problems.add(where == null ? h.location : where, "host '" + h.name + "': " + why);
            });
            hosts.put(h.name, host);
        }
        return new Inventory(file, groups, hosts, warnings);
    }

    static VarMap effectiveVars(InventoryGraph graph, HostDraft h) {
        GroupDraft all = graph.groups.get(InventoryGraph.ALL);
        List<GroupDraft> mine = new ArrayList<>(InventoryGraph.groupsOf(h));
        mine.remove(all);
        mine.sort(GROUP_ORDER);
        VarMap vars = new VarMap();
        vars.putAll(all.vars);
        vars.putAll(all.fileVars);
        mine.forEach(g -> vars.putAll(g.vars));
        mine.forEach(g -> vars.putAll(g.fileVars));
        vars.putAll(h.vars);
        vars.putAll(h.fileVars);
        return vars;
    }
}
