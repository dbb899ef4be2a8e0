package io.sysfleet.report;

import io.sysfleet.result.HostResult;
import io.sysfleet.result.RunListener;
import io.sysfleet.result.RunReport;

import java.io.PrintWriter;

/**
 * A live status line for a terminal, drawn on stderr beneath the per-host lines of the wrapped listener:
 * {@code [12/40] changed 5  failed 1  unreachable 0}. The line is erased before each host line and redrawn
 * after it, so the two never garble; when stderr is not a terminal, use the wrapped listener alone.
 */
public final class Progress implements RunListener {
    private final RunListener inner;
    private final PrintWriter err;
    private int total;
    private int done;
    private int changed;
    private int failed;
    private int unreachable;

    public Progress(RunListener inner, PrintWriter err) {
        this.inner = inner;
        this.err = err;
    }

    @Override
    public synchronized void playStarted(String name, int hosts, boolean check) {
        erase();
        inner.playStarted(name, hosts, check);
        total += hosts;
        draw();
    }

    @Override
    public synchronized void hostFinished(HostResult r) {
        erase();
        inner.hostFinished(r);
        done++;
        switch (r.status()) {
            case CHANGED -> changed++;
            case FAILED -> failed++;
            case UNREACHABLE -> unreachable++;
            default -> {
            }
        }
        draw();
    }

    @Override
    public synchronized void playAborted(String name, String why) {
        erase();
        inner.playAborted(name, why);
        draw();
    }

    /** Removes the status line for good, then the recap. */
    @Override
    public synchronized void runFinished(RunReport report) {
        erase();
        inner.runFinished(report);
    }

    @Override
    public synchronized void note(String line) {
        erase();
        inner.note(line);
    }

    @Override
    public synchronized void warning(String message) {
        erase();
        inner.warning(message);
        draw();
    }

    /** Removes the status line for good (before the recap). */
    public synchronized void finish() {
        erase();
    }

    /** The status text (without terminal control characters). */
    synchronized String status() {
        return "[" + done + "/" + total + "] changed " + changed + "  failed " + failed + "  unreachable " + unreachable;
    }

    private void draw() {
        err.print(status());
        err.flush();
    }

    private void erase() {
        err.print("\r\033[K");
        err.flush();
    }
}
