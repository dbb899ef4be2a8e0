package io.sysfleet.sysctl;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Generated-input tests: files built from a grammar of line kinds plus random characters, edited with
 * random desired states. Fixed seeds keep failures reproducible (the message names seed and iteration).
 */
class SysctlEditorPropertyTest {

    private static final int ITERATIONS = 3000;
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void editorInvariantsHoldOnGeneratedFiles(long seed) {
        SysctlFileGenerator g = new SysctlFileGenerator(new Random(seed));
        for (int i = 0; i < ITERATIONS; i++) {
            String text = g.file();
            List<Desired> desired = g.desired();
            try {
                checkInvariants(text, desired);
            } catch (AssertionError | RuntimeException e) {
                fail("seed " + seed + " iteration " + i + "\ntext: " + SysctlKey.printable(text)
                        + "\ndesired: " + desired + "\n" + e, e);
            }
        }
    }

    private static void checkInvariants(String text, List<Desired> desired) {
        SysctlFile before = SysctlFile.parse(text);
        assertEquals(text, before.text(), "parse keeps every byte");

        Edit none = SysctlEditor.apply(text, List.of());
        assertEquals(text, none.newText(), "empty desired list returns the identical text");
        assertFalse(none.changed());

        Edit same = SysctlEditor.apply(text, currentAsDesired(before));
        assertEquals(text, same.newText(), "desired == effective values changes nothing");
        assertFalse(same.changed(), same.changes().toString());

        Edit edit = SysctlEditor.apply(text, desired);
        assertEquals(!text.equals(edit.newText()), edit.changed());
        Edit again = SysctlEditor.apply(edit.newText(), desired);
        assertEquals(edit.newText(), again.newText(), "idempotent");
        assertFalse(again.changed(), again.changes().toString());

        SysctlFile after = SysctlFile.parse(edit.newText());
        Map<String, String> expected = new HashMap<>(before.effectiveValues());
        for (Desired d : desired) {
            String key = SysctlKey.of(d.key()).dotted();
            if (d.state() == Desired.State.PRESENT) {
                assertEquals(SysctlValue.normalise(d.value()),
                        SysctlValue.normalise(after.effectiveValues().get(key)), key);
                expected.put(key, after.effectiveValues().get(key));
            } else {
                expected.remove(key);
            }
        }
        assertEquals(expected, new HashMap<>(after.effectiveValues()), "other keys keep their effective values");
        assertOldLinesSurvive(before, after, desired);
        for (Change c : edit.changes()) {
            SysctlLine l = after.lines().get(c.line() - 1);
            assertTrue(l.raw().contains(c.key().path()) || l.raw().contains(c.key().dotted()), "line number of " + c);
        }
    }

    /**
     * The old lines appear, in order, in the new text: unchanged, or (settings of a desired key only)
     * updated in place or commented out behind a sysfleet marker. The last old line may gain a newline.
     */
    private static void assertOldLinesSurvive(SysctlFile before, SysctlFile after, List<Desired> desired) {
        Set<String> keys = new HashSet<>();
        desired.forEach(d -> keys.add(SysctlKey.of(d.key()).dotted()));
        List<SysctlLine> news = after.lines();
        int j = 0;
        for (SysctlLine old : before.lines()) {
            boolean editable = old.isSetting() && keys.contains(old.key());
            while (j < news.size() && !corresponds(old, news.get(j), editable)) {
                j++;
            }
            assertTrue(j < news.size(), "old line " + old.number() + " survives: " + SysctlKey.printable(old.raw()));
            j++;
        }
    }

    private static boolean corresponds(SysctlLine old, SysctlLine now, boolean editable) {
        if (sameLine(old, now.raw(), old.raw())) {
            return true;
        }
        if (!editable) {
            return false;
        }
        return sameLine(old, now.raw(), SysctlEditor.SUPERSEDED + old.raw())
                || sameLine(old, now.raw(), SysctlEditor.ABSENT + old.raw())
                || (now.isSetting() && now.key().equals(old.key()) && now.prefix().startsWith(old.prefix()));
    }

    /** now equals expected, or, for an old last line without newline, expected plus the newline added. */
    private static boolean sameLine(SysctlLine old, String now, String expected) {
        return now.equals(expected)
                || old.ending().isEmpty() && (now.equals(expected + "\n") || now.equals(expected + "\r\n"));
    }

    /** The file's effective values as a desired list, leaving out what a caller could not ask for. */
    private static List<Desired> currentAsDesired(SysctlFile file) {
        List<Desired> out = new ArrayList<>();
        for (Map.Entry<String, String> e : file.effectiveValues().entrySet()) {
            try {
                SysctlKey.of(e.getKey());
                SysctlEditor.checkValue(e.getKey(), e.getValue());
            } catch (IllegalArgumentException invalid) {
                continue;
            }
            out.add(Desired.present(e.getKey(), e.getValue()));
        }
        return out;
    }

}
