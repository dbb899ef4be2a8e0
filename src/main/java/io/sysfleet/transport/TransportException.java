package io.sysfleet.transport;

import io.sysfleet.core.ExitCode;
import io.sysfleet.core.SysfleetException;

/**
 * A transport failure on one host, with the phase it happened in. Connect, auth and host-key failures mean
 * the host is unreachable (exit code {@link ExitCode#UNREACHABLE}); the others fail the host
 * ({@link ExitCode#HOST_FAILED}).
 */
public class TransportException extends SysfleetException {

    /** Where in the conversation with the host the failure happened. */
    public enum Phase {
        CONNECT, AUTH, HOSTKEY, BECOME, EXEC, READ, WRITE;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        ExitCode exitCode() {
            return switch (this) {
                case CONNECT, AUTH, HOSTKEY -> ExitCode.UNREACHABLE;
                default -> ExitCode.HOST_FAILED;
            };
        }
    }

    private final Phase transportPhase;

    public TransportException(Phase phase, String host, String message, Throwable cause) {
        super(phase.exitCode(), phase.label(), host, message, cause);
        this.transportPhase = phase;
    }

    public TransportException(Phase phase, String host, String message) {
        this(phase, host, message, null);
    }

    public Phase transportPhase() {
        return transportPhase;
    }
}
