package io.sysfleet.diagnose;

import java.util.Locale;

/** How urgent a finding is, lowest first. {@code --fail-on} compares against it. */
public enum Severity {
    /** Measured and worth knowing, nothing to change now (e.g. a remedy already in place). */
    INFO,
    /** A symptom of a table row, or a setting that causes one. */
    WARNING,
    /** The kernel is dropping packets or connections now (or did so recently). */
    CRITICAL;

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
