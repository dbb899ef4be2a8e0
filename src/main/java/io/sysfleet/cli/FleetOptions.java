package io.sysfleet.cli;

import io.sysfleet.engine.Engine;
import io.sysfleet.engine.Shard;
import io.sysfleet.report.Progress;
import io.sysfleet.report.TextReport;
import io.sysfleet.result.RunListener;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * The options of the commands that run playbooks or rollbacks (run, check, rollback): a picocli mixin. The
 * connection options (inventory, limit, host keys, timeouts, forks), {@code --progress} and the reports for
 * people come from {@link ConnectionOptions}, which diagnose shares.
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

    @Option(names = "--shard", paramLabel = "K/N", converter = ShardConverter.class,
            description = "Run only shard K of N (K from 1): a stable split of the selected hosts by a hash of their "
                    + "names, so N controllers together cover every host exactly once; combine their reports and "
                    + "journals with: sysfleet report merge.")
    Shard shard = Shard.ALL;

    /** {@code --shard K/N}: a bad value is a usage error naming the option. */
    static final class ShardConverter implements CommandLine.ITypeConverter<Shard> {
        @Override
        public Shard convert(String value) {
            try {
                return Shard.parse(value);
            } catch (io.sysfleet.core.SysfleetException e) {
                throw new CommandLine.TypeConversionException(e.getMessage().replaceFirst("^--shard:? ?", ""));
            }
        }
    }
    /** The sysctl files a run may manage: the defaults and each {@code --allow-sysctl-path}, checked. */
    io.sysfleet.plan.SysctlPaths sysctlPaths() {
        try {
            return io.sysfleet.plan.SysctlPaths.allowing(allowSysctlPaths);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    Engine.Reports reports() {
        return new Engine.Reports(reportJson, reportJunit, reportHtml, reportMarkdown);
    }

    /** The engine for this command line: SSH connections with these options, the state directory, the catalog. */
    Engine engine(Map<String, String> env, Path home, Clock clock) {
        return engine(env, home, clock, stateDir(env, home));
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
        return progress() ? new Progress(text, err) : text;
    }
}
