package io.sysfleet.cli;

import io.sysfleet.core.ExitCode;
import io.sysfleet.fleet.Connector;
import io.sysfleet.fleet.RunOptions;
import io.sysfleet.inventory.Host;
import io.sysfleet.inventory.Inventory;
import io.sysfleet.journal.Journal;
import io.sysfleet.journal.JournalView;
import io.sysfleet.journal.RunRecord;
import io.sysfleet.report.JUnitReport;
import io.sysfleet.report.JsonReport;
import io.sysfleet.report.HtmlReport;
import io.sysfleet.report.MarkdownReport;
import io.sysfleet.report.Progress;
import io.sysfleet.report.ReportContext;
import io.sysfleet.report.TextReport;
import io.sysfleet.rollback.Rollback;
import io.sysfleet.report.RunReport;
import picocli.CommandLine.Mixin;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/** What the commands that reach hosts share (run, check, rollback): options, interruption, reports, run ids. */
abstract class FleetCommand extends BaseCommand {

    @Mixin
    FleetOptions fleet;

    /**
     * Runs {@code body} so that SIGINT/SIGTERM calls {@code stop} (no new host starts, running ones finish with
     * their undo), waits for {@code body} to print its recap, then ends the process with exit code 99.
     */
    int withInterruptHandler(Runnable stop, IntSupplier body) {
        CountDownLatch finished = new CountDownLatch(1);
        Thread onSignal = new Thread(() -> {
            stop.run();
            try {
                if (finished.await(5, TimeUnit.MINUTES)) {
                    Runtime.getRuntime().halt(ExitCode.INTERRUPTED.code());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "sysfleet-interrupt");
        Runtime.getRuntime().addShutdownHook(onSignal);
        try {
            return body.getAsInt();
        } finally {
            out().flush();
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(onSignal);
            } catch (IllegalStateException e) {
                // the JVM is shutting down: the hook exits with 99
            }
        }
    }

    /** The journal of a run that changes hosts; null in check mode, which changes nothing. */
    Journal openJournal(RunOptions options, String runId, String kind, String rollbackOf, Path playbook,
                        Map<String, String> env, Clock clock) {
        if (options.check()) {
            return null;
        }
        return Journal.create(options.stateDir(), new RunRecord(runId, kind, rollbackOf, clock.instant().toString(),
                null, user(env), controllerName(),
                playbook == null ? null : playbook.toAbsolutePath().toString(),
                String.join(", ", options.inventories().stream().map(FleetCommand::absolute).toList()), false,
                "running", null, Map.of()));
    }

    /** An inventory source as the journal records it: a path made absolute, a host list as given. */
    private static String absolute(String source) {
        Path p = Path.of(source);
        return source.contains(",") && !java.nio.file.Files.exists(p) ? source : p.toAbsolutePath().toString();
    }

    /**
     * After a run or rollback: clears the status line, prints the recap, writes the reports, closes the journal
     * with the outcome, and returns the exit code.
     */
    int conclude(RunReport report, ReportContext context, Progress bar, TextReport text, Journal journal,
                 boolean interrupted, Clock clock, String undoHint) {
        if (bar != null) {
            bar.finish();
        }
        text.recap(report);
        ExitCode exitCode = interrupted ? ExitCode.INTERRUPTED : report.exitCode();
        writeReports(report, context.withExit(exitCode));
        int exit = exitCode.code();
        if (journal != null) {
            boolean aborted = report.plays().stream().anyMatch(p -> p.aborted() != null);
            String status = interrupted ? "interrupted" : aborted ? "aborted" : "finished";
            journal.finish(journal.record().finished(clock.instant().toString(), status, exit, report.hostStatuses()));
            text.note(journal.record().kind() + " " + journal.record().id() + " journaled in " + journal.dir() + " ("
                    + undoHint + ")");
        }
        return exit;
    }

    /** Writes the reports asked for, whatever the run's outcome. */
    void writeReports(RunReport report, ReportContext context) {
        if (fleet.reportJson != null) {
            JsonReport.write(report, fleet.reportJson);
        }
        if (fleet.reportJunit != null) {
            JUnitReport.write(report, fleet.reportJunit);
        }
        if (fleet.reportHtml != null) {
            HtmlReport.write(report, context, fleet.reportHtml);
        }
        if (fleet.reportMarkdown != null) {
            MarkdownReport.write(report, context, fleet.reportMarkdown);
        }
    }

    /** What the human-readable reports say about a run beyond its results: who ran what, and its undo. */
    ReportContext reportContext(String command, String runId, String rollbackOf, Path playbook, boolean check,
                                Map<String, String> env) {
        String inventory = fleet.inventory.names();
        String undo = check ? null : "sysfleet rollback --run " + runId + " " + fleet.inventory.display();
        return new ReportContext(command, user(env), controllerName(), playbook == null ? null : playbook.toString(),
                inventory, rollbackOf, null, undo);
    }

    static String user(Map<String, String> env) {
        return env.getOrDefault("USER", System.getProperty("user.name"));
    }

    static String controllerName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    /** A sortable, unique run id: UTC time plus 6 random hex digits. */
    static String newRunId(Clock clock) {
        String time = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(clock.instant());
        byte[] r = new byte[3];
        new SecureRandom().nextBytes(r);
        return time + "-" + HexFormat.of().formatHex(r);
    }

    /** Rolls back {@code view}; used by this command and by {@code run --rollback-on-abort}. */
    int rollback(JournalView view, Inventory inv, RunOptions options, boolean force, int serial,
                 Map<String, String> env, Path home, Clock clock, TextReport text) {
        String runId = newRunId(clock);
        Journal journal = openJournal(options, runId, "rollback", view.record().id(), null, env, clock);
        Set<String> selected = options.limit() == null ? null
                : inv.select("all", options.limit()).stream().map(Host::name).collect(Collectors.toSet());
        Rollback rollback = new Rollback(new Rollback.Options(options.check(), force, options.forks(), serial,
                options.commandTimeout()), new Connector(options, env, clock, home), clock, runId, journal,
                options.stateDir());
        Progress bar = fleet.progress(text, err());
        ReportContext context = reportContext("rollback", runId, view.record().id(), null, options.check(), env);
        return withInterruptHandler(rollback::interrupt, () -> conclude(
                rollback.run(view, inv, selected, bar != null ? bar : text), context, bar, text, journal,
                rollback.wasInterrupted(), clock, "it can be rolled back too"));
    }

}
