package io.sysfleet.report;

import io.sysfleet.result.HostResult;
import io.sysfleet.result.Phase;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProgressTest {

    @Test
    void theStatusLineIsErasedBeforeEachHostLineAndCountsOutcomes() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Progress p = new Progress(new TextReport(new PrintWriter(out, true), false, 0), new PrintWriter(err, true));
        p.playStarted("play", 3, false);
        p.hostFinished(new HostResult("a", HostResult.Status.CHANGED, List.of(), List.of(), List.of(), null, null, false));
        p.hostFinished(HostResult.failure("b", HostResult.Status.UNREACHABLE, Phase.CONNECT, "refused"));
        assertEquals("[2/3] changed 1  failed 0  unreachable 1", p.status());
        p.finish();
        assertTrue(err.toString().endsWith("\r\033[K"), "the status line is gone before the recap");
        assertEquals(List.of("", "PLAY [play] 3 hosts", "changed: [a] 0 keys", "unreachable: [b] connect: refused"),
                out.toString().lines().toList(), "the host lines themselves carry no control characters");
    }
}
