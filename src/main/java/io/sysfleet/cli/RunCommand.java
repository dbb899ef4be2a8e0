package io.sysfleet.cli;

import io.sysfleet.fleet.RunOptions;
import io.sysfleet.inventory.Inventory;
import io.sysfleet.journal.Journal;
import io.sysfleet.result.RunReport;
import io.sysfleet.report.TextReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/** {@code sysfleet run}: apply a playbook (or plan it with --check). */
@Command(name = "run", description = {
        "Apply a playbook: back up, edit sysctl files in place, sysctl -p, verify live values, undo a host whose "
                + "keys did not take."})
public final class RunCommand extends PlaybookCommand {

    @Option(names = {"-C", "--check"}, description = "Plan only: change nothing; exit 7 when changes are pending.")
    boolean check;

    @Option(names = "--offline", description = "With --check: do not contact hosts; show the desired values per host.")
    boolean offline;

    @Option(names = "--rollback-on-abort",
            description = "When a batch crosses max_fail_percentage (or any_errors_fatal), roll back every host the "
                    + "run changed before exiting.")
    boolean rollbackOnAbort;

    @Override
    void afterAbort(RunReport report, Inventory inv, Journal journal, Map<String, String> env, Path home) {
        if (!rollbackOnAbort) {
            return;
        }
        TextReport text = fleet.text(out());
        text.note("the run was aborted: --rollback-on-abort rolls back every host it changed");
        RunOptions options = fleet.runOptions(playbook, false, false, env, home);
        rollback(Journal.read(options.stateDir(), journal.record().id()), inv, options, false, 0, env, home,
                Clock.systemUTC(), text);
    }

    @Override
    boolean checkMode() {
        return check || offline;
    }

    @Override
    boolean offline() {
        return offline;
    }
}
