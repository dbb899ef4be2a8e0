package io.sysfleet.inventory;

import io.sysfleet.testing.AnsibleInventory;
import io.sysfleet.testing.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Variable precedence against the real {@code ansible-inventory --list}, on generated inventories.
 *
 * <p>A case is one random group DAG (2 to 7 groups, random parents, so random depths; random
 * {@code ansible_group_priority} on some groups), 1 to 4 hosts in random groups (or none), and 2 to 6 variables,
 * each written at 1 to 5 random layers with a value naming the layer: {@code all}'s inline vars, a group's inline
 * vars, {@code group_vars/all}, {@code group_vars/GROUP} (a file in one of Ansible's spellings or a directory of
 * files), a host's inline vars, {@code host_vars/HOST}; in any of 1 to 3 inventory sources (each a YAML or an INI
 * inventory with its own group_vars/ and host_vars/, given as a directory or as the file), so later sources
 * override earlier ones. Many independent cases (own group, host and variable names) share one inventory, so
 * one ansible-inventory call checks a few hundred of them. Every batch's {@code --list} output must be
 * byte-equal.
 *
 * <p>Seed and size: {@code -Dsysfleet.precedence.seed=N -Dsysfleet.precedence.cases=N} (CI: fixed seed, 3000).
 */
class PrecedenceOracleTest {
    private static final int PER_BATCH = 300;

    @TempDir
    Path tmp;

    private record G(String name, List<String> parents, Integer priority, int home) {
    }

    private record H(String name, List<String> groups, int home) {
    }

    /** Where a value is written. */
    private enum Layer { ALL_INLINE, GROUP_INLINE, GV_ALL, GV_GROUP, HOST_INLINE, HV }

    /** The text of one source as it is built. */
    private static final class Source {
        final boolean ini;
        final boolean asDir;
        final Map<String, Map<String, Object>> groupInline = new LinkedHashMap<>();
        final Map<String, Map<String, Object>> hostInline = new LinkedHashMap<>();
        final Map<String, Map<String, Object>> groupFiles = new LinkedHashMap<>();
        final Map<String, Map<String, Object>> hostFiles = new LinkedHashMap<>();
        final List<G> groups = new ArrayList<>();
        final List<H> hosts = new ArrayList<>();

        Source(boolean ini, boolean asDir) {
            this.ini = ini;
            this.asDir = asDir;
        }
    }

    @Test
    void randomInventoriesResolveAsAnsibleDoes() throws Exception {
        long seed = Long.getLong("sysfleet.precedence.seed", 9L);
        int total = Integer.getInteger("sysfleet.precedence.cases", 3000);
        Random rnd = new Random(seed);
        AnsibleInventory ansible = new AnsibleInventory(tmp.resolve("ansible"));
        int cases = 0;
        long resolutions = 0;
        int batches = 0;
        for (int batch = 0; cases < total; batch++, batches++) {
            int n = Math.min(PER_BATCH, total - cases);
            Path dir = tmp.resolve("batch" + batch);
            List<Path> sources = writeBatch(rnd, dir, cases, n);
            List<String> args = new ArrayList<>(List.of("inventory"));
            sources.forEach(s -> args.addAll(List.of("-i", s.toString())));
            args.add("--list");
            String theirs = ansible.inventory(sources, "--list");
            Cli.Result ours = Cli.run(args);
            assertEquals(0, ours.exit(), "sysfleet failed on batch " + batch + " (seed " + seed + "): " + ours.err());
            AnsibleInventory.assertSameText(theirs, ours.out(), "--list of batch " + batch + " (seed " + seed
                    + ", cases " + cases + ".." + (cases + n - 1) + ") in " + dir);
            resolutions += resolved(theirs, cases, cases + n);
            cases += n;
            deleteTree(dir);
        }
        assertTrue(resolutions > cases, "too few variables were resolved: " + resolutions);
        System.out.println("PrecedenceOracleTest: " + cases + " random group trees in " + batches + " ansible-inventory"
                + " calls, " + resolutions + " of their own host variables resolved; --list byte-equal (seed " + seed
                + ")");
    }

    /** How many host variables of the batch's own cases Ansible resolved (all's layers reach other cases' hosts). */
    private static long resolved(String listJson, int from, int to) throws IOException {
        var hostvars = new com.fasterxml.jackson.databind.ObjectMapper().readTree(listJson).get("_meta").get("hostvars");
        long n = 0;
        for (var it = hostvars.fields(); it.hasNext(); ) {
            var host = it.next();
            String c = host.getKey().replaceAll("^h(\\d+)-.*", "$1");
            for (var v = host.getValue().fieldNames(); v.hasNext(); ) {
                if (v.next().startsWith("v" + c + "_")) {
                    n++;
                }
            }
        }
        return n;
    }

    private static List<Path> writeBatch(Random rnd, Path dir, int firstCase, int n) throws IOException {
        int sourceCount = 1 + rnd.nextInt(3);
        List<Source> sources = new ArrayList<>();
        for (int i = 0; i < sourceCount; i++) {
            sources.add(new Source(rnd.nextBoolean(), rnd.nextBoolean()));
        }
        for (int c = firstCase; c < firstCase + n; c++) {
            addCase(rnd, c, sources);
        }
        List<Path> out = new ArrayList<>();
        for (int i = 0; i < sourceCount; i++) {
            Path sdir = dir.resolve("s" + i);
            Files.createDirectories(sdir);
            Source s = sources.get(i);
            Path inv = sdir.resolve(s.ini ? (rnd.nextBoolean() ? "hosts" : "inventory") : "hosts.yml");
            Files.writeString(inv, s.ini ? ini(rnd, s) : yaml(s));
            for (Map.Entry<String, Map<String, Object>> e : s.groupFiles.entrySet()) {
                writeVarsFile(rnd, sdir.resolve("group_vars"), e.getKey(), e.getValue());
            }
            for (Map.Entry<String, Map<String, Object>> e : s.hostFiles.entrySet()) {
                writeVarsFile(rnd, sdir.resolve("host_vars"), e.getKey(), e.getValue());
            }
            out.add(s.asDir ? sdir : inv);
        }
        return out;
    }

    private static void addCase(Random rnd, int c, List<Source> sources) {
        int groupCount = 2 + rnd.nextInt(6);
        List<G> groups = new ArrayList<>();
        for (int i = 0; i < groupCount; i++) {
            List<String> parents = new ArrayList<>();
            int p = i == 0 ? 0 : rnd.nextInt(3);
            for (int k = 0; k < p; k++) {
                String parent = "g" + c + "_" + rnd.nextInt(i);
                if (!parents.contains(parent)) {
                    parents.add(parent);
                }
            }
            Integer priority = rnd.nextInt(3) == 0 ? List.of(-1, 0, 1, 2, 3, 10).get(rnd.nextInt(6)) : null;
            groups.add(new G("g" + c + "_" + i, parents, priority, rnd.nextInt(sources.size())));
        }
        List<H> hosts = new ArrayList<>();
        int hostCount = 1 + rnd.nextInt(4);
        for (int k = 0; k < hostCount; k++) {
            Set<String> mine = new LinkedHashSet<>();
            int m = rnd.nextInt(4);
            for (int j = 0; j < m; j++) {
                mine.add(groups.get(rnd.nextInt(groupCount)).name());
            }
            hosts.add(new H("h" + c + "-" + k, new ArrayList<>(mine), rnd.nextInt(sources.size())));
        }
        groups.forEach(g -> sources.get(g.home()).groups.add(g));
        hosts.forEach(h -> sources.get(h.home()).hosts.add(h));
        int varCount = 2 + rnd.nextInt(5);
        for (int v = 0; v < varCount; v++) {
            String name = "v" + c + "_" + v;
            int placements = 1 + rnd.nextInt(5);
            for (int k = 0; k < placements; k++) {
                int si = rnd.nextInt(sources.size());
                Source s = sources.get(si);
                // all's layers reach every host of the batch: rarer, to keep the output small
                Layer layer = rnd.nextInt(10) == 0 ? (rnd.nextBoolean() ? Layer.ALL_INLINE : Layer.GV_ALL)
                        : List.of(Layer.GROUP_INLINE, Layer.GV_GROUP, Layer.HOST_INLINE, Layer.HV).get(rnd.nextInt(4));
                G g = groups.get(rnd.nextInt(groupCount));
                H h = hosts.get(rnd.nextInt(hostCount));
                Object value = value(rnd, layer + "-s" + si);
                switch (layer) {
                    case ALL_INLINE -> s.groupInline.computeIfAbsent("all", x -> new LinkedHashMap<>()).put(name, value);
                    case GROUP_INLINE -> {
                        s.groupInline.computeIfAbsent(g.name(), x -> new LinkedHashMap<>()).put(name, value);
                        if (s.groups.stream().noneMatch(x -> x.name().equals(g.name()))) {
                            s.groups.add(new G(g.name(), List.of(), null, si)); // mentioned, no links
                        }
                    }
                    case GV_ALL -> s.groupFiles.computeIfAbsent("all", x -> new LinkedHashMap<>()).put(name, value);
                    case GV_GROUP -> s.groupFiles.computeIfAbsent(rnd.nextInt(8) == 0 ? "ungrouped" : g.name(),
                            x -> new LinkedHashMap<>()).put(name, value);
                    case HOST_INLINE -> {
                        s.hostInline.computeIfAbsent(h.name(), x -> new LinkedHashMap<>()).put(name, value);
                        if (s.hosts.stream().noneMatch(x -> x.name().equals(h.name()))) {
                            s.hosts.add(new H(h.name(), List.of(), si));
                        }
                    }
                    case HV -> s.hostFiles.computeIfAbsent(h.name(), x -> new LinkedHashMap<>()).put(name, value);
                    default -> throw new IllegalStateException();
                }
            }
            if (rnd.nextInt(20) == 0) {
                Source s = sources.get(rnd.nextInt(sources.size()));
                s.groupFiles.computeIfAbsent(groups.get(0).name(), x -> new LinkedHashMap<>())
                        .put("ansible_group_priority", 7); // a plain variable there, not a priority
            }
        }
    }

    /** A value naming its layer: mostly text, sometimes a number, a boolean or a list (typed the same way). */
    private static Object value(Random rnd, String label) {
        return switch (rnd.nextInt(8)) {
            case 0 -> rnd.nextInt(1000);
            case 1 -> rnd.nextBoolean();
            case 2 -> List.of(rnd.nextInt(10), label);
            default -> label + "-" + rnd.nextInt(1000);
        };
    }

    // ---- writing ----

    private static String ini(Random rnd, Source s) {
        StringBuilder top = new StringBuilder();
        StringBuilder sections = new StringBuilder();
        Map<String, List<String>> members = new LinkedHashMap<>();
        s.groups.forEach(g -> members.computeIfAbsent(g.name(), x -> new ArrayList<>()));
        for (H h : s.hosts) {
            Map<String, Object> vars = s.hostInline.getOrDefault(h.name(), Map.of());
            if (h.groups().isEmpty()) {
                top.append(h.name()).append(iniHostVars(vars)).append('\n');
            } else {
                for (int i = 0; i < h.groups().size(); i++) {
                    String g = h.groups().get(i);
                    members.computeIfAbsent(g, x -> new ArrayList<>()).add(h.name() + (i == 0 ? iniHostVars(vars) : ""));
                }
            }
        }
        StringBuilder children = new StringBuilder();
        for (G g : s.groups) {
            for (String p : g.parents()) {
                children.append('[').append(p).append(":children]\n").append(g.name()).append('\n');
                members.computeIfAbsent(p, x -> new ArrayList<>());
            }
        }
        StringBuilder declared = new StringBuilder();
        members.forEach((g, hosts) -> {
            declared.append('[').append(g).append("]\n");
            hosts.forEach(h -> declared.append(h).append('\n'));
        });
        boolean childrenFirst = rnd.nextBoolean();
        sections.append(childrenFirst ? children : declared).append(childrenFirst ? declared : children);
        for (G g : s.groups) {
            Map<String, Object> vars = new LinkedHashMap<>(s.groupInline.getOrDefault(g.name(), Map.of()));
            if (g.priority() != null) {
                vars.put("ansible_group_priority", g.priority());
            }
            if (!vars.isEmpty()) {
                sections.append('[').append(g.name()).append(":vars]\n");
                vars.forEach((k, v) -> sections.append(k).append(rnd.nextBoolean() ? "=" : " = ")
                        .append(py(v)).append('\n'));
            }
        }
        Map<String, Object> all = s.groupInline.getOrDefault("all", Map.of());
        if (!all.isEmpty()) {
            sections.append("[all:vars]\n");
            all.forEach((k, v) -> sections.append(k).append('=').append(py(v)).append('\n'));
        }
        return "# generated\n" + top + sections;
    }

    private static String iniHostVars(Map<String, Object> vars) {
        StringBuilder sb = new StringBuilder();
        vars.forEach((k, v) -> {
            String text = py(v);
            sb.append(' ').append(k).append('=').append(text.contains(" ") ? "\"" + text + "\"" : text);
        });
        return sb.toString();
    }

    /** A value as a Python literal (how INI values are typed). */
    private static String py(Object v) {
        if (v instanceof Boolean b) {
            return b ? "True" : "False";
        }
        if (v instanceof List<?> l) {
            return "[" + py(l.get(0)) + ", '" + l.get(1) + "']";
        }
        return String.valueOf(v);
    }

    private static String yaml(Source s) {
        StringBuilder sb = new StringBuilder("# generated\n");
        Map<String, Object> all = s.groupInline.getOrDefault("all", Map.of());
        List<H> ungrouped = s.hosts.stream().filter(h -> h.groups().isEmpty()).toList();
        sb.append("all:\n");
        if (!all.isEmpty()) {
            sb.append("  vars:\n");
            all.forEach((k, v) -> sb.append("    ").append(k).append(": ").append(json(v)).append('\n'));
        }
        if (!ungrouped.isEmpty()) {
            sb.append("  hosts:\n");
            for (H h : ungrouped) {
                sb.append("    ").append(h.name()).append(":").append(yamlVars(s.hostInline.get(h.name()))).append('\n');
            }
        }
        Map<String, List<String>> members = new LinkedHashMap<>();
        Map<String, List<String>> kids = new LinkedHashMap<>();
        s.groups.forEach(g -> members.computeIfAbsent(g.name(), x -> new ArrayList<>()));
        for (G g : s.groups) {
            for (String p : g.parents()) {
                kids.computeIfAbsent(p, x -> new ArrayList<>()).add(g.name());
                members.computeIfAbsent(p, x -> new ArrayList<>());
            }
        }
        Set<String> withVars = new LinkedHashSet<>();
        for (H h : s.hosts) {
            for (String g : h.groups()) {
                members.computeIfAbsent(g, x -> new ArrayList<>()).add(h.name());
            }
        }
        for (String g : members.keySet()) {
            sb.append(g).append(":\n");
            List<String> hs = members.get(g);
            if (!hs.isEmpty()) {
                sb.append("  hosts:\n");
                for (String h : hs) {
                    Map<String, Object> vars = withVars.add(h) ? s.hostInline.get(h) : null;
                    sb.append("    ").append(h).append(":").append(yamlVars(vars)).append('\n');
                }
            }
            List<String> ks = kids.getOrDefault(g, List.of());
            if (!ks.isEmpty()) {
                sb.append("  children:\n");
                ks.forEach(k -> sb.append("    ").append(k).append(":\n"));
            }
            Map<String, Object> vars = new LinkedHashMap<>(s.groupInline.getOrDefault(g, Map.of()));
            s.groups.stream().filter(x -> x.name().equals(g) && x.priority() != null).findFirst()
                    .ifPresent(x -> vars.put("ansible_group_priority", x.priority()));
            if (!vars.isEmpty()) {
                sb.append("  vars:\n");
                vars.forEach((k, v) -> sb.append("    ").append(k).append(": ").append(json(v)).append('\n'));
            }
        }
        return sb.toString();
    }

    private static String yamlVars(Map<String, Object> vars) {
        if (vars == null || vars.isEmpty()) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        vars.forEach((k, v) -> parts.add(k + ": " + json(v)));
        return " {" + String.join(", ", parts) + "}";
    }

    private static String json(Object v) {
        if (v instanceof String s) {
            return "\"" + s + "\"";
        }
        if (v instanceof List<?> l) {
            return "[" + json(l.get(0)) + ", " + json(l.get(1)) + "]";
        }
        return String.valueOf(v);
    }

    /** A group_vars/host_vars entry in one of Ansible's spellings: NAME, NAME.yml/.yaml/.json, or NAME/ files. */
    private static void writeVarsFile(Random rnd, Path dir, String name, Map<String, Object> vars) throws IOException {
        Files.createDirectories(dir);
        List<String> lines = new ArrayList<>();
        vars.forEach((k, v) -> lines.add(k + ": " + json(v)));
        switch (rnd.nextInt(6)) {
            case 0 -> Files.writeString(dir.resolve(name), String.join("\n", lines) + "\n");
            case 1 -> Files.writeString(dir.resolve(name + ".yaml"), String.join("\n", lines) + "\n");
            case 2 -> {
                List<String> json = new ArrayList<>();
                vars.forEach((k, v) -> json.add("\"" + k + "\": " + json(v)));
                Files.writeString(dir.resolve(name + ".json"), "{" + String.join(", ", json) + "}\n");
            }
            case 3, 4 -> {
                Path sub = dir.resolve(name);
                Files.createDirectories(sub);
                int split = lines.size() / 2;
                Files.writeString(sub.resolve("10-main.yml"), String.join("\n", lines.subList(0, split)) + "\n");
                Files.writeString(sub.resolve("20-more.yml"), String.join("\n", lines.subList(split, lines.size()))
                        + "\n");
                if (!lines.isEmpty()) {
                    Files.writeString(sub.resolve("05-first.yml"), lines.get(lines.size() - 1).replaceFirst(": .*",
                            ": \"overridden by a later file\"") + "\n");
                }
            }
            default -> Files.writeString(dir.resolve(name + ".yml"), String.join("\n", lines) + "\n");
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
