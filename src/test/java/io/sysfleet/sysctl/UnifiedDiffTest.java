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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Compares {@link UnifiedDiff} with the real GNU {@code diff -u} (diffutils must be installed; the test
 * fails, never skips, without it). Header timestamps are removed from diff's output before comparing; files
 * are compared as text ({@code -a}) since generated lines may hold NUL bytes.
 */
class UnifiedDiffTest {

    @TempDir
    Path tmp;

    private String realDiff(String oldText, String newText) throws IOException, InterruptedException {
        Path a = tmp.resolve("old");
        Path b = tmp.resolve("new");
        Files.writeString(a, oldText, StandardCharsets.UTF_8);
        Files.writeString(b, newText, StandardCharsets.UTF_8);
        Process p = new ProcessBuilder("diff", "-u", "-a", a.toString(), b.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int rc = p.waitFor();
        assertEquals(oldText.equals(newText) ? 0 : 1, rc, "diff -u exit code; output: " + out);
        return out.replaceFirst("(?m)^--- (\\S+)\\t.*$", "--- $1").replaceFirst("(?m)^\\+\\+\\+ (\\S+)\\t.*$", "+++ $1");
    }

    private void assertSameAsDiff(String oldText, String newText) throws Exception {
        String expected = realDiff(oldText, newText);
        assertEquals(expected, UnifiedDiff.of(tmp.resolve("old").toString(), tmp.resolve("new").toString(),
                oldText, newText, Integer.MAX_VALUE));
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

    @Test
    void generatedSysctlFilesMatchDiff() throws Exception {
        // Realistic files: comments, blank lines, duplicate settings, CRLF, odd bytes; edited by the editor.
        // Several generated files are joined, so equal lines repeat and the diff has equal choices to make.
        Random r = new Random(12);
        SysctlFileGenerator g = new SysctlFileGenerator(r);
        int compared = 0;
        for (int round = 0; round < 150; round++) {
            StringBuilder sb = new StringBuilder();
            for (int k = 1 + r.nextInt(round % 2 == 0 ? 4 : 30); k > 0; k--) {
                String f = g.file();
                sb.append(f).append(f.endsWith("\n") || f.isEmpty() ? "" : "\n");
            }
            String old = sb.toString();
            String edited = SysctlEditor.apply(old, g.desired()).newText();
            if (!old.equals(edited)) {
                assertSameAsDiff(old, edited);
                compared++;
            }
        }
        assertTrue(compared > 100, "compared " + compared);
    }

    @Test
    void largeFileWithManyChangesMatchesDiff() throws Exception {
        String[] f = DiffBench.files(250_000, false);
        assertSameAsDiff(f[0], f[1]);
    }

    @Test
    void aMegabyteFileWithManyChangesDiffsInA64MiBHeap() throws Exception {
        // The LCS table this replaced needed (lines x lines) ints: 3.5 GB for this file. Run in a JVM of its own
        // with a 64 MiB heap; an OutOfMemoryError fails the test.
        for (String mode : List.of("some", "all")) {
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx64m", "-cp", System.getProperty("java.class.path"), DiffBench.class.getName(), "1000000", mode)
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.waitFor(), out);
            assertTrue(out.contains("peak heap") && !out.contains("Error"), out);
        }
    }

    @Test
    void longDiffsAreCutAfterAWholeLineWithANote() {
        String[] f = DiffBench.files(50_000, false);
        String full = UnifiedDiff.of("a", "b", f[0], f[1], Integer.MAX_VALUE);
        String cut = UnifiedDiff.of("a", "b", f[0], f[1], 10_000);
        assertTrue(full.length() > 60_000);
        int note = cut.lastIndexOf(UnifiedDiff.TRUNCATED);
        assertTrue(note > 0 && note <= 10_000, cut);
        assertEquals(full.substring(0, note), cut.substring(0, note), "the kept part is the diff's beginning");
        assertEquals('\n', cut.charAt(note - 1), "cut after a whole line");
        assertEquals(cut.length() - 1, cut.indexOf('\n', note), "the note is the last line");
        assertEquals(full, UnifiedDiff.of("a", "b", f[0], f[1]), "the default cap (1 MiB) keeps this whole diff");
    }
}
