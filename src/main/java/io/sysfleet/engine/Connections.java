package io.sysfleet.engine;

import io.sysfleet.inventory.Host;
import io.sysfleet.transport.Become;
import io.sysfleet.transport.Transport;
import io.sysfleet.transport.TransportException;

/**
 * The engine's one way to reach a host: open its transport. Production uses {@link SshConnections} (SSH, or the
 * local transport for {@code ansible_connection: local}); unit tests of the scheduler, the per-host runner and
 * rollback use a local transport over a temporary directory or a recording fake, so they need no Docker.
 */
@FunctionalInterface
public interface Connections {

    /**
     * A connected transport for {@code host} that runs commands through {@code become} (null: no become).
     *
     * @throws TransportException when the host cannot be reached (connect, auth, host key: the host is
     *     UNREACHABLE) or sudo cannot be used
     */
    Transport open(Host host, Become become);
}
