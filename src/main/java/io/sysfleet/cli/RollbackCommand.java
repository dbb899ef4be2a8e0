package io.sysfleet.cli;

import io.sysfleet.engine.Engine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

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
        if (serial < 0) {
            throw fleet.usage("--serial must be 0 or more");
        }
        Engine.RollbackRequest request = new Engine.RollbackRequest(which.last ? null : which.run, fleet.inventory.sources(System.getenv()),
                fleet.limit, check, force, fleet.forks(), serial, fleet.commandTimeout(), fleet.reports());
        return withEngine(engine -> engine.rollback(request, fleet.listener(out(), err())).exitCode());
    }
}
