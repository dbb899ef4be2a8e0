package io.sysfleet.report;

import io.sysfleet.result.HostResult;
import io.sysfleet.result.KeyResult;
import io.sysfleet.result.PlayResult;
import io.sysfleet.result.RunListener;
import io.sysfleet.result.RunReport;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Renders results for a terminal or a log, in the spirit of ansible-playbook's output: a line per host as it
 * finishes, diffs on request, verified values with {@code -v}, and a PLAY RECAP at the end.
 */
public final class TextReport implements RunListener {
    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean diff;
    private final int verbosity;

    public TextReport(PrintWriter out, boolean diff, int verbosity) {
        this(out, out, diff, verbosity);
    }

    /** With warnings about the input on {@code err}. */
    public TextReport(PrintWriter out, PrintWriter err, boolean diff, int verbosity) {
        this.out = out;
        this.err = err;
        this.diff = diff;
        this.verbosity = verbosity;
    }

    @Override
    public synchronized void playStarted(String name, int hosts, boolean check) {
        out.println();
        out.println("PLAY [" + name + "]" + (check ? " (check mode)" : "") + " " + hosts + " host" + (hosts == 1 ? "" : "s"));
        out.flush();
    }

    @Override
    public synchronized void hostFinished(HostResult r) {
        String word = switch (r.status()) {
            case OK -> "ok";
            case CHANGED -> "changed";
            case FAILED -> "failed";
            case UNREACHABLE -> "unreachable";
            case SKIPPED -> "skipping";
        };
        StringBuilder line = new StringBuilder(word).append(": [").append(r.host()).append("]");
        if (r.status() == HostResult.Status.CHANGED) {
            line.append(" ").append(r.changedKeys()).append(" key").append(r.changedKeys() == 1 ? "" : "s");
        }
        if (r.error() != null) {
            line.append(" ").append(r.phase() == null ? "" : r.phase().label() + ": ").append(r.error());
        }
        out.println(line);
        for (String w : r.warnings()) {
            out.println("  [WARNING] " + w);
        }
        if (verbosity > 0 || r.status() == HostResult.Status.FAILED) {
            for (KeyResult k : r.keys()) {
                if (verbosity > 0 || k.error() != null) {
                    out.println("    " + keyLine(k));
                }
            }
        }
        if (diff) {
            r.diffs().forEach(out::print);
        }
        out.flush();
    }

    @Override
    public synchronized void playAborted(String name, String why) {
        out.println("PLAY ABORTED [" + name + "]: " + why);
        out.flush();
    }

    static String keyLine(KeyResult k) {
        String key = k.key() == null ? k.task() : k.key().dotted();
        StringBuilder sb = new StringBuilder(key).append(": ");
        if (k.skipped()) {
            return sb.append("skipped (").append(k.note()).append(")").toString();
        }
        if (k.note() != null && k.note().startsWith("unknown offline")) {
            // a task whose when or templates need facts an offline plan does not have
            return sb.append(k.planned() == null ? "" : "want " + k.planned() + ", ").append(k.note()).toString();
        }
        if (k.planned() == null) {
            sb.append("(absent)");
        } else if (k.after() != null && k.before() != null && !k.before().equals(k.after())) {
            sb.append(k.before()).append(" -> ").append(k.after());
        } else if (k.after() != null) {
            sb.append(k.after());
        } else {
            sb.append("want ").append(k.planned()).append(k.before() == null ? "" : ", live " + k.before());
        }
        sb.append(k.verified() ? " [verified]" : "").append(k.changed() ? " [changed]" : "");
        if (k.error() != null) {
            sb.append(" ERROR: ").append(k.error());
        } else if (k.note() != null) {
            sb.append(" (").append(k.note()).append(")");
        }
        return sb.toString();
    }

    /** A line of information after the recap. */
    @Override
    public synchronized void note(String line) {
        out.println(line);
        out.flush();
    }

    @Override
    public synchronized void warning(String message) {
        err.println("[WARNING]: " + message);
        err.flush();
    }

    @Override
    public void runFinished(RunReport report) {
        recap(report);
    }

    public synchronized void recap(RunReport report) {
        out.println();
        out.println("PLAY RECAP (run " + report.runId() + ")");
        Map<String, int[]> counts = new LinkedHashMap<>();
        for (PlayResult p : report.plays()) {
            for (HostResult h : p.hosts()) {
                int[] c = counts.computeIfAbsent(h.host(), k -> new int[5]);
                long skipped = h.keys().stream().filter(KeyResult::skipped).count();
                c[0] += (int) h.keys().stream().filter(k -> !k.skipped() && k.error() == null).count();
                c[1] += (int) h.changedKeys();
                c[2] += h.status() == HostResult.Status.UNREACHABLE ? 1 : 0;
                c[3] += h.status() == HostResult.Status.FAILED ? 1 : 0;
                c[4] += (int) skipped;
            }
        }
        int width = counts.keySet().stream().mapToInt(String::length).max().orElse(4);
        for (Map.Entry<String, int[]> e : counts.entrySet()) {
            int[] c = e.getValue();
            out.printf("%-" + width + "s : ok=%-4d changed=%-4d unreachable=%-4d failed=%-4d skipped=%d%n",
                    e.getKey(), c[0], c[1], c[2], c[3], c[4]);
        }
        out.flush();
    }
}
