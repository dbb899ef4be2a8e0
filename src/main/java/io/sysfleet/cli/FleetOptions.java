package io.sysfleet.cli;

import io.sysfleet.fleet.RunOptions;
import io.sysfleet.report.Progress;
import io.sysfleet.report.TextReport;
import io.sysfleet.transport.HostKeyPolicy;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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

    @Option(names = "--host-key-policy", paramLabel = "POLICY",
            description = "strict (default): unknown or changed host keys are refused; accept-new: record unknown "
                    + "keys, still refuse changed ones.")
    String hostKeyPolicy = "strict";

    @Option(names = "--connect-timeout", paramLabel = "SECONDS", description = "SSH connect timeout (default 10).")
    int connectTimeout = 10;

    @Option(names = {"-T", "--timeout"}, paramLabel = "SECONDS", description = "Timeout of one remote command (default 60).")
    int commandTimeout = 60;

    @Option(names = "--progress", paramLabel = "WHEN",
            description = "Live status line on stderr: auto (default: when on a terminal), always, never.")
    String progress = "auto";

    @Option(names = {"-f", "--forks"}, paramLabel = "N",
            description = "How many hosts to run at once (default " + RunOptions.DEFAULT_FORKS + ").")
    int forks = RunOptions.DEFAULT_FORKS;

    @Option(names = "--allow-sysctl-path", paramLabel = "PATH",
            description = "Also manage this file (or, with a trailing '/', the files directly in this directory); "
                    + "by default only /etc/sysctl.conf and *.conf in /etc/sysctl.d/, /run/sysctl.d/, "
                    + "/usr/lib/sysctl.d/. Repeatable.")
    List<String> allowSysctlPaths = new java.util.ArrayList<>();

    @Option(names = "--report-json", paramLabel = "FILE", description = "Write a JSON report of the run (schemaVersion 1).")
    Path reportJson;

    @Option(names = "--report-junit", paramLabel = "FILE",
            description = "Write a JUnit XML report: a test case per host and task; failures carry the kernel's words.")
    Path reportJunit;

    /** The validated options of a run. */
    RunOptions runOptions(Path playbook, boolean check, boolean offline, Map<String, String> env, Path home) {
        return runOptions(playbook, check, offline, env, home, List.of(), null);
    }

    /** The validated options of a run with default batches and failure threshold for plays that set none. */
    RunOptions runOptions(Path playbook, boolean check, boolean offline, Map<String, String> env, Path home,
                          List<String> serial, Double maxFailPercent) {
        HostKeyPolicy policy = switch (hostKeyPolicy) {
            case "strict" -> HostKeyPolicy.STRICT;
            case "accept-new" -> HostKeyPolicy.ACCEPT_NEW;
            default -> throw usage("--host-key-policy must be strict or accept-new, got '" + hostKeyPolicy + "'");
        };
        if (connectTimeout <= 0 || commandTimeout <= 0) {
            throw usage("timeouts must be positive");
        }
        if (forks < 1 || forks > 500) {
            throw usage("--forks must be from 1 to 500, got " + forks);
        }
        io.sysfleet.plan.SysctlPaths paths;
        try {
            paths = io.sysfleet.plan.SysctlPaths.allowing(allowSysctlPaths);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        return new RunOptions(playbook, inventory, limit, check, offline, stateDir(env, home), knownHosts, policy,
                Duration.ofSeconds(connectTimeout), Duration.ofSeconds(commandTimeout), forks, serial, maxFailPercent,
                paths);
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

    TextReport text(PrintWriter out) {
        return new TextReport(out, diff, verbosity.length);
    }

    /** The live status line, or null when it is not wanted. */
    Progress progress(TextReport text, PrintWriter err) {
        return switch (progress) {
            case "always" -> new Progress(text, err);
            case "never" -> null;
            case "auto" -> System.console() != null ? new Progress(text, err) : null;
            default -> throw usage("--progress must be auto, always or never, got '" + progress + "'");
        };
    }

    ParameterException usage(String message) {
        return new ParameterException(mixee.commandLine(), message);
    }
}
