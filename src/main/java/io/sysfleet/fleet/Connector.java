package io.sysfleet.fleet;

import io.sysfleet.inventory.Host;
import io.sysfleet.playbook.Play;
import io.sysfleet.transport.Become;
import io.sysfleet.transport.LocalTransport;
import io.sysfleet.transport.SshOptions;
import io.sysfleet.transport.SshTransport;
import io.sysfleet.transport.Transport;
import io.sysfleet.transport.TransportException;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * Opens the transport a host's connection variables ask for: SSH (default) or local. Become follows Ansible:
 * the host's {@code ansible_become} / {@code ansible_become_user} win over the play's {@code become} keywords.
 */
public final class Connector {
    private final RunOptions options;
    private final Map<String, String> env;
    private final Clock clock;
    private final Path home;

    public Connector(RunOptions options, Map<String, String> env, Clock clock, Path home) {
        this.options = options;
        this.env = env;
        this.clock = clock;
        this.home = home;
    }

    /** The become of a host in a play ({@link Become#decide}), with the password from the environment. */
    public Become become(Host host, Play play) {
        return Become.decide(host.vars().containsKey("ansible_become") ? host.become() : null, host.becomeUser(),
                play.become(), play.becomeUser(), Become.password(env));
    }

    /** The become a journaled change used, again (for a rollback), with the password from the environment. */
    public Become become(boolean become, String user) {
        return become ? new Become(user == null ? Become.ROOT : user, Become.password(env)) : null;
    }

    /** Opens {@code host}'s transport; {@code become} null: no become. */
    public Transport open(Host host, Become become) {
        if ("local".equals(host.connection())) {
            return new LocalTransport(host.name(), become, options.commandTimeout());
        }
        SshOptions o = SshOptions.defaults(home)
                .withBecome(become)
                .withHostName(host.address())
                .withPort(host.port())
                .withUser(host.user())
                .withTimeouts(options.connectTimeout(), options.commandTimeout());
        if (options.knownHosts() != null || options.hostKeyPolicy() != null) {
            o = o.withKnownHosts(options.knownHosts() != null ? options.knownHosts() : o.knownHostsFile(),
                    options.hostKeyPolicy() != null ? options.hostKeyPolicy() : o.hostKeyPolicy());
        }
        if (host.privateKeyFile() != null) {
            o = o.withIdentityFiles(List.of(Path.of(host.privateKeyFile())));
        }
        return SshTransport.connect(host.name(), o, env, clock);
    }

    /** Whether a transport failure means the host was not reached (Ansible's UNREACHABLE). */
    public static boolean unreachable(TransportException e) {
        return e.unreachable();
    }
}
