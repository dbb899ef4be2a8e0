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
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The one host scheduler, for runs, checks, rollbacks and diagnoses: hosts in batches that run one after another, up to
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
                running.add(pool.submit(() -> one(h, work, Scheduler::failure, HostResult::withElapsed,
                        listener::hostFinished)));
            }
            long failed = 0;
            for (int i = 0; i < running.size(); i++) {
                HostResult r = await(batch.get(i), running.get(i), Scheduler::failure);
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

    /**
     * Runs {@code work} for every host at once (up to {@code forks}), for work that has no batches and no abort
     * rule ({@code diagnose}): the same containment, interruption and elapsed times as {@link #run}, for any
     * result type. {@code failure} makes a host's result from a message: for whatever its work threw (an
     * {@link Error} included), and {@code "not run: interrupted"} for a host that did not start.
     *
     * @param elapsed adds the host's wall time to its result
     * @return one result per host, in {@code hosts}' order
     */
    public <T> List<T> each(List<String> hosts, Function<String, T> work, BiFunction<String, String, T> failure,
                            BiFunction<T, Duration, T> elapsed, Consumer<T> listener) {
        List<Future<T>> running = new ArrayList<>();
        for (String h : hosts) {
            running.add(pool.submit(() -> one(h, work, failure, elapsed, listener)));
        }
        List<T> out = new ArrayList<>();
        for (int i = 0; i < hosts.size(); i++) {
            out.add(await(hosts.get(i), running.get(i), failure));
        }
        return out;
    }

    private static HostResult failure(String host, String message) {
        return message.equals(NOT_RUN_INTERRUPTED) ? HostResult.notRun(host, "interrupted")
                : HostResult.failure(host, HostResult.Status.FAILED, null, message);
    }

    private static final String NOT_RUN_INTERRUPTED = "not run: interrupted";

    private <T> T one(String host, Function<String, T> work, BiFunction<String, String, T> failure,
                      BiFunction<T, Duration, T> elapsed, Consumer<T> listener) {
        Instant start = clock.instant();
        T r;
        if (interrupted.get()) {
            r = failure.apply(host, NOT_RUN_INTERRUPTED);
        } else {
            try {
                r = work.apply(host);
            } catch (Throwable e) { // a host's failure of any kind is that host's result
                r = failure.apply(host, internalError(e));
            }
        }
        r = elapsed.apply(r, Duration.between(start, clock.instant()));
        tell(listener, r);
        return r;
    }

    private static <T> void tell(Consumer<T> listener, T r) {
        try {
            listener.accept(r);
        } catch (Throwable e) {
            // a listener that cannot print (even with an Error) does not change the host's result
        }
    }

    /** What a host's work threw, in one line, as {@link HostRunner#internalError} words it. */
    private static String internalError(Throwable e) {
        String message;
        try {
            message = e.getMessage();
        } catch (Throwable again) {
            message = null;
        }
        return "internal error: " + e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    private static <T> T await(String host, Future<T> f, BiFunction<String, String, T> failure) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failure.apply(host, "interrupted while waiting for the host");
        } catch (ExecutionException e) {
            return failure.apply(host, "internal error: " + e.getCause());
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
