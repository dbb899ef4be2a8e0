package io.sysfleet.inventory;

import io.sysfleet.core.Problems;
import io.sysfleet.core.SourceLocation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The mutable group/host graph while an inventory is read (from one or more sources, YAML and INI alike), with
 * Ansible's rules: groups {@code all} and {@code ungrouped} always exist, no loops, groups without a parent become
 * children of {@code all}, hosts in no group go to {@code ungrouped}.
 */
final class InventoryGraph {
    static final String ALL = "all";
    static final String UNGROUPED = "ungrouped";

    static final class GroupDraft {
        final String name;
        final SourceLocation location;
        final List<GroupDraft> children = new ArrayList<>();
        final List<GroupDraft> parents = new ArrayList<>();
        final List<HostDraft> hosts = new ArrayList<>();
        final VarMap vars = new VarMap();
        /** group_vars/ files, one map per inventory source, in source order. */
        final List<VarMap> fileVars = new ArrayList<>();
        int priority = 1;
        int depth = -1;

        GroupDraft(String name, SourceLocation location) {
            this.name = name;
            this.location = location;
        }
    }

    static final class HostDraft {
        final String name;
        final SourceLocation location;
        final List<GroupDraft> groups = new ArrayList<>();
        final VarMap vars = new VarMap();
        /** host_vars/ files, one map per inventory source, in source order. */
        final List<VarMap> fileVars = new ArrayList<>();

        HostDraft(String name, SourceLocation location) {
            this.name = name;
            this.location = location;
        }
    }

    /** The names a host key stands for (ranges expanded) and the port it names, if any. */
    record Expanded(List<String> names, Integer port) {
    }

    /**
     * Ansible's {@code _expand_hostpattern}: an optional {@code :port}, then ranges; plus sysfleet's rule that
     * every name is safe to pass to SSH.
     *
     * @throws IllegalArgumentException with a one-line reason
     */
    static Expanded expandHosts(String key) {
        HostAddress.Parsed parsed = HostAddress.parse(key);
        List<String> names;
        try {
            names = HostRange.expand(parsed.pattern());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad host range '" + key + "': " + e.getMessage());
        }
        for (String name : names) {
            String unsafe = HostAddress.unsafeReason(name);
            if (unsafe != null) {
                throw new IllegalArgumentException("bad host name '" + InventoryLoader.printable(name) + "': "
                        + unsafe);
            }
        }
        return new Expanded(names, parsed.port());
    }

    /** Adds (or finds) each host and puts it in the group; a new host gets {@code ansible_port} from the key. */
    List<HostDraft> addHosts(GroupDraft group, Expanded hosts, SourceLocation where) {
        List<HostDraft> out = new ArrayList<>();
        for (String name : hosts.names()) {
            boolean isNew = !this.hosts.containsKey(name);
            HostDraft host = host(name, where);
            if (isNew && hosts.port() != null && hosts.port() != 0) {
                host.vars.put(ConnectionVars.PORT, hosts.port(), where);
            }
            if (group != null) {
                addHost(group, host);
            }
            out.add(host);
        }
        return out;
    }

    final Map<String, GroupDraft> groups = new LinkedHashMap<>();
    final Map<String, HostDraft> hosts = new LinkedHashMap<>();

    InventoryGraph(SourceLocation file) {
        group(ALL, file);
        group(UNGROUPED, file);
        link(groups.get(ALL), groups.get(UNGROUPED));
    }

    GroupDraft group(String name, SourceLocation where) {
        return groups.computeIfAbsent(name, n -> new GroupDraft(n, where));
    }

    HostDraft host(String name, SourceLocation where) {
        return hosts.computeIfAbsent(name, n -> new HostDraft(n, where));
    }

    /** Adds a child group; a reason when the edge is refused, else null. */
    String addChild(GroupDraft parent, GroupDraft child) {
        if (parent == child) {
            return "group '" + child.name + "' cannot be a child of itself";
        }
        if (child.name.equals(ALL)) {
            return "group 'all' cannot be a child of another group";
        }
        if (parent.children.contains(child)) {
            return null;
        }
        if (ancestors(parent).contains(child)) {
            return "adding group '" + child.name + "' as a child of '" + parent.name + "' creates a loop";
        }
        link(parent, child);
        return null;
    }

    void addHost(GroupDraft group, HostDraft host) {
        if (!group.hosts.contains(host)) {
            group.hosts.add(host);
            host.groups.add(group);
        }
    }

    private static void link(GroupDraft parent, GroupDraft child) {
        parent.children.add(child);
        if (!child.parents.contains(parent)) {
            child.parents.add(parent);
        }
    }

    static Set<GroupDraft> ancestors(GroupDraft g) {
        Set<GroupDraft> seen = new LinkedHashSet<>();
        List<GroupDraft> todo = new ArrayList<>(g.parents);
        while (!todo.isEmpty()) {
            GroupDraft p = todo.remove(todo.size() - 1);
            if (seen.add(p)) {
                todo.addAll(p.parents);
            }
        }
        return seen;
    }

    /** The groups a host belongs to, directly or through child groups ({@code all} included). */
    static Set<GroupDraft> groupsOf(HostDraft h) {
        Set<GroupDraft> out = new LinkedHashSet<>();
        for (GroupDraft g : h.groups) {
            out.add(g);
            out.addAll(ancestors(g));
        }
        return out;
    }

    /** Ansible's reconcile step, then group depths. */
    void reconcile(Problems warnings) {
        GroupDraft all = groups.get(ALL);
        GroupDraft ungrouped = groups.get(UNGROUPED);
        for (GroupDraft g : groups.values()) {
            if (g != all && g.parents.isEmpty()) {
                link(all, g);
            }
        }
        for (HostDraft h : hosts.values()) {
            Set<GroupDraft> mine = groupsOf(h);
            if (mine.contains(ungrouped)) {
                Set<GroupDraft> others = new HashSet<>(mine);
                others.remove(all);
                others.remove(ungrouped);
                if (!others.isEmpty() && h.groups.contains(ungrouped)) {
                    ungrouped.hosts.remove(h);
                    h.groups.remove(ungrouped);
                }
            } else if (mine.isEmpty() || (mine.size() == 1 && mine.contains(all))) {
                addHost(ungrouped, h);
            }
        }
        for (String name : groups.keySet()) {
            if (hosts.containsKey(name)) {
                warnings.add(hosts.get(name).location, "found both a group and a host named '" + name + "'");
            }
        }
        Map<GroupDraft, Integer> memo = new HashMap<>();
        for (GroupDraft g : groups.values()) {
            g.depth = depth(g, memo);
        }
    }

    private static int depth(GroupDraft g, Map<GroupDraft, Integer> memo) {
        Integer known = memo.get(g);
        if (known != null) {
            return known;
        }
        int d = 0;
        for (GroupDraft p : g.parents) {
            d = Math.max(d, depth(p, memo) + 1);
        }
        memo.put(g, d);
        return d;
    }
}
