package io.sysfleet.fleet;

import io.sysfleet.apply.Privilege;
import io.sysfleet.core.ExitCode;
import io.sysfleet.core.SysfleetException;
import io.sysfleet.inventory.Host;
import io.sysfleet.playbook.Play;
import io.sysfleet.transport.Become;
import io.sysfleet.transport.LocalTransport;
import io.sysfleet.transport.Secret;
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

    /** Become as Ansible decides it: the host's connection variables win over the play's keywords. */
    public static Privilege privilege(Host host, Play play) {
        boolean become = host.vars().containsKey("ansible_become") ? host.become()
                : play.become() != null && play.become();
        String user = host.becomeUser() != null ? host.becomeUser()
                : play.becomeUser() != null ? play.becomeUser() : "root";
        return new Privilege(become, become ? user : null);
    }

    public Transport open(Host host, Play play) {
        return open(host, privilege(host, play));
    }

    public Transport open(Host host, Privilege privilege) {
        String refused = host.unmanageable();
        if (refused != null) {
            throw new SysfleetException(ExitCode.HOST_FAILED, "connect", host.name(), refused, null);
        }
        boolean become = privilege.become();
        String becomeUser = privilege.becomeUser() == null ? "root" : privilege.becomeUser();
        if ("local".equals(host.connection())) {
            Become b = null;
            if (become) {
                Secret pw = Secret.fromEnv(env, SshOptions.DEFAULT_BECOME_PASSWORD_ENV);
                b = new Become(becomeUser, pw);
            }
            return new LocalTransport(host.name(), b, options.commandTimeout());
        }
        SshOptions o = SshOptions.defaults(home)
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
        if (become) {
            o = o.withBecome(becomeUser, env.containsKey(SshOptions.DEFAULT_BECOME_PASSWORD_ENV)
                    ? SshOptions.DEFAULT_BECOME_PASSWORD_ENV : null);
        }
        return SshTransport.connect(host.name(), o, env, clock);
    }

    /** Whether a transport failure means the host was not reached (Ansible's UNREACHABLE). */
    public static boolean unreachable(TransportException e) {
        return switch (e.transportPhase()) {
            case CONNECT, AUTH, HOSTKEY -> true;
            default -> false;
        };
    }
}
