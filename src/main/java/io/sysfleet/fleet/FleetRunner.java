package io.sysfleet.fleet;

import io.sysfleet.apply.Applier;
import io.sysfleet.apply.HostResult;
import io.sysfleet.apply.LocalBackups;
import io.sysfleet.catalog.KeyCatalog;
import io.sysfleet.playbook.Play;
import io.sysfleet.playbook.Playbook;
import io.sysfleet.inventory.Host;
import io.sysfleet.inventory.Inventory;
import io.sysfleet.journal.Journal;
import io.sysfleet.report.PlayResult;
import io.sysfleet.report.RunListener;
import io.sysfleet.report.RunReport;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs a playbook over an inventory the way ansible-playbook schedules it: plays in order; in each play the
 * hosts in {@code serial} batches, up to {@code forks} hosts at once; a batch finishes before the next starts.
 * A batch whose failed and unreachable hosts exceed {@code max_fail_percentage} (or any failure with
 * {@code any_errors_fatal}, or all of the batch failing) ends the run: later batches and plays do not start.
 * A host that failed or was unreachable takes no part in later plays. Every host of a batch runs its whole
 * pipeline (with its own undo), so stopping never leaves a host half-done.
 */
public final class FleetRunner {
    private final RunOptions options;
    private final HostRunner hostRunner;
    private final Connector connector;
    private final Clock clock;
    private final String runId;
    private final Journal journal;
    private final AtomicBoolean interrupted = new AtomicBoolean();

    /** {@code journal} records every change before it is made; it may be null only in check mode. */
    public FleetRunner(RunOptions options, Connector connector, KeyCatalog catalog, Clock clock, String runId,
                       Journal journal) {
        if (journal == null && !options.check()) {
            throw new IllegalArgumentException("a run that changes hosts needs a journal");
        }
        this.options = options;
        this.hostRunner = new HostRunner(options, catalog);
        this.connector = connector;
        this.clock = clock;
        this.runId = runId;
        this.journal = journal;
    }

    /** Asks the run to stop: hosts already running finish (with their undo); no new host starts. */
    public void interrupt() {
        interrupted.set(true);
    }

    public boolean wasInterrupted() {
        return interrupted.get();
    }

    public RunReport run(Playbook playbook, Inventory inventory, RunListener listener) {
        Instant started = clock.instant();
        Applier applier = new Applier(runId, new LocalBackups(options.stateDir(), runId), options.commandTimeout(),
                journal, clock);
        List<PlayResult> plays = new ArrayList<>();
        Set<String> out = new HashSet<>();
        ExecutorService pool = workers(options.forks(), "sysfleet-host");
        Sessions sessions = new Sessions(connector);
        try {
            for (Play written : playbook.plays()) {
                Play play = withDefaults(written);
                List<Host> hosts = inventory.select(play.hosts(), options.limit()).stream()
                        .filter(h -> !out.contains(h.name())).toList();
                listener.playStarted(play.name(), hosts.size(), options.check());
                PlayResult result = runPlay(play, hosts, applier, pool, sessions, listener);
                plays.add(result);
                result.hosts().stream().filter(FleetRunner::failed).forEach(h -> out.add(h.host()));
                if (result.aborted() != null) {
                    listener.playAborted(play.name(), result.aborted());
                    break;
                }
            }
        } finally {
            pool.shutdownNow();
            sessions.close();
        }
        return new RunReport(runId, options.check(), started, clock.instant(), plays);
    }

    private PlayResult runPlay(Play play, List<Host> hosts, Applier applier, ExecutorService pool,
                               Sessions sessions, RunListener listener) {
        List<HostResult> results = new ArrayList<>();
        int next = 0;
        for (int size : play.batchSizes(hosts.size())) {
            List<Host> batch = hosts.subList(next, next + size);
            next += size;
            if (interrupted.get()) {
                return stop(play, results, hosts.subList(next - size, hosts.size()), "interrupted", listener);
            }
            List<Future<HostResult>> running = new ArrayList<>();
            for (Host h : batch) {
                running.add(pool.submit(() -> {
                    Instant start = clock.instant();
                    HostResult r;
                    try {
                        r = interrupted.get() ? HostResult.notRun(h.name(), "interrupted")
                                : hostRunner.run(h, play, applier, sessions);
                    } catch (Throwable e) {
                        r = HostRunner.internalError(h.name(), null, e); // HostRunner contains its own; defence in depth
                    }
                    r = r.withElapsed(Duration.between(start, clock.instant()));
                    try {
                        listener.hostFinished(r);
                    } catch (RuntimeException e) {
                        // a printer that fails must not lose the host's result for the recap, reports and journal
                    }
                    return r;
                }));
            }
            long failed = 0;
            for (Future<HostResult> f : running) {
                HostResult r = await(f);
                results.add(r);
                failed += failed(r) ? 1 : 0;
            }
            String why = abortReason(play, failed, size);
            if (why != null) {
                return stop(play, results, hosts.subList(next, hosts.size()), why, listener);
            }
        }
        return new PlayResult(play.name(), results, null);
    }

    /** The play with the command line's --serial / --max-fail-percentage where the play sets none. */
    private Play withDefaults(Play p) {
        List<String> serial = p.serial().isEmpty() ? options.serial() : p.serial();
        Double maxFail = p.maxFailPercentage() == null ? options.maxFailPercent() : p.maxFailPercentage();
        return new Play(p.name(), p.hosts(), p.vars(), p.become(), p.becomeUser(), p.gatherFacts(), serial, maxFail,
                p.anyErrorsFatal(), p.tasks(), p.location());
    }

    /** A pool of {@code forks} daemon threads (a killed run must not wait for them). */
    public static ExecutorService workers(int forks, String name) {
        return Executors.newFixedThreadPool(forks, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /** Ansible's rules: any_errors_fatal, more than max_fail_percentage of the batch, or the whole batch failed. */
    static String abortReason(Play play, long failed, int batchSize) {
        if (failed == 0) {
            return null;
        }
        if (play.anyErrorsFatal()) {
            return "any_errors_fatal: " + failed + " host(s) failed";
        }
        double pct = 100.0 * failed / batchSize;
        if (play.maxFailPercentage() != null && pct > play.maxFailPercentage()) {
            return String.format("max_fail_percentage %s exceeded: %d of %d hosts in the batch failed (%.0f%%)",
                    trim(play.maxFailPercentage()), failed, batchSize, pct);
        }
        if (failed == batchSize) {
            return "every host of the batch failed";
        }
        return null;
    }

    private static PlayResult stop(Play play, List<HostResult> done, List<Host> notRun, String why,
                                   RunListener listener) {
        List<HostResult> all = new ArrayList<>(done);
        for (Host h : notRun) {
            HostResult r = HostResult.notRun(h.name(), why);
            listener.hostFinished(r);
            all.add(r);
        }
        return new PlayResult(play.name(), all, why);
    }

    private static boolean failed(HostResult r) {
        return r.status() == HostResult.Status.FAILED || r.status() == HostResult.Status.UNREACHABLE;
    }

    private static HostResult await(Future<HostResult> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a host", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("host worker failed", e.getCause());
        }
    }

    private static String trim(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }
}
