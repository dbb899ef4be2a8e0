package io.sysfleet.report;

import io.sysfleet.core.ExitCode;
import io.sysfleet.result.RunReport;
import io.sysfleet.transport.Command;

/**
 * The facts about a run that its {@link RunReport} does not hold, for the reports a person reads (HTML,
 * Markdown): what was run, by whom, where, with what, how it ended and how to undo it. The same facts as the run
 * journal's header ({@code run.json}); check mode, which keeps no journal, has them too.
 *
 * @param command    {@code run}, {@code check} or {@code rollback}
 * @param user       the controller's user name, or null
 * @param controller the controller's host name, or null
 * @param playbook   the playbook as given on the command line (null for a rollback)
 * @param inventory  the inventory as given on the command line
 * @param rollbackOf for a rollback, the run it rolled back; else null
 * @param exit       the process's exit code (differs from {@link RunReport#exitCode()} when interrupted)
 * @param undo       the shell command that rolls this run back, or null when nothing can be (check mode)
 */
public record ReportContext(String command, String user, String controller, String playbook, String inventory,
                            String rollbackOf, ExitCode exit, String undo) {

    /** What a bare report knows: the mode and exit code from the report, nothing else. */
    public static ReportContext of(RunReport report) {
        return new ReportContext(report.check() ? "check" : "run", null, null, null, null, null, report.exitCode(),
                null);
    }

    /** The same facts with the process's exit code. */
    public ReportContext withExit(ExitCode code) {
        return new ReportContext(command, user, controller, playbook, inventory, rollbackOf, code, undo);
    }

    /** The undo command for one host, or null. */
    public String undoHost(String host) {
        return undo == null ? null : undo + " --limit " + shellWord(host);
    }

    /** {@code word} as a shell word for a command to copy: as is when it is plain, else quoted. */
    public static String shellWord(String word) {
        return word.matches("[A-Za-z0-9_./:=@%+,-]+") ? word : Command.quote(word);
    }
}
