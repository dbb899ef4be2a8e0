package io.sysfleet.cli;

import io.sysfleet.catalog.KeyCatalog;
import io.sysfleet.engine.Engine;
import io.sysfleet.engine.RunIds;
import io.sysfleet.engine.SshConnections;
import io.sysfleet.facts.BootFiles;
import io.sysfleet.report.Progress;
import io.sysfleet.report.TextReport;
import io.sysfleet.result.RunListener;
import io.sysfleet.transport.Become;
import io.sysfleet.transport.HostKeyPolicy;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/** The options every command that reaches hosts shares (run, check, rollback): a picocli mixin. */
final class FleetOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = {"-i", "--inventory"}, required = true, paramLabel = "FILE", description = "The YAML inventory.")
    Path inventory;

    @Option(names = {"-l", "--limit"}, paramLabel = "PATTERN", description = "Further limit the hosts (Ansible pattern).")
    String limit;

    @Option(names = {"-D", "--diff"}, description = "Show a unified diff of each file change.")
    boolean diff;

    @Option(names = "-v", description = "Show every key's values (before, after, verified). Repeatable.")
    boolean[] verbosity = new boolean[0];

    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "Where runs keep their journal and local backups (default: $XDG_STATE_HOME/sysfleet or "
                    + "~/.local/state/sysfleet).")
    Path stateDir;

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

    @Option(names = {"-f", "--forks"}, paramLabel = "N",
            description = "How many hosts to run at once (default " + Engine.DEFAULT_FORKS + ").")
    int forks = Engine.DEFAULT_FORKS;

    @Option(names = "--report-json", paramLabel = "FILE", description = "Write a JSON report of the run (schemaVersion 1).")
    Path reportJson;

    @Option(names = "--report-junit", paramLabel = "FILE",
            description = "Write a JUnit XML report: a test case per host and task; failures carry the kernel's words.")
    Path reportJunit;

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

    Engine.Reports reports() {
        return new Engine.Reports(reportJson, reportJunit);
    }

    /** The engine for this command line: SSH connections with these options, the state directory, the catalog. */
    Engine engine(Map<String, String> env, Path home, Clock clock) {
        SshConnections connections = new SshConnections(connectionSettings(), env, clock, home);
        return new Engine(new Engine.Context(stateDir(env, home), connections, KeyCatalog.load(), clock,
                RunIds.secure(clock), new Engine.Controller(env.getOrDefault("USER", System.getProperty("user.name")),
                controllerName()), Become.password(env), BootFiles.STANDARD));
    }

    static String controllerName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    Path stateDir(Map<String, String> env, Path home) {
        return stateDir != null ? stateDir : defaultStateDir(env, home);
    }

    /** {@code $XDG_STATE_HOME/sysfleet}, or {@code ~/.local/state/sysfleet}. */
    static Path defaultStateDir(Map<String, String> env, Path home) {
        String xdg = env.get("XDG_STATE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : home.resolve(".local").resolve("state");
        return base.resolve("sysfleet");
    }

    /** What the command prints while the engine works: host lines, recap, notes, and the status line if wanted. */
    RunListener listener(PrintWriter out, PrintWriter err) {
        TextReport text = new TextReport(out, err, diff, verbosity.length);
        return switch (progress) {
            case ALWAYS -> new Progress(text, err);
            case NEVER -> text;
            case AUTO -> System.console() != null ? new Progress(text, err) : text;
        };
    }

    ParameterException usage(String message) {
        return new ParameterException(mixee.commandLine(), message);
    }
}
