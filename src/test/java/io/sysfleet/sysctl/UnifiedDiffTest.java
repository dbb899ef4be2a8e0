package io.sysfleet.sysctl;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Compares {@link UnifiedDiff} with the real GNU {@code diff -u} (diffutils must be installed; the test
 * fails, never skips, without it). Header timestamps are removed from diff's output before comparing.
 */
class UnifiedDiffTest {

    @TempDir
    Path tmp;

    private String realDiff(String oldText, String newText) throws IOException, InterruptedException {
        Path a = tmp.resolve("old");
        Path b = tmp.resolve("new");
        Files.writeString(a, oldText, StandardCharsets.UTF_8);
        Files.writeString(b, newText, StandardCharsets.UTF_8);
        Process p = new ProcessBuilder("diff", "-u", a.toString(), b.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int rc = p.waitFor();
        assertEquals(oldText.equals(newText) ? 0 : 1, rc, "diff -u exit code; output: " + out);
        return out.replaceFirst("(?m)^--- (\\S+)\\t.*$", "--- $1").replaceFirst("(?m)^\\+\\+\\+ (\\S+)\\t.*$", "+++ $1");
    }

    private void assertSameAsDiff(String oldText, String newText) throws Exception {
        String expected = realDiff(oldText, newText);
        assertEquals(expected, UnifiedDiff.of(tmp.resolve("old").toString(), tmp.resolve("new").toString(),
                oldText, newText));
    }

    static List<Golden.Case> cases() {
        return Golden.cases();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void goldenEditsMatchDiff(Golden.Case c) throws Exception {
        assertSameAsDiff(c.before(), c.after());
    }

    @Test
    void handCases() throws Exception {
        assertSameAsDiff("", "a\nb\n");
        assertSameAsDiff("a\nb\n", "");
        assertSameAsDiff("a\nb", "a\nb\n");
        assertSameAsDiff("a\nb\n", "a\nc");
        assertSameAsDiff("same\n", "same\n");
        StringBuilder big = new StringBuilder();
        for (int i = 1; i <= 40; i++) {
            big.append("line ").append(i).append('\n');
        }
        String old = big.toString();
        // two far-apart changes: two hunks; two close changes (gap 6): one hunk; gap 7: two hunks
        assertSameAsDiff(old, old.replace("line 3\n", "line three\n").replace("line 30\n", "line thirty\n"));
        assertSameAsDiff(old, old.replace("line 10\n", "x\n").replace("line 17\n", "y\n"));
        assertSameAsDiff(old, old.replace("line 10\n", "x\n").replace("line 18\n", "y\n"));
        assertSameAsDiff(old, old.replace("line 1\n", "").replace("line 40\n", "line 40\nline 41\n"));
        assertSameAsDiff("a\r\nb\r\n", "a\r\nc\r\n");
    }

    @Test
    void randomEditorDiffsMatchDiff() throws Exception {
        // Unique lines make the longest common subsequence unambiguous, so any correct diff equals GNU's.
        Random r = new Random(7);
        for (int round = 0; round < 30; round++) {
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < 5 + r.nextInt(30); i++) {
                lines.add("k" + round + "_" + i + ".v = " + r.nextInt(100) + "\n");
            }
            String old = String.join("", lines);
            List<Desired> desired = new ArrayList<>();
            for (int i = 0; i < lines.size(); i++) {
                int pick = r.nextInt(6);
                if (pick == 0) {
                    desired.add(Desired.present("k" + round + "_" + i + ".v", "new" + i));
                } else if (pick == 1) {
                    desired.add(Desired.absent("k" + round + "_" + i + ".v"));
                }
            }
            desired.add(Desired.present("added" + round + ".v", "1"));
            assertSameAsDiff(old, SysctlEditor.apply(old, desired).newText());
        }
    }
}
