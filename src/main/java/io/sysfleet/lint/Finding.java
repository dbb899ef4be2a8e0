package io.sysfleet.lint;

import io.sysfleet.core.SourceLocation;

/** One lint finding: {@code code} is a stable short name such as {@code tw-recycle}. */
public record Finding(Severity severity, SourceLocation location, String code, String message) {

    /** {@code file:line:col: error: message [code]}. */
    @Override
    public String toString() {
        return location + ": " + severity.word() + ": " + message + " [" + code + "]";
    }
}
