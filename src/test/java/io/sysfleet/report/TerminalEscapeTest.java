package io.sysfleet.report;

import io.sysfleet.core.TerminalText;
import io.sysfleet.result.HostResult;
import io.sysfleet.result.KeyResult;
import io.sysfleet.result.Phase;
import io.sysfleet.result.PlayResult;
import io.sysfleet.result.RunReport;
import io.sysfleet.sysctl.SysctlKey;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Host bytes (a file line, a live value, an error) never reach the terminal as control characters. */
class TerminalEscapeTest {
    private static final String HOSTILE = "\u001b[2J\rok: [forged]\n\u202eevil\u0085";

    @Test
    void escapesEveryControlAndBidiCharacter() {
        assertEquals("\\e[2J\\rok: [forged]\\n\\u202eevil\\x85", TerminalText.escape(HOSTILE));
        assertEquals("a\n\\e[1mb\\r\n", TerminalText.escapeText("a\n\u001b[1mb\r\n"));
        assertEquals("net.ipv4.tcp_fin_timeout = 30 caf\u00e9 \u6771\u4eac", TerminalText.escape(
                "net.ipv4.tcp_fin_timeout = 30 caf\u00e9 \u6771\u4eac"), "printable text of any script stays");
        for (int c = 0; c < 0x3000; c++) {
            String out = TerminalText.escape(String.valueOf((char) c));
            assertTrue(out.chars().noneMatch(TerminalText::unsafe), "U+" + Integer.toHexString(c));
        }
    }

    @Test
    void textReportPrintsHostBytesEscaped() {
        StringWriter sw = new StringWriter();
        TextReport text = new TextReport(new PrintWriter(sw), true, 1);
        KeyResult k = new KeyResult("task " + HOSTILE, SysctlKey.of("kernel.domainname"), "x", "live" + HOSTILE, "after" + HOSTILE,
                true, false, false, "note", "sysctl: " + HOSTILE);
        String diff = "--- h:/etc/sysctl.conf (before)\n+++ h:/etc/sysctl.conf (after)\n@@ -1 +1 @@\n-a = 1"
                + HOSTILE.replace("\n", "") + "\n+a = 2\r\n";
        HostResult r = new HostResult("web1", HostResult.Status.FAILED, List.of(k), List.of(diff),
                List.of("warning " + HOSTILE), Phase.APPLY, "error " + HOSTILE, false, 0);
        text.playStarted("play " + HOSTILE, 1, false);
        text.hostFinished(r);
        text.playAborted("play", "why " + HOSTILE);
        text.recap(new RunReport("r1", false, Instant.EPOCH, Instant.EPOCH, List.of(new PlayResult("p", List.of(r), null))));
        String out = sw.toString();
        assertFalse(out.chars().anyMatch(c -> c != '\n' && TerminalText.unsafe(c)), out);
        assertTrue(out.contains("\\e[2J\\rok: [forged]\\n\\u202eevil"), out);
        assertTrue(out.contains("+a = 2\\r\n"), "a diff keeps its line breaks, a CR is shown: " + out);
        assertFalse(out.lines().anyMatch(l -> l.startsWith("ok: [forged]")), "no forged line: " + out);
    }
}
