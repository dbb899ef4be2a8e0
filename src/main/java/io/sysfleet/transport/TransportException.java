package io.sysfleet.transport;

import io.sysfleet.core.ExitCode;
import io.sysfleet.core.SysfleetException;
import io.sysfleet.result.Phase;

import java.util.Set;

/**
 * A transport failure on one host, with the phase it happened in (one of {@link #PHASES}). Connect, auth and
 * host-key failures mean the host is unreachable (exit code {@link ExitCode#UNREACHABLE}); the others fail the
 * host ({@link ExitCode#HOST_FAILED}).
 */
public class TransportException extends SysfleetException {
    /** The phases a transport reports. */
    public static final Set<Phase> PHASES = Set.of(Phase.CONNECT, Phase.AUTH, Phase.HOSTKEY, Phase.BECOME,
            Phase.EXEC);

    public TransportException(Phase phase, String host, String message, Throwable cause) {
        super(check(phase).unreachable() ? ExitCode.UNREACHABLE : ExitCode.HOST_FAILED, phase, host, message, cause);
    }

    public TransportException(Phase phase, String host, String message) {
        this(phase, host, message, null);
    }

    private static Phase check(Phase phase) {
        if (!PHASES.contains(phase)) {
            throw new IllegalArgumentException("not a transport phase: " + phase);
        }
        return phase;
    }

    /** Whether the host was not reached (Ansible's UNREACHABLE). */
    public boolean unreachable() {
        return phase().unreachable();
    }
}
