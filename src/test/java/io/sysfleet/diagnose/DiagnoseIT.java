package io.sysfleet.diagnose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * diagnose on real sshd containers with induced problems, through the CLI in-process: TIME_WAIT at a lowered
 * tcp_max_tw_buckets (the real kernel destroys the rest and counts TCPTimeWaitOverflow), CLOSE_WAIT and FIN_WAIT2
 * held by a leaking process (sysfleet-tcp-states in the test image), a risky tcp_fin_timeout, kernel log lines
 * planted in /var/log/messages (root:adm 0640, read through sudo) and /var/log/kern.log. Then the cycle:
 * diagnose -> run the emitted plan -> diagnose shows the sysctl-fixable findings gone.
 *
 * <p>tcp_tw_recycle does not exist on this kernel (removed in Linux 4.12): on the centos5 host the
 * sysctl-legacy-double TEST DOUBLE emulates it (set to 1) to show NAT_TIMESTAMP_RISK end to end; its row
 * playbook skips the key on a 4.12+ kernel, which the finding says. nf_conntrack_max is read-only in a
 * container, so row 7's playbook cannot be applied here: the conntrack log line is removed before the cycle.
 */
class DiagnoseIT {
    private static TestFleet fleet;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() {
        fleet = TestFleet.start("debian12", "centos5");
    }

    @AfterAll
    static void stop() {
        if (fleet != null) {
            fleet.close();
        }
    }

    private static String sh(TestFleet.Host h, String script) throws Exception {
        Container.ExecResult r = h.container().execInContainer("sh", "-c", script);
        assertEquals(0, r.getExitCode(), h.name() + ": " + script + ": " + r.getStderr());
        return r.getStdout();
    }

    private Path inventory() throws Exception {
        StringBuilder sb = new StringBuilder("all:\n  vars:\n    ansible_user: sysfleet\n    ansible_become: true\n")
                .append("    ansible_host: 127.0.0.1\n    ansible_ssh_private_key_file: ").append(fleet.privateKey())
                .append("\n  hosts:\n");
        for (TestFleet.Host h : fleet.hosts()) {
            sb.append("    ").append(h.name()).append(":\n      ansible_port: ").append(h.port()).append('\n');
        }
        Path inv = tmp.resolve("inventory.yml");
        Files.writeString(inv, sb.toString());
        return inv;
    }

    private List<String> common(Path inv, String... more) {
        List<String> a = new ArrayList<>(List.of("-i", inv.toString(), "--known-hosts", fleet.knownHosts().toString()));
        a.addAll(List.of(more));
        return a;
    }

    private Cli.Result diagnose(Path inv, String... more) {
        List<String> a = new ArrayList<>(List.of("diagnose"));
        a.addAll(common(inv, more));
        return Cli.run(a);
    }

    private static List<JsonNode> findings(JsonNode host) {
        List<JsonNode> out = new ArrayList<>();
        host.get("findings").forEach(out::add);
        return out;
    }

    private static JsonNode finding(JsonNode host, String code) {
        return findings(host).stream().filter(f -> f.get("code").asText().equals(code)).findFirst()
                .orElseThrow(() -> new AssertionError(code + " not in " + host.get("findings")));
    }

    @Test
    void findsEveryInducedProblemWithItsRowAndPlaybookAndTheRunFixesTheSysctlOnes() throws Exception {
        TestFleet.Host deb = fleet.host(0);
        TestFleet.Host c5 = fleet.host(1);
        sh(deb, "sysctl -q -w net.ipv4.tcp_max_tw_buckets=64 net.ipv4.tcp_fin_timeout=600");
        String induced = sh(deb, "sysfleet-tcp-states --time-wait 100 --close-wait 60 --port 9400");
        assertTrue(induced.contains("close-wait: 60 sockets held"), induced);
        sh(deb, "now=$(date -u +%Y-%m-%dT%H:%M:%S); "
                + "printf '%s.000000+00:00 h kernel: [ 812.1] nf_conntrack: table full, dropping packet\\n' $now $now "
                + "> /var/log/messages; chgrp adm /var/log/messages; chmod 0640 /var/log/messages; "
                + "printf '%s h kernel: TCP: time wait bucket table overflow\\n' \"$(date '+%b %e %H:%M:%S')\" "
                + "> /var/log/kern.log");
        sh(c5, "/usr/local/sbin/sysctl-legacy-double tw-recycle 1");
        Path inv = inventory();
        Path thresholds = tmp.resolve("thresholds.yml");
        Files.writeString(thresholds, "close_wait_high: 50\nfin_wait2_high: 50\ntime_wait_high: 50\n");

        // the table, as an operator reads it
        Cli.Result table = diagnose(inv, "--thresholds", thresholds.toString());
        assertEquals(8, table.exit(), table.out() + table.err());
        String header = table.out().lines().filter(l -> l.startsWith("HOST ") && l.contains("_")).findFirst().orElseThrow();
        for (String code : List.of("NAT_TIMESTAMP_RISK", "FIN_TIMEOUT_CHANGED", "TIME_WAIT_HIGH", "CLOSE_WAIT_LEAK",
                "FIN_WAIT2_HIGH", "TW_BUCKET_OVERFLOW", "CONNTRACK_TABLE_FULL")) {
            assertTrue(header.contains(code), header);
        }
        assertTrue(table.out().contains("fix: sysfleet run playbooks/06-tw-bucket-overflow.yml -i " + inv
                + " --limit " + deb.name()), table.out());

        // the same as JSON: rows, playbooks, evidence
        Path prom = tmp.resolve("textfile/sysfleet.prom");
        Cli.Result json = diagnose(inv, "--thresholds", thresholds.toString(), "--json", "--prometheus", prom.toString());
        assertEquals(8, json.exit(), json.err());
        JsonNode root = JSON.readTree(json.out());
        JsonNode d = root.get("hosts").get(0);
        assertEquals("diagnosed", d.get("status").asText(), d.toString());
        JsonNode tw = finding(d, "TW_BUCKET_OVERFLOW");
        assertEquals("critical", tw.get("severity").asText());
        assertEquals(6, tw.get("row").asInt());
        assertEquals("playbooks/06-tw-bucket-overflow.yml", tw.get("remedy").get("playbook").asText());
        assertTrue(tw.get("evidence").toString().contains("TCPTimeWaitOverflow"), tw.toString());
        assertTrue(tw.get("evidence").toString().contains("/var/log/kern.log: 1"), tw.toString());
        assertEquals(64, d.get("figures").get("timeWait").asInt(), "the kernel kept at most tcp_max_tw_buckets");
        JsonNode cw = finding(d, "CLOSE_WAIT_LEAK");
        assertEquals(4, cw.get("row").asInt());
        assertTrue(cw.get("remedy").get("playbook").isNull());
        assertTrue(cw.get("remedy").get("advice").asText().contains("leaky-app"), cw.toString());
        assertTrue(cw.get("summary").asText().contains("port 9401 (60)"), cw.toString());
        assertEquals(5, finding(d, "FIN_WAIT2_HIGH").get("row").asInt());
        assertEquals("playbooks/05-fin-wait2.yml", finding(d, "FIN_WAIT2_HIGH").get("remedy").get("playbook").asText());
        assertEquals(3, finding(d, "TIME_WAIT_HIGH").get("row").asInt());
        assertEquals(2, finding(d, "FIN_TIMEOUT_CHANGED").get("row").asInt());
        assertEquals("playbooks/02-fin-timeout.yml", finding(d, "FIN_TIMEOUT_CHANGED").get("remedy").get("playbook").asText());
        JsonNode ct = finding(d, "CONNTRACK_TABLE_FULL");
        assertEquals(7, ct.get("row").asInt());
        assertTrue(ct.get("evidence").toString().contains("/var/log/messages: 2"), ct.toString()); // printf wrote the line twice
        JsonNode nat = finding(root.get("hosts").get(1), "NAT_TIMESTAMP_RISK");
        assertEquals(8, nat.get("row").asInt());
        assertEquals("critical", nat.get("severity").asText());
        assertTrue(nat.get("remedy").get("advice").asText().contains("08-nat-syn-dropped.yml"), nat.toString());
        String metrics = Files.readString(prom);
        assertTrue(metrics.contains("sysfleet_tcp_sockets{host=\"" + deb.name() + "\",state=\"close_wait\"} 60.0"), metrics);
        assertTrue(metrics.contains("sysfleet_tcp_max_tw_buckets{host=\"" + deb.name() + "\"} 64.0"), metrics);

        // the cycle: row 7 cannot be applied in a container (nf_conntrack_max is read-only), so its log line goes
        sh(deb, "sed -i '/conntrack/d' /var/log/messages");
        Path plan = tmp.resolve("plan.yml");
        Cli.Result before = diagnose(inv, "--thresholds", thresholds.toString(), "--emit-plan", plan.toString());
        assertEquals(8, before.exit(), before.out());
        String planText = Files.readString(plan);
        assertTrue(planText.contains("06-tw-bucket-overflow.yml") && planText.contains("02-fin-timeout.yml"), planText);
        assertFalse(planText.contains(c5.name()), "nothing in the plan can fix the centos5 host: " + planText);

        List<String> run = new ArrayList<>(List.of("run", plan.toString()));
        run.addAll(common(inv, "--state-dir", tmp.resolve("state").toString(), "--progress", "never"));
        Cli.Result applied = Cli.runMerged(run);
        assertEquals(0, applied.exit(), applied.out());
        assertEquals("262144", sh(deb, "cat /proc/sys/net/ipv4/tcp_max_tw_buckets").strip());
        assertEquals("30", sh(deb, "cat /proc/sys/net/ipv4/tcp_fin_timeout").strip());

        Cli.Result after = diagnose(inv, "--thresholds", thresholds.toString(), "--json", "--limit", deb.name());
        JsonNode a = JSON.readTree(after.out()).get("hosts").get(0);
        for (JsonNode f : findings(a)) {
            String code = f.get("code").asText();
            boolean fixable = !f.get("remedy").isNull() && !f.get("remedy").get("playbook").isNull();
            assertFalse(fixable, "a sysctl-fixable finding is left after the run: " + f);
            assertTrue(code.equals("CLOSE_WAIT_LEAK") || f.get("severity").asText().equals("info"), f.toString());
        }
        assertFalse(findings(a).stream().anyMatch(f -> f.get("code").asText().equals("FIN_TIMEOUT_CHANGED")));
        assertEquals("warning", finding(a, "CLOSE_WAIT_LEAK").get("severity").asText(), "the application still leaks");
        assertEquals(8, after.exit(), "CLOSE_WAIT is still a warning");
        Cli.Result gate = diagnose(inv, "--thresholds", thresholds.toString(), "--limit", deb.name(), "--fail-on", "critical");
        assertEquals(0, gate.exit(), gate.out());
    }

    @Test
    void badThresholdsAndAnUnreachableHost() throws Exception {
        Path inv = inventory();
        Path bad = tmp.resolve("bad.yml");
        Files.writeString(bad, "close_wait_high: many\n");
        Cli.Result r = diagnose(inv, "--thresholds", bad.toString());
        assertEquals(4, r.exit());
        assertTrue(r.err().contains(bad + ":1:18: threshold 'close_wait_high' must be a number"), r.err());
        Cli.Result u = diagnose(inv, "--threshold", "nope=1");
        assertEquals(5, u.exit(), u.err());
        Path down = tmp.resolve("down.yml");
        Files.writeString(down, Files.readString(inv) + "    gone:\n      ansible_port: 1\n");
        Cli.Result d = diagnose(down, "--connect-timeout", "3", "--fail-on", "never");
        assertEquals(3, d.exit(), d.out());
        assertTrue(d.out().lines().anyMatch(l -> l.matches("gone +unreachable: .*")), d.out());
    }
}
