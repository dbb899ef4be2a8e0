package io.sysfleet.cli;

import io.sysfleet.core.TerminalText;

import io.sysfleet.catalog.KeyCatalog;
import io.sysfleet.fleet.Connector;
import io.sysfleet.fleet.FleetRunner;
import io.sysfleet.fleet.RunOptions;
import io.sysfleet.inventory.Inventory;
import io.sysfleet.inventory.InventoryLoader;
import io.sysfleet.journal.Journal;
import io.sysfleet.playbook.Playbook;
import io.sysfleet.playbook.PlaybookLoader;
import io.sysfleet.plan.Preflight;
import io.sysfleet.report.Progress;
import io.sysfleet.report.RunReport;
import io.sysfleet.report.TextReport;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/** What {@code run} and {@code check} share: the playbook, the fleet options, the run itself. */
abstract class PlaybookCommand extends FleetCommand {

    @Parameters(index = "0", paramLabel = "PLAYBOOK", description = "The playbook to run.")
    Path playbook;

    @Option(names = "--serial", split = ",", paramLabel = "N|N%",
            description = "Batches for plays that set no serial, like the play keyword: 1,25% = one host, then 25%% "
                    + "at a time.")
    List<String> serial = List.of();

    @Option(names = "--max-fail-percentage", paramLabel = "PCT",
            description = "max_fail_percentage for plays that set none (0: any failure stops the later batches).")
    Double maxFailPercentage;

    /** Whether to plan only. */
    abstract boolean checkMode();

    /** Whether to skip contacting hosts (check mode only). */
    abstract boolean offline();

    /** After the run: what to do when a play was aborted (run --rollback-on-abort). */
    void afterAbort(RunReport report, Inventory inv, Journal journal, Map<String, String> env, Path home) {
    }

    @Override
    public Integer call() {
        Playbook pb = PlaybookLoader.load(playbook);
        Inventory inv = InventoryLoader.load(fleet.inventory);
        inv.warnings().forEach(w -> err().println("[WARNING]: " + TerminalText.escape(w.toString())));
        Map<String, String> env = System.getenv();
        Clock clock = Clock.systemUTC();
        Path home = Path.of(System.getProperty("user.home"));
        for (String s : serial) {
            if (!s.matches("\\d{1,9}%?")) {
                throw fleet.usage("--serial takes numbers of hosts or percentages (1,25%), not '" + s + "'");
            }
        }
        if (maxFailPercentage != null && (maxFailPercentage < 0 || maxFailPercentage > 100)) {
            throw fleet.usage("--max-fail-percentage must be from 0 to 100");
        }
        RunOptions options = fleet.runOptions(playbook, checkMode(), offline(), env, home, serial, maxFailPercentage);
        Preflight.check(pb, inv, options.limit(), options.sysctlPaths());
        String runId = newRunId(clock);
        TextReport text = fleet.text(out());
        Progress bar = fleet.progress(text, err());
        Journal journal = openJournal(options, runId, "run", null, playbook, env, clock);
        FleetRunner runner = new FleetRunner(options, new Connector(options, env, clock, home), KeyCatalog.load(),
                clock, runId, journal);
        return withInterruptHandler(runner::interrupt, () -> {
            RunReport report = runner.run(pb, inv, bar != null ? bar : text);
            int exit = conclude(report, bar, text, journal, runner.wasInterrupted(), clock,
                    "undo it with: sysfleet rollback --run " + runId + " -i " + fleet.inventory);
            if (journal != null && !runner.wasInterrupted()
                    && report.plays().stream().anyMatch(p -> p.aborted() != null)) {
                afterAbort(report, inv, journal, env, home);
            }
            return exit;
        });
    }

}
