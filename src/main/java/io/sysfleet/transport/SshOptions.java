package io.sysfleet.transport;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How to reach one host over SSH. Null fields fall back to ~/.ssh/config (HostName, Port, User, IdentityFile)
 * and then to OpenSSH's defaults. Secrets are not options: they are read from environment variables
 * ({@link SshTransport#ENV_PASSWORD}, {@link SshTransport#ENV_KEY_PASSPHRASE}, {@link Become#PASSWORD_ENV}).
 *
 * @param hostName address to connect to (Ansible's {@code ansible_host}); null = the inventory name
 * @param port TCP port; null = ssh config or 22
 * @param user login user; null = ssh config or the local user name
 * @param sshConfigFile OpenSSH client config to honour; null = none
 * @param knownHostsFile known_hosts file to check host keys against (and to record into under ACCEPT_NEW)
 * @param hostKeyPolicy STRICT (default) or ACCEPT_NEW
 * @param identityFiles private keys to offer; empty = ssh config IdentityFile, else ssh-agent, else defaults
 * @param connectTimeout TCP connect + SSH handshake timeout
 * @param keepAliveInterval interval of SSH keep-alive messages (3 missed = connection dead)
 * @param become run every command through sudo as this; null = no become
 */
public record SshOptions(
        String hostName,
        Integer port,
        String user,
        Path sshConfigFile,
        Path knownHostsFile,
        HostKeyPolicy hostKeyPolicy,
        List<Path> identityFiles,
        Duration connectTimeout,
        Duration keepAliveInterval,
        Become become) {

    public SshOptions {
        Objects.requireNonNull(knownHostsFile, "knownHostsFile");
        hostKeyPolicy = hostKeyPolicy == null ? HostKeyPolicy.STRICT : hostKeyPolicy;
        identityFiles = identityFiles == null ? List.of() : List.copyOf(identityFiles);
        connectTimeout = connectTimeout == null ? Duration.ofSeconds(10) : connectTimeout;
        keepAliveInterval = keepAliveInterval == null ? Duration.ofSeconds(15) : keepAliveInterval;
        if (port != null && (port < 1 || port > 65535)) {
            throw new IllegalArgumentException("invalid port: " + port);
        }
    }

    /** Defaults for a user whose home is {@code home}: ~/.ssh/config, ~/.ssh/known_hosts, strict host keys. */
    public static SshOptions defaults(Path home) {
        Path ssh = home.resolve(".ssh");
        return new SshOptions(null, null, null, ssh.resolve("config"), ssh.resolve("known_hosts"),
                HostKeyPolicy.STRICT, List.of(), null, null, null);
    }

    public SshOptions withHostName(String v) {
        return new SshOptions(v, port, user, sshConfigFile, knownHostsFile, hostKeyPolicy, identityFiles,
                connectTimeout, keepAliveInterval, become);
    }

    public SshOptions withPort(Integer v) {
        return new SshOptions(hostName, v, user, sshConfigFile, knownHostsFile, hostKeyPolicy, identityFiles,
                connectTimeout, keepAliveInterval, become);
    }

    public SshOptions withUser(String v) {
        return new SshOptions(hostName, port, v, sshConfigFile, knownHostsFile, hostKeyPolicy, identityFiles,
                connectTimeout, keepAliveInterval, become);
    }

    public SshOptions withSshConfigFile(Path v) {
        return new SshOptions(hostName, port, user, v, knownHostsFile, hostKeyPolicy, identityFiles,
                connectTimeout, keepAliveInterval, become);
    }

    public SshOptions withKnownHosts(Path v, HostKeyPolicy policy) {
        return new SshOptions(hostName, port, user, sshConfigFile, v, policy, identityFiles,
                connectTimeout, keepAliveInterval, become);
    }

    public SshOptions withIdentityFiles(List<Path> v) {
        return new SshOptions(hostName, port, user, sshConfigFile, knownHostsFile, hostKeyPolicy, v,
                connectTimeout, keepAliveInterval, become);
    }

    /** TCP connect and SSH handshake timeout. */
    public SshOptions withConnectTimeout(Duration connect) {
        return new SshOptions(hostName, port, user, sshConfigFile, knownHostsFile, hostKeyPolicy, identityFiles,
                connect, keepAliveInterval, become);
    }

    /** Run commands through sudo as {@code b} (null: no become). */
    public SshOptions withBecome(Become b) {
        return new SshOptions(hostName, port, user, sshConfigFile, knownHostsFile, hostKeyPolicy, identityFiles,
                connectTimeout, keepAliveInterval, b);
    }
}
