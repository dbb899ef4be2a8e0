package io.sysfleet.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sysfleet.core.SysfleetException;
import io.sysfleet.report.JsonReport;
import io.sysfleet.report.TextReport;
import io.sysfleet.result.HostResult;
import io.sysfleet.result.PlayResult;
import io.sysfleet.result.RunReport;
import io.sysfleet.testing.LocalFleet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code run --shard K/N} and {@code report merge} on a {@link LocalFleet} (its proc directory and sysctl test
 * double stand in for the kernel, see there why; ShardIT does the same on real sshd containers): N shards cover
 * every host once, and their merged reports equal a single controller's, up to ids and times; the merged journal
 * rolls the whole fleet back.
 */
class ShardMergeTest {
    private static final String FIN = "net/ipv4/tcp_fin_timeout";
    private static final String SYN = "net/ipv4/tcp_syncookies";
    private static final String PLAYBOOK = """
            - name: tune
              hosts: all
              gather_facts: false
              tasks:
                - sysctl: {name: net.ipv4.tcp_fin_timeout, value: '30', sysctl_file: '{{ conf }}'}
            - name: cookies
              hosts: all
              gather_facts: false
              tasks:
                - sysctl: {name: net.ipv4.tcp_syncookies, value: '1', sysctl_file: '{{ conf }}'}
            """;
    private static final List<String> HOSTS = List.of("web1", "web2", "web3", "db1", "db2", "cache-a", "cache-b",
            "lb.example.com", "10.1.2.3");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private LocalFleet fleet;
    private final StringWriter text = new StringWriter();

    @BeforeEach
    void setUp() {
        fleet = new LocalFleet(dir, Map.of(FIN, "60", SYN, "0"), HOSTS.toArray(String[]::new));
    }

    private TextReport listener() {
        return new TextReport(new PrintWriter(text, true), false, 0);
    }

    private Engine.Outcome run(Path state, long seed, Shard shard, Path json, Path junit, boolean check) {
        return fleet.engine(state, seed).run(new Engine.RunRequest(fleet.playbook("p.yml", PLAYBOOK),
                InventorySources.of(fleet.inventory("")), null, check, false, 3, List.of(), null,
                Duration.ofSeconds(20), false, new Engine.Reports(json, junit), fleet.sysctlPaths(), shard), listener());
    }

    /** The report without what differs between any two runs: ids, times, durations. */
    private static JsonNode comparable(Path report) throws Exception {
        ObjectNode root = (ObjectNode) JSON.readTree(Files.readAllBytes(report));
        root.remove(List.of("runId", "started", "finished", "durationMs"));
        for (JsonNode play : root.get("plays")) {
            for (JsonNode h : play.get("hosts")) {
                ((ObjectNode) h).remove("durationMs");
            }
        }
        return root;
    }

    private static String comparableJUnit(Path junit) throws Exception {
        return Files.readString(junit).replaceAll(" (time|timestamp)=\"[^\"]*\"", "")
                .replaceAll("\\d{8}T\\d{6}Z-[0-9a-f]{6}", "RUN");
    }

    private Map<String, String> state() throws Exception {
        Map<String, String> m = new java.util.TreeMap<>();
        for (String h : HOSTS) {
            m.put(h, fleet.live(h, FIN) + " " + fleet.live(h, SYN) + " " + fleet.file(h).hashCode());
        }
        return m;
    }

    @Test
    void threeShardsCoverEveryHostOnceAndTheirMergeEqualsOneControllersRun() throws Exception {
        Map<String, String> drifted = state();

        // one controller, then put the fleet back as it was
        Path single = dir.resolve("single");
        Engine.Outcome one = run(single, 1, Shard.ALL, dir.resolve("single.json"), dir.resolve("single.xml"), false);
        assertEquals(0, one.exitCode(), text.toString());
        Map<String, String> converged = state();
        assertNotEquals(drifted, converged);
        Engine.Outcome back = fleet.engine(single, 2).rollback(new Engine.RollbackRequest(one.report().runId(),
                InventorySources.of(fleet.inventory("")), null, false, false, 3, 0, Duration.ofSeconds(20),
                Engine.Reports.NONE), listener());
        assertEquals(0, back.exitCode(), text.toString());
        assertEquals(drifted, state());

        // three controllers, each with its own state directory
        List<Path> reports = new ArrayList<>();
        List<Path> journals = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int k = 1; k <= 3; k++) {
            Path state = dir.resolve("shard" + k);
            Path json = dir.resolve("shard" + k + ".json");
            Engine.Outcome o = run(state, 10 + k, new Shard(k, 3), json, null, false);
            assertEquals(0, o.exitCode(), text.toString());
            assertEquals(k + "/3", o.report().shard());
            for (PlayResult p : o.report().plays()) {
                for (HostResult h : p.hosts()) {
                    assertEquals(k, Shard.of(h.host(), 3), h.host() + " ran in shard " + k);
                    if (p.name().equals("tune")) {
                        assertTrue(seen.add(h.host()), h.host() + " ran twice");
                    }
                }
            }
            reports.add(json);
            journals.add(state);
        }
        assertEquals(new HashSet<>(HOSTS), seen, "together the shards ran every host");
        assertEquals(converged, state(), "the shards converged the fleet as one controller did");

        Path merged = dir.resolve("merged");
        Engine.Outcome m = Engine.forJournals(merged, java.time.Clock.systemUTC(), new Engine.Controller("ci", "merge"))
                .merge(new Engine.MergeRequest(List.of(reports.get(2), reports.get(0), reports.get(1)), journals,
                        HOSTS, null, new Engine.Reports(dir.resolve("merged.json"), dir.resolve("merged.xml"))),
                        listener());
        assertEquals(0, m.exitCode(), text.toString());
        assertEquals(comparable(dir.resolve("single.json")), comparable(dir.resolve("merged.json")));
        assertEquals(comparableJUnit(dir.resolve("single.xml")), comparableJUnit(dir.resolve("merged.xml")));

        // the merged journal rolls back every host, from one state directory
        Engine.Outcome undo = fleet.engine(merged, 3).rollback(new Engine.RollbackRequest(null,
                InventorySources.of(fleet.inventory("")), null, false, false, 3, 0, Duration.ofSeconds(20),
                Engine.Reports.NONE), listener());
        assertEquals(0, undo.exitCode(), text.toString());
        assertEquals(HOSTS.size(), undo.report().allHosts().size());
        assertTrue(undo.report().allHosts().stream().allMatch(h -> h.status() == HostResult.Status.CHANGED),
                undo.report().allHosts().toString());
        assertEquals(drifted, state(), "rollback of the merged run restored every host");
    }

    @Test
    void aShardedCheckMergesToTheSameDriftAsOneCheck() throws Exception {
        assertEquals(7, run(dir.resolve("s"), 1, Shard.ALL, dir.resolve("one.json"), null, true).exitCode());
        List<Path> reports = new ArrayList<>();
        for (int k = 1; k <= 2; k++) {
            reports.add(dir.resolve("c" + k + ".json"));
            run(dir.resolve("s" + k), 20 + k, new Shard(k, 2), reports.get(k - 1), null, true);
        }
        Path merged = dir.resolve("merged");
        Engine.Outcome m = Engine.forJournals(merged, java.time.Clock.systemUTC(), new Engine.Controller("ci", "merge"))
                .merge(new Engine.MergeRequest(reports, List.of(), HOSTS, null,
                        new Engine.Reports(dir.resolve("m.json"), null)), listener());
        assertEquals(7, m.exitCode(), "drift");
        assertEquals(comparable(dir.resolve("one.json")), comparable(dir.resolve("m.json")));
        assertFalse(Files.exists(merged.resolve("runs")), "a check journals nothing");
    }

    @Test
    void theMergeRefusesAnythingThatIsNotTheNShardsOfOneRun() throws Exception {
        List<Path> reports = new ArrayList<>();
        List<Path> states = new ArrayList<>();
        for (int k = 1; k <= 3; k++) {
            reports.add(dir.resolve("r" + k + ".json"));
            states.add(dir.resolve("st" + k));
            run(states.get(k - 1), 30 + k, new Shard(k, 3), reports.get(k - 1), null, false);
        }
        Path merged = dir.resolve("merged");
        Engine engine = Engine.forJournals(merged, java.time.Clock.systemUTC(), new Engine.Controller("ci", "merge"));
        SysfleetException missing = assertThrows(SysfleetException.class, () -> engine.merge(new Engine.MergeRequest(
                reports.subList(0, 2), states, null, null, Engine.Reports.NONE), listener()));
        assertTrue(missing.getMessage().contains("shard(s) 3/3 missing"), missing.getMessage());
        SysfleetException twice = assertThrows(SysfleetException.class, () -> engine.merge(new Engine.MergeRequest(
                List.of(reports.get(0), reports.get(1), reports.get(1)), states, null, null, Engine.Reports.NONE),
                listener()));
        assertTrue(twice.getMessage().contains("shard 2/3 is given twice"), twice.getMessage());
        SysfleetException noJournal = assertThrows(SysfleetException.class, () -> engine.merge(
                new Engine.MergeRequest(reports, states.subList(0, 2), null, null, Engine.Reports.NONE), listener()));
        assertTrue(noJournal.getMessage().contains("no journal of shard 3/3"), noJournal.getMessage());
        assertEquals(5, noJournal.exitCode().code());
        assertFalse(Files.exists(merged.resolve("runs")), "a refused merge journals nothing");

        // a shard whose local backup is gone cannot be rolled back from the merged run: refused before writing
        try (var files = Files.walk(states.get(0).resolve("runs"))) {
            Path orig = files.filter(f -> f.toString().endsWith(".orig")).findFirst().orElseThrow();
            Files.delete(orig);
        }
        SysfleetException gone = assertThrows(SysfleetException.class, () -> engine.merge(new Engine.MergeRequest(
                reports, states, null, null, Engine.Reports.NONE), listener()));
        assertTrue(gone.getMessage().contains("is missing or outside the run's directory"), gone.getMessage());
        assertFalse(Files.exists(merged.resolve("runs")), "a refused merge journals nothing");

        Path notJson = Files.writeString(dir.resolve("bad.json"), "{\"schemaVersion\": 1, \"plays\": 3}");
        SysfleetException bad = assertThrows(SysfleetException.class, () -> engine.merge(new Engine.MergeRequest(
                List.of(notJson), states, null, null, Engine.Reports.NONE), listener()));
        assertEquals(4, bad.exitCode().code());
        assertTrue(bad.getMessage().startsWith(notJson + ": not a sysfleet JSON report"), bad.getMessage());
    }

    private static RunReport shard(String shard, boolean check, String play, String... hosts) {
        List<HostResult> hs = new ArrayList<>();
        for (String h : hosts) {
            hs.add(new HostResult(h, HostResult.Status.OK, List.of(), List.of(), List.of(), null, null, false));
        }
        return new RunReport("r" + shard.charAt(0), check, Instant.EPOCH, Instant.EPOCH,
                List.of(new PlayResult(play, hs, null)), shard);
    }

    private static String refused(RunReport... reports) {
        List<ShardMerge.Input> in = new ArrayList<>();
        for (RunReport r : reports) {
            in.add(new ShardMerge.Input(Path.of(r.runId() + ".json"), r));
        }
        SysfleetException e = assertThrows(SysfleetException.class, () -> ShardMerge.combine(in, "m", h -> 0));
        assertEquals(4, e.exitCode().code());
        return e.getMessage();
    }

    @Test
    void overlappingDifferentOrMixedShardsAreRefused() {
        assertTrue(refused(shard("1/2", false, "p", "a", "b"), shard("2/2", false, "p", "b"))
                .contains("host b is in r1.json and in r2.json: the shards overlap"));
        assertTrue(refused(shard("1/2", false, "p", "a"), shard("2/2", true, "p", "b"))
                .contains("r2.json is a check but r1.json is an apply run"));
        assertTrue(refused(shard("1/2", false, "p", "a"), shard("2/3", false, "p", "b"))
                .contains("all shards must split the fleet the same way"));
        assertTrue(refused(shard("1/2", false, "p", "a"), shard("2/2", false, "q", "b"))
                .contains("the shards ran different playbooks"));
        RunReport whole = new RunReport("rx", false, Instant.EPOCH, Instant.EPOCH, List.of(), null);
        assertTrue(refused(whole).contains("is not a shard's report"));
    }

    @Test
    void theJsonReportReadsBackAsTheRunItDescribes() throws Exception {
        Path json = dir.resolve("r.json");
        Engine.Outcome o = run(dir.resolve("s"), 5, new Shard(2, 2), json, null, false);
        RunReport back = JsonReport.read(json);
        assertEquals(JsonReport.render(o.report()), JsonReport.render(back));
    }
}
