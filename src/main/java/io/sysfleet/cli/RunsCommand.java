package io.sysfleet.cli;

import io.sysfleet.core.ExitCode;
import io.sysfleet.engine.Engine;
import io.sysfleet.journal.Intent;
import io.sysfleet.journal.JournalView;
import io.sysfleet.journal.Outcome;
import io.sysfleet.journal.RunRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** {@code sysfleet runs list|show|prune}: the journaled runs in the state directory. */
@Command(name = "runs", description = "List, show and prune the journaled runs (their backups are what rollback uses).",
        subcommands = {RunsCommand.ListRuns.class, RunsCommand.Show.class, RunsCommand.Prune.class})
public final class RunsCommand extends BaseCommand {

    @Override
    public Integer call() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "missing subcommand: list, show or prune");
    }

    /** The state-directory option of the runs subcommands. */
    abstract static class StateCommand extends BaseCommand {
        @Option(names = "--state-dir", paramLabel = "DIR",
                description = "The state directory (default: $XDG_STATE_HOME/sysfleet or ~/.local/state/sysfleet).")
        Path stateDir;

        /** The engine over this state directory (these commands reach no host). */
        Engine engine() {
            Path dir = stateDir != null ? stateDir
                    : FleetOptions.defaultStateDir(System.getenv(), Path.of(System.getProperty("user.home")));
            return Engine.forJournals(dir, Clock.systemUTC());
        }
    }

    @Command(name = "list", description = {"One line per run: id, kind, status, start, user, playbook (or the run "
            + "a rollback rolls back), host outcomes, and the rollbacks of it."})
    static final class ListRuns extends StateCommand {
        @Override
        public Integer call() {
            Engine engine = engine();
            List<Engine.RunEntry> runs = engine.runs();
            if (runs.isEmpty()) {
                out().println("no runs in " + engine.runsDir());
            }
            for (Engine.RunEntry e : runs) {
                RunRecord r = e.record();
                String line = String.join("  ", r.id(), r.kind(), r.status(), r.startedAt(), r.user(),
                        r.playbook() != null ? r.playbook() : "rolls back " + r.rollbackOf(), counts(r.hosts()));
                if (!e.rolledBackBy().isEmpty()) {
                    line += "  rolled back by " + String.join(", ", e.rolledBackBy());
                }
                out().println(line);
            }
            out().flush();
            return ExitCode.OK.code();
        }
    }

    @Command(name = "show", description = "A run's header and, per host and file, what was changed and how it ended.")
    static final class Show extends StateCommand {
        @Parameters(paramLabel = "ID", description = "The run id (see runs list).")
        String id;

        @Override
        public Integer call() {
            Engine engine = engine();
            JournalView v = engine.show(id);
            RunRecord r = v.record();
            out().println("run " + r.id() + " (" + r.kind() + ")");
            if (r.rollbackOf() != null) {
                out().println("  rolls back:     " + r.rollbackOf());
            }
            for (Engine.RunEntry e : engine.runs()) {
                if (r.id().equals(e.record().rollbackOf())) {
                    out().println("  rolled back by: " + e.record().id() + " (" + e.record().status() + ", "
                            + counts(e.record().hosts()) + ")");
                }
            }
            out().println("  status:    " + r.status() + (r.exitCode() != null ? ", exit " + r.exitCode() : ""));
            out().println("  started:   " + r.startedAt() + " by " + r.user() + " on " + r.controller());
            out().println("  finished:  " + (r.finishedAt() != null ? r.finishedAt() : "(not recorded: killed?)"));
            if (r.playbook() != null) {
                out().println("  playbook:  " + r.playbook());
            }
            out().println("  inventory: " + r.inventory());
            out().println("  hosts:     " + counts(r.hosts()));
            for (JournalView.Change c : v.changes()) {
                Intent in = c.intent();
                Outcome o = c.outcome();
                out().println("  " + in.host() + " " + in.file() + ": " + shortSha(in.shaBefore()) + " -> "
                        + shortSha(in.shaAfter()) + ", " + (o == null ? "no outcome recorded (may have been changed)"
                        : o.status() + (o.message() != null ? ": " + o.message() : "")));
            }
            out().flush();
            return ExitCode.OK.code();
        }
    }

    @Command(name = "prune", description = "Delete all but the newest N runs' state (journals and local backups).")
    static final class Prune extends StateCommand {
        @Option(names = "--keep", required = true, paramLabel = "N", description = "How many of the newest runs to keep.")
        int keep;

        @Override
        public Integer call() {
            if (keep < 0) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--keep must be 0 or more");
            }
            Engine engine = engine();
            int total = engine.runs().size();
            int removed = engine.prune(keep);
            out().println("pruned " + removed + " run(s), kept " + Math.min(keep, total));
            out().flush();
            return ExitCode.OK.code();
        }
    }

    static String counts(Map<String, String> hosts) {
        if (hosts == null || hosts.isEmpty()) {
            return "hosts: -";
        }
        Map<String, Integer> c = new TreeMap<>();
        hosts.values().forEach(s -> c.merge(s, 1, Integer::sum));
        StringBuilder sb = new StringBuilder("hosts: ");
        c.forEach((k, n) -> sb.append(k).append('=').append(n).append(' '));
        return sb.toString().strip();
    }

    private static String shortSha(String sha) {
        return sha == null ? "?" : sha.length() > 12 ? sha.substring(0, 12) : sha;
    }
}
