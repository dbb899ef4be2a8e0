package io.sysfleet.diagnose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sysfleet.testing.Chromium;
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
    /** Markup in a kernel log line: the reports show it as text. */
    static final String MARKUP = "<script>window.pwned=1</script><b>bold</b>";

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
                + "printf '%s h kernel: TCP: time wait bucket table overflow " + MARKUP + "\\n' \"$(date '+%b %e %H:%M:%S')\" "
                + "> /var/log/kern.log; "
                // history before the last rotations: a day-old kern.log.1 and a compressed kern.log.2.gz
                + "printf '%s h kernel: TCP: time wait bucket table overflow\\n' \"$(date -d '-1 day' '+%b %e %H:%M:%S')\" "
                + "> /var/log/kern.log.1; printf '%s h kernel: TCP: time wait bucket table overflow\\n' "
                + "\"$(date -d '-3 days' '+%b %e %H:%M:%S')\" | gzip > /var/log/kern.log.2.gz");
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

        // the reports a person reads, of this lab with a closed port added, opened offline in Chromium
        reports(inv, thresholds, deb, c5);

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
        assertTrue(tw.get("evidence").toString().contains("/var/log/kern.log.1: 1"), "rotated: " + tw);
        assertTrue(tw.get("evidence").toString().contains("/var/log/kern.log.2.gz: 1"), "rotated, compressed: " + tw);
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

    private void reports(Path inv, Path thresholds, TestFleet.Host deb, TestFleet.Host c5) throws Exception {
        int closedPort;
        try (java.net.ServerSocket sock = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = sock.getLocalPort();
        }
        Path withClosed = tmp.resolve("with-closed.yml");
        Files.writeString(withClosed, Files.readString(inv) + "    closed-port:\n      ansible_port: " + closedPort + "\n");
        Path html = tmp.resolve("reports/diagnose.html");
        Path md = tmp.resolve("reports/diagnose.md");
        Cli.Result r = diagnose(withClosed, "--thresholds", thresholds.toString(), "--connect-timeout", "3",
                "--report-html", html.toString(), "--report-markdown", md.toString(), "--progress", "always");
        assertEquals(3, r.exit(), r.out() + r.err());
        assertTrue(r.err().contains("[3/3] findings 2  critical 2  failed 0  unreachable 1"), "the status line: " + r.err());
        assertFalse(r.out().contains("\033"), "the status line stays on stderr");
        try (Chromium browser = Chromium.start(1280, 1000)) {
            browser.open(html.toUri().toString());
            assertEquals(List.of(html.toUri().toString()), browser.requests(), "nothing fetched but the page");
            assertEquals("exit 3 UNREACHABLE", browser.eval("document.getElementById('exit').textContent").asText());
            assertEquals("2", browser.eval("document.querySelector('button[data-filter=critical] b').textContent").asText());
            assertEquals("1", browser.eval("document.querySelector('button[data-filter=unreachable] b').textContent").asText());
            String d = "details[data-name='" + deb.name() + "'] ";
            browser.click(d + "> summary");
            for (String code : List.of("FIN_TIMEOUT_CHANGED", "TIME_WAIT_HIGH", "CLOSE_WAIT_LEAK", "FIN_WAIT2_HIGH",
                    "TW_BUCKET_OVERFLOW", "CONNTRACK_TABLE_FULL")) {
                assertEquals(1, browser.eval("document.querySelectorAll(\"" + d + ".finding[data-code=" + code + "]\").length")
                        .asInt(), code);
            }
            String tw = browser.eval("Array.from(document.querySelectorAll(\"" + d + ".finding[data-code=TW_BUCKET_OVERFLOW] "
                    + ".evidence li\")).map(l => l.textContent).join('\\n')").asText();
            assertTrue(tw.contains("TCP: time wait bucket table overflow " + MARKUP), "the host's line, as text: " + tw);
            assertTrue(tw.contains("/var/log/kern.log.2.gz: 1"), tw);
            assertTrue(browser.eval("document.querySelector(\"" + d + ".finding[data-code=CLOSE_WAIT_LEAK] .advice\")"
                    + ".textContent").asText().contains("leaky-app"));
            assertEquals("undefined", browser.eval("typeof window.pwned").asText(), "no injected script ran");
            assertEquals(0, browser.eval("document.querySelectorAll('#hosts b, #hosts script').length").asInt());
            browser.click("details[data-name='" + c5.name() + "'] > summary");
            assertEquals("critical", browser.eval("document.querySelector(\"details[data-name='" + c5.name()
                    + "'] .finding[data-code=NAT_TIMESTAMP_RISK] .pill\").textContent").asText());
            assertTrue(browser.eval("document.querySelector(\"details[data-name='closed-port'] .msg\").textContent")
                    .asText().startsWith("connect: "));
            List<String> fixes = new ArrayList<>();
            browser.eval("Array.from(document.querySelectorAll('#fixes code')).map(c => c.textContent)")
                    .forEach(n -> fixes.add(n.asText()));
            assertTrue(fixes.stream().anyMatch(f -> f.startsWith("sysfleet run playbooks/06-tw-bucket-overflow.yml -i "
                    + withClosed + " --limit " + deb.name())), fixes.toString());
            browser.click("button[data-filter=critical]");
            assertEquals(2, browser.eval("Array.from(document.querySelectorAll('#hosts > details')).filter(x => !x.hidden)"
                    + ".length").asInt());
            browser.click("button[data-filter=all]");
            browser.click("details[data-name='" + c5.name() + "'] > summary"); // closed again for the picture
            assertEquals(List.of(), browser.consoleProblems());
            browser.eval("window.scrollTo(0, 0)");
            browser.screenshot(TestFleet.projectRoot().resolve("target/diagnose-report.png"), true);
        }
        String summary = Files.readString(md);
        assertTrue(summary.startsWith("### ❌ sysfleet diagnose: exit 3 UNREACHABLE"), summary);
        assertTrue(summary.contains("**critical `TW_BUCKET_OVERFLOW`**"), summary);
        assertTrue(summary.contains("- `closed-port` unreachable: `connect: "), summary);
        assertFalse(summary.replaceAll("`[^`]*`", "").contains("<"), "host text only in code spans: " + summary);
    }

    @Test
    void withoutRootTheKernelLogIsUnknownNotClean() throws Exception {
        TestFleet.Host deb = fleet.host(0);
        // Debian's own modes: messages root:adm 0640; kern.log root only here; dmesg needs CAP_SYSLOG, which a
        // container lacks; the image has no journal. The connecting user (sysfleet) is in neither group.
        sh(deb, "printf 'x kernel: nf_conntrack: table full, dropping packet\\n' > /var/log/messages; "
                + "chgrp adm /var/log/messages; chmod 0640 /var/log/messages; : > /var/log/kern.log; "
                + "chmod 0600 /var/log/kern.log; rm -f /var/log/kern.log.1 /var/log/kern.log.2.gz");
        Path inv = tmp.resolve("no-become.yml");
        Files.writeString(inv, "all:\n  vars:\n    ansible_user: sysfleet\n    ansible_host: 127.0.0.1\n"
                + "    ansible_ssh_private_key_file: " + fleet.privateKey() + "\n  hosts:\n    " + deb.name()
                + ":\n      ansible_port: " + deb.port() + "\n");
        Path prom = tmp.resolve("blind.prom");
        Cli.Result json = diagnose(inv, "--json", "--fail-on", "never", "--prometheus", prom.toString());
        assertEquals(0, json.exit(), json.err());
        JsonNode h = JSON.readTree(json.out()).get("hosts").get(0);
        assertEquals("diagnosed", h.get("status").asText());
        String notes = h.get("notes").toString();
        assertTrue(notes.contains("kernel log history unknown: no log source could be read"), notes);
        assertTrue(notes.contains("dmesg: permission denied"), notes);
        assertTrue(notes.contains("/var/log/messages: not readable by the connecting user"), notes);
        assertFalse(findings(h).stream().anyMatch(f -> f.get("code").asText().startsWith("CONNTRACK")),
                "the unreadable line is not evidence");
        assertTrue(Files.readString(prom).contains("sysfleet_kernel_log_readable{host=\"" + deb.name() + "\"} 0.0"));

        Cli.Result table = diagnose(inv, "--fail-on", "never");
        String row = table.out().lines().filter(l -> l.startsWith(deb.name() + " ") && l.matches(".*\\d.*"))
                .reduce((a, b) -> b).orElseThrow();
        assertTrue(row.endsWith("unknown"), "LOG_LINES: " + table.out());
        assertTrue(table.out().contains("NOTES (what could not be measured):\n  " + deb.name()
                + ": kernel log history unknown"), table.out());

        // as root (--become) the same host's log is read, and the line counts
        Cli.Result root = diagnose(inv, "--json", "--become", "--fail-on", "never");
        JsonNode r = JSON.readTree(root.out()).get("hosts").get(0);
        assertFalse(r.get("notes").toString().contains("history unknown"), r.get("notes").toString());
        assertEquals("CONNTRACK_TABLE_FULL", finding(r, "CONNTRACK_TABLE_FULL").get("code").asText());
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
