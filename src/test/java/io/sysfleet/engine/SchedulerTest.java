package io.sysfleet.engine;

import io.sysfleet.result.HostResult;
import io.sysfleet.result.PlayResult;
import io.sysfleet.result.RunListener;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one scheduler with recording work (no hosts): forks, batches, abort rules, interrupts, failures. */
class SchedulerTest {

    /** Records the order of events and every finished host. */
    private static final class Recorder implements RunListener {
        final List<String> finished = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void playStarted(String name, int hosts, boolean check) {
        }

        @Override
        public void hostFinished(HostResult result) {
            finished.add(result.host() + "=" + result.status().label());
        }
    }

    private static HostResult ok(String h) {
        return new HostResult(h, HostResult.Status.OK, List.of(), List.of(), List.of(), null, null, false);
    }

    private static HostResult failed(String h) {
        return HostResult.failure(h, HostResult.Status.FAILED, null, "boom");
    }

    private static PlayResult run(int forks, List<String> hosts, List<Integer> batches, Scheduler.AbortRule abort,
                                  Function<String, HostResult> work, RunListener listener, AtomicBoolean stop) {
        try (Scheduler s = new Scheduler(forks, "test", Clock.systemUTC(), stop)) {
            return s.run("p", hosts, batches, abort, work, listener);
        }
    }

    @Test
    void forksRunHostsOfABatchAtOnceAndNoMore() {
        AtomicInteger now = new AtomicInteger();
        AtomicInteger max = new AtomicInteger();
        CountDownLatch three = new CountDownLatch(3);
        Function<String, HostResult> work = h -> {
            max.accumulateAndGet(now.incrementAndGet(), Math::max);
            three.countDown();
            try {
                three.await(2, TimeUnit.SECONDS); // the first three meet: they ran at the same time
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            now.decrementAndGet();
            return ok(h);
        };
        List<String> hosts = List.of("a", "b", "c", "d", "e", "f");
        PlayResult r = run(3, hosts, List.of(6), Scheduler.AbortRule.NEVER, work, new Recorder(), new AtomicBoolean());
        assertEquals(3, max.get(), "three forks: three hosts at once, never more");
        assertEquals(hosts, r.hosts().stream().map(HostResult::host).toList(), "results keep the hosts' order");
    }

    @Test
    void batchesRunOneAfterAnother() {
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        Function<String, HostResult> work = h -> {
            events.add("start " + h);
            events.add("end " + h);
            return ok(h);
        };
        run(4, List.of("a", "b", "c", "d"), List.of(1, 3), Scheduler.AbortRule.NEVER, work, new Recorder(),
                new AtomicBoolean());
        assertEquals(List.of("start a", "end a"), events.subList(0, 2), "the canary batch ends before the next starts");
        assertEquals(8, events.size());
    }

    @Test
    void anAbortRuleStopsTheLaterBatchesAndTheirHostsAreReportedNotRun() {
        Recorder rec = new Recorder();
        List<String> ran = Collections.synchronizedList(new ArrayList<>());
        PlayResult r = run(2, List.of("a", "b", "c", "d"), List.of(2, 2),
                (failed, size) -> failed > 0 ? "max_fail_percentage 0 exceeded" : null,
                h -> {
                    ran.add(h);
                    return h.equals("b") ? failed(h) : ok(h);
                }, rec, new AtomicBoolean());
        assertEquals("max_fail_percentage 0 exceeded", r.aborted());
        assertEquals(List.of("a", "b"), ran.stream().sorted().toList(), "the second batch never started");
        assertEquals(List.of("ok", "failed", "skipped", "skipped"),
                r.hosts().stream().map(h -> h.status().label()).toList());
        assertEquals("not run: max_fail_percentage 0 exceeded", r.hosts().get(2).error());
        assertEquals(4, rec.finished.size(), "the listener hears of every host, run or not");
    }

    @Test
    void anInterruptLetsRunningHostsFinishAndStartsNoOther() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch inside = new CountDownLatch(1);
        List<String> ran = Collections.synchronizedList(new ArrayList<>());
        Function<String, HostResult> work = h -> {
            ran.add(h);
            inside.countDown();
            try {
                Thread.sleep(200); // interrupted meanwhile: this host still finishes its work
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return ok(h);
        };
        Thread stopper = new Thread(() -> {
            try {
                inside.await();
            } catch (InterruptedException e) {
                return;
            }
            stop.set(true);
        });
        stopper.start();
        PlayResult r = run(1, List.of("a", "b", "c"), List.of(1, 1, 1), Scheduler.AbortRule.NEVER, work,
                new Recorder(), stop);
        stopper.join();
        assertEquals(List.of("a"), ran);
        assertEquals(List.of("ok", "skipped", "skipped"), r.hosts().stream().map(h -> h.status().label()).toList());
        assertEquals("not run: interrupted", r.hosts().get(1).error());
        assertEquals("interrupted", r.aborted());
    }

    @Test
    void whateverAHostsWorkThrowsBecomesThatHostsResultOnly() {
        PlayResult r = run(2, List.of("a", "b", "c"), List.of(3), Scheduler.AbortRule.NEVER, h -> {
            if (h.equals("a")) {
                throw new OutOfMemoryError("simulated");
            }
            if (h.equals("b")) {
                throw new IllegalStateException("bug");
            }
            return ok(h);
        }, new Recorder(), new AtomicBoolean());
        assertEquals(List.of("failed", "failed", "ok"), r.hosts().stream().map(h -> h.status().label()).toList());
        assertTrue(r.hosts().get(0).error().contains("OutOfMemoryError: simulated"), r.hosts().get(0).error());
        assertTrue(r.hosts().get(1).error().contains("IllegalStateException: bug"));
        assertEquals(null, r.aborted(), "NEVER: a rollback keeps going");
    }

    @Test
    void everyResultCarriesItsHostsTime() {
        PlayResult r = run(1, List.of("a"), List.of(1), Scheduler.AbortRule.NEVER, h -> {
            try {
                Thread.sleep(120);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return ok(h);
        }, new Recorder(), new AtomicBoolean());
        assertTrue(r.hosts().get(0).elapsedMs() >= 100, String.valueOf(r.hosts().get(0).elapsedMs()));
    }
}
