package io.sysfleet.result;

import io.sysfleet.report.JUnitReport;
import io.sysfleet.report.JsonReport;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Phases are a closed set, written in reports as the lower-case words the reports always used. */
class PhaseTest {

    @Test
    void labelsAreTheLowerCaseWordsReportsUse() {
        for (Phase p : Phase.values()) {
            assertEquals(p.name().toLowerCase(Locale.ROOT), p.label());
            assertEquals(p.label(), p.toString());
        }
        // the words of reports written before the enum existed (schemaVersion 1) are all still there
        Set<String> labels = Stream.of(Phase.values()).map(Phase::label).collect(Collectors.toSet());
        assertTrue(labels.containsAll(List.of("connect", "auth", "hostkey", "become", "exec", "facts", "plan",
                "apply", "verify", "undo", "rollback", "inventory")), labels.toString());
        assertTrue(Phase.CONNECT.unreachable() && Phase.AUTH.unreachable() && Phase.HOSTKEY.unreachable());
        assertFalse(Phase.BECOME.unreachable() || Phase.VERIFY.unreachable());
    }

    @Test
    void everyPhaseIsWrittenAsItsLabelInJsonAndJUnit() {
        for (Phase p : Phase.values()) {
            HostResult h = HostResult.failure("h", HostResult.Status.FAILED, p, "boom");
            RunReport r = new RunReport("r", false, Instant.EPOCH, Instant.EPOCH.plusSeconds(1),
                    List.of(new PlayResult("p", List.of(h), null)));
            assertTrue(JsonReport.render(r).contains("\"phase\" : \"" + p.label() + "\""), p.label());
            assertTrue(JUnitReport.render(r).contains("<failure type=\"" + p.label() + "\" message=\""
                    + p.label() + ": boom\""), JUnitReport.render(r));
        }
    }
}
