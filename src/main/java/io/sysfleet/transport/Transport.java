package io.sysfleet.transport;

import java.time.Duration;

/**
 * A connection to one host: run a command, read a file, write a file atomically. Implementations:
 * {@link LocalTransport} ({@code ansible_connection: local}) and {@link SshTransport}. All of them pass the
 * shared contract test suite. A transport may carry a default {@link Become}; it applies to file operations
 * and to every command that does not carry its own.
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

    /** The bytes of {@code path}; a missing or unreadable file is a {@link TransportException} (phase read). */
    byte[] readFile(String path);

    /**
     * Replaces {@code path} atomically: a temp file in the same directory gets the content, the mode, owner and
     * group (the given ones, or else the existing file's, or else 0644 and the caller's), is synced and renamed
     * over the target. A symlink target is followed. Nothing is left behind on failure.
     *
     * @param mode octal mode like {@code "0644"}, or null
     * @param owner user name or null
     * @param group group name or null
     */
    void writeFileAtomic(String path, byte[] content, String mode, String owner, String group);

    @Override
    void close();
}
