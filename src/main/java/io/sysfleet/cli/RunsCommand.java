package io.sysfleet.cli;

import io.sysfleet.core.TerminalText;

import io.sysfleet.core.ExitCode;
import io.sysfleet.core.SysfleetException;
import io.sysfleet.journal.Intent;
import io.sysfleet.journal.Journal;
import io.sysfleet.journal.JournalView;
import io.sysfleet.journal.Outcome;
import io.sysfleet.journal.RunRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** {@code sysfleet runs list|show|prune}: the journaled runs in the state directory. */
@Command(name = "runs", description = "List, show and prune the journaled runs (their backups are what rollback uses).",
        subcommands = {RunsCommand.ListRuns.class, RunsCommand.Show.class, RunsCommand.Prune.class})
public final class RunsCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "missing subcommand: list, show or prune");
    }

    /** The state-directory option of the runs subcommands. */
    abstract static class StateCommand extends BaseCommand {
        @Option(names = "--state-dir", paramLabel = "DIR",
                description = "The state directory (default: $XDG_STATE_HOME/sysfleet or ~/.local/state/sysfleet).")
        Path stateDir;

        Path stateDir() {
            return stateDir != null ? stateDir
                    : FleetOptions.defaultStateDir(System.getenv(), Path.of(System.getProperty("user.home")));
        }
    }

    @Command(name = "list", description = "One line per run: id, kind, status, start, user, playbook, host outcomes.")
    static final class ListRuns extends StateCommand {
        @Override
        public Integer call() {
            List<RunRecord> runs = Journal.list(stateDir());
            if (runs.isEmpty()) {
                out().println(TerminalText.escape("no runs in " + Journal.runsDir(stateDir())));
            }
            for (RunRecord r : runs) {
                out().println(TerminalText.escape(String.join("  ", r.id(), r.kind(), r.status(), r.startedAt(), r.user(),
                        r.playbook() != null ? r.playbook() : "of " + r.rollbackOf(), counts(r.hosts()))));
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
            JournalView v = Journal.read(stateDir(), id);
            RunRecord r = v.record();
            out().println(TerminalText.escape("run " + r.id() + " (" + r.kind() + (r.rollbackOf() != null ? " of " + r.rollbackOf() : "") + ")"));
            out().println(TerminalText.escape("  status:    " + r.status() + (r.exitCode() != null ? ", exit " + r.exitCode() : "")));
            out().println(TerminalText.escape("  started:   " + r.startedAt() + " by " + r.user() + " on " + r.controller()));
            out().println(TerminalText.escape("  finished:  " + (r.finishedAt() != null ? r.finishedAt() : "(not recorded: killed?)")));
            if (r.playbook() != null) {
                out().println(TerminalText.escape("  playbook:  " + r.playbook()));
            }
            out().println(TerminalText.escape("  inventory: " + r.inventory()));
            out().println(TerminalText.escape("  hosts:     " + counts(r.hosts())));
            for (Intent in : v.intents()) {
                Outcome o = v.outcomes().stream().filter(x -> x.host().equals(in.host()) && x.file().equals(in.file())
                        && x.time().compareTo(in.time()) >= 0).findFirst().orElse(null);
                out().println(TerminalText.escape("  " + in.host() + " " + in.file() + ": " + shortSha(in.shaBefore())
                        + " -> " + shortSha(in.shaAfter()) + ", " + (o == null ? "no outcome recorded (may have been changed)"
                        : o.status() + (o.message() != null ? ": " + o.message() : ""))));
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
            List<RunRecord> runs = Journal.list(stateDir());
            int removed = 0;
            for (RunRecord r : runs.subList(0, Math.max(0, runs.size() - keep))) {
                delete(Journal.runsDir(stateDir()).resolve(r.id()));
                removed++;
            }
            out().println(TerminalText.escape("pruned " + removed + " run(s), kept " + Math.min(keep, runs.size())));
            out().flush();
            return ExitCode.OK.code();
        }

        private static void delete(Path dir) {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            } catch (IOException e) {
                throw new SysfleetException(ExitCode.ERROR, "prune", null, "cannot delete " + dir + ": " + e.getMessage(), e);
            }
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
