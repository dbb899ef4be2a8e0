package io.sysfleet.inventory;

import io.sysfleet.core.Problem;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A loaded inventory: groups and hosts in the order Ansible keeps them, each host with its effective
 * variables. Immutable. Load one with {@link InventoryLoader#load(Path)} or
 * {@link InventoryLoader#load(List, InventoryLoader.Options)}.
 */
public final class Inventory {
    private final List<String> sources;
    private final Map<String, Group> groups;
    private final Map<String, Host> hosts;
    private final List<Problem> warnings;

    /**
     * @param groups every group by name in definition order, {@code all} and {@code ungrouped} first
     * @param hosts  every host by name in definition order
     */
    public Inventory(List<String> sources, Map<String, Group> groups, Map<String, Host> hosts,
                     List<Problem> warnings) {
        this.sources = List.copyOf(sources);
        this.groups = Collections.unmodifiableMap(new LinkedHashMap<>(groups));
        this.hosts = Collections.unmodifiableMap(new LinkedHashMap<>(hosts));
        this.warnings = List.copyOf(warnings);
    }

    /** The inventory sources, as given ({@code -i} values in order). */
    public List<String> sources() {
        return sources;
    }

    /** Every group in definition order ({@code all}, {@code ungrouped}, then as first named in the file). */
    public List<Group> groups() {
        return List.copyOf(groups.values());
    }

    /** The group of that name, or null. */
    public Group group(String name) {
        return groups.get(name);
    }

    /** Every host in the order first defined in the file. */
    public List<Host> hosts() {
        return List.copyOf(hosts.values());
    }

    /** The host of that name, or null. */
    public Host host(String name) {
        return hosts.get(name);
    }

    /** What Ansible would warn about (odd group names, a host and a group of one name, ...). */
    public List<Problem> warnings() {
        return warnings;
    }

    /**
     * The hosts of a group and of its child groups, in Ansible's order: the group's own hosts, then its
     * children's, then grandchildren's (breadth first), each host once. Empty for an unknown group.
     */
    public List<Host> hostsOf(String groupName) {
        Group start = groups.get(groupName);
        if (start == null) {
            return List.of();
        }
        List<Group> ordered = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        ordered.add(start);
        seen.add(start.name());
        for (int i = 0; i < ordered.size(); i++) {
            for (String child : ordered.get(i).children()) {
                if (seen.add(child)) {
                    ordered.add(groups.get(child));
                }
            }
        }
        Set<String> names = new LinkedHashSet<>();
        ordered.forEach(g -> names.addAll(g.hosts()));
        return names.stream().map(hosts::get).toList();
    }

    /** The names of the groups a host is in, directly or through child groups, sorted, without {@code all}. */
    public List<String> groupNames(String hostName) {
        return groups.values().stream()
                .filter(g -> !g.name().equals(InventoryGraph.ALL))
                .filter(g -> hostsOf(g.name()).stream().anyMatch(h -> h.name().equals(hostName)))
                .map(Group::name).sorted().toList();
    }

    /** The hosts an Ansible host pattern selects, in Ansible's order; empty when nothing matches. */
    public List<Host> select(String pattern) {
        return HostPattern.select(this, pattern, null);
    }

    /** As {@link #select(String)}, then kept to the hosts {@code limit} selects (like {@code --limit}); null for none. */
    public List<Host> select(String pattern, String limit) {
        return HostPattern.select(this, pattern, limit);
    }
}
