package io.sysfleet.lint;

/** How serious a lint finding is. ERROR makes {@code sysfleet lint} exit 6; WARNING too with --strict. */
public enum Severity {
    ERROR, WARNING, INFO;

    /** The word printed in {@code file:line:col: error: ...}. */
    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
