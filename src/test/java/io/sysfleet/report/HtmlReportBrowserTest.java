package io.sysfleet.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.sysfleet.result.RunReport;
import io.sysfleet.testing.Chromium;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The HTML report in a real browser (headless Chromium, no Docker): markup in values stays text, the filter
 * and search work with real clicks and keystrokes, nothing is fetched, and a 2,000-host report is collapsed
 * and usable. The 2,000-host test prints the page's size, render time and Chromium's load time (numbers, not
 * assertions on time). {@code io.sysfleet.fleet.HtmlReportIT} opens the report of a real lab run.
 */
class HtmlReportBrowserTest {
    private static Chromium browser;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void start() throws Exception {
        browser = Chromium.start(1280, 900);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
    }

    private static String open(String name, String html, String fragment) throws Exception {
        Path file = tmp.resolve(name);
        Files.writeString(file, html);
        String url = file.toUri() + fragment;
        browser.open(url);
        return file.toUri().toString();
    }

    private static List<String> visibleHosts() throws Exception {
        JsonNode n = browser.eval("Array.from(document.querySelectorAll('#hosts > details')).filter(d => !d.hidden "
                + "&& d.getClientRects().length > 0).map(d => d.querySelector('summary .name').textContent)");
        List<String> out = new ArrayList<>();
        n.forEach(x -> out.add(x.asText()));
        return out;
    }

    @Test
    void markupInValuesIsShownAsTextAndNothingRuns() throws Exception {
        String url = open("hostile.html", HtmlReport.render(SampleRuns.hostile(), ReportContext.of(SampleRuns.hostile())),
                "#host=" + java.net.URLEncoder.encode(SampleRuns.EVIL_HOST, java.nio.charset.StandardCharsets.UTF_8)
                        .replace("+", "%20"));
        assertEquals("undefined", browser.eval("typeof window.pwned").asText(), "no injected script ran");
        assertEquals(1, browser.eval("document.scripts.length").asInt(), "only the report's script");
        assertEquals(0, browser.eval("document.querySelectorAll('img, iframe, #hosts b, body style, textarea').length").asInt(),
                "no injected element");
        assertEquals(HtmlReport.shown(SampleRuns.EVIL_VALUE),
                browser.eval("document.querySelector('tr.k-failed td:nth-child(3)').textContent").asText(),
                "the value is shown exactly, as text");
        assertEquals(SampleRuns.EVIL_HOST, browser.eval("document.querySelector('details.host').dataset.name").asText());
        assertTrue(browser.eval("document.querySelector('details.host').open").asBoolean(), "#host= opened it");
        assertTrue(browser.eval("document.title").asText().contains("run-<id>\""), "the title keeps the run id as text");
        assertTrue(browser.eval("document.querySelector('.kernel').textContent").asText()
                .startsWith("sysctl: " + SampleRuns.SCRIPT), "the error as text");
        assertTrue(browser.eval("document.querySelector('ol.plays li').textContent").asText()
                .equals(SampleRuns.EVIL_PLAY), "the play name as text");
        assertEquals(List.of(url.replaceAll("#.*", "")), browser.requests().stream().map(u -> u.replaceAll("#.*", ""))
                .toList(), "the page fetched nothing but itself");
        assertEquals(List.of(), browser.consoleProblems());
    }

    @Test
    void filterAndSearchWithRealInput() throws Exception {
        open("sample.html", HtmlReport.render(SampleRuns.apply(), HtmlReportTest.CONTEXT), "");
        assertEquals(0, browser.eval("document.querySelectorAll('details[open]').length").asInt(), "collapsed");
        assertEquals(List.of("db1", "db2", "10.0.0.9", "web2", "web1.example.com", "cache1"), visibleHosts());
        browser.click("button[data-filter=failed]");
        assertEquals(List.of("db1", "db2"), visibleHosts());
        assertEquals("2 of 6 hosts shown", browser.eval("document.getElementById('shown').textContent").asText());
        assertEquals("#status=failed", browser.eval("location.hash").asText(), "the view is in the address");
        browser.click("button[data-filter=all]");
        browser.type("#q", "WEB");
        browser.waitFor("document.getElementById('shown').textContent.startsWith('2 of')");
        assertEquals(List.of("web2", "web1.example.com"), visibleHosts(), "search ignores case");
        browser.click("#expand");
        assertEquals(2, browser.eval("document.querySelectorAll('details[open]').length").asInt());
        browser.click("#collapse");
        browser.click("button[data-filter=unreachable]");
        browser.waitFor("document.getElementById('none').hidden === false");
        assertEquals(List.of(), visibleHosts(), "unreachable and 'web': none");
        assertEquals(List.of(), browser.consoleProblems());
    }

    @Test
    void twoThousandHostsLoadCollapsedAndStayUsable() throws Exception {
        RunReport run = SampleRuns.fleet(2000);
        ReportContext ctx = new ReportContext("run", "ci", "runner", "playbooks/site.yml", "prod.yml", null,
                run.exitCode(), "sysfleet rollback --run " + run.runId() + " -i prod.yml");
        HtmlReport.render(run, ctx); // warm up
        long t0 = System.nanoTime();
        String html = HtmlReport.render(run, ctx);
        long renderMs = (System.nanoTime() - t0) / 1_000_000;
        Path file = tmp.resolve("fleet2000.html");
        Files.writeString(file, html);
        List<Double> loads = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            browser.open("about:blank");
            browser.open(file.toUri().toString());
            loads.add(browser.eval("performance.getEntriesByType('navigation')[0].loadEventEnd").asDouble());
        }
        List<Double> sorted = loads.stream().sorted().toList();
        double paint = browser.eval("performance.getEntriesByName('first-contentful-paint')[0].startTime").asDouble();
        System.out.printf(Locale.ROOT, "HTML report, 2000 hosts x 3 plays: %,d bytes, %,d elements, rendered in %d ms;"
                        + " Chromium: load event end median %.0f ms of %s, first contentful paint %.0f ms%n",
                Files.size(file), browser.eval("document.getElementsByTagName('*').length").asInt(), renderMs,
                sorted.get(1), loads, paint);

        assertEquals(2000, browser.eval("document.querySelectorAll('#hosts > details').length").asInt());
        assertEquals(0, browser.eval("document.querySelectorAll('details[open]').length").asInt(), "collapsed");
        browser.click("button[data-filter=failed]");
        assertEquals(20, visibleHosts().size(), "every 100th host failed");
        browser.click("button[data-filter=all]");
        browser.type("#q", "web0042.");
        browser.waitFor("document.getElementById('shown').textContent.startsWith('1 of 2000')");
        assertEquals(List.of("web0042.dc1.example.com"), visibleHosts());
        browser.click("#hosts > details:not([hidden]) > summary");
        assertTrue(browser.eval("document.querySelector('#hosts > details:not([hidden])').open").asBoolean());
        assertTrue(browser.eval("document.querySelector('#hosts > details:not([hidden]) .kernel').textContent")
                .asText().contains("Invalid argument"));
        browser.click("#q");
        browser.eval("document.getElementById('q').value=''; document.getElementById('q')"
                + ".dispatchEvent(new Event('input'))");
        browser.waitFor("document.getElementById('shown').textContent.startsWith('2000 of')");
        browser.click("#collapse");
        browser.click("#expand");
        assertEquals(200, browser.eval("document.querySelectorAll('details[open]').length").asInt(),
                "expand opens at most 200");
        assertTrue(browser.eval("document.getElementById('shown').textContent").asText().contains("first 200"));
        assertEquals(List.of(), browser.consoleProblems());
    }
}
