package io.sysfleet.diagnose;

import io.sysfleet.inventory.Host;
import io.sysfleet.result.Phase;
import io.sysfleet.transport.Transport;
import io.sysfleet.transport.TransportException;

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
import java.util.function.Consumer;

/**
 * The fleet part of diagnose, kept thin: up to {@code forks} hosts at once, each with its own connection, opened
 * through a one-method seam ({@link Opener}: production passes the fleet's {@code Connector}, tests a local
 * transport), diagnosed by {@link Diagnoser#diagnose} and closed. Diagnose changes nothing, so there are no
 * batches or failure thresholds: a host's failure is only that host's result. An interrupt lets running hosts
 * finish and starts no new one.
 */
public final class FleetDiagnoser {

    /** Opens a host's transport; throws {@link TransportException} when the host cannot be reached. */
    @FunctionalInterface
    public interface Opener {
        Transport open(Host host);
    }

    private final Opener opener;
    private final int forks;
    private final Clock clock;
    private final Diagnoser.Context context;
    private final AtomicBoolean interrupted = new AtomicBoolean();

    public FleetDiagnoser(Opener opener, int forks, Clock clock, Diagnoser.Context context) {
        if (forks < 1) {
            throw new IllegalArgumentException("forks must be at least 1");
        }
        this.opener = opener;
        this.forks = forks;
        this.clock = clock;
        this.context = context;
    }

    public void interrupt() {
        interrupted.set(true);
    }

    public boolean wasInterrupted() {
        return interrupted.get();
    }

    /** Diagnoses {@code hosts}; {@code listener} hears of each host as it finishes (from worker threads). */
    public FleetDiagnosis run(List<Host> hosts, Consumer<HostDiagnosis> listener) {
        Instant started = clock.instant();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(forks, Math.max(1, hosts.size())), r -> {
            Thread t = new Thread(r, "sysfleet-diagnose");
            t.setDaemon(true);
            return t;
        });
        List<Future<HostDiagnosis>> running = new ArrayList<>();
        try {
            for (Host h : hosts) {
                running.add(pool.submit(() -> {
                    Instant start = clock.instant();
                    HostDiagnosis d = interrupted.get()
                            ? HostDiagnosis.failure(h.name(), HostDiagnosis.Status.FAILED, null,
                            "not diagnosed: interrupted")
                            : one(h);
                    d = d.withElapsed(Duration.between(start, clock.instant()));
                    listener.accept(d);
                    return d;
                }));
            }
            List<HostDiagnosis> out = new ArrayList<>();
            for (int i = 0; i < hosts.size(); i++) {
                out.add(await(running.get(i), hosts.get(i)));
            }
            return new FleetDiagnosis(started, clock.instant(), context.thresholds(), out);
        } finally {
            pool.shutdownNow();
        }
    }

    private HostDiagnosis one(Host h) {
        Transport t;
        try {
            t = opener.open(h);
        } catch (TransportException e) {
            return HostDiagnosis.failure(h.name(), e.unreachable() ? HostDiagnosis.Status.UNREACHABLE
                    : HostDiagnosis.Status.FAILED, e.phase(), e.getMessage());
        } catch (RuntimeException | Error e) {
            return HostDiagnosis.failure(h.name(), HostDiagnosis.Status.FAILED, Phase.CONNECT,
                    "internal error: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        try (t) {
            return Diagnoser.diagnose(t, h, context);
        }
    }

    private static HostDiagnosis await(Future<HostDiagnosis> f, Host h) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return HostDiagnosis.failure(h.name(), HostDiagnosis.Status.FAILED, null, "interrupted");
        } catch (ExecutionException e) {
            return HostDiagnosis.failure(h.name(), HostDiagnosis.Status.FAILED, Phase.DIAGNOSE,
                    "internal error: " + e.getCause());
        }
    }
}
