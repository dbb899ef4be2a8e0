package io.sysfleet.core;

/** One problem found in user input: where it is and a one-line message. */
public record Problem(SourceLocation location, String message) {

    @Override
    public String toString() {
        return location == null ? message : location + ": " + message;
    }
}
