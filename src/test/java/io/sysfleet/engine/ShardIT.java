package io.sysfleet.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sysfleet.testing.Cli;
import io.sysfleet.testing.TestFleet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.Container;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code run --shard K/N} on three "controllers" (three state directories) against six real sshd containers, and
 * {@code report merge}: the shards cover every host exactly once, the merged JSON and JUnit reports equal those of
 * one controller's run on the same lab from the same state (up to ids, times and durations), and
 * {@code rollback --last} on the merged journal restores every host (read back inside the containers).
 */
class ShardIT {
    private static final String[] KEYS = {"net/ipv4/tcp_syncookies", "net/ipv4/tcp_tw_reuse", "net/ipv4/tcp_fin_timeout",
            "net/ipv4/tcp_max_syn_backlog", "net/ipv4/tcp_max_tw_buckets",
            "net/netfilter/nf_conntrack_tcp_timeout_established"};
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestFleet fleet;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startFleet() {
        fleet = TestFleet.start("debian12", "debian12", "debian12", "debian12", "debian12", "debian12");
    }

    @AfterAll
    static void stopFleet() {
        if (fleet != null) {
            fleet.close();
        }
    }

    private static String sh(TestFleet.Host h, String script) throws Exception {
        Container.ExecResult r = h.container().execInContainer("sh", "-c", script);
        assertEquals(0, r.getExitCode(), h.name() + ": " + script + ": " + r.getStderr());
        return r.getStdout();
    }

    /** Every host's six live values and the sha256 of its /etc/sysctl.conf, read inside the containers. */
    private static Map<String, String> state() throws Exception {
        Map<String, String> m = new TreeMap<>();
        StringBuilder read = new StringBuilder();
        for (String k : KEYS) {
            read.append("cat /proc/sys/").append(k).append("; ");
        }
        for (TestFleet.Host h : fleet.hosts()) {
            m.put(h.name(), sh(h, read + "sha256sum < /etc/sysctl.conf").replace('\n', ' ').strip());
        }
        return m;
    }

    private Path inventory() throws Exception {
        StringBuilder sb = new StringBuilder("all:\n  vars:\n    ansible_user: sysfleet\n    ansible_host: 127.0.0.1\n")
                .append("    ansible_ssh_private_key_file: ").append(fleet.privateKey()).append("\n  hosts:\n");
        for (TestFleet.Host h : fleet.hosts()) {
            sb.append("    ").append(h.name()).append(":\n      ansible_port: ").append(h.port()).append('\n');
        }
        return Files.writeString(tmp.resolve("inventory.yml"), sb.toString());
    }

    private Cli.Result sysfleet(String... args) {
        List<String> argv = new ArrayList<>(List.of(args));
        if (argv.get(0).equals("run") || argv.get(0).equals("rollback")) {
            argv.addAll(List.of("--known-hosts", fleet.knownHosts().toString(), "--progress", "never"));
        }
        return Cli.run(argv);
    }

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

    @Test
    void threeShardsCoverTheLabOnceAndMergeIntoTheRunOfOneController() throws Exception {
        for (TestFleet.Host h : fleet.hosts()) {
            sh(h, "printf '# drifted\\nnet.ipv4.tcp_fin_timeout = 60\\n' > /etc/sysctl.conf && rm -f /etc/sysctl.conf.sysfleet-*"
                    + " && /sbin/sysctl -q -w net.ipv4.tcp_fin_timeout=60 net.ipv4.tcp_tw_reuse=2"
                    + " net.ipv4.tcp_max_syn_backlog=512 net.ipv4.tcp_max_tw_buckets=4096");
        }
        Map<String, String> drifted = state();
        Path inv = inventory();
        String playbook = TestFleet.projectRoot().resolve("bench/six-keys.yml").toString();

        Path single = tmp.resolve("single");
        Cli.Result one = sysfleet("run", playbook, "-i", inv.toString(), "--state-dir", single.toString(),
                "--report-json", tmp.resolve("single.json").toString(), "--report-junit", tmp.resolve("single.xml").toString());
        assertEquals(0, one.exit(), one.out() + one.err());
        Map<String, String> converged = state();
        assertNotEquals(drifted, converged);
        Cli.Result back = sysfleet("rollback", "--last", "-i", inv.toString(), "--state-dir", single.toString());
        assertEquals(0, back.exit(), back.out() + back.err());
        assertEquals(drifted, state(), "the lab is back where it started");

        List<String> merge = new ArrayList<>(List.of("report", "merge"));
        Set<String> ran = new HashSet<>();
        for (int k = 1; k <= 3; k++) {
            Path state = tmp.resolve("controller" + k);
            Path json = tmp.resolve("shard" + k + ".json");
            Cli.Result r = sysfleet("run", playbook, "-i", inv.toString(), "--shard", k + "/3", "--state-dir",
                    state.toString(), "--report-json", json.toString());
            assertEquals(0, r.exit(), r.out() + r.err());
            for (JsonNode h : JSON.readTree(Files.readAllBytes(json)).get("plays").get(0).get("hosts")) {
                assertTrue(ran.add(h.get("name").asText()), h + " ran in two shards");
                assertEquals(k, Shard.of(h.get("name").asText(), 3));
            }
            merge.add(json.toString());
            merge.addAll(List.of("--journals", state.toString()));
        }
        assertEquals(fleet.hosts().size(), ran.size(), "the shards together ran every host: " + ran);
        assertEquals(converged, state(), "the shards converged the lab as one controller did");

        Path merged = tmp.resolve("merged");
        merge.addAll(List.of("-i", inv.toString(), "--state-dir", merged.toString(), "--report-json",
                tmp.resolve("merged.json").toString(), "--report-junit", tmp.resolve("merged.xml").toString()));
        Cli.Result m = sysfleet(merge.toArray(String[]::new));
        assertEquals(0, m.exit(), m.out() + m.err());
        assertEquals(comparable(tmp.resolve("single.json")), comparable(tmp.resolve("merged.json")));
        assertEquals(comparableJUnit(tmp.resolve("single.xml")), comparableJUnit(tmp.resolve("merged.xml")));

        Cli.Result undo = sysfleet("rollback", "--last", "-i", inv.toString(), "--state-dir", merged.toString(),
                "--report-json", tmp.resolve("undo.json").toString());
        assertEquals(0, undo.exit(), undo.out() + undo.err());
        assertEquals(fleet.hosts().size(), JSON.readTree(Files.readAllBytes(tmp.resolve("undo.json")))
                .get("summary").get("changed").asInt(), undo.out());
        assertEquals(drifted, state(), "rollback of the merged run restored the whole lab");
    }
}
