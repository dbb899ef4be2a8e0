package io.sysfleet.sysctl;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Unified diff ({@code diff -u} format, 3 lines of context) of two texts, for showing planned edits.
 *
 * <p>Output matches GNU diff except that the {@code ---}/{@code +++} headers carry no timestamps. A
 * last line without newline is followed by {@code \ No newline at end of file}. Identical texts give
 * "". Lines are compared exactly (a CRLF line differs from the same line with LF).
 *
 * <p>The edit script comes from Myers' O(ND) algorithm in its linear-space form (E. Myers, "An O(ND)
 * Difference Algorithm and Its Variations", 1986, section 4b), as GNU diff computes it: common ends trimmed,
 * forward and backward searches meeting in the middle, the same preference between equal choices, the same
 * cost cut-off for very different inputs (then the diff is correct but not minimal), and change groups slid
 * over equal lines the way GNU does. Memory is linear in the number of lines (a few ints per line); the
 * search does at most about 4096 rounds per split, so a large file with many changes diffs in bounded time.
 * The output is capped ({@link #of(String, String, String, String, int)}): past the cap it ends with a
 * {@value #TRUNCATED} line that says how much was left out.
 */
public final class UnifiedDiff {

    private static final int CONTEXT = 3;
    /** The start of the line that ends a diff cut at its size cap. */
    public static final String TRUNCATED = "\\ sysfleet: diff truncated";
    /** The cap {@link #of(String, String, String, String)} applies: 1 MiB of diff text. */
    public static final int DEFAULT_MAX_CHARS = 1 << 20;

    private UnifiedDiff() {
    }

    /** The unified diff from oldText to newText, or "" if they are equal; at most {@link #DEFAULT_MAX_CHARS}. */
    public static String of(String oldName, String newName, String oldText, String newText) {
        return of(oldName, newName, oldText, newText, DEFAULT_MAX_CHARS);
    }

    /**
     * The unified diff from oldText to newText, or "" if they are equal. When the diff would be longer than
     * {@code maxChars}, it stops after the last whole line that fits and ends with one line
     * {@code \ sysfleet: diff truncated at N characters: K of L lines not shown}.
     */
    public static String of(String oldName, String newName, String oldText, String newText, int maxChars) {
        if (oldText.equals(newText)) {
            return "";
        }
        Lines a = Lines.of(oldText);
        Lines b = Lines.of(newText);
        int[][] ids = ids(a, b);
        boolean[] delA = new boolean[a.size()];
        boolean[] insB = new boolean[b.size()];
        new Search(ids[0], ids[1], delA, insB).run();
        shift(ids[0], delA, insB);
        shift(ids[1], insB, delA);
        Out out = new Out(maxChars);
        out.line("--- " + oldName + "\n");
        out.line("+++ " + newName + "\n");
        hunks(a, b, delA, insB, out);
        return out.finish();
    }

    /** The lines of a text, each with its '\n' (the last one may lack it), as offsets into the text. */
    private record Lines(String text, int[] starts) {
        static Lines of(String text) {
            int n = 0;
            for (int i = 0; i < text.length(); i++) {
                if (text.charAt(i) == '\n') {
                    n++;
                }
            }
            boolean partial = !text.isEmpty() && text.charAt(text.length() - 1) != '\n';
            int[] starts = new int[n + (partial ? 1 : 0) + 1];
            int k = 0;
            starts[k++] = 0;
            for (int i = 0; i < text.length(); i++) {
                if (text.charAt(i) == '\n') {
                    starts[k++] = i + 1;
                }
            }
            if (partial) {
                starts[k] = text.length();
            }
            return new Lines(text, starts);
        }

        int size() {
            return starts.length - 1;
        }

        String get(int i) {
            return text.substring(starts[i], starts[i + 1]);
        }
    }

    /** Each line replaced by the number of its equivalence class (equal lines, equal numbers). */
    private static int[][] ids(Lines a, Lines b) {
        Map<String, Integer> classes = new HashMap<>();
        int[] x = new int[a.size()];
        int[] y = new int[b.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = classes.computeIfAbsent(a.get(i), k -> classes.size());
        }
        for (int i = 0; i < y.length; i++) {
            y[i] = classes.computeIfAbsent(b.get(i), k -> classes.size());
        }
        return new int[][] {x, y};
    }

    /**
     * Divide and conquer over the middle of the edit graph (Myers 4b). The recursion is an explicit stack, so
     * no input can overflow the thread's stack.
     */
    private static final class Search {
        private final int[] xv;
        private final int[] yv;
        private final boolean[] delX;
        private final boolean[] insY;
        private final int[] fd;
        private final int[] bd;
        private final int off;
        private final int tooExpensive;

        Search(int[] xv, int[] yv, boolean[] delX, boolean[] insY) {
            this.xv = xv;
            this.yv = yv;
            this.delX = delX;
            this.insY = insY;
            int diags = xv.length + yv.length + 3;
            fd = new int[diags];
            bd = new int[diags];
            off = yv.length + 1;
            // GNU's bound on the rounds of one search: about the square root of the sizes, at least 4096.
            int cost = 1;
            for (int d = diags; d != 0; d >>= 2) {
                cost <<= 1;
            }
            tooExpensive = Math.max(4096, cost);
        }

        void run() {
            Deque<int[]> todo = new ArrayDeque<>();
            todo.push(new int[] {0, xv.length, 0, yv.length, 0});
            while (!todo.isEmpty()) {
                int[] t = todo.pop();
                int xoff = t[0];
                int xlim = t[1];
                int yoff = t[2];
                int ylim = t[3];
                boolean minimal = t[4] != 0;
                while (xoff < xlim && yoff < ylim && xv[xoff] == yv[yoff]) {
                    xoff++;
                    yoff++;
                }
                while (xlim > xoff && ylim > yoff && xv[xlim - 1] == yv[ylim - 1]) {
                    xlim--;
                    ylim--;
                }
                if (xoff == xlim) {
                    Arrays.fill(insY, yoff, ylim, true);
                } else if (yoff == ylim) {
                    Arrays.fill(delX, xoff, xlim, true);
                } else {
                    int[] mid = middle(xoff, xlim, yoff, ylim, minimal);
                    // the second half first on the stack, so the first half is done first (order does not matter)
                    todo.push(new int[] {mid[0], xlim, mid[1], ylim, mid[3]});
                    todo.push(new int[] {xoff, mid[0], yoff, mid[1], mid[2]});
                }
            }
        }

        /**
         * A point (x, y) on an optimal path (or, past the cost cut-off, on a good one) and whether each half
         * must be searched minimally: {x, y, loMinimal, hiMinimal}.
         */
        private int[] middle(int xoff, int xlim, int yoff, int ylim, boolean minimal) {
            int dmin = xoff - ylim;
            int dmax = xlim - yoff;
            int fmid = xoff - yoff;
            int bmid = xlim - ylim;
            int fmin = fmid;
            int fmax = fmid;
            int bmin = bmid;
            int bmax = bmid;
            boolean odd = ((fmid - bmid) & 1) != 0;
            fd[off + fmid] = xoff;
            bd[off + bmid] = xlim;
            for (int c = 1; ; c++) {
                // one more round forward
                if (fmin > dmin) {
                    fd[off + --fmin - 1] = -1;
                } else {
                    ++fmin;
                }
                if (fmax < dmax) {
                    fd[off + ++fmax + 1] = -1;
                } else {
                    --fmax;
                }
                for (int d = fmax; d >= fmin; d -= 2) {
                    int tlo = fd[off + d - 1];
                    int thi = fd[off + d + 1];
                    int x = tlo >= thi ? tlo + 1 : thi;
                    int y = x - d;
                    while (x < xlim && y < ylim && xv[x] == yv[y]) {
                        x++;
                        y++;
                    }
                    fd[off + d] = x;
                    if (odd && bmin <= d && d <= bmax && bd[off + d] <= x) {
                        return new int[] {x, y, 1, 1};
                    }
                }
                // one more round backward
                if (bmin > dmin) {
                    bd[off + --bmin - 1] = Integer.MAX_VALUE;
                } else {
                    ++bmin;
                }
                if (bmax < dmax) {
                    bd[off + ++bmax + 1] = Integer.MAX_VALUE;
                } else {
                    --bmax;
                }
                for (int d = bmax; d >= bmin; d -= 2) {
                    int tlo = bd[off + d - 1];
                    int thi = bd[off + d + 1];
                    int x = tlo < thi ? tlo : thi - 1;
                    int y = x - d;
                    while (xoff < x && yoff < y && xv[x - 1] == yv[y - 1]) {
                        x--;
                        y--;
                    }
                    bd[off + d] = x;
                    if (!odd && fmin <= d && d <= fmax && x <= fd[off + d]) {
                        return new int[] {x, y, 1, 1};
                    }
                }
                if (!minimal && c >= tooExpensive) {
                    return cutOff(xoff, xlim, yoff, ylim, fmin, fmax, bmin, bmax);
                }
            }
        }

        /** Too costly: take the furthest point either search reached (the diff stays correct, maybe longer). */
        private int[] cutOff(int xoff, int xlim, int yoff, int ylim, int fmin, int fmax, int bmin, int bmax) {
            int fxybest = -1;
            int fxbest = 0;
            for (int d = fmax; d >= fmin; d -= 2) {
                int x = Math.min(fd[off + d], xlim);
                int y = x - d;
                if (ylim < y) {
                    x = ylim + d;
                    y = ylim;
                }
                if (fxybest < x + y) {
                    fxybest = x + y;
                    fxbest = x;
                }
            }
            long bxybest = Long.MAX_VALUE;
            int bxbest = 0;
            for (int d = bmax; d >= bmin; d -= 2) {
                int x = Math.max(xoff, bd[off + d]);
                int y = x - d;
                if (y < yoff) {
                    x = yoff + d;
                    y = yoff;
                }
                if (x + y < bxybest) {
                    bxybest = x + y;
                    bxbest = x;
                }
            }
            if ((xlim + ylim) - bxybest < fxybest - (xoff + yoff)) {
                return new int[] {fxbest, fxybest - fxbest, 1, 0};
            }
            return new int[] {bxbest, (int) bxybest - bxbest, 0, 1};
        }
    }

    /**
     * Slides each group of changed lines over equal lines as GNU diff does: first as far up as it goes (joining
     * groups that meet), then as far down as it goes, and back up to the last place where it lines up with
     * changes in the other file, if there was one. So equal choices come out the same way as in GNU diff.
     */
    private static void shift(int[] v, boolean[] changed, boolean[] otherChanged) {
        int n = v.length;
        int i = 0;
        int j = 0; // the line of the other file paired with line i (when i is unchanged)
        while (true) {
            while (i < n && !changed[i]) {
                while (at(otherChanged, j++)) {
                    // skip the other file's changes in this gap
                }
                i++;
            }
            if (i == n) {
                return;
            }
            int start = i;
            while (at(changed, ++i)) {
                // to the end of the group
            }
            while (at(otherChanged, j)) {
                j++;
            }
            int runLength;
            int corresponding;
            do {
                runLength = i - start;
                // up, while the line before the group equals its last line; joins the groups above
                while (start > 0 && v[start - 1] == v[i - 1]) {
                    changed[--start] = true;
                    changed[--i] = false;
                    while (at(changed, start - 1)) {
                        start--;
                    }
                    while (at(otherChanged, --j)) {
                        // back to the paired line
                    }
                }
                // the last end of the group that lines up with changes in the other file (n: none)
                corresponding = at(otherChanged, j - 1) ? i : n;
                // down, while the line after the group equals its first line; joins the groups below
                while (i != n && v[start] == v[i]) {
                    changed[start++] = false;
                    changed[i++] = true;
                    while (at(changed, i)) {
                        i++;
                    }
                    while (at(otherChanged, ++j)) {
                        corresponding = i;
                    }
                }
            } while (runLength != i - start);
            while (corresponding < i) {
                changed[--start] = true;
                changed[--i] = false;
                while (at(otherChanged, --j)) {
                    // back to the paired line
                }
            }
        }
    }

    private static boolean at(boolean[] flags, int i) {
        return i >= 0 && i < flags.length && flags[i];
    }

    /** Hunks with up to 3 lines of context, joined when at most 6 unchanged lines lie between two changes. */
    private static void hunks(Lines a, Lines b, boolean[] delA, boolean[] insB, Out out) {
        int n = a.size();
        int m = b.size();
        int i = 0;
        int j = 0;
        while (i < n || j < m) {
            if (i < n && j < m && !delA[i] && !insB[j]) {
                i++;
                j++;
                continue;
            }
            // (i, j) starts a change: the hunk starts up to CONTEXT lines before it
            int ctx = 0;
            while (ctx < CONTEXT && i - ctx > 0 && j - ctx > 0) {
                ctx++;
            }
            int hi = i - ctx;
            int hj = j - ctx;
            // find the hunk's end: extend over gaps of at most 2*CONTEXT unchanged lines
            int ei = i;
            int ej = j;
            while (true) {
                while (ei < n && delA[ei]) {
                    ei++;
                }
                while (ej < m && insB[ej]) {
                    ej++;
                }
                int gap = 0;
                while (ei + gap < n && ej + gap < m && !delA[ei + gap] && !insB[ej + gap]) {
                    gap++;
                }
                boolean more = ei + gap < n || ej + gap < m;
                if (more && gap <= 2 * CONTEXT) {
                    ei += gap;
                    ej += gap;
                } else {
                    int tail = Math.min(gap, CONTEXT);
                    ei += tail;
                    ej += tail;
                    break;
                }
            }
            if (!hunk(a, b, delA, insB, hi, ei, hj, ej, out)) {
                return;
            }
            i = ei;
            j = ej;
        }
    }

    /** Prints one hunk of old lines [i0, i1) and new lines [j0, j1); false once the output is cut. */
    private static boolean hunk(Lines a, Lines b, boolean[] delA, boolean[] insB, int i0, int i1, int j0, int j1,
                                Out out) {
        if (!out.line("@@ -" + range(i0 + 1, i1 - i0) + " +" + range(j0 + 1, j1 - j0) + " @@\n")) {
            return false;
        }
        int i = i0;
        int j = j0;
        while (i < i1 || j < j1) {
            int before = i + j;
            if (i < i1 && j < j1 && !delA[i] && !insB[j]) {
                if (!emit(out, ' ', a.get(i))) {
                    return false;
                }
                i++;
                j++;
                continue;
            }
            while (i < i1 && delA[i]) {
                if (!emit(out, '-', a.get(i++))) {
                    return false;
                }
            }
            while (j < j1 && insB[j]) {
                if (!emit(out, '+', b.get(j++))) {
                    return false;
                }
            }
            if (i + j == before) {
                throw new IllegalStateException("diff: unpaired context line at " + i + "/" + j);
            }
        }
        return true;
    }

    private static boolean emit(Out out, char kind, String line) {
        if (line.endsWith("\n")) {
            return out.line(kind + line);
        }
        return out.line(kind + line + "\n\\ No newline at end of file\n");
    }

    /** GNU style: "start,count", "start" when count is 1, and start is the line before when count is 0. */
    private static String range(int start, int count) {
        if (count == 1) {
            return Integer.toString(start);
        }
        return (count == 0 ? start - 1 : start) + "," + count;
    }

    /** The diff text, cut after the last whole line that fits in the cap. */
    private static final class Out {
        private final StringBuilder sb = new StringBuilder();
        private final int max;
        private int dropped;

        Out(int max) {
            this.max = max;
        }

        boolean line(String s) {
            if (dropped > 0 || sb.length() + s.length() > max) {
                dropped++;
                return false;
            }
            sb.append(s);
            return true;
        }

        String finish() {
            if (dropped == 0) {
                return sb.toString();
            }
            return sb + TRUNCATED + " at " + max + " characters: the rest of the diff is not shown\n";
        }
    }
}
