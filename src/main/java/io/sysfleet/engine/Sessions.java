package io.sysfleet.engine;

import io.sysfleet.inventory.Host;
import io.sysfleet.transport.Become;
import io.sysfleet.transport.Transport;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One connection per host (and become user) for the whole run, reused by every play: a playbook of three plays
 * costs one SSH handshake per host, not three. A host is worked on by one thread at a time (plays run one after
 * another), so a session is never shared by two threads at once. A session that failed is dropped, so the next
 * play connects afresh.
 */
final class Sessions implements AutoCloseable {
    private final Connections connections;
    private final Map<String, Transport> open = new ConcurrentHashMap<>();

    Sessions(Connections connections) {
        this.connections = connections;
    }

    Transport get(Host host, Become become) {
        String key = key(host, become);
        Transport t = open.get(key);
        if (t == null) {
            // Connect outside the map's locks: a slow or dead host must not hold up another host's connect.
            t = connections.open(host, become);
            open.put(key, t);
        }
        return t;
    }

    /** Closes and forgets a host's session (after a transport failure). */
    void drop(Host host, Become become) {
        Transport t = open.remove(key(host, become));
        if (t != null) {
            t.close();
        }
    }

    private static String key(Host host, Become b) {
        return host.name() + "\u0000" + (b == null ? "" : b.user());
    }

    @Override
    public void close() {
        List<Transport> all = new ArrayList<>(open.values());
        open.clear();
        for (Transport t : all) {
            try {
                t.close();
            } catch (RuntimeException e) {
                // closing is best effort: the run's results are already decided
            }
        }
    }
}
