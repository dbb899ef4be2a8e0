package io.sysfleet.engine;

import io.sysfleet.core.SourceLocation;
import io.sysfleet.playbook.Play;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Ansible's rules for stopping a play after a batch (checked in FleetIT on containers too). */
class AbortReasonTest {

    private static Play play(Double maxFail, boolean fatal) {
        return new Play("p", "all", Map.of(), null, null, false, List.of(), maxFail, fatal, List.of(),
                new SourceLocation("p.yml", 1, 3));
    }

    @Test
    void noFailureNeverAborts() {
        assertNull(PlaybookRun.abortReason(play(0.0, true), 0, 4));
    }

    @Test
    void maxFailPercentageMustBeExceededNotMerelyReached() {
        assertNull(PlaybookRun.abortReason(play(25.0, false), 1, 4), "25% failed of a 25% threshold goes on");
        assertTrue(PlaybookRun.abortReason(play(25.0, false), 2, 4).startsWith("max_fail_percentage 25 exceeded"));
        assertEquals("max_fail_percentage 0 exceeded: 1 of 10 hosts in the batch failed (10%)",
                PlaybookRun.abortReason(play(0.0, false), 1, 10));
    }

    @Test
    void anyErrorsFatalAndAWhollyFailedBatchAbort() {
        assertTrue(PlaybookRun.abortReason(play(null, true), 1, 10).startsWith("any_errors_fatal"));
        assertNull(PlaybookRun.abortReason(play(null, false), 9, 10));
        assertEquals("every host of the batch failed", PlaybookRun.abortReason(play(null, false), 3, 3));
    }
}
