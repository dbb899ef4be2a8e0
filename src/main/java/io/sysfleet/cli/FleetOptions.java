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
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * The options of the commands that run playbooks or rollbacks (run, check, rollback): a picocli mixin. The
 * connection options (inventory, limit, host keys, timeouts, forks) come from {@link ConnectionOptions}, which
 * diagnose shares.
 */
final class FleetOptions extends ConnectionOptions {

    @Option(names = {"-D", "--diff"}, description = "Show a unified diff of each file change.")
    boolean diff;

    @Option(names = "-v", description = "Show every key's values (before, after, verified). Repeatable.")
    boolean[] verbosity = new boolean[0];

    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "Where runs keep their journal and local backups (default: $XDG_STATE_HOME/sysfleet or "
                    + "~/.local/state/sysfleet).")
    Path stateDir;

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

    @Option(names = "--report-json", paramLabel = "FILE", description = "Write a JSON report of the run (schemaVersion 1).")
    Path reportJson;

    @Option(names = "--report-junit", paramLabel = "FILE",
            description = "Write a JUnit XML report: a test case per host and task; failures carry the kernel's words.")
    Path reportJunit;

    @Option(names = "--report-html", paramLabel = "FILE",
            description = "Write an HTML report for people: one self-contained page (opens offline) with the summary, "
                    + "a filterable fleet overview and each host's values, diffs, errors and undo.")
    Path reportHtml;

    @Option(names = "--report-markdown", paramLabel = "FILE",
            description = "Write a short Markdown summary (counts, failed and changed hosts, drift) for "
                    + "$GITHUB_STEP_SUMMARY or a merge-request comment.")
    Path reportMarkdown;

    Engine.Reports reports() {
        return new Engine.Reports(reportJson, reportJunit, reportHtml, reportMarkdown);
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
}
