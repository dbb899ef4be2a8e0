package io.sysfleet.plan.expand;

import io.sysfleet.playbook.tree.*;

import io.sysfleet.inventory.Group;
import io.sysfleet.inventory.Host;
import io.sysfleet.inventory.Inventory;
import io.sysfleet.template.Vars;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Ansible's magic variables for one host: {@code inventory_hostname} (and {@code _short}), {@code group_names}
 * (sorted, without {@code all}), {@code groups} (every group's hosts, {@code all} and {@code ungrouped}
 * included) and {@code hostvars} (each host's inventory variables, rendered against that host when read).
 */
public final class MagicVars {
    private MagicVars() {
    }

    /** The magic variables of a host known without its inventory: its name, no groups. */
    public static Map<String, Object> of(Host host) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("inventory_hostname", host.name());
        m.put("inventory_hostname_short", host.name().split("\\.", 2)[0]);
        m.put("group_names", List.of());
        m.put("groups", Map.of("all", List.of(host.name())));
        m.put("hostvars", Map.of(host.name(), Vars.of(host.vars())));
        return m;
    }

    public static Map<String, Object> of(Inventory inventory, Host host) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("inventory_hostname", host.name());
        m.put("inventory_hostname_short", host.name().split("\\.", 2)[0]);
        m.put("group_names", inventory.groupNames(host.name()));
        Map<String, Object> groups = new LinkedHashMap<>();
        for (Group g : inventory.groups()) {
            groups.put(g.name(), inventory.hostsOf(g.name()).stream().map(Host::name).toList());
        }
        m.put("groups", groups);
        Map<String, Object> hostvars = new LinkedHashMap<>();
        for (Host h : inventory.hosts()) {
            Map<String, Object> hv = new LinkedHashMap<>(h.vars());
            hv.put("inventory_hostname", h.name());
            hostvars.put(h.name(), Vars.of(hv));
        }
        m.put("hostvars", hostvars);
        m.put("play_hosts", List.of());
        return m;
    }
}
