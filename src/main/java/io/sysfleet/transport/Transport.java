package io.sysfleet.transport;

import java.time.Duration;

/**
 * A connection to one host: run a command. Implementations: {@link LocalTransport} ({@code ansible_connection:
 * local}) and {@link SshTransport}. All of them pass the shared contract test suite, which also runs the remote
 * scripts production uses to change hosts. A transport may carry a default {@link Become}; it applies to every
 * command that does not carry its own.
 */
public interface Transport extends AutoCloseable {

    /** The inventory name of the host (used in messages). */
    String host();

    /**
     * Runs {@code cmd} and waits for it. A non-zero exit code is a result, not an exception.
     *
     * @throws TransportException when the command cannot be run, sudo refuses, or it outlives {@code timeout}
     *     (it is then killed)
     */
    ExecResult exec(Command cmd, Duration timeout);

    @Override
    void close();
}
