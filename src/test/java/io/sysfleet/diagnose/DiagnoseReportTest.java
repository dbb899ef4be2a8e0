package io.sysfleet.diagnose;

import com.fasterxml.jackson.databind.JsonNode;
import io.sysfleet.core.ExitCode;
import io.sysfleet.inventory.Host;
import io.sysfleet.report.DiagnoseHtmlReport;
import io.sysfleet.report.DiagnoseMarkdownReport;
import io.sysfleet.report.ReportContext;
import io.sysfleet.result.Phase;
import io.sysfleet.testing.Chromium;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * diagnose's HTML report in a real browser (headless Chromium, no Docker) and its Markdown summary, for a fleet
 * built from collector-format samples with markup in every place a host writes: a kernel log line, a process
 * name, an error message, a host name. DiagnoseIT opens the report of a real lab diagnosis.
 */
class DiagnoseReportTest {
    static final String EVIL = "<script>window.pwned=1</script><img src=x onerror=\"window.pwned=2\">";
    private static final Diagnoser.Context CTX = Diagnoser.Context.of(Thresholds.DEFAULT.with("close_wait_high", 50),
            Duration.ofSeconds(5));

    @TempDir
    Path tmp;

    static HostDiagnosis host(String name, HostSample s) {
        List<Finding> f = Diagnoser.settle(new Host(name, Map.of()), s, Rules.evaluate(name, s, CTX.thresholds()), CTX);
        return new HostDiagnosis(name, HostDiagnosis.Status.DIAGNOSED, null, null, s, f, Duration.ofMillis(7));
    }

    static FleetDiagnosis fleet() throws Exception {
        HostSample overflow = new SampleText().key("net.ipv4.tcp_max_tw_buckets", "64").key("net.ipv4.tcp_fin_timeout", "600")
                .sockstat("TCP: inuse 3 orphan 0 tw 64 alloc 3 mem 1\n")
                .log("/var/log/kern.log", 0, 2, "tw_overflow Jan  2 09:58:00 web1 kernel: TCP: time wait bucket "
                        + "table overflow " + EVIL)
                .sample();
        HostSample leak = new SampleText().tcp4(ParsersTest.fixture("proc-net-tcp.txt")).key("net.ipv4.tcp_fin_timeout", "600")
                .ss(ParsersTest.fixture("ss-close-wait.txt").replace("leaky-app", "<b>leak</b>"))
                .log("/var/log/messages", 0, 0).sample();
        HostSample fine = new SampleText().log("/var/log/messages", 0, 0).sample();
        HostSample blind = new SampleText().sample(); // dmesg denied, nothing else: the log history is unknown
        return new FleetDiagnosis(Instant.parse("2026-01-02T10:00:00Z"), Instant.parse("2026-01-02T10:00:03Z"),
                CTX.thresholds(), List.of(host("web1", overflow), host("web2", leak), host("db1", fine),
                host("db3", blind),
                HostDiagnosis.failure("db2", HostDiagnosis.Status.UNREACHABLE, Phase.CONNECT,
                        "cannot connect: refused " + EVIL),
                HostDiagnosis.failure("odd<i>name", HostDiagnosis.Status.FAILED, Phase.COLLECT,
                        "the collector failed with exit code 2: " + EVIL)));
    }

    private static ReportContext context() {
        return new ReportContext("diagnose", "ops", "ci-runner", null, "inventory/prod.yml", null,
                ExitCode.HOST_FAILED, null);
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    @Test
    void theReportInChromium() throws Exception {
        FleetDiagnosis d = fleet();
        Path html = tmp.resolve("diagnose.html");
        Files.writeString(html, DiagnoseHtmlReport.render(d, context(), Severity.WARNING, "-i inventory/prod.yml",
                CTX.playbooks()));
        try (Chromium browser = Chromium.start(1280, 900)) {
            browser.open(html.toUri().toString());
            assertEquals(List.of(html.toUri().toString()), browser.requests(), "nothing fetched but the page");
            assertEquals("exit 2 HOST_FAILED", browser.eval("document.getElementById('exit').textContent").asText());
            assertEquals("ops on ci-runner", browser.eval("document.getElementById('who').textContent").asText());
            for (String[] c : List.of(new String[] {"failed", "1"}, new String[] {"unreachable", "1"},
                    new String[] {"critical", "1"}, new String[] {"warning", "1"}, new String[] {"info", "0"},
                    new String[] {"ok", "2"})) {
                assertEquals(c[1], browser.eval("document.querySelector('button[data-filter=" + c[0] + "] b')"
                        + ".textContent").asText(), c[0]);
            }
            assertEquals(List.of("odd<i>name", "db2", "web1", "web2", "db1", "db3"),
                    texts(browser.eval("Array.from(document.querySelectorAll('#hosts > details')).map(d => d.dataset.name)")),
                    "worst first");
            // One column per finding code found, one coloured cell per host.
            List<String> codes = texts(browser.eval("Array.from(document.querySelectorAll('#codes li span'))"
                    + ".map(s => s.textContent)"));
            assertEquals(List.of("FIN_TIMEOUT_CHANGED", "CLOSE_WAIT_LEAK", "TW_BUCKET_OVERFLOW"), codes);
            assertEquals(List.of("warn", "none", "crit"), texts(browser.eval("Array.from(document.querySelectorAll("
                    + "\"details[data-name='web1'] .cells .c\")).map(c => c.classList.contains('s-none') ? 'none' : c.textContent)")));

            // web1: the finding with its row, evidence (the log line, as text) and fix.
            browser.click("details[data-name='web1'] > summary");
            String web1 = "details[data-name='web1'] ";
            assertEquals("critical", browser.eval("document.querySelector(\"" + web1 + ".finding[data-code=TW_BUCKET_OVERFLOW] .pill\").textContent").asText());
            String evidence = browser.eval("Array.from(document.querySelectorAll(\"" + web1 + ".finding .evidence li\"))"
                    + ".map(l => l.textContent).join('\\n')").asText();
            assertTrue(evidence.contains("table overflow " + EVIL), evidence);
            assertTrue(browser.eval("document.querySelector(\"" + web1 + ".fix code\").textContent").asText()
                    .startsWith("sysfleet run playbooks/06-tw-bucket-overflow.yml -i inventory/prod.yml --limit web1"));
            assertEquals("read", browser.eval("document.querySelector(\"" + web1 + "table.logs tr.l-read td:nth-child(2)\")"
                    + ".textContent").asText());

            // web2: the process holding CLOSE_WAIT, as text.
            browser.click("details[data-name='web2'] > summary");
            assertTrue(browser.eval("document.querySelector(\"details[data-name='web2'] .finding[data-code=CLOSE_WAIT_LEAK] .advice\")"
                    + ".textContent").asText().contains("<b>leak</b> (pid 75)"));

            // db3: nothing found, but its kernel log could not be read: said, never a clean ok.
            assertTrue(browser.eval("document.querySelector(\"details[data-name='db3'] .msg\").textContent").asText()
                    .contains("kernel log history unknown"));
            assertTrue(browser.eval("document.getElementById('unknownlogs').textContent").asText()
                    .startsWith("Kernel log history unknown on 1 host"));
            browser.click("details[data-name='db3'] > summary");
            assertTrue(browser.eval("document.querySelector(\"details[data-name='db3'] .notes li\").textContent").asText()
                    .contains("dmesg: permission denied"));

            // The failures, in their own words, as text.
            browser.click("details[data-name='odd<i>name'] > summary");
            assertTrue(browser.eval("document.querySelector(\"details[data-name='odd<i>name'] .kernel\").textContent")
                    .asText().endsWith(EVIL));
            assertEquals("undefined", browser.eval("typeof window.pwned").asText(), "no injected script ran");
            assertEquals(1, browser.eval("document.scripts.length").asInt());
            assertEquals(0, browser.eval("document.querySelectorAll('#hosts img, #hosts b, #hosts i, #hosts script').length").asInt());

            // The fixes: one command per playbook for exactly the affected hosts.
            List<String> fixes = texts(browser.eval("Array.from(document.querySelectorAll('#fixes code')).map(c => c.textContent)"));
            assertTrue(fixes.contains("sysfleet run playbooks/02-fin-timeout.yml -i inventory/prod.yml --limit web1,web2"), fixes.toString());

            // Filter with real clicks and search with real keys (the run report's script).
            browser.click("button[data-filter=critical]");
            assertEquals(List.of("web1"), texts(browser.eval("Array.from(document.querySelectorAll('#hosts > details'))"
                    + ".filter(d => !d.hidden).map(d => d.dataset.name)")));
            browser.click("button[data-filter=all]");
            browser.type("#q", "DB");
            assertEquals(List.of("db2", "db1", "db3"), texts(browser.eval("Array.from(document.querySelectorAll("
                    + "'#hosts > details')).filter(d => !d.hidden).map(d => d.dataset.name)")));
            assertEquals(List.of(), browser.consoleProblems());
        }
    }

    @Test
    void twoThousandHostsLoadCollapsedAndStayUsable() throws Exception {
        FleetDiagnosis small = fleet();
        List<HostDiagnosis> hosts = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            HostDiagnosis h = small.hosts().get(i % 4); // web1 critical, web2 warning, db1 ok, db3 unknown log
            hosts.add(new HostDiagnosis(String.format("web%04d.dc1.example.com", i), h.status(), h.phase(), h.error(),
                    h.sample(), h.findings().stream().map(f -> new Finding(f.code(), f.severity(),
                    String.format("web%04d.dc1.example.com", hosts.size()), f.summary(), f.evidence(), f.remedy()))
                    .toList(), h.elapsed()));
        }
        FleetDiagnosis big = new FleetDiagnosis(small.started(), small.finished(), small.thresholds(), hosts);
        long t0 = System.nanoTime();
        String html = DiagnoseHtmlReport.render(big, context(), Severity.WARNING, "-i prod.yml", CTX.playbooks());
        long renderMs = (System.nanoTime() - t0) / 1_000_000;
        Path file = tmp.resolve("diagnose2000.html");
        Files.writeString(file, html);
        try (Chromium browser = Chromium.start(1280, 900)) {
            List<Double> loads = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                browser.open("about:blank");
                browser.open(file.toUri().toString());
                loads.add(browser.eval("performance.getEntriesByType('navigation')[0].loadEventEnd").asDouble());
            }
            System.out.printf(java.util.Locale.ROOT, "diagnose HTML report, 2000 hosts: %,d bytes, %,d elements, "
                            + "rendered in %d ms (first render, cold); Chromium load event end median %.0f ms of %s%n",
                    Files.size(file), browser.eval("document.getElementsByTagName('*').length").asInt(), renderMs,
                    loads.stream().sorted().toList().get(1), loads);
            assertEquals(2000, browser.eval("document.querySelectorAll('#hosts > details').length").asInt());
            assertEquals(0, browser.eval("document.querySelectorAll('details[open]').length").asInt(), "collapsed");
            browser.click("button[data-filter=critical]");
            assertEquals(500, browser.eval("Array.from(document.querySelectorAll('#hosts > details'))"
                    + ".filter(d => !d.hidden).length").asInt());
            browser.click("button[data-filter=all]");
            browser.type("#q", "web0042.");
            browser.waitFor("document.getElementById('shown').textContent.startsWith('1 of 2000')");
            browser.click("#expand");
            assertEquals(1, browser.eval("document.querySelectorAll('details[open]').length").asInt());
            assertEquals(List.of(), browser.consoleProblems());
        }
    }

    @Test
    void theMarkdownSummary() throws Exception {
        String md = DiagnoseMarkdownReport.render(fleet(), context(), Severity.WARNING, "-i inventory/prod.yml",
                CTX.playbooks());
        assertTrue(md.startsWith("### ❌ sysfleet diagnose: exit 2 HOST_FAILED\n"), md);
        assertTrue(md.contains("| 6 | 2 | 0 | 1 | 1 | 1 | 1 |"), md);
        assertTrue(md.contains("**critical `TW_BUCKET_OVERFLOW`** (row 6: TCP: time wait bucket table overflow in the kernel log), 1 host\n"), md);
        assertTrue(md.contains("- `web2` warning: `"), md);
        assertTrue(md.contains("**Not diagnosed** (2)"), md);
        assertTrue(md.contains("**Kernel log history unknown** (1)"), md);
        assertTrue(md.contains("- row 2: `sysfleet run playbooks/02-fin-timeout.yml -i inventory/prod.yml --limit web1,web2`"), md);
        // every host value is a code span: no markup outside one
        String outside = md.replaceAll("`[^`]*`", "");
        assertFalse(outside.contains("<"), outside);
    }
}
