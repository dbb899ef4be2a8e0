package io.sysfleet.diagnose;

import io.sysfleet.report.StatusLine;

import java.io.PrintWriter;

/**
 * diagnose's live status line on stderr, beneath the host lines of the wrapped listener, as {@code run} draws
 * one ({@link io.sysfleet.report.Progress}): {@code [12/40] findings 5  critical 1  failed 0  unreachable 0}.
 * Erased before each host line and redrawn after it, and removed for good before the tables.
 */
public final class DiagnoseProgress implements DiagnoseListener {
    private final DiagnoseListener inner;
    private final StatusLine line;
    private int total;
    private int done;
    private int findings;
    private int critical;
    private int failed;
    private int unreachable;

    public DiagnoseProgress(DiagnoseListener inner, PrintWriter err) {
        this.inner = inner;
        this.line = new StatusLine(err);
    }

    @Override
    public synchronized void started(int hosts) {
        line.erase();
        inner.started(hosts);
        total += hosts;
        line.draw(status());
    }

    @Override
    public synchronized void hostFinished(HostDiagnosis d) {
        line.erase();
        inner.hostFinished(d);
        done++;
        switch (d.status()) {
            case FAILED -> failed++;
            case UNREACHABLE -> unreachable++;
            case DIAGNOSED -> {
                findings += d.findings().isEmpty() ? 0 : 1;
                critical += d.worst() == Severity.CRITICAL ? 1 : 0;
            }
        }
        line.draw(status());
    }

    @Override
    public synchronized void warning(String message) {
        line.erase();
        inner.warning(message);
        line.draw(status());
    }

    @Override
    public synchronized void finished(FleetDiagnosis diagnosis) {
        line.erase();
        inner.finished(diagnosis);
    }

    /** The status text: hosts done of all, then hosts with findings, with a critical one, failed, unreachable. */
    synchronized String status() {
        return "[" + done + "/" + total + "] findings " + findings + "  critical " + critical + "  failed " + failed
                + "  unreachable " + unreachable;
    }
}
