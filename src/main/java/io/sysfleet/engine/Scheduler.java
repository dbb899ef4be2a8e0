package io.sysfleet.engine;

import io.sysfleet.result.HostResult;
import io.sysfleet.result.PlayResult;
import io.sysfleet.result.RunListener;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * The one host scheduler, for runs, checks and rollbacks: hosts in batches that run one after another, up to
 * {@code forks} hosts of a batch at once. After each batch an {@link AbortRule} may stop the rest (Ansible's
 * {@code max_fail_percentage}, {@code any_errors_fatal}, a wholly failed batch); an interrupt stops new hosts
 * from starting. Either way the hosts not started are reported {@code skipping: not run: WHY}, and every host
 * that started finishes its own work (with its own undo), so stopping never leaves a host half-done.
 *
 * <p>A host's work never affects another host: whatever it throws (an {@link Error} included) becomes that
 * host's FAILED result. Results keep the hosts' order; each carries the host's elapsed time; the listener hears
 * each as it finishes (from worker threads). One scheduler serves a whole run: its pool of daemon threads (a
 * killed run must not wait for them) is closed with {@link #close()}.
 */
public final class Scheduler implements AutoCloseable {

    /** Whether a finished batch stops the rest of the play: the reason, or null to go on. */
    @FunctionalInterface
    public interface AbortRule {
        String reason(long failed, int batchSize);

        /** Never stops early (rollback: every host is worth restoring). */
        AbortRule NEVER = (failed, size) -> null;
    }

    private final ExecutorService pool;
    private final Clock clock;
    private final AtomicBoolean interrupted;

    /** @param interrupted set from outside (a signal) to stop new hosts from starting */
    public Scheduler(int forks, String threadName, Clock clock, AtomicBoolean interrupted) {
        if (forks < 1) {
            throw new IllegalArgumentException("forks must be at least 1, got " + forks);
        }
        this.pool = Executors.newFixedThreadPool(forks, r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        this.clock = clock;
        this.interrupted = interrupted;
    }

    /**
     * Runs {@code work} for each host, batch after batch ({@code batchSizes} sum to the number of hosts).
     *
     * @return one result per host in {@code hosts}' order, and why the play stopped early (null when it did not)
     */
    public PlayResult run(String playName, List<String> hosts, List<Integer> batchSizes, AbortRule abort,
                          Function<String, HostResult> work, RunListener listener) {
        List<HostResult> results = new ArrayList<>();
        int next = 0;
        for (int size : batchSizes) {
            if (interrupted.get()) {
                return stop(playName, results, hosts.subList(next, hosts.size()), "interrupted", listener);
            }
            List<String> batch = hosts.subList(next, next + size);
            next += size;
            List<Future<HostResult>> running = new ArrayList<>();
            for (String h : batch) {
                running.add(pool.submit(() -> one(h, work, listener)));
            }
            long failed = 0;
            for (int i = 0; i < running.size(); i++) {
                HostResult r = await(batch.get(i), running.get(i));
                results.add(r);
                failed += failed(r) ? 1 : 0;
            }
            String why = abort.reason(failed, size);
            if (why != null) {
                return stop(playName, results, hosts.subList(next, hosts.size()), why, listener);
            }
        }
        if (next != hosts.size()) {
            throw new IllegalArgumentException("batches cover " + next + " of " + hosts.size() + " hosts");
        }
        return new PlayResult(playName, results, null);
    }

    private HostResult one(String host, Function<String, HostResult> work, RunListener listener) {
        Instant start = clock.instant();
        HostResult r;
        if (interrupted.get()) {
            r = HostResult.notRun(host, "interrupted");
        } else {
            try {
                r = work.apply(host);
            } catch (Throwable e) { // a host's failure of any kind is that host's result
                r = HostResult.failure(host, HostResult.Status.FAILED, null,
                        "internal error: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        }
        r = r.withElapsed(Duration.between(start, clock.instant()));
        try {
            listener.hostFinished(r);
        } catch (RuntimeException e) {
            // a listener that cannot print does not change the host's result
        }
        return r;
    }

    private static HostResult await(String host, Future<HostResult> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return HostResult.failure(host, HostResult.Status.FAILED, null, "interrupted while waiting for the host");
        } catch (ExecutionException e) {
            return HostResult.failure(host, HostResult.Status.FAILED, null, "internal error: " + e.getCause());
        }
    }

    private static PlayResult stop(String playName, List<HostResult> done, List<String> notRun, String why,
                                   RunListener listener) {
        List<HostResult> all = new ArrayList<>(done);
        for (String h : notRun) {
            HostResult r = HostResult.notRun(h, why);
            listener.hostFinished(r);
            all.add(r);
        }
        return new PlayResult(playName, all, why);
    }

    /** Whether a host failed in the sense of Ansible's abort rules (failed or unreachable). */
    static boolean failed(HostResult r) {
        return r.status() == HostResult.Status.FAILED || r.status() == HostResult.Status.UNREACHABLE;
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
