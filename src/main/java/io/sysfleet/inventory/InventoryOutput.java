package io.sysfleet.inventory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The three views of {@code ansible-inventory}, byte for byte: {@code --list} JSON, {@code --host} JSON (as
 * Python's json.dumps writes it, see {@link PyJson}) and the {@code --graph} tree. Inline vault values print as
 * Ansible prints them (the vault text, never the plaintext); values from vault-encrypted files print as
 * {@code "****(vault FILE)"}, where ansible-inventory would print the plaintext.
 * In {@code --list}, group variables appear only merged into {@code _meta.hostvars}, groups with neither hosts
 * nor children are left out (but still named as children), hosts without variables are left out of hostvars.
 */
public final class InventoryOutput {
    private InventoryOutput() {
    }

    /** {@code ansible-inventory --list}; {@code only} keeps the hosts shown (a --limit), null for all. */
    public static String list(Inventory inv, Predicate<Host> only) {
        Predicate<Host> keep = only == null ? h -> true : only;
        Map<String, Object> results = new LinkedHashMap<>();
        formatGroup(inv, inv.group(InventoryGraph.ALL), keep, results, new HashSet<>());
        Map<String, Object> hostvars = new LinkedHashMap<>();
        for (Host h : inv.select("all")) {
            if (keep.test(h) && !h.vars().isEmpty()) {
                hostvars.put(h.name(), h.vars());
            }
        }
        results.put("_meta", Map.of("hostvars", hostvars));
        return json(results);
    }

    private static void formatGroup(Inventory inv, Group group, Predicate<Host> keep, Map<String, Object> results,
                                    Set<String> seen) {
        Map<String, Object> mine = new LinkedHashMap<>();
        results.put(group.name(), mine);
        if (!group.name().equals(InventoryGraph.ALL)) {
            List<String> hosts = group.hosts().stream().filter(n -> keep.test(inv.host(n))).toList();
            if (!hosts.isEmpty()) {
                mine.put("hosts", hosts);
            }
        }
        if (!group.children().isEmpty()) {
            mine.put("children", group.children());
        }
        for (String child : group.children()) {
            if (seen.add(child)) {
                formatGroup(inv, inv.group(child), keep, results, seen);
            }
        }
        if (mine.isEmpty()) {
            results.remove(group.name());
        }
    }

    /** {@code ansible-inventory --host NAME}: the host's variables. */
    public static String host(Host host) {
        return json(host.vars());
    }

    /**
     * {@code ansible-inventory --graph GROUP}.
     *
     * @throws IllegalArgumentException when there is no such group
     */
    public static String graph(Inventory inv, String groupName, Predicate<Host> only) {
        Group start = inv.group(groupName);
        if (start == null) {
            throw new IllegalArgumentException("--graph needs a group name; there is no group '" + groupName + "'");
        }
        List<String> lines = new ArrayList<>();
        graphGroup(inv, start, 0, only == null ? h -> true : only, lines);
        return String.join("\n", lines);
    }

    private static void graphGroup(Inventory inv, Group group, int depth, Predicate<Host> keep, List<String> lines) {
        lines.add(indent("@" + group.name() + ":", depth));
        for (String child : group.children()) {
            graphGroup(inv, inv.group(child), depth + 1, keep, lines);
        }
        if (!group.name().equals(InventoryGraph.ALL)) {
            for (String h : group.hosts()) {
                if (keep.test(inv.host(h))) {
                    lines.add(indent(h, depth + 1));
                }
            }
        }
    }

    /**
     * JSON escapes for the characters a terminal would act on that JSON writers leave raw (DEL, C1 controls, line
     * separators, bidi overrides; C0 controls are escaped already). They can only sit inside strings, where
     * {@code \\uXXXX} means the same character, so the JSON says the same as Ansible's.
     */
    static String unicodeEscapes(String json) {
        StringBuilder sb = null;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (c != '\n' && io.sysfleet.core.TerminalText.unsafe(c)) {
                if (sb == null) {
                    sb = new StringBuilder(json.length() + 16).append(json, 0, i);
                }
                sb.append(String.format("\\u%04x", (int) c));
            } else if (sb != null) {
                sb.append(c);
            }
        }
        return sb == null ? json : sb.toString();
    }

    private static String indent(String name, int depth) {
        return depth == 0 ? name : "  |".repeat(depth) + "--" + name;
    }

    static String json(Object value) {
        return unicodeEscapes(PyJson.dumps(value));
    }
}
