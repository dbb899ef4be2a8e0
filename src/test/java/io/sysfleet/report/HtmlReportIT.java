package io.sysfleet.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.sysfleet.testing.Chromium;
import io.sysfleet.testing.Cli;
import io.sysfleet.testing.TestFleet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.Container;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The HTML report of a real mixed lab run, opened offline in headless Chromium: one host whose key the
 * container kernel refuses (failed, undone), one that converges (changed, with a diff), one already right (ok),
 * and a closed port (unreachable). A host variable with markup in it flows into a task name. The test checks
 * the rendered DOM and writes a screenshot to target/html-report.png (docs/html-report.png is one of them).
 */
class HtmlReportIT {
    /** A host variable that ends up in the task name of every host's key rows. */
    static final String LABEL = "<script>window.pwned=1</script> \"q\" 's' </textarea>";
    private static TestFleet fleet;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startFleet() {
        fleet = TestFleet.start("debian12", "debian12", "debian12");
    }

    @AfterAll
    static void stopFleet() {
        if (fleet != null) {
            fleet.close();
        }
    }

    private static void sh(TestFleet.Host h, String script) throws Exception {
        Container.ExecResult r = h.container().execInContainer("sh", "-c", script);
        assertEquals(0, r.getExitCode(), h.name() + ": " + script + ": " + r.getStderr());
    }

    @Test
    void theReportOfAMixedLabRunInChromium() throws Exception {
        TestFleet.Host refused = fleet.host(0);
        TestFleet.Host drifted = fleet.host(1);
        TestFleet.Host converged = fleet.host(2);
        sh(refused, "printf 'net.ipv4.tcp_fin_timeout = 60\\n' > /etc/sysctl.conf");
        sh(drifted, "printf '# tuned by hand\\nnet.ipv4.tcp_fin_timeout = 60\\n' > /etc/sysctl.conf && "
                + "/sbin/sysctl -q -w net.ipv4.tcp_fin_timeout=60");
        sh(converged, "printf 'net.ipv4.tcp_fin_timeout = 30\\n' > /etc/sysctl.conf && "
                + "/sbin/sysctl -q -w net.ipv4.tcp_fin_timeout=30");
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        StringBuilder inv = new StringBuilder("all:\n  vars:\n    ansible_user: sysfleet\n    ansible_become: true\n"
                + "    ansible_host: 127.0.0.1\n    k: net.ipv4.tcp_fin_timeout\n    v: '30'\n"
                + "    label: '" + LABEL.replace("'", "''") + "'\n"
                + "    ansible_ssh_private_key_file: " + fleet.privateKey() + "\n  hosts:\n");
        for (TestFleet.Host h : fleet.hosts()) {
            inv.append("    ").append(h.name()).append(":\n      ansible_port: ").append(h.port()).append('\n');
            if (h == refused) {
                inv.append("      k: net.netfilter.nf_conntrack_max\n      v: '655350'\n");
            }
        }
        inv.append("    closed-port:\n      ansible_port: ").append(closedPort).append('\n');
        String text = inv.toString();
        Path inventory = tmp.resolve("inventory.yml");
        Files.writeString(inventory, text);
        Path playbook = tmp.resolve("site.yml");
        Files.writeString(playbook, "- name: Row 2 FIN_WAIT2 timeout\n  hosts: all\n  gather_facts: false\n  tasks:\n"
                + "    - name: 'Tune {{ k }} for {{ label }}'\n      sysctl: {name: '{{ k }}', value: '{{ v }}'}\n");
        Path html = tmp.resolve("reports/run.html");
        Path md = tmp.resolve("reports/run.md");
        List<String> common = List.of("-i", inventory.toString(), "--known-hosts", fleet.knownHosts().toString(),
                "--state-dir", tmp.resolve("state").toString(), "--connect-timeout", "3", "--progress", "never");
        List<String> args = new ArrayList<>(List.of("run", playbook.toString()));
        args.addAll(common);
        args.addAll(List.of("--report-html", html.toString(), "--report-markdown", md.toString()));
        Cli.Result r = Cli.runMerged(args);
        assertEquals(2, r.exit(), r.out());

        try (Chromium browser = Chromium.start(1280, 1000)) {
            browser.open(html.toUri().toString());
            assertEquals(List.of(html.toUri().toString()), browser.requests(), "nothing fetched but the page");
            assertEquals("exit 2 HOST_FAILED", browser.eval("document.getElementById('exit').textContent").asText());
            assertEquals("one or more hosts failed", browser.eval("document.getElementById('meaning').textContent").asText());
            assertEquals(playbook.toString(), browser.eval("document.getElementById('playbook').textContent").asText());
            assertTrue(browser.eval("document.getElementById('undo').textContent").asText()
                    .matches("sysfleet rollback --run \\d{8}T\\d{6}Z-[0-9a-f]{6} -i " + inventory), "undo command");
            for (String[] c : List.of(new String[] {"failed", "1"}, new String[] {"unreachable", "1"},
                    new String[] {"changed", "1"}, new String[] {"ok", "1"}, new String[] {"skipped", "0"})) {
                assertEquals(c[1], browser.eval("document.querySelector('button[data-filter=" + c[0] + "] b')"
                        + ".textContent").asText(), c[0]);
            }
            assertEquals(List.of(refused.name(), "closed-port", drifted.name(), converged.name()),
                    names(browser.eval("Array.from(document.querySelectorAll('#hosts > details'))"
                            + ".map(d => d.dataset.name)")), "problems first");

            // The failed host: the kernel's own words, and the undo.
            browser.click("details[data-name='" + refused.name() + "'] > summary");
            String failed = "details[data-name='" + refused.name() + "'] ";
            String kernel = browser.eval("document.querySelector(\"" + failed + ".kernel\").textContent").asText();
            assertTrue(kernel.contains("setting key \"net.netfilter.nf_conntrack_max\": Invalid argument"), kernel);
            assertTrue(browser.eval("document.querySelector(\"" + failed + "td.undo\").textContent").asText()
                    .startsWith("Undone"));
            assertEquals("655350", browser.eval("document.querySelector(\"" + failed + "tr.k-failed td:nth-child(3)\")"
                    + ".textContent").asText(), "planned value");

            // The changed host: values, verified, the diff.
            browser.click("details[data-name='" + drifted.name() + "'] > summary");
            String changed = "details[data-name='" + drifted.name() + "'] ";
            assertEquals(List.of("net.ipv4.tcp_fin_timeout", "30", "60", "30", "yes", "changed"),
                    names(browser.eval("Array.from(document.querySelector(\"" + changed + "tr.k-changed\").cells)"
                            + ".slice(1).map(c => c.firstChild.textContent.trim())")), "key, planned, old, new, "
                            + "verified, outcome (then its note)");
            assertEquals(List.of("-net.ipv4.tcp_fin_timeout = 60", "+net.ipv4.tcp_fin_timeout = 30"),
                    names(browser.eval("Array.from(document.querySelectorAll(\"" + changed + ".diff .del, " + changed
                            + ".diff .add\")).map(s => s.textContent)")));
            assertTrue(browser.eval("document.querySelector(\"" + changed + ".rollback code\").textContent").asText()
                    .endsWith("--limit " + drifted.name()));

            // Escaping: the host variable with markup is text in the task name, and nothing was injected.
            assertEquals("Tune net.ipv4.tcp_fin_timeout for " + LABEL,
                    browser.eval("document.querySelector(\"" + changed + "tr.k-changed td\").textContent").asText());
            assertEquals("undefined", browser.eval("typeof window.pwned").asText());
            assertEquals(1, browser.eval("document.scripts.length").asInt());
            assertEquals(0, browser.eval("document.querySelectorAll('#hosts script, #hosts textarea').length").asInt());

            // The filter, with a real click.
            browser.click("button[data-filter=unreachable]");
            assertEquals(List.of("closed-port"), names(browser.eval("Array.from(document.querySelectorAll("
                    + "'#hosts > details')).filter(d => !d.hidden).map(d => d.dataset.name)")));
            assertTrue(browser.eval("document.querySelector(\"details[data-name='closed-port'] .msg\").textContent")
                    .asText().startsWith("connect: "));
            browser.click("button[data-filter=all]");
            assertEquals(List.of(), browser.consoleProblems());

            Path shot = TestFleet.projectRoot().resolve("target/html-report.png");
            browser.eval("window.scrollTo(0, 0)");
            browser.screenshot(shot, true);
            BufferedImage img = ImageIO.read(shot.toFile());
            assertEquals(1280, img.getWidth());
            assertTrue(img.getHeight() >= 1000, "the whole page: " + img.getHeight());
        }

        String summary = Files.readString(md);
        assertTrue(summary.contains("exit 2 HOST_FAILED"), summary);
        assertTrue(summary.contains("- `" + refused.name() + "`: `apply: net.netfilter.nf_conntrack_max: sysctl: ")
                || summary.contains("- `" + refused.name() + "`: `verify: "), summary);
        assertTrue(summary.contains("**Changed** (1)\n\n- `" + drifted.name() + "`: `1 key`"), summary);
        assertTrue(summary.contains("**Unreachable** (1)\n\n- `closed-port`"), summary);

        // The rollback of that run writes the same kind of report.
        Path rb = tmp.resolve("reports/rollback.html");
        List<String> rollback = new ArrayList<>(List.of("rollback", "--last"));
        rollback.addAll(common);
        rollback.addAll(List.of("--report-html", rb.toString()));
        Cli.Result back = Cli.runMerged(rollback);
        assertEquals(0, back.exit(), back.out());
        String page = Files.readString(rb);
        assertTrue(page.contains("<h1>sysfleet rollback "), "a rollback report");
        assertTrue(page.contains("Rolls back</dt>"), "names the run it rolls back");
        assertTrue(page.contains("data-name=\"" + drifted.name() + "\""), page);
        assertFalse(page.contains("<script>window"), "escaped");
    }

    private static List<String> names(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
