package io.sysfleet.core;

import java.nio.file.Path;

/** A place in a user's file, 1-based line and column; printed as {@code file:line:col}. */
public record SourceLocation(String file, int line, int column) {

    public static SourceLocation of(Path file, int line, int column) {
        return new SourceLocation(file.toString(), line, column);
    }

    /** A location for a whole file (no line known). */
    public static SourceLocation file(Path file) {
        return new SourceLocation(file.toString(), 0, 0);
    }

    @Override
    public String toString() {
        if (line <= 0) {
            return file;
        }
        return column <= 0 ? file + ":" + line : file + ":" + line + ":" + column;
    }
}
