package io.sysfleet.cli;

import io.sysfleet.fleet.RunOptions;
import io.sysfleet.report.Progress;
import io.sysfleet.report.TextReport;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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

    @Option(names = "--progress", paramLabel = "WHEN",
            description = "Live status line on stderr: auto (default: when on a terminal), always, never.")
    String progress = "auto";

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

    /** The validated options of a run. */
    RunOptions runOptions(Path playbook, boolean check, boolean offline, Map<String, String> env, Path home) {
        return runOptions(playbook, check, offline, env, home, List.of(), null);
    }

    /** The validated options of a run with default batches and failure threshold for plays that set none. */
    RunOptions runOptions(Path playbook, boolean check, boolean offline, Map<String, String> env, Path home,
                          List<String> serial, Double maxFailPercent) {
        return new RunOptions(playbook, inventory.sources, limit, check, offline, stateDir(env, home), knownHosts, policy(),
                Duration.ofSeconds(connectTimeout), Duration.ofSeconds(commandTimeout), validForks(), serial,
                maxFailPercent);
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

}
