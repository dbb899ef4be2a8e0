package io.sysfleet.cli;

import io.sysfleet.engine.Engine;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.List;

/** What {@code run} and {@code check} share: the playbook, batches, the failure threshold. */
abstract class PlaybookCommand extends FleetCommand {

    @Parameters(index = "0", paramLabel = "PLAYBOOK", description = "The playbook to run.")
    Path playbook;

    @Option(names = "--serial", split = ",", paramLabel = "N|N%",
            description = "Batches for plays that set no serial, like the play keyword: 1,25%% = one host, then "
                    + "25%% at a time.")
    List<String> serial = List.of();

    @Option(names = "--max-fail-percentage", paramLabel = "PCT",
            description = "max_fail_percentage for plays that set none (0: any failure stops the later batches).")
    Double maxFailPercentage;

    @Option(names = {"-t", "--tags"}, split = ",", paramLabel = "TAG",
            description = "Run only tasks with these tags (and those tagged always), like ansible-playbook --tags.")
    java.util.Set<String> tags = java.util.Set.of();

    @Option(names = "--skip-tags", split = ",", paramLabel = "TAG",
            description = "Skip tasks with these tags, like ansible-playbook --skip-tags.")
    java.util.Set<String> skipTags = java.util.Set.of();

    @Option(names = "--sysctl-only",
            description = "Run the sysctl part of playbooks and roles that also use other modules: tasks of those "
                    + "modules are skipped and listed as left for ansible-playbook (without it, they are an error).")
    boolean sysctlOnly;

    /** Whether to plan only. */
    abstract boolean checkMode();

    /** Whether to skip contacting hosts (check mode only). */
    abstract boolean offline();

    /** Whether to roll back an aborted run. */
    boolean rollbackOnAbort() {
        return false;
    }

    @Override
    public Integer call() {
        for (String s : serial) {
            if (!s.matches("\\d{1,9}%?")) {
                throw fleet.usage("--serial takes numbers of hosts or percentages (1,25%), not '" + s + "'");
            }
        }
        if (maxFailPercentage != null && (maxFailPercentage < 0 || maxFailPercentage > 100)) {
            throw fleet.usage("--max-fail-percentage must be from 0 to 100");
        }
        Engine.RunRequest request = new Engine.RunRequest(playbook, fleet.inventory.sources(System.getenv()), fleet.limit, checkMode(),
                offline(), fleet.forks(), serial, maxFailPercentage, fleet.commandTimeout(), rollbackOnAbort(),
                fleet.reports(), fleet.sysctlPaths(), fleet.shard, new Engine.TaskSelection(tags, skipTags, sysctlOnly));
        return withEngine(engine -> engine.run(request, fleet.listener(out(), err())).exitCode());
    }
}
