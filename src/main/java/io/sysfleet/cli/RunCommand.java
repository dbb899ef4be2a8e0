package io.sysfleet.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

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
    boolean rollbackOnAbort() {
        return rollbackOnAbort;
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
