package io.sysfleet.engine;

import io.sysfleet.inventory.Host;
import io.sysfleet.transport.Become;
import io.sysfleet.transport.HostKeyPolicy;
import io.sysfleet.transport.LocalTransport;
import io.sysfleet.transport.SshOptions;
import io.sysfleet.transport.SshTransport;
import io.sysfleet.transport.Transport;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The production {@link Connections}: the transport a host's connection variables ask for, SSH (the default)
 * or local ({@code ansible_connection: local}).
 */
public final class SshConnections implements Connections {

    /**
     * How to reach hosts over SSH.
     *
     * @param knownHosts     known_hosts file, or null for ~/.ssh/known_hosts
     * @param hostKeyPolicy  strict (default) or accept-new
     * @param connectTimeout SSH connect and handshake timeout
     */
    public record Settings(Path knownHosts, HostKeyPolicy hostKeyPolicy, Duration connectTimeout) {
    }

    private final Settings settings;
    private final Map<String, String> env;
    private final Clock clock;
    private final Path home;

    /** @param env the process environment: SSH and become secrets, ssh-agent; @param home the user's home */
    public SshConnections(Settings settings, Map<String, String> env, Clock clock, Path home) {
        this.settings = settings;
        this.env = env;
        this.clock = clock;
        this.home = home;
    }

    @Override
    public Transport open(Host host, Become become) {
        if ("local".equals(host.connection())) {
            return new LocalTransport(host.name(), become);
        }
        SshOptions o = SshOptions.defaults(home)
                .withBecome(become)
                .withHostName(host.address())
                .withPort(host.port())
                .withUser(host.user())
                .withConnectTimeout(settings.connectTimeout());
        if (settings.knownHosts() != null || settings.hostKeyPolicy() != null) {
            o = o.withKnownHosts(settings.knownHosts() != null ? settings.knownHosts() : o.knownHostsFile(),
                    settings.hostKeyPolicy() != null ? settings.hostKeyPolicy() : o.hostKeyPolicy());
        }
        if (host.privateKeyFile() != null) {
            o = o.withIdentityFiles(List.of(Path.of(host.privateKeyFile())));
        }
        return SshTransport.connect(host.name(), o, env, clock);
    }
}
