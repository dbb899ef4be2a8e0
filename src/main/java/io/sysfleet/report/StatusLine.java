package io.sysfleet.report;

import java.io.PrintWriter;

/**
 * The one live status line of a terminal, on stderr: drawn after the last line printed, erased before the next
 * one, so the two never garble. {@link Progress} (run, check, rollback) and diagnose's progress draw through it.
 * Callers synchronise (each draws from one listener that is itself synchronised).
 */
public final class StatusLine {
    private final PrintWriter err;

    public StatusLine(PrintWriter err) {
        this.err = err;
    }

    /** Draws {@code text} (plain text, no control characters) where the line is. */
    public void draw(String text) {
        err.print(text);
        err.flush();
    }

    /** Erases the line (the cursor goes back to its start). */
    public void erase() {
        err.print("\r\033[K");
        err.flush();
    }
}
