package io.sysfleet.journal;

import java.util.Map;

/**
 * A run's header, {@code run.json} in its state directory: written when the run starts and rewritten when it
 * ends. A run killed on the way keeps status {@code running}; its journal still says what it did.
 *
 * @param id         run id (sortable: UTC time, then random hex)
 * @param kind       {@code run} or {@code rollback}
 * @param rollbackOf for a rollback, the run it rolled back; else null
 * @param startedAt  ISO-8601 instant
 * @param finishedAt ISO-8601 instant, or null while running (or when killed)
 * @param user       the controller's user name
 * @param controller the controller's host name
 * @param playbook   the playbook path (null for a rollback)
 * @param inventory  the inventory path
 * @param check      whether nothing was to be changed (check mode)
 * @param status     running, finished, interrupted, aborted
 * @param exitCode   the exit code, or null while running
 * @param hosts      each host's final status, filled in at the end
 */
public record RunRecord(String id, String kind, String rollbackOf, String startedAt, String finishedAt, String user,
                        String controller, String playbook, String inventory, boolean check, String status,
                        Integer exitCode, Map<String, String> hosts) {

    public RunRecord finished(String finishedAt, String status, int exitCode, Map<String, String> hosts) {
        return new RunRecord(id, kind, rollbackOf, startedAt, finishedAt, user, controller, playbook, inventory, check,
                status, exitCode, hosts);
    }
}
