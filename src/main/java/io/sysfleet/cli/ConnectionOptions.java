package io.sysfleet.cli;

import io.sysfleet.catalog.KeyCatalog;
import io.sysfleet.engine.Engine;
import io.sysfleet.engine.RunIds;
import io.sysfleet.engine.SshConnections;
import io.sysfleet.facts.BootFiles;
import io.sysfleet.transport.Become;
import io.sysfleet.transport.HostKeyPolicy;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * How commands reach hosts (the inventory, --limit, host keys, timeouts and forks) and what they show a person
 * meanwhile and after (the status line, the HTML and Markdown reports). A picocli mixin shared by run, check,
 * rollback (through {@link FleetOptions}) and diagnose.
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

    /** When to draw the live status line. */
    enum ProgressMode {
        AUTO, ALWAYS, NEVER;

        @Override
        public String toString() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    @Option(names = "--progress", paramLabel = "WHEN", converter = EnumWords.ProgressModes.class,
            completionCandidates = EnumWords.ProgressModes.class,
            description = "Live status line on stderr: ${COMPLETION-CANDIDATES} (default: auto, when on a terminal).")
    ProgressMode progress = ProgressMode.AUTO;

    @Option(names = "--report-html", paramLabel = "FILE",
            description = "Write an HTML report for people: one self-contained page (opens offline) with the summary, "
                    + "a filterable fleet overview and each host's details.")
    Path reportHtml;

    @Option(names = "--report-markdown", paramLabel = "FILE",
            description = "Write a short Markdown summary (counts, the hosts with problems) for "
                    + "$GITHUB_STEP_SUMMARY or a merge-request comment.")
    Path reportMarkdown;

    /** Whether to draw the status line. */
    boolean progress() {
        return switch (progress) {
            case ALWAYS -> true;
            case NEVER -> false;
            case AUTO -> System.console() != null;
        };
    }

    /**
     * The engine for this command line: SSH connections with these options, the catalog, the controller, and
     * {@code stateDir} for journals and backups (null for a command that keeps none).
     */
    Engine engine(Map<String, String> env, Path home, Clock clock, Path stateDir) {
        SshConnections connections = new SshConnections(connectionSettings(), env, clock, home);
        return new Engine(new Engine.Context(stateDir, connections, KeyCatalog.load(), clock, RunIds.secure(clock),
                new Engine.Controller(env.getOrDefault("USER", System.getProperty("user.name")), controllerName()),
                Become.password(env), BootFiles.STANDARD));
    }

    static String controllerName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

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
