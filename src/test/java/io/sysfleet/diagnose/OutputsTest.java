package io.sysfleet.diagnose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sysfleet.inventory.Host;
import io.sysfleet.playbook.Play;
import io.sysfleet.playbook.PlaybookLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The plan, JSON, table and Prometheus outputs of a diagnosis of three hosts (built from collector-format samples).
 * Oracles: the real ansible-playbook lists exactly the affected hosts per play of the plan, and the official
 * Prometheus Python client parses the metrics file. Both FAIL, never skip, when missing (scripts/setup.sh
 * installs them).
 */
class OutputsTest {
    private static final Diagnoser.Context CTX = Diagnoser.Context.of(Thresholds.DEFAULT.with("close_wait_high", 50),
            Duration.ofSeconds(5));

    @TempDir
    Path tmp;

    static HostDiagnosis host(String name, HostSample s) {
        List<Finding> f = Diagnoser.settle(new Host(name, Map.of()), s, Rules.evaluate(name, s, CTX.thresholds()), CTX);
        return new HostDiagnosis(name, HostDiagnosis.Status.DIAGNOSED, null, null, s, f, Duration.ofMillis(5));
    }

    static FleetDiagnosis fleet() throws IOException {
        HostSample overflow = new SampleText().key("net.ipv4.tcp_max_tw_buckets", "64")
                .sockstat("TCP: inuse 3 orphan 0 tw 64 alloc 3 mem 1\n").key("net.ipv4.tcp_fin_timeout", "600")
                .netstat("TcpExt: TW TCPTimeWaitOverflow\nTcpExt: 5 36\n")
                .log("/var/log/messages", 0, 2, "tw_overflow Jan  2 09:58:00 web1 kernel: \u001b[2J\"quoted\\\" TCP: time wait bucket table overflow")
                .sample();
        HostSample leak = new SampleText().tcp4(ParsersTest.fixture("proc-net-tcp.txt"))
                .ss(ParsersTest.fixture("ss-close-wait.txt")).key("net.ipv4.tcp_fin_timeout", "600").sample();
        HostSample fine = new SampleText().sample();
        return new FleetDiagnosis(Instant.parse("2026-01-02T10:00:00Z"), Instant.parse("2026-01-02T10:00:02Z"),
                CTX.thresholds(), List.of(host("web1", overflow), host("web2", leak), host("db1", fine),
                HostDiagnosis.failure("db2", HostDiagnosis.Status.UNREACHABLE, io.sysfleet.result.Phase.CONNECT, "cannot connect: refused")));
    }

    @Test
    void thePlanIsAPlaybookForExactlyTheAffectedHosts() throws Exception {
        RemediationPlan plan = RemediationPlan.of(fleet(), CTX.playbooks());
        String yaml = plan.yaml(CTX.playbooks(), "inv.yml", Instant.EPOCH);
        Path file = tmp.resolve("plan.yml");
        Files.writeString(file, yaml);
        List<Play> plays = PlaybookLoader.load(file).plays();
        assertEquals(List.of("02-fin-timeout.yml", "06-tw-bucket-overflow.yml"),
                plan.entries().stream().map(RemediationPlan.Entry::playbook).toList());
        Play fin = plays.get(0);
        assertEquals("web1,web2", fin.hosts());
        assertEquals(30, ((Number) fin.vars().get("fin_timeout")).intValue());
        Play tw = plays.get(1);
        assertEquals("web1", tw.hosts());
        assertEquals(262_144, ((Number) tw.vars().get("max_tw_buckets")).intValue());
        assertFalse(yaml.contains("\u001b"), "no host text unescaped in the plan");

        // the oracle: ansible-playbook sees the same hosts per play
        Path inv = tmp.resolve("inv.yml");
        Files.writeString(inv, "all:\n  hosts:\n    web1:\n    web2:\n    db1:\n    db2:\n");
        String listed = ansible(tmp, "ansible-playbook", "-i", inv.toString(), "--list-hosts", file.toString());
        List<List<String>> perPlay = new ArrayList<>();
        for (String line : listed.split("\n")) {
            if (line.strip().startsWith("hosts (")) {
                perPlay.add(new ArrayList<>());
            } else if (!perPlay.isEmpty() && line.startsWith("      ") && !line.isBlank()) {
                perPlay.get(perPlay.size() - 1).add(line.strip());
            }
        }
        perPlay.forEach(java.util.Collections::sort); // ansible-playbook lists a play's hosts in no fixed order
        assertEquals(List.of(List.of("web1", "web2"), List.of("web1")), perPlay, listed);
        ansible(tmp, "ansible-playbook", "-i", inv.toString(), "--syntax-check", file.toString());
    }

    @Test
    void anEmptyPlanIsStillAPlaybook() throws IOException {
        FleetDiagnosis none = new FleetDiagnosis(Instant.EPOCH, Instant.EPOCH, Thresholds.DEFAULT,
                List.of(host("db1", new SampleText().sample())));
        RemediationPlan plan = RemediationPlan.of(none, CTX.playbooks());
        assertTrue(plan.isEmpty());
        Path file = tmp.resolve("empty.yml");
        Files.writeString(file, plan.yaml(CTX.playbooks(), "inv.yml", Instant.EPOCH));
        assertEquals(0, PlaybookLoader.load(file).plays().size());
    }

    @Test
    void jsonCarriesFindingsRemediesAndFigures() throws IOException {
        JsonNode j = new ObjectMapper().readTree(DiagnoseJson.render(fleet(), Severity.WARNING, "-i inv.yml"));
        assertEquals(1, j.get("schemaVersion").asInt());
        assertEquals(3, j.get("exitCode").asInt(), "an unreachable host comes first");
        assertEquals(4, j.get("summary").get("hosts").asInt());
        JsonNode web1 = j.get("hosts").get(0);
        assertEquals("web1", web1.get("name").asText());
        assertEquals(64, web1.get("figures").get("timeWait").asInt());
        JsonNode tw = null;
        for (JsonNode f : web1.get("findings")) {
            if (f.get("code").asText().equals("TW_BUCKET_OVERFLOW")) {
                tw = f;
            }
        }
        assertEquals(6, tw.get("row").asInt());
        assertEquals("playbooks/06-tw-bucket-overflow.yml", tw.get("remedy").get("playbook").asText());
        assertEquals("sysfleet run playbooks/06-tw-bucket-overflow.yml -i inv.yml --limit web1",
                tw.get("remedy").get("command").asText());
        assertTrue(web1.get("figures").get("logs").toString().contains("\\u001B[2J"), "escaped by JSON");
        JsonNode web2 = j.get("hosts").get(1);
        assertEquals("leaky-app", web2.get("figures").get("closeWait").get("processes").get(0).get("name").asText());
        assertEquals("unreachable", j.get("hosts").get(3).get("status").asText());
    }

    @Test
    void theTableShowsHostsByFindingWithRowsAndFixes() throws IOException {
        StringWriter sw = new StringWriter();
        new DiagnoseText(new PrintWriter(sw), "-i inv.yml", CTX.playbooks()).print(fleet());
        String out = sw.toString();
        String header = out.lines().filter(l -> l.startsWith("HOST ")).findFirst().orElseThrow();
        assertTrue(header.matches("HOST +FIN_TIMEOUT_CHANGED +CLOSE_WAIT_LEAK +TW_BUCKET_OVERFLOW"), header);
        assertTrue(out.lines().anyMatch(l -> l.matches("web1 +warning +- +CRITICAL")), out);
        assertTrue(out.lines().anyMatch(l -> l.matches("web2 +warning +warning +-")), out);
        assertTrue(out.lines().anyMatch(l -> l.matches("db1 +- +- +-")), out);
        assertTrue(out.lines().anyMatch(l -> l.matches("db2 +unreachable: cannot connect: refused")), out);
        assertTrue(out.contains("fix: sysfleet run playbooks/02-fin-timeout.yml -i inv.yml --limit web1,web2"), out);
        assertTrue(out.contains("table row 4: Many CLOSE_WAIT connections"), out);
        assertFalse(out.contains("\u001b"), "control characters from hosts are escaped");
        assertTrue(out.contains("\\x1b[2J"), out);
    }

    @Test
    void prometheusTextParsedByTheOfficialClient() throws Exception {
        String text = PrometheusMetrics.render(fleet());
        Path file = tmp.resolve("sysfleet.prom");
        Files.writeString(file, text);
        assertTrue(text.endsWith("\n"));
        assertFalse(text.lines().anyMatch(l -> !l.startsWith("#") && l.matches(".* [0-9]+ [0-9]+$")),
                "no sample timestamps (the textfile collector refuses them)");
        String script = String.join("\n",
                "import sys",
                "from prometheus_client.parser import text_string_to_metric_families",
                "for fam in text_string_to_metric_families(open(sys.argv[1]).read()):",
                "    for s in fam.samples:",
                "        print(fam.type, s.name, sorted(s.labels.items()), s.value)");
        String parsed = ansible(tmp, "/usr/bin/python3", "-c", script, file.toString());
        assertTrue(parsed.contains("gauge sysfleet_tcp_sockets [('host', 'web2'), ('state', 'close_wait')] 80.0"), parsed);
        assertTrue(parsed.contains("gauge sysfleet_tcp_max_tw_buckets [('host', 'web1')] 64.0"), parsed);
        assertTrue(parsed.contains("counter sysfleet_tcp_time_wait_overflow_total [('host', 'web1')] 36.0"), parsed);
        assertTrue(parsed.contains("gauge sysfleet_diagnose_up [('host', 'db2')] 0.0"), parsed);
        assertTrue(parsed.contains("gauge sysfleet_kernel_log_lines [('host', 'web1'), ('pattern', 'tw_overflow'), "
                + "('source', '/var/log/messages')] 2.0"), parsed);
        assertTrue(parsed.contains("('code', 'TW_BUCKET_OVERFLOW'), ('host', 'web1'), ('row', '6'), ('severity', 'critical')"),
                parsed);
        for (String family : List.of("sysfleet_tcp_sockets", "sysfleet_conntrack_fill_ratio", "sysfleet_diagnose_finding")) {
            assertEquals(1, text.lines().filter(l -> l.equals("# TYPE " + family + " gauge")).count(), family);
        }
    }

    /** Runs a program; fails the test (never skips) when it is missing or fails. */
    static String ansible(Path dir, String... argv) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("HOME", dir.toString());
        pb.environment().put("ANSIBLE_LOCAL_TEMP", dir.resolve("ansible-tmp").toString());
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            fail(argv[0] + " is not installed (scripts/setup.sh installs it): " + e.getMessage());
            throw e;
        }
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            fail(String.join(" ", argv) + " failed: " + new String(out, StandardCharsets.UTF_8));
        }
        return new String(out, StandardCharsets.UTF_8);
    }
}
