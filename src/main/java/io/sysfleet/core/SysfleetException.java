package io.sysfleet.core;

import io.sysfleet.result.Phase;

/**
 * The one exception family. It carries the exit code, the phase it happened in and (when known) the host,
 * so the CLI can map it to a one-line message in one place.
 */
public class SysfleetException extends RuntimeException {
    private final ExitCode exitCode;
    private final Phase phase;
    private final String host;

    public SysfleetException(ExitCode exitCode, Phase phase, String host, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
        this.phase = phase;
        this.host = host;
    }

    public SysfleetException(ExitCode exitCode, String message) {
        this(exitCode, null, null, message, null);
    }

    public ExitCode exitCode() {
        return exitCode;
    }

    /** The phase, e.g. connect, facts, apply; may be null. */
    public Phase phase() {
        return phase;
    }

    /** The inventory host name; may be null. */
    public String host() {
        return host;
    }

    /** The message the user sees: {@code host: phase: message} with the parts that are known. */
    public String oneLine() {
        StringBuilder sb = new StringBuilder();
        if (host != null) {
            sb.append(host).append(": ");
        }
        if (phase != null) {
            sb.append(phase.label()).append(": ");
        }
        sb.append(getMessage());
        return sb.toString();
    }
}
