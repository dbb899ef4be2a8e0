package io.sysfleet.inventory;

import io.sysfleet.core.Problem;
import io.sysfleet.core.Problems;
import io.sysfleet.core.SourceLocation;
import io.sysfleet.inventory.InventoryGraph.GroupDraft;
import io.sysfleet.inventory.InventoryGraph.HostDraft;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the read graph into the immutable {@link Inventory}: effective host variables in ansible-core's order of
 * precedence, and connection variables checked.
 *
 * <p>Order, lowest first (later wins); this is ansible-core 2.14's default {@code VARIABLE_PRECEDENCE}
 * ({@code all_inventory, groups_inventory, all_plugins_inventory, groups_plugins_inventory}, then host vars):
 * <ol>
 *   <li>{@code all}'s inventory-file vars;</li>
 *   <li>the inventory-file vars of the host's other groups, sorted by (depth, ansible_group_priority, name);</li>
 *   <li>{@code group_vars/all}, for each source in {@code -i} order;</li>
 *   <li>{@code group_vars/GROUP} for each source in {@code -i} order, and within a source for each group in
 *       that same sorted order (so a later source beats a higher-priority group of an earlier one);</li>
 *   <li>the host's inventory-file vars (a later source's line for the host wins);</li>
 *   <li>{@code host_vars/HOST}, for each source in order.</li>
 * </ol>
 * A parent's {@code group_vars/} file therefore beats a child group's inline vars, and {@code group_vars/all}
 * beats every group's inline vars, as in Ansible.
 */
final class InventoryAssembler {
    static final Comparator<GroupDraft> GROUP_ORDER = Comparator.<GroupDraft>comparingInt(g -> g.depth)
            .thenComparingInt(g -> g.priority)
            .thenComparing(g -> g.name, PyJson::compareCodePoints); // Python compares str by code point

    private InventoryAssembler() {
    }

    static Inventory assemble(List<String> sources, InventoryGraph graph, List<Problem> warnings, Problems problems,
                              boolean withVars) {
        Map<String, Group> groups = new LinkedHashMap<>();
        for (GroupDraft g : graph.groups.values()) {
            VarMap own = new VarMap();
            if (withVars) {
                own.putAll(g.vars);
                g.fileVars.forEach(own::putAll);
            }
            groups.put(g.name, new Group(g.name, g.children.stream().map(c -> c.name).toList(),
                    g.hosts.stream().map(h -> h.name).toList(), own.values(), g.depth, g.priority));
        }
        Map<String, Host> hosts = new LinkedHashMap<>();
        for (HostDraft h : graph.hosts.values()) {
            VarMap vars = withVars ? effectiveVars(graph, h) : new VarMap();
            Host host = new Host(h.name, vars.values());
            ConnectionVars.problems(host.vars()).forEach((name, why) -> {
                SourceLocation where = vars.origin(name);
                problems.add(where == null ? h.location : where, "host '" + h.name + "': " + why);
            });
            hosts.put(h.name, host);
        }
        return new Inventory(sources, groups, hosts, warnings);
    }

    static VarMap effectiveVars(InventoryGraph graph, HostDraft h) {
        GroupDraft all = graph.groups.get(InventoryGraph.ALL);
        List<GroupDraft> mine = new ArrayList<>(InventoryGraph.groupsOf(h));
        mine.remove(all);
        mine.sort(GROUP_ORDER);
        VarMap vars = new VarMap();
        vars.putAll(all.vars);
        mine.forEach(g -> vars.putAll(g.vars));
        all.fileVars.forEach(vars::putAll);
        for (int source = 0; source < all.fileVars.size(); source++) {
            for (GroupDraft g : mine) {
                vars.putAll(g.fileVars.get(source));
            }
        }
        vars.putAll(h.vars);
        h.fileVars.forEach(vars::putAll);
        return vars;
    }
}
