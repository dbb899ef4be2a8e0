package io.sysfleet.report;

import io.sysfleet.result.HostResult.Status;
import io.sysfleet.result.PlayResult;
import io.sysfleet.result.RunReport;
import io.sysfleet.result.Phase;
import io.sysfleet.core.ExitCode;
import io.sysfleet.core.SysfleetException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The HTML report's text; {@link HtmlReportBrowserTest} checks what Chromium makes of it. */
class HtmlReportTest {
    static final ReportContext CONTEXT = new ReportContext("run", "alice", "ci-runner-3", "playbooks/site.yml",
            "inventories/prod.yml", null, ExitCode.HOST_FAILED,
            "sysfleet rollback --run 20240501T101530-ab12 -i inventories/prod.yml");

    private static int count(String haystack, String regex) {
        Matcher m = Pattern.compile(regex, Pattern.CASE_INSENSITIVE).matcher(haystack);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    @Test
    void selfContained() {
        String html = HtmlReport.render(SampleRuns.apply(), CONTEXT);
        assertTrue(html.startsWith("<!DOCTYPE html>"), html.substring(0, 40));
        assertEquals(0, count(html, "<link\\b"), "no stylesheet links");
        assertEquals(0, count(html, "\\bsrc\\s*="), "no external scripts or images");
        assertEquals(0, count(html, "https?://"), "no network address anywhere");
        assertEquals(0, count(html, "@import|url\\("), "no CSS imports or fonts");
        assertEquals(1, count(html, "<script"), "one inline script");
        assertTrue(html.contains("Content-Security-Policy\" content=\"default-src 'none'"), "the page forbids loads");
    }

    @Test
    void summaryHasWhenWhoWhatAndTheExitCodeWithItsMeaning() {
        String html = HtmlReport.render(SampleRuns.apply(), CONTEXT);
        assertTrue(html.contains("2024-05-01 10:15:30 UTC"), "start");
        assertTrue(html.contains("12.5 s"), "duration");
        assertTrue(html.contains("alice on ci-runner-3"), "who");
        assertTrue(html.contains(">playbooks/site.yml<"), "playbook");
        assertTrue(html.contains(">inventories/prod.yml<"), "inventory");
        assertTrue(html.contains("exit 2 HOST_FAILED"), "exit code");
        assertTrue(html.contains(ExitCode.HOST_FAILED.meaning()), "its meaning");
        assertTrue(html.contains("sysfleet rollback --run 20240501T101530-ab12 -i inventories/prod.yml"), "undo");
    }

    @Test
    void countsAreDistinctHostsByTheirWorstStatus() {
        HtmlReport.Page page = HtmlReport.page(SampleRuns.apply(), CONTEXT);
        // web1.example.com is ok in both plays: one host. 6 distinct hosts.
        assertEquals(6, page.hostCount());
        assertEquals(List.of("failed=2", "unreachable=1", "changed=1", "ok=1", "skipped=1"),
                page.counts().stream().map(c -> c.status() + "=" + c.n()).toList());
        assertEquals(List.of("db1", "db2", "10.0.0.9", "web2", "web1.example.com", "cache1"),
                page.hosts().stream().map(HtmlReport.HostView::name).toList(), "problems first, then run order");
        HtmlReport.HostView web1 = page.hosts().get(4);
        assertEquals(List.of("ok", "ok"), web1.cells().stream().map(HtmlReport.Cell::status).toList());
        HtmlReport.HostView db1 = page.hosts().get(0);
        assertEquals(List.of("failed", "none"), db1.cells().stream().map(HtmlReport.Cell::status).toList(),
                "db1 is not in the second play");
    }

    @Test
    void hostDetailsCarryValuesVerificationDiffWarningsKernelWordsUndoAndRollback() {
        HtmlReport.Page page = HtmlReport.page(SampleRuns.apply(), CONTEXT);
        HtmlReport.PlayView db1 = page.hosts().get(0).plays().get(0);
        assertEquals(SampleRuns.KERNEL_ERROR + " (undone: /etc/sysctl.conf and live values restored and verified)",
                db1.error());
        assertTrue(db1.undoOk() && db1.undo().startsWith("Undone"), db1.undo());
        assertEquals(null, page.hosts().get(0).rollback(), "undone: nothing to roll back");
        HtmlReport.KeyView k = db1.keys().get(0);
        assertEquals(List.of("999999999999", "65536", "65536", "no", "failed", SampleRuns.KERNEL_ERROR),
                List.of(k.planned().text(), k.old().text(), k.now().text(), k.verified(), k.outcome(), k.error()));
        HtmlReport.KeyView notRead = db1.keys().get(1);
        assertEquals(new HtmlReport.Value("(not read)", true), notRead.now());

        HtmlReport.PlayView web2 = page.hosts().get(3).plays().get(0);
        assertEquals("sysfleet rollback --run 20240501T101530-ab12 -i inventories/prod.yml --limit web2",
                page.hosts().get(3).rollback());
        assertEquals("1 key changed, 1 file edit", page.hosts().get(3).headline());
        assertEquals(List.of("sysctl.conf had CRLF line endings; kept them"), web2.warnings());
        assertEquals(List.of("meta", "meta", "hunk", "ctx", "del", "add"),
                web2.diffs().get(0).stream().map(HtmlReport.DiffLine::kind).toList());
        assertEquals("+net.ipv4.tcp_fin_timeout = 30", web2.diffs().get(0).get(5).text());
        assertEquals("verify", db1.phase());

        HtmlReport.PlayView db2 = page.hosts().get(1).plays().get(0);
        assertTrue(db2.undo().startsWith("Nothing was changed"), "a plan failure changed nothing: " + db2.undo());
        String html = HtmlReport.render(SampleRuns.apply(), CONTEXT);
        assertTrue(html.contains("<span class=\"del\">-net.ipv4.tcp_fin_timeout = 60</span>"), "the diff's lines");
        assertTrue(html.contains("<td class=\"ph\">(not read)</td>"), "a missing value is marked as a placeholder");
        assertTrue(html.contains("unknown key &#39;net.ipv4.tcp_bogus&#39; for CentOS 7 &amp; &lt;later&gt;")
                || html.contains("unknown key 'net.ipv4.tcp_bogus' for CentOS 7 &amp; &lt;later&gt;"), "escaped error");
    }

    @Test
    void checkModeSaysDriftAndOffersNoRollback() {
        ReportContext ctx = new ReportContext("check", "bob", "laptop", "site.yml", "hosts.yml", null,
                ExitCode.DRIFT, null);
        HtmlReport.Page page = HtmlReport.page(SampleRuns.checkWithDrift(), ctx);
        assertEquals("drift", page.hosts().get(0).label());
        assertEquals("2 keys would change, 1 file edit", page.hosts().get(0).headline());
        assertEquals("would change", page.hosts().get(0).plays().get(0).keys().get(0).outcomeLabel());
        assertEquals(null, page.hosts().get(0).rollback());
        String html = HtmlReport.render(SampleRuns.checkWithDrift(), ctx);
        assertTrue(html.contains("exit 7 DRIFT"), "exit");
        assertFalse(html.contains("id=\"undo\""), "check mode changes nothing: no undo command");
    }

    @Test
    void everyValueIsEscapedWhereverItStands() {
        String html = HtmlReport.render(SampleRuns.hostile(), ReportContext.of(SampleRuns.hostile()));
        assertEquals(1, count(html, "<script"), "only the report's own script: " + html);
        assertEquals(1, count(html, "</script"), "only the report's own script ends a script");
        assertEquals(0, count(html, "<img|<iframe|<b>bold|<style>body"), "no injected element");
        assertEquals(1, count(html, "</title"), "the play name does not end the title");
        assertEquals(0, count(html, "</textarea"), "no raw closing textarea");
        assertTrue(html.contains("&lt;script&gt;window.pwned=1&lt;/script&gt;"), "markup shown as text");
        assertFalse(html.contains("\u2028") || html.contains("\u2029") || html.contains("\u0007"),
                "line/paragraph separators and control characters are shown as escapes");
        assertTrue(html.contains("\\u2028\\u2029 \\u0007"), "as \\uXXXX");
        // Attribute values: a quote in a host name cannot end data-name="...".
        Matcher m = Pattern.compile("data-name=\"([^\"]*)\"").matcher(html);
        assertTrue(m.find());
        assertFalse(m.group(1).contains("<"), m.group(1));
        assertTrue(m.group(1).startsWith("evil&#34;") || m.group(1).startsWith("evil&quot;"), m.group(1));
    }

    @Test
    void shownMakesControlCharactersVisibleAndDropsLoneSurrogates() {
        assertEquals("a\\u0001\\u001b[0m\tb\n\uFFFD 🚀 \\u0085", HtmlReport.shown("a\u0001\u001b[0m\tb\n\ud800 🚀 \u0085"));
        assertEquals(null, HtmlReport.shown(null));
        assertEquals("plain", HtmlReport.shown("plain"));
    }

    @Test
    void crlfDiffLinesLoseOnlyTheirLineEnding() {
        assertEquals(List.of("-a = 1", "+a = 2"), HtmlReport.diff("-a = 1\r\n+a = 2\r\n").stream()
                .map(HtmlReport.DiffLine::text).toList());
    }

    @Test
    void aHugeDiffIsCut() {
        String diff = "--- a\n+++ b\n@@ -1,3000 +1,3000 @@\n" + "-x\n+y\n".repeat(1500);
        List<HtmlReport.DiffLine> lines = HtmlReport.diff(diff);
        assertEquals(HtmlReport.MAX_DIFF_LINES + 1, lines.size());
        assertEquals("… 2003 more lines not shown (the JSON report has the whole diff)", lines.get(lines.size() - 1).text());
        assertEquals(List.of("a", "b"), HtmlReport.diff("a\nb").stream().map(HtmlReport.DiffLine::text).toList(),
                "a last line without a newline is kept");
    }

    @Test
    void durations() {
        assertEquals("250 ms", HtmlReport.duration(java.time.Duration.ofMillis(250)));
        assertEquals("12.5 s", HtmlReport.duration(java.time.Duration.ofMillis(12_500)));
        assertEquals("2m 05s", HtmlReport.duration(java.time.Duration.ofSeconds(125)));
        assertEquals("1h 00m 01s", HtmlReport.duration(java.time.Duration.ofSeconds(3601)));
    }

    @Test
    void writesAtomicallyWithMode0644(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("out/nested/report.html");
        HtmlReport.write(SampleRuns.apply(), CONTEXT, file);
        assertEquals(HtmlReport.render(SampleRuns.apply(), CONTEXT), Files.readString(file), "the same page, every time");
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        Files.writeString(tmp.resolve("blocker"), "x");
        SysfleetException e = assertThrows(SysfleetException.class,
                () -> HtmlReport.write(SampleRuns.apply(), CONTEXT, tmp.resolve("blocker/report.html")));
        assertEquals(ExitCode.ERROR, e.exitCode());
        assertTrue(e.getMessage().toLowerCase(Locale.ROOT).contains("html report"), e.getMessage());
    }

    @Test
    void aReportOfNoHostsStillRenders() {
        RunReport empty = new RunReport("r", false, SampleRuns.STARTED, SampleRuns.FINISHED,
                List.of(new PlayResult("p", List.of(), null)));
        String html = HtmlReport.render(empty, ReportContext.of(empty));
        assertTrue(html.contains("Fleet: 0 hosts"), html);
        HtmlReport.Page p = HtmlReport.page(SampleRuns.simple(false, Status.UNREACHABLE), CONTEXT);
        assertEquals("timeout", p.hosts().get(0).plays().get(0).error());
    }
}
