package io.sysfleet.inventory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sysfleet.testing.AnsibleInventory;
import io.sysfleet.testing.Cli;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The inventory corpus: inventories written in the shapes public infrastructure repositories use (kubespray,
 * kolla-ansible, ceph-ansible, openstack-ansible, Ansible's layouts, homelabs, network and mixed fleets, vault
 * layouts), one directory per case under src/test/resources/inventory-corpus, each described by its
 * {@code CASE.md} ({@code inventory:} lines are the -i sources in order; {@code vault-password-file:},
 * {@code vault-id:}, {@code host:} and {@code graph:} lines add passwords and views). For every case,
 * {@code --graph} (without vault passwords), {@code --list}, {@code --graph GROUP} and {@code --host} of the named
 * hosts (else of the last host) must be byte-equal with the real ansible-inventory.
 *
 * <p>Where a case has vault-encrypted variable files, ansible-inventory prints their plaintext and sysfleet
 * prints a mask; the expected output is then ansible-inventory's own on a copy of the case in which each
 * encrypted file holds the masks (its keys read from {@code ansible-vault view}).
 */
class InventoryCorpusTest {
    private static final Path CORPUS = Path.of("src/test/resources/inventory-corpus");
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.core.json.JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS.mappedFeature());

    @TempDir
    static Path tmp;

    private static AnsibleInventory ansible;
    private static ExecutorService pool;

    /** One case: its sources (made absolute), passwords as options, and the extra views to compare. */
    private record Case(String name, Path dir, List<String> sources, List<String> vaultArgs, List<String> hosts,
                        List<String> graphs) {
    }

    @BeforeAll
    static void setUp() throws IOException {
        ansible = new AnsibleInventory(tmp.resolve("ansible"));
        pool = Executors.newFixedThreadPool(3);
    }

    @AfterAll
    static void tearDown() {
        pool.shutdownNow();
    }

    @TestFactory
    Stream<DynamicContainer> everyCaseIsByteEqualWithAnsibleInventory() throws Exception {
        List<Case> cases = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(CORPUS)) {
            for (Path d : dirs.sorted().toList()) {
                cases.add(read(d));
            }
        }
        assertTrue(cases.size() >= 30, "the corpus must have at least 30 inventories, has " + cases.size());
        // Start every ansible-inventory call up front, a few at a time; the tests wait for their own.
        Map<String, Future<String>> expected = new LinkedHashMap<>();
        Map<String, List<String>> masked = new LinkedHashMap<>();
        for (Case c : cases) {
            List<String> m = maskedSources(c);
            masked.put(c.name(), m);
            expected.put(c.name() + " --graph", submit(args(c.sources(), List.of(), "--graph")));
            expected.put(c.name() + " --list", submit(args(m, c.vaultArgs(), "--list")));
            for (String g : c.graphs()) {
                expected.put(c.name() + " --graph " + g, submit(args(c.sources(), List.of(), "--graph", g)));
            }
        }
        List<DynamicContainer> out = new ArrayList<>();
        for (Case c : cases) {
            List<DynamicTest> tests = new ArrayList<>();
            tests.add(DynamicTest.dynamicTest("--graph", () -> compare(expected.get(c.name() + " --graph").get(),
                    sysfleet(c.sources(), List.of(), "--graph"), c.name() + " --graph")));
            for (String g : c.graphs()) {
                tests.add(DynamicTest.dynamicTest("--graph " + g, () -> compare(
                        expected.get(c.name() + " --graph " + g).get(),
                        sysfleet(c.sources(), List.of(), "--graph", g), c.name() + " --graph " + g)));
            }
            tests.add(DynamicTest.dynamicTest("--list and --host", () -> {
                String theirs = expected.get(c.name() + " --list").get();
                compare(theirs, sysfleet(c.sources(), c.vaultArgs(), "--list"), c.name() + " --list");
                LinkedHashSet<String> hosts = new LinkedHashSet<>(c.hosts());
                List<String> all = hostNames(JSON.readTree(theirs));
                assertTrue(!all.isEmpty(), c.name() + " has no hosts");
                if (hosts.isEmpty()) {
                    hosts.add(all.get(all.size() - 1));
                }
                List<Future<String>> hostOutputs = new ArrayList<>();
                for (String h : hosts) {
                    hostOutputs.add(submit(args(masked.get(c.name()), c.vaultArgs(), "--host", h)));
                }
                Iterator<Future<String>> it = hostOutputs.iterator();
                for (String h : hosts) {
                    compare(it.next().get(), sysfleet(c.sources(), c.vaultArgs(), "--host", h),
                            c.name() + " --host " + h);
                }
            }));
            out.add(DynamicContainer.dynamicContainer(c.name(), tests));
        }
        return out.stream();
    }

    private static Case read(Path dir) throws IOException {
        Path manifest = dir.resolve("CASE.md");
        assertTrue(Files.isRegularFile(manifest), dir + " has no CASE.md");
        List<String> sources = new ArrayList<>();
        List<String> vault = new ArrayList<>();
        List<String> hosts = new ArrayList<>();
        List<String> graphs = new ArrayList<>();
        for (String line : Files.readAllLines(manifest)) {
            int colon = line.indexOf(": ");
            if (line.startsWith("#") || line.isBlank() || colon < 0) {
                continue;
            }
            String key = line.substring(0, colon);
            String value = line.substring(colon + 2).strip();
            switch (key) {
                case "inventory" -> sources.add(value.contains(",") && !Files.exists(dir.resolve(value)) ? value
                        : dir.resolve(value).toAbsolutePath().normalize().toString());
                case "vault-password-file" -> vault.addAll(List.of("--vault-password-file",
                        dir.resolve(value).toAbsolutePath().toString()));
                case "vault-id" -> {
                    int at = value.indexOf('@');
                    vault.addAll(List.of("--vault-id", value.substring(0, at + 1)
                            + dir.resolve(value.substring(at + 1)).toAbsolutePath()));
                }
                case "host" -> hosts.add(value);
                case "graph" -> graphs.add(value);
                default -> throw new IllegalArgumentException(manifest + ": unknown key " + key);
            }
        }
        assertTrue(!sources.isEmpty(), manifest + " names no inventory");
        return new Case(dir.getFileName().toString(), dir, sources, vault, hosts, graphs);
    }

    /**
     * The sources to give ansible-inventory for the expected --list/--host: the case itself, or, when it has
     * vault-encrypted variable files, a copy where each holds the masks sysfleet prints for its variables.
     */
    private static List<String> maskedSources(Case c) throws Exception {
        List<Path> encrypted = new ArrayList<>();
        try (Stream<Path> s = Files.walk(c.dir())) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                String rel = c.dir().relativize(p).toString();
                if ((rel.contains("group_vars/") || rel.contains("host_vars/"))
                        && Files.readString(p, java.nio.charset.StandardCharsets.ISO_8859_1).startsWith("$ANSIBLE_VAULT")) {
                    encrypted.add(p);
                }
            }
        }
        if (encrypted.isEmpty()) {
            return c.sources();
        }
        Path copy = tmp.resolve("masked").resolve(c.name());
        copyTree(c.dir(), copy);
        for (Path p : encrypted) {
            List<String> view = new ArrayList<>(List.of("ansible-vault", "view", p.toAbsolutePath().toString()));
            view.addAll(c.vaultArgs());
            Object plain = new Yaml(new SafeConstructor(new LoaderOptions())).load(ansible.run(view.toArray(String[]::new)));
            StringBuilder masks = new StringBuilder();
            for (Object key : ((Map<?, ?>) plain).keySet()) {
                masks.append(key).append(": \"****(vault ").append(p.toAbsolutePath().normalize()).append(")\"\n");
            }
            Files.writeString(copy.resolve(c.dir().relativize(p).toString()), masks.toString());
        }
        Path base = c.dir().toAbsolutePath().normalize();
        return c.sources().stream().map(s -> s.startsWith(base.toString())
                ? copy.toAbsolutePath().resolve(base.relativize(Path.of(s)).toString()).toString() : s).toList();
    }

    private static String[] args(List<String> sources, List<String> vault, String... action) {
        List<String> cmd = new ArrayList<>(List.of("ansible-inventory"));
        sources.forEach(s -> cmd.addAll(List.of("-i", s)));
        cmd.addAll(vault);
        cmd.addAll(List.of(action));
        return cmd.toArray(String[]::new);
    }

    private static Future<String> submit(String[] command) {
        Callable<String> call = () -> ansible.run(command);
        return pool.submit(call);
    }

    private static String sysfleet(List<String> sources, List<String> vault, String... action) {
        List<String> cmd = new ArrayList<>(List.of("inventory"));
        sources.forEach(s -> cmd.addAll(List.of("-i", s)));
        cmd.addAll(vault);
        cmd.addAll(List.of(action));
        Cli.Result r = Cli.run(cmd);
        assertEquals(0, r.exit(), "sysfleet " + String.join(" ", cmd) + " failed: " + r.err());
        return r.out();
    }

    private static void compare(String theirs, String ours, String what) {
        AnsibleInventory.assertSameText(theirs, ours, what);
    }

    private static List<String> hostNames(JsonNode list) {
        List<String> names = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = list.fields(); it.hasNext(); ) {
            JsonNode hosts = it.next().getValue().get("hosts");
            if (hosts != null) {
                hosts.forEach(h -> names.add(h.asText()));
            }
        }
        return new ArrayList<>(new LinkedHashSet<>(names));
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(p, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
