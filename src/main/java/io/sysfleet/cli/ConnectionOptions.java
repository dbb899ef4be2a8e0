package io.sysfleet.cli;

import io.sysfleet.engine.Engine;
import io.sysfleet.engine.SshConnections;
import io.sysfleet.transport.HostKeyPolicy;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How commands reach hosts: the inventory, --limit, host keys, timeouts and forks. A picocli mixin shared by
 * run, check, rollback (through {@link FleetOptions}) and diagnose.
 */
class ConnectionOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Mixin
    InventoryOptions inventory;

    @Option(names = {"-l", "--limit"}, paramLabel = "PATTERN", description = "Further limit the hosts (Ansible pattern).")
    String limit;

    @Option(names = "--known-hosts", paramLabel = "FILE", description = "known_hosts file (default ~/.ssh/known_hosts).")
    Path knownHosts;

    @Option(names = "--host-key-policy", paramLabel = "POLICY", converter = EnumWords.HostKeyPolicies.class,
            completionCandidates = EnumWords.HostKeyPolicies.class,
            description = "One of ${COMPLETION-CANDIDATES}. strict (default): unknown or changed host keys are "
                    + "refused; accept-new: record unknown keys, still refuse changed ones.")
    HostKeyPolicy hostKeyPolicy = HostKeyPolicy.STRICT;

    @Option(names = "--connect-timeout", paramLabel = "SECONDS", description = "SSH connect timeout (default 10).")
    int connectTimeout = 10;

    @Option(names = {"-T", "--timeout"}, paramLabel = "SECONDS", description = "Timeout of one remote command (default 60).")
    int commandTimeout = 60;

    @Option(names = {"-f", "--forks"}, paramLabel = "N",
            description = "How many hosts to run at once (default " + Engine.DEFAULT_FORKS + ").")
    int forks = Engine.DEFAULT_FORKS;

    /** How to reach hosts, checked. */
    SshConnections.Settings connectionSettings() {
        commandTimeout(); // both timeouts are checked together
        return new SshConnections.Settings(knownHosts, hostKeyPolicy, Duration.ofSeconds(connectTimeout));
    }

    /** The timeout of one remote command, checked. */
    Duration commandTimeout() {
        if (connectTimeout <= 0 || commandTimeout <= 0) {
            throw usage("timeouts must be positive");
        }
        return Duration.ofSeconds(commandTimeout);
    }

    /** {@code --forks}, checked. */
    int forks() {
        if (forks < 1 || forks > 500) {
            throw usage("--forks must be from 1 to 500, got " + forks);
        }
        return forks;
    }

    ParameterException usage(String message) {
        return new ParameterException(mixee.commandLine(), message);
    }
}
