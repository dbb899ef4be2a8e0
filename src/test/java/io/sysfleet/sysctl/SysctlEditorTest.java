package io.sysfleet.sysctl;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SysctlEditorTest {

    private static String message(String text, Desired... desired) {
        return assertThrows(IllegalArgumentException.class, () -> SysctlEditor.apply(text, List.of(desired)))
                .getMessage();
    }

    @Test
    void emptyDesiredReturnsTheSameText() {
        String text = "junk\r\na.b = 1";
        Edit edit = SysctlEditor.apply(text, List.of());
        assertEquals(text, edit.newText());
        assertFalse(edit.changed());
    }

    @Test
    void rejectsInvalidDesiredWithClearMessages() {
        assertTrue(message("", Desired.present("net.ipv4.x", "1\n2")).contains("line break or control"));
        assertTrue(message("", Desired.present("net.ipv4.x", "1\u00002")).contains("\\x00"));
        assertTrue(message("", Desired.present("net.ipv4.x", "  ")).contains("value is empty"));
        assertTrue(message("", Desired.present("net.ipv4.x", null)).contains("value is missing"));
        assertTrue(message("", Desired.present("net.ipv4.x = 1", "1")).contains("may only contain"));
        assertTrue(message("", new Desired("net.ipv4.x", "1", null)).contains("state is missing"));
        assertTrue(message("", Desired.present("net.ipv4.x", "1"), Desired.absent("net/ipv4/x"))
                .contains("more than once"));
    }

    @Test
    void invalidDesiredLeavesNothingHalfDone() {
        // validation happens before any edit: the exception is the only result
        assertThrows(IllegalArgumentException.class, () -> SysctlEditor.apply("a.b = 1\n",
                List.of(Desired.present("a.b", "2"), Desired.present("bad key", "1"))));
    }

    @Test
    void tabsInsideValuesAreAllowedAndValuesAreTrimmed() {
        Edit edit = SysctlEditor.apply("", List.of(Desired.present("net.ipv4.ip_local_port_range", " 1024\t65000 ")));
        assertEquals("# Added by sysfleet\nnet.ipv4.ip_local_port_range = 1024\t65000\n", edit.newText());
    }

    @Test
    void lineNumbersAreInTheNewText() {
        Edit edit = SysctlEditor.apply("a.b = 1\nc.d = 2", List.of(Desired.present("x.y", "1"),
                Desired.absent("c.d"), Desired.present("a.b", "5")));
        assertEquals("a.b = 5\n# sysfleet: absent: c.d = 2\n\n# Added by sysfleet\nx.y = 1\n", edit.newText());
        assertEquals(List.of(
                new Change(SysctlKey.of("a.b"), "1", "5", 1, Change.Kind.UPDATED),
                new Change(SysctlKey.of("c.d"), "2", null, 2, Change.Kind.COMMENTED_OUT),
                new Change(SysctlKey.of("x.y"), null, "1", 5, Change.Kind.APPENDED)), edit.changes());
        String[] lines = edit.newText().split("\n");
        for (Change c : edit.changes()) {
            assertTrue(lines[c.line() - 1].contains(c.key().dotted()), c.toString());
        }
    }

    @Test
    void trailingCommentIsPartOfTheValueSoTheLineIsRewritten() {
        Edit edit = SysctlEditor.apply("net.ipv4.x = 1 # fast\n", List.of(Desired.present("net.ipv4.x", "1")));
        assertEquals("net.ipv4.x = 1\n", edit.newText());
        assertEquals("1 # fast", edit.changes().get(0).oldValue());
    }

    @Test
    void addsBlankLineOnlyWhenNeeded() {
        assertEquals("a.b = 1\n\n# Added by sysfleet\nc.d = 2\n",
                SysctlEditor.apply("a.b = 1\n", List.of(Desired.present("c.d", "2"))).newText());
        assertEquals("a.b = 1\n\n# Added by sysfleet\nc.d = 2\n",
                SysctlEditor.apply("a.b = 1\n\n", List.of(Desired.present("c.d", "2"))).newText());
    }

    @Test
    void noChangeGivesTheIdenticalString() {
        String text = "a.b = 1\n";
        Edit edit = SysctlEditor.apply(text, List.of(Desired.present("a.b", "1"), Desired.absent("c.d")));
        assertEquals(text, edit.newText());
        assertFalse(edit.changed());
    }
}
