package io.sysfleet.core;

/**
 * One problem found in user input: where it is and a one-line message. The message is made one line here
 * ({@link TerminalText#escape}): it often quotes what the user wrote, and a newline or an escape sequence in that
 * must not start a line of its own or reach a terminal raw.
 */
public record Problem(SourceLocation location, String message) {

    public Problem {
        message = TerminalText.escape(message);
    }

    @Override
    public String toString() {
        return location == null ? message : location + ": " + message;
    }
}
