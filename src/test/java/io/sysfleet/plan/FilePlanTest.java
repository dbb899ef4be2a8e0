package io.sysfleet.plan;

import io.sysfleet.sysctl.Change;
import io.sysfleet.sysctl.UnifiedDiff;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FilePlanTest {

    private static FilePlan huge(String path, int lines) {
        StringBuilder a = new StringBuilder();
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < lines; i++) {
            a.append("net.core.k").append(i).append(" = 1\n");
            b.append("net.core.k").append(i).append(" = 2\n");
        }
        return new FilePlan(path, a.toString(), b.toString(), List.of(new Change(io.sysfleet.sysctl.SysctlKey.of("net.core.k0"), "1", "2", 1,
                Change.Kind.UPDATED)), true);
    }

    @Test
    void aHostsDiffsTogetherStayUnderTheCap() {
        List<String> diffs = FilePlan.diffs("h", List.of(huge("/etc/sysctl.conf", 40_000),
                huge("/etc/sysctl.d/a.conf", 40_000), huge("/etc/sysctl.d/b.conf", 10)));
        assertEquals(3, diffs.size());
        int total = diffs.stream().mapToInt(String::length).sum();
        assertTrue(total < HostPlan.MAX_DIFF_CHARS + 1000, "total " + total);
        assertTrue(diffs.get(0).contains(UnifiedDiff.TRUNCATED), "the first diff reaches the cap");
        assertTrue(diffs.get(1).startsWith(UnifiedDiff.TRUNCATED) && diffs.get(1).contains("/etc/sysctl.d/a.conf"));
        assertTrue(diffs.get(2).startsWith(UnifiedDiff.TRUNCATED) && diffs.get(2).contains("/etc/sysctl.d/b.conf"));
        List<String> small = FilePlan.diffs("h", List.of(huge("/etc/sysctl.conf", 10)));
        assertTrue(small.get(0).startsWith("--- h:/etc/sysctl.conf (before)") && !small.get(0).contains("truncated"));
    }
}
