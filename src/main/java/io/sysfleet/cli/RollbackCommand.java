package io.sysfleet.cli;

import io.sysfleet.core.ExitCode;
import io.sysfleet.core.SysfleetException;
import io.sysfleet.fleet.RunOptions;
import io.sysfleet.inventory.Inventory;
import io.sysfleet.journal.Journal;
import io.sysfleet.journal.JournalView;
import io.sysfleet.journal.RunRecord;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/** {@code sysfleet rollback}: put hosts back as they were before a journaled run. */
@Command(name = "rollback", description = {
        "Restore the files and live values a run changed, from its journal and backups; then verify them.",
        "A file changed since the run wrote it is refused unless --force. The rollback is journaled too."})
public final class RollbackCommand extends FleetCommand {

    @ArgGroup(exclusive = true, multiplicity = "1")
    Which which;

    static final class Which {
        @Option(names = "--run", paramLabel = "ID", description = "The run to roll back (see: sysfleet runs list).")
        String run;

        @Option(names = "--last", description = "The most recent run that changed something.")
        boolean last;
    }

    @Option(names = {"-C", "--check"}, description = "Show what would be restored; change nothing (exit 7 if anything would).")
    boolean check;

    @Option(names = "--force", description = "Restore files that changed since the run wrote them.")
    boolean force;

    @Option(names = "--serial", paramLabel = "N", description = "Roll back N hosts at a time, batch after batch (default: all).")
    int serial;

    @Override
    public Integer call() {
        Map<String, String> env = System.getenv();
        Path home = Path.of(System.getProperty("user.home"));
        Clock clock = Clock.systemUTC();
        Inventory inv = fleet.inventory.load(env, true, err());
        RunOptions options = fleet.runOptions(null, check, false, env, home);
        if (serial < 0) {
            throw fleet.usage("--serial must be 0 or more");
        }
        JournalView view = Journal.read(options.stateDir(), which.last ? lastRun(options.stateDir()) : which.run);
        return rollback(view, inv, options, force, serial, env, home, clock, fleet.text(out()));
    }

    /** The newest run (or rollback) that journaled a change. */
    static String lastRun(Path stateDir) {
        List<RunRecord> runs = Journal.list(stateDir);
        for (int i = runs.size() - 1; i >= 0; i--) {
            RunRecord r = runs.get(i);
            if (!r.check() && !Journal.read(stateDir, r.id()).intents().isEmpty()) {
                return r.id();
            }
        }
        throw new SysfleetException(ExitCode.USAGE, "no run with changes in " + Journal.runsDir(stateDir));
    }
}
