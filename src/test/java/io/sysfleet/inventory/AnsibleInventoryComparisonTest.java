package io.sysfleet.inventory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sysfleet.cli.Main;
import io.sysfleet.testing.AnsibleInventory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Compares sysfleet with the real {@code ansible-inventory} / {@code ansible} (the compatibility oracle) on
 * every fixture under src/test/resources/inventory and on inventory.example.yml, run as {@link AnsibleInventory}
 * runs it (never skipped, clean environment, unparsable sources fatal). The corpus of real-world shapes is
 * {@link InventoryCorpusTest}.
 */
class AnsibleInventoryComparisonTest {
    private static final Path FIXTURES = Path.of("src/test/resources/inventory");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path sandbox;

    private static AnsibleInventory oracle;

    @BeforeAll
    static void needAnsible() throws IOException {
        oracle = new AnsibleInventory(sandbox);
    }

    static Stream<Path> fixtures() throws IOException {
        List<Path> all = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(FIXTURES)) {
            dirs.sorted().map(d -> d.resolve("hosts.yml")).filter(Files::isRegularFile).forEach(all::add);
        }
        all.add(Path.of("inventory.example.yml"));
        assertTrue(all.size() >= 9, "expected at least 8 fixtures and the example, found " + all);
        return all.stream();
    }

    @ParameterizedTest(name = "--list {0}")
    @MethodSource("fixtures")
    void listIsTheSame(Path inventory) throws Exception {
        String theirs = ansible("ansible-inventory", "-i", abs(inventory), "--list");
        String ours = sysfleet("inventory", "-i", inventory.toString(), "--list");
        assertEquals(JSON.readTree(theirs), JSON.readTree(ours), "parsed JSON of --list differs for " + inventory);
        assertEquals(theirs.strip(), ours.strip(), "--list text differs for " + inventory);
    }

    @ParameterizedTest(name = "--graph {0}")
    @MethodSource("fixtures")
    void graphIsTheSame(Path inventory) throws Exception {
        assertEquals(ansible("ansible-inventory", "-i", abs(inventory), "--graph").strip(),
                sysfleet("inventory", "-i", inventory.toString(), "--graph").strip());
    }

    @ParameterizedTest(name = "--host {0}")
    @MethodSource("fixtures")
    void hostIsTheSameForFirstAndLastHost(Path inventory) throws Exception {
        List<String> hosts = hostNames(JSON.readTree(sysfleet("inventory", "-i", inventory.toString(), "--list")));
        assertTrue(!hosts.isEmpty(), "fixture without hosts: " + inventory);
        for (String host : new LinkedHashSet<>(List.of(hosts.get(0), hosts.get(hosts.size() - 1)))) {
            String theirs = ansible("ansible-inventory", "-i", abs(inventory), "--host", host);
            String ours = sysfleet("inventory", "-i", inventory.toString(), "--host", host);
            assertEquals(JSON.readTree(theirs), JSON.readTree(ours), "--host " + host + " of " + inventory);
            assertEquals(theirs.strip(), ours.strip(), "--host text " + host + " of " + inventory);
        }
    }

    @Test
    void graphOfOneGroupIsTheSame() throws Exception {
        Path inv = FIXTURES.resolve("nested/hosts.yml");
        assertEquals(ansible("ansible-inventory", "-i", abs(inv), "--graph", "rack1").strip(),
                sysfleet("inventory", "-i", inv.toString(), "--graph", "rack1").strip());
    }

    @ParameterizedTest(name = "pattern {0}")
    @ValueSource(strings = {"all", "*", "web", "web*", "~web\\d+", "db:web", "web:&db", "web:!db", "!db", "web[0]",
            "web[1:2]", "web[-1]", "web[1:]", "db,web1", "*.example.com", "&db:web", "b*", "~^w", "ungrouped",
            "nomatch", "db:&backup:!web", "?b[!x]", "web1"})
    void patternSelectsTheSameHostsInTheSameOrder(String pattern) throws Exception {
        Path inv = FIXTURES.resolve("patterns/hosts.yml");
        List<String> theirs = listHosts(ansible("ansible", "-i", abs(inv), pattern, "--list-hosts"));
        List<String> ours = InventoryLoader.load(inv).select(pattern).stream().map(Host::name).toList();
        assertEquals(theirs, ours, "hosts for pattern " + pattern);
    }

    @Test
    void limitSelectsTheSameHosts() throws Exception {
        Path inv = FIXTURES.resolve("patterns/hosts.yml");
        List<String> theirs = listHosts(ansible("ansible", "-i", abs(inv), "web:db", "--limit", "db:backup:!db1",
                "--list-hosts"));
        List<String> ours = InventoryLoader.load(inv).select("web:db", "db:backup:!db1").stream()
                .map(Host::name).toList();
        assertEquals(theirs, ours);
    }

    @ParameterizedTest(name = "unmatched parts of {0}")
    @ValueSource(strings = {"web:nosuch:&db:!zz", "nomatch", "db,qq,web1", "~nomatch\\d", "web[0]:ghost*", "web[5]",
            "web:db"})
    void thePartsThatMatchNothingAreThoseAnsibleWarnsAbout(String pattern) throws Exception {
        Path inv = FIXTURES.resolve("patterns/hosts.yml");
        AnsibleInventory.Result r = oracle.result(Map.of(), "ansible", "-i", abs(inv), pattern, "--list-hosts");
        List<String> theirs = new ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("Could not match supplied host pattern, ignoring: (\\S+)").matcher(r.err());
        while (m.find()) {
            theirs.add(m.group(1));
        }
        assertEquals(theirs, HostPattern.unmatched(InventoryLoader.load(inv), pattern), r.err());
    }

    private static List<String> hostNames(JsonNode list) {
        List<String> names = new ArrayList<>();
        for (Iterator<JsonNode> it = list.elements(); it.hasNext(); ) {
            JsonNode hosts = it.next().get("hosts");
            if (hosts != null) {
                hosts.forEach(h -> names.add(h.asText()));
            }
        }
        return new ArrayList<>(new LinkedHashSet<>(names));
    }

    /** The host names of {@code ansible PATTERN --list-hosts} output ("  hosts (N):" then one per line). */
    private static List<String> listHosts(String out) {
        List<String> lines = new ArrayList<>(Arrays.asList(out.strip().split("\n")));
        assertTrue(lines.get(0).strip().matches("hosts \\(\\d+\\):"), "unexpected ansible output: " + out);
        lines.remove(0);
        return lines.stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    private static String abs(Path p) {
        return p.toAbsolutePath().toString();
    }

    private static String sysfleet(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.newCommandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int rc = cl.execute(args);
        assertEquals(0, rc, "sysfleet " + String.join(" ", args) + " failed: " + err);
        return out.toString();
    }

    private static String ansible(String... command) throws IOException, InterruptedException {
        return oracle.run(command);
    }

}
