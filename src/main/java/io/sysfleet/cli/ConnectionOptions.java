package io.sysfleet.cli;

import io.sysfleet.fleet.RunOptions;
import io.sysfleet.transport.HostKeyPolicy;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

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

    @Option(names = "--host-key-policy", paramLabel = "POLICY",
            description = "strict (default): unknown or changed host keys are refused; accept-new: record unknown "
                    + "keys, still refuse changed ones.")
    String hostKeyPolicy = "strict";

    @Option(names = "--connect-timeout", paramLabel = "SECONDS", description = "SSH connect timeout (default 10).")
    int connectTimeout = 10;

    @Option(names = {"-T", "--timeout"}, paramLabel = "SECONDS", description = "Timeout of one remote command (default 60).")
    int commandTimeout = 60;

    @Option(names = {"-f", "--forks"}, paramLabel = "N",
            description = "How many hosts to run at once (default " + RunOptions.DEFAULT_FORKS + ").")
    int forks = RunOptions.DEFAULT_FORKS;

    /** The host key policy; checks the timeouts too (usage errors, exit 5). */
    HostKeyPolicy policy() {
        HostKeyPolicy policy = switch (hostKeyPolicy) {
            case "strict" -> HostKeyPolicy.STRICT;
            case "accept-new" -> HostKeyPolicy.ACCEPT_NEW;
            default -> throw usage("--host-key-policy must be strict or accept-new, got '" + hostKeyPolicy + "'");
        };
        if (connectTimeout <= 0 || commandTimeout <= 0) {
            throw usage("timeouts must be positive");
        }
        return policy;
    }

    int validForks() {
        if (forks < 1 || forks > 500) {
            throw usage("--forks must be from 1 to 500, got " + forks);
        }
        return forks;
    }

    /** Options for a command that only reads hosts (no playbook, no journal): what the Connector needs. */
    RunOptions readOnlyOptions() {
        return new RunOptions(null, inventory.sources, limit, true, false, null, knownHosts, policy(),
                Duration.ofSeconds(connectTimeout), Duration.ofSeconds(commandTimeout), validForks(), List.of(), null);
    }

    ParameterException usage(String message) {
        return new ParameterException(mixee.commandLine(), message);
    }
}
