package io.sysfleet.sysctl;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs every golden case: exact output bytes, reported changes, and idempotence. */
class SysctlGoldenTest {

    static List<Golden.Case> cases() {
        return Golden.cases();
    }

    @Test
    void thereAreEnoughCases() {
        assertTrue(cases().size() >= 12, "golden cases: " + cases());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void producesExpectedTextAndChanges(Golden.Case c) {
        Edit edit = SysctlEditor.apply(c.before(), c.desired());
        assertEquals(c.after(), edit.newText(), c.name() + ": text");
        assertEquals(c.changes(), edit.changes().stream().map(Golden::format).toList(), c.name() + ": changes");
        assertEquals(!c.changes().isEmpty(), edit.changed());
        assertEquals(!c.before().equals(c.after()), edit.changed(), "changed iff the text changed");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void secondApplyChangesNothing(Golden.Case c) {
        Edit first = SysctlEditor.apply(c.before(), c.desired());
        Edit second = SysctlEditor.apply(first.newText(), c.desired());
        assertEquals(first.newText(), second.newText());
        assertFalse(second.changed());
        assertEquals(List.of(), second.changes());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void resultMeansTheDesiredValues(Golden.Case c) {
        var effective = SysctlFile.parse(SysctlEditor.apply(c.before(), c.desired()).newText()).effectiveValues();
        for (Desired d : c.desired()) {
            String key = SysctlKey.of(d.key()).dotted();
            if (d.state() == Desired.State.PRESENT) {
                assertEquals(SysctlValue.normalise(d.value()), SysctlValue.normalise(effective.get(key)), key);
            } else {
                assertFalse(effective.containsKey(key), key);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void everyOriginalLineSurvives(Golden.Case c) {
        // No line is deleted: each original line's content is still in the output, possibly after a marker.
        String after = SysctlEditor.apply(c.before(), c.desired()).newText();
        List<SysctlLine> newLines = SysctlFile.parse(after).lines();
        for (SysctlLine old : SysctlFile.parse(c.before()).lines()) {
            if (old.isSetting()) {
                continue;  // its value may have been updated in place
            }
            assertTrue(newLines.stream().anyMatch(l -> l.content().equals(old.content())
                            || l.content().endsWith(": " + old.content())),
                    c.name() + ": lost line " + old.content());
        }
    }
}
