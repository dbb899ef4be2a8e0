package io.sysfleet.report;

import io.sysfleet.result.HostResult;
import io.sysfleet.result.HostResult.Status;
import io.sysfleet.result.PlayResult;
import io.sysfleet.result.RunReport;
import io.sysfleet.result.Phase;
import io.sysfleet.core.ExitCode;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MarkdownReportTest {
    private static final List<org.commonmark.Extension> GFM = List.of(TablesExtension.create());

    /** What GitHub would show, by a real CommonMark renderer with GFM tables. */
    private static String html(String md) {
        return HtmlRenderer.builder().extensions(GFM).build().render(Parser.builder().extensions(GFM).build().parse(md));
    }

    @Test
    void summaryOfAMixedRun() {
        String md = MarkdownReport.render(SampleRuns.apply(), HtmlReportTest.CONTEXT);
        String html = html(md);
        assertTrue(md.startsWith("### ❌ sysfleet run `20240501T101530-ab12`: exit 2 HOST_FAILED\n"), md);
        assertTrue(md.contains("One or more hosts failed. playbook `playbooks/site.yml`, inventory "
                + "`inventories/prod.yml`, by `alice@ci-runner-3`, 2024-05-01 10:15:30 UTC, 12.5 s."), md);
        assertTrue(html.contains("<table>") && html.contains("<td align=\"right\">6</td>"), "a counts table: " + html);
        assertTrue(md.contains("| hosts | ok | changed | failed | unreachable | skipped |\n|---:|---:|---:|---:|---:|---:|\n"
                + "| 6 | 1 | 1 | 2 | 1 | 1 |\n"), md);
        assertTrue(md.contains("**Failed** (2)\n\n- `db1`: `verify: sysctl: setting key \"net.netfilter.nf_conntrack_max\": "
                + "Invalid argument (undone: /etc/sysctl.conf and live values restored and verified)`\n"), md);
        assertTrue(md.contains("**Unreachable** (1)\n\n- `10.0.0.9`: `connect: ssh: connect to 10.0.0.9 port 22: "
                + "Connection refused`\n"), md);
        assertTrue(md.contains("**Changed** (1)\n\n- `web2`: `1 key, 1 warning`\n"), md);
        assertTrue(md.contains("Undo: `sysfleet rollback --run 20240501T101530-ab12 -i inventories/prod.yml`"), md);
    }

    @Test
    void checkModeListsDriftAndOffersNoUndo() {
        ReportContext ctx = new ReportContext("check", null, null, "site.yml", "hosts.yml", null, ExitCode.DRIFT, null);
        String md = MarkdownReport.render(SampleRuns.checkWithDrift(), ctx);
        assertTrue(md.startsWith("### ❌ sysfleet check `20240501T101530-cd34`: exit 7 DRIFT\n"), md);
        assertTrue(md.contains("| hosts | ok | drift |"), md);
        assertTrue(md.contains("**Drift (would change)** (1)\n\n- `web2`: `2 keys`\n"), md);
        assertTrue(md.contains("(check mode: nothing was changed)"), md);
        assertFalse(md.contains("Undo"), md);
    }

    @Test
    void aConvergedRunIsShort() {
        String md = MarkdownReport.render(SampleRuns.simple(false, Status.OK), ReportContext.of(SampleRuns.simple(false, Status.OK)));
        assertTrue(md.startsWith("### ✅ sysfleet run `r`: exit 0 OK\n"), md);
        assertFalse(md.contains("**"), "no host lists: " + md);
    }

    @Test
    void boundedForLargeFleets() {
        List<HostResult> hosts = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            hosts.add(i % 3 == 0 ? HostResult.failure("h" + i, Status.FAILED, Phase.VERIFY, "x".repeat(5000))
                    : HostResult.failure("h" + i, Status.UNREACHABLE, Phase.CONNECT, "refused " + i));
        }
        RunReport big = new RunReport("big", false, SampleRuns.STARTED, SampleRuns.FINISHED,
                List.of(new PlayResult("p", hosts, null)));
        String md = MarkdownReport.render(big, ReportContext.of(big));
        assertTrue(md.contains("**Failed** (667)"), md);
        assertTrue(md.contains("- … and 647 more\n"), md);
        assertTrue(md.contains("- … and 1313 more\n"), md);
        assertEquals(2 * MarkdownReport.MAX_HOSTS, md.lines().filter(l -> l.startsWith("- `h")).count());
        assertTrue(md.length() < 12_000, "bounded: " + md.length() + " chars");
        assertTrue(md.contains("x".repeat(MarkdownReport.MAX_MESSAGE - "verify: ".length()) + "…`"), "messages are cut");
    }

    @Test
    void hostValuesCannotAddMarkdownOrHtml() {
        String md = MarkdownReport.render(SampleRuns.hostile(), ReportContext.of(SampleRuns.hostile()));
        String html = html(md);
        assertFalse(html.contains("<script") || html.contains("<img") || html.contains("<b>"), html);
        assertTrue(html.contains("&lt;script&gt;window.pwned=1&lt;/script&gt;"), html);
        assertEquals(md.lines().count(), md.lines().filter(l -> !l.contains("\u2028")).count());
        for (String nasty : List.of("a`b", "``x``", "`", "*em* _u_ [l](http://x) @team #1 <b> | \\", "line\nbreak")) {
            String span = MarkdownReport.code(nasty);
            String rendered = html("- " + span + "\n");
            String text = nasty.replace("\n", " ");
            assertEquals("<ul>\n<li><code>" + text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                    .replace("\"", "&quot;") + "</code></li>\n</ul>\n", rendered, nasty + " as " + span);
        }
    }

    @Test
    void writesTheFile(@TempDir Path tmp) throws Exception {
        Path f = tmp.resolve("a/summary.md");
        MarkdownReport.write(SampleRuns.apply(), HtmlReportTest.CONTEXT, f);
        assertEquals(MarkdownReport.render(SampleRuns.apply(), HtmlReportTest.CONTEXT), Files.readString(f));
    }
}
