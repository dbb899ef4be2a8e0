package io.sysfleet.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sysfleet check}: the same as {@code run --check}. */
@Command(name = "check", description = {
        "Plan a playbook without changing anything: file and live drift per host and key. Exit 7 when anything "
                + "would change, so a pipeline can gate on it."})
public final class CheckCommand extends PlaybookCommand {

    @Option(names = "--offline", description = "Do not contact hosts; show the desired values per host.")
    boolean offline;

    @Override
    boolean checkMode() {
        return true;
    }

    @Override
    boolean offline() {
        return offline;
    }
}
