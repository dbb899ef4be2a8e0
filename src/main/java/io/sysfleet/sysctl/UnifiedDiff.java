package io.sysfleet.sysctl;

import java.util.ArrayList;
import java.util.List;

/**
 * Unified diff ({@code diff -u} format, 3 lines of context) of two texts, for showing planned edits.
 *
 * <p>Output matches GNU diff except that the {@code ---}/{@code +++} headers carry no timestamps. A
 * last line without newline is followed by {@code \ No newline at end of file}. Identical texts give
 * "". Lines are compared exactly (a CRLF line differs from the same line with LF).
 */
public final class UnifiedDiff {

    private static final int CONTEXT = 3;

    private UnifiedDiff() {
    }

    /** The unified diff from oldText to newText, or "" if they are equal. */
    public static String of(String oldName, String newName, String oldText, String newText) {
        if (oldText.equals(newText)) {
            return "";
        }
        List<String> a = split(oldText);
        List<String> b = split(newText);
        List<Op> ops = lcs(a, b);
        StringBuilder out = new StringBuilder();
        out.append("--- ").append(oldName).append('\n');
        out.append("+++ ").append(newName).append('\n');
        int i = 0;
        while (i < ops.size()) {
            if (ops.get(i).kind == ' ') {
                i++;
                continue;
            }
            // ops[i] is a change: extend the hunk while the gap of equal lines is at most 2*CONTEXT
            int start = Math.max(0, i - CONTEXT);
            int end = i;  // exclusive index of last change + 1
            int j = i;
            while (j < ops.size()) {
                if (ops.get(j).kind != ' ') {
                    end = j + 1;
                    j++;
                    continue;
                }
                int run = j;
                while (run < ops.size() && ops.get(run).kind == ' ') {
                    run++;
                }
                if (run < ops.size() && run - j <= 2 * CONTEXT) {
                    j = run;
                } else {
                    break;
                }
            }
            int stop = Math.min(ops.size(), end + CONTEXT);
            hunk(out, ops.subList(start, stop));
            i = stop;
        }
        return out.toString();
    }

    private static void hunk(StringBuilder out, List<Op> ops) {
        int oldCount = 0;
        int newCount = 0;
        for (Op op : ops) {
            if (op.kind != '+') {
                oldCount++;
            }
            if (op.kind != '-') {
                newCount++;
            }
        }
        Op first = ops.get(0);
        out.append("@@ -").append(range(first.oldLine, oldCount))
                .append(" +").append(range(first.newLine, newCount)).append(" @@\n");
        for (Op op : ops) {
            out.append(op.kind);
            String line = op.text;
            if (line.endsWith("\n")) {
                out.append(line);
            } else {
                out.append(line).append("\n\\ No newline at end of file\n");
            }
        }
    }

    /** GNU style: "start,count", "start" when count is 1, and start is the line before when count is 0. */
    private static String range(int start, int count) {
        if (count == 1) {
            return Integer.toString(start);
        }
        return (count == 0 ? start - 1 : start) + "," + count;
    }

    /** Lines including their '\n' (the last one may lack it). */
    private static List<String> split(String text) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        while (start < text.length()) {
            int nl = text.indexOf('\n', start);
            int end = nl < 0 ? text.length() : nl + 1;
            lines.add(text.substring(start, end));
            start = end;
        }
        return lines;
    }

    /**
     * Edit script by longest common subsequence (after trimming the common prefix and suffix). Each op
     * carries the 1-based line number it has (or would have) in the old and the new text.
     */
    private static List<Op> lcs(List<String> a, List<String> b) {
        int prefix = 0;
        while (prefix < a.size() && prefix < b.size() && a.get(prefix).equals(b.get(prefix))) {
            prefix++;
        }
        int suffix = 0;
        while (suffix < a.size() - prefix && suffix < b.size() - prefix
                && a.get(a.size() - 1 - suffix).equals(b.get(b.size() - 1 - suffix))) {
            suffix++;
        }
        int n = a.size() - prefix - suffix;
        int m = b.size() - prefix - suffix;
        int[][] len = new int[n + 1][m + 1];
        for (int x = n - 1; x >= 0; x--) {
            for (int y = m - 1; y >= 0; y--) {
                len[x][y] = a.get(prefix + x).equals(b.get(prefix + y))
                        ? len[x + 1][y + 1] + 1 : Math.max(len[x + 1][y], len[x][y + 1]);
            }
        }
        List<Op> ops = new ArrayList<>();
        int oldLine = 1;
        int newLine = 1;
        for (int k = 0; k < prefix; k++) {
            ops.add(new Op(' ', a.get(k), oldLine++, newLine++));
        }
        int x = 0;
        int y = 0;
        while (x < n || y < m) {
            if (x < n && y < m && a.get(prefix + x).equals(b.get(prefix + y))) {
                ops.add(new Op(' ', a.get(prefix + x), oldLine++, newLine++));
                x++;
                y++;
            } else if (y >= m || (x < n && len[x + 1][y] >= len[x][y + 1])) {
                ops.add(new Op('-', a.get(prefix + x++), oldLine++, newLine));
            } else {
                ops.add(new Op('+', b.get(prefix + y++), oldLine, newLine++));
            }
        }
        for (int k = a.size() - suffix; k < a.size(); k++) {
            ops.add(new Op(' ', a.get(k), oldLine++, newLine++));
        }
        return ops;
    }

    /** One line of the edit script: ' ' keep, '-' delete, '+' insert. */
    private record Op(char kind, String text, int oldLine, int newLine) {
    }
}
