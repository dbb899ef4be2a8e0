package io.sysfleet.cli;

import io.sysfleet.catalog.KeyCatalog;
import io.sysfleet.fleet.Connector;
import io.sysfleet.fleet.FleetRunner;
import io.sysfleet.fleet.RunOptions;
import io.sysfleet.inventory.Inventory;
import io.sysfleet.inventory.InventoryLoader;
import io.sysfleet.journal.Journal;
import io.sysfleet.journal.RunRecord;
import io.sysfleet.playbook.Playbook;
import io.sysfleet.playbook.PlaybookLoader;
import io.sysfleet.core.ExitCode;
import io.sysfleet.report.Progress;
import io.sysfleet.report.RunReport;
import io.sysfleet.report.TextReport;
import io.sysfleet.transport.HostKeyPolicy;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** What {@code run} and {@code check} share: the playbook, the inventory, connection and output options. */
abstract class PlaybookCommand extends BaseCommand {

    @Parameters(index = "0", paramLabel = "PLAYBOOK", description = "The playbook to run.")
    Path playbook;

    @Option(names = {"-i", "--inventory"}, required = true, paramLabel = "FILE", description = "The YAML inventory.")
    Path inventory;

    @Option(names = {"-l", "--limit"}, paramLabel = "PATTERN", description = "Further limit the hosts (Ansible pattern).")
    String limit;

    @Option(names = {"-D", "--diff"}, description = "Show a unified diff of each file change.")
    boolean diff;

    @Option(names = "-v", description = "Show every key's values (before, after, verified). Repeatable.")
    boolean[] verbosity = new boolean[0];

    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "Where runs keep local backups (default: $XDG_STATE_HOME/sysfleet or ~/.local/state/sysfleet).")
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

    /** Whether to plan only. */
    abstract boolean checkMode();

    /** Whether to skip contacting hosts (check mode only). */
    abstract boolean offline();

    @Override
    public Integer call() {
        Playbook pb = PlaybookLoader.load(playbook);
        Inventory inv = InventoryLoader.load(inventory);
        inv.warnings().forEach(w -> err().println("[WARNING]: " + w));
        HostKeyPolicy policy = switch (hostKeyPolicy) {
            case "strict" -> HostKeyPolicy.STRICT;
            case "accept-new" -> HostKeyPolicy.ACCEPT_NEW;
            default -> throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--host-key-policy must be strict or accept-new, got '" + hostKeyPolicy + "'");
        };
        if (connectTimeout <= 0 || commandTimeout <= 0) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "timeouts must be positive");
        }
        if (forks < 1 || forks > 500) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--forks must be from 1 to 500, got " + forks);
        }
        Map<String, String> env = System.getenv();
        Clock clock = Clock.systemUTC();
        Path home = Path.of(System.getProperty("user.home"));
        RunOptions options = new RunOptions(playbook, inventory, limit, checkMode(), offline(),
                stateDir != null ? stateDir : defaultStateDir(env, home), knownHosts, policy,
                Duration.ofSeconds(connectTimeout), Duration.ofSeconds(commandTimeout), forks);
        String runId = newRunId(clock);
        TextReport text = new TextReport(out(), diff, verbosity.length);
        Progress bar = switch (progress) {
            case "always" -> new Progress(text, err());
            case "never" -> null;
            case "auto" -> System.console() != null ? new Progress(text, err()) : null;
            default -> throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--progress must be auto, always or never, got '" + progress + "'");
        };
        Journal journal = checkMode() ? null : Journal.create(options.stateDir(), new RunRecord(runId, "run", null,
                clock.instant().toString(), null, env.getOrDefault("USER", System.getProperty("user.name")),
                controllerName(), playbook.toAbsolutePath().toString(), inventory.toAbsolutePath().toString(), false,
                "running", null, Map.of()));
        FleetRunner runner = new FleetRunner(options, new Connector(options, env, clock, home), KeyCatalog.load(),
                clock, runId, journal);
        // SIGINT/SIGTERM: start no new host, let running ones finish (with their undo), print the recap, exit 99.
        CountDownLatch finished = new CountDownLatch(1);
        Thread onSignal = new Thread(() -> {
            runner.interrupt();
            try {
                if (finished.await(5, TimeUnit.MINUTES)) {
                    Runtime.getRuntime().halt(ExitCode.INTERRUPTED.code());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "sysfleet-interrupt");
        Runtime.getRuntime().addShutdownHook(onSignal);
        try {
            RunReport report = runner.run(pb, inv, bar != null ? bar : text);
            if (bar != null) {
                bar.finish();
            }
            text.recap(report);
            writeReports(report);
            int exit = runner.wasInterrupted() ? ExitCode.INTERRUPTED.code() : report.exitCode().code();
            if (journal != null) {
                String status = runner.wasInterrupted() ? "interrupted"
                        : report.plays().stream().anyMatch(p -> p.aborted() != null) ? "aborted" : "finished";
                journal.finish(journal.record().finished(clock.instant().toString(), status, exit, report.hostStatuses()));
                text.note("run " + runId + " journaled in " + journal.dir() + " (undo with: sysfleet rollback --run "
                        + runId + " -i " + inventory + ")");
            }
            return exit;
        } finally {
            out().flush();
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(onSignal);
            } catch (IllegalStateException e) {
                // the JVM is shutting down: the hook exits with 99
            }
        }
    }

    /** Writes the machine-readable reports asked for (none yet). */
    void writeReports(RunReport report) {
    }

    static String controllerName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    static Path defaultStateDir(Map<String, String> env, Path home) {
        String xdg = env.get("XDG_STATE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : home.resolve(".local").resolve("state");
        return base.resolve("sysfleet");
    }

    /** A sortable, unique run id: UTC time plus 6 random hex digits. */
    static String newRunId(Clock clock) {
        String time = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(clock.instant());
        byte[] r = new byte[3];
        new SecureRandom().nextBytes(r);
        return time + "-" + HexFormat.of().formatHex(r);
    }
}
