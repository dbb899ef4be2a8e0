package io.sysfleet.inventory;

import java.util.List;
import java.util.Map;

/**
 * An inventory group as Ansible sees it: its direct child groups and direct hosts in definition order, and its
 * own variables (inline {@code vars:} overridden by {@code group_vars/} files). {@code depth} is the longest
 * path from {@code all} (0 for {@code all}), {@code priority} is {@code ansible_group_priority} (default 1);
 * together with the name they order group variables.
 */
public record Group(String name, List<String> children, List<String> hosts, Map<String, Object> vars,
                    int depth, int priority) {
    public Group {
        children = List.copyOf(children);
        hosts = List.copyOf(hosts);
        vars = Vars.frozen(vars);
    }
}
