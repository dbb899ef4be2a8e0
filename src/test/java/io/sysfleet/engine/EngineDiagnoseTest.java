package io.sysfleet.engine;

import io.sysfleet.catalog.KeyCatalog;
import io.sysfleet.core.ExitCode;
import io.sysfleet.core.SysfleetException;
import io.sysfleet.diagnose.DiagnoseListener;
import io.sysfleet.diagnose.FleetDiagnosis;
import io.sysfleet.diagnose.HostDiagnosis;
import io.sysfleet.diagnose.Severity;
import io.sysfleet.diagnose.Thresholds;
import io.sysfleet.facts.BootFiles;
import io.sysfleet.result.Phase;
import io.sysfleet.testing.LocalFleet;
import io.sysfleet.transport.Command;
import io.sysfleet.transport.ExecResult;
import io.sysfleet.transport.Transport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code diagnose} through the engine without Docker: the engine's {@link Scheduler} and {@link Sessions} over a
 * {@link LocalFleet}, the production collector script run by the real local transport (it only reads this
 * machine's /proc and logs). What is checked is the fleet part: containment of any failure (an {@link Error}
 * included) to its host, forks, interruption, checks before the first connection, and the files written.
 * The findings themselves are checked on real containers in DiagnoseIT.
 */
class EngineDiagnoseTest {
    @TempDir
    Path dir;
    private LocalFleet fleet;

    @BeforeEach
    void setUp() {
        fleet = new LocalFleet(dir, Map.of(), "h1", "h2", "h3", "h4", "h5");
    }

    private Engine engine(Connections connections) {
        Clock clock = Clock.systemUTC();
        return new Engine(new Engine.Context(null, connections, KeyCatalog.load(), clock,
                new RunIds(clock, new Random(1)), new Engine.Controller("tester", "controller"), null,
                BootFiles.STANDARD));
    }

    private Engine.DiagnoseRequest request(Path inventory, String limit, int forks, Engine.DiagnoseFiles files) {
        return new Engine.DiagnoseRequest(InventorySources.of(inventory), limit, forks, Duration.ofSeconds(30), false,
                Thresholds.DEFAULT, Severity.CRITICAL, files);
    }

    /** Records what the engine tells its listener. */
    static final class Recorder implements DiagnoseListener {
        final List<String> events = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void started(int hosts) {
            events.add("started " + hosts);
        }

        @Override
        public void hostFinished(HostDiagnosis h) {
            events.add(h.host() + " " + h.status().word());
        }

        @Override
        public void finished(FleetDiagnosis d) {
            events.add("finished " + d.hosts().size());
        }
    }

    @Test
    void aFailureOfAnyKindOnOneHostIsThatHostsResultOnly() {
        fleet.makeUnreachable("h2");
        Connections connections = (host, become) -> {
            if (host.name().equals("h3")) {
                throw new StackOverflowError("deep in a host's connect");
            }
            Transport t = fleet.open(host, become);
            if (!host.name().equals("h4")) {
                return t;
            }
            return new Transport() { // a transport whose command dies with an Error
                @Override
                public String host() {
                    return t.host();
                }

                @Override
                public ExecResult exec(Command cmd, Duration timeout) {
                    throw new OutOfMemoryError("while reading the collector's output");
                }

                @Override
                public void close() {
                    t.close();
                }
            };
        };
        Recorder rec = new Recorder();
        Path html = dir.resolve("out/d.html");
        Path md = dir.resolve("out/d.md");
        Path plan = dir.resolve("out/plan.yml");
        Path prom = dir.resolve("out/d.prom");
        Engine.DiagnoseOutcome o = engine(connections).diagnose(request(fleet.inventory(""), null, 5,
                new Engine.DiagnoseFiles(html, md, plan, prom)), rec);

        List<HostDiagnosis> hosts = o.diagnosis().hosts();
        assertEquals(List.of("h1", "h2", "h3", "h4", "h5"), hosts.stream().map(HostDiagnosis::host).toList(),
                "inventory order, whatever order they finished in");
        assertEquals(HostDiagnosis.Status.DIAGNOSED, hosts.get(0).status(), String.valueOf(hosts.get(0).error()));
        assertNotNull(hosts.get(0).sample());
        assertEquals(HostDiagnosis.Status.UNREACHABLE, hosts.get(1).status());
        assertEquals(Phase.CONNECT, hosts.get(1).phase());
        assertEquals(HostDiagnosis.Status.FAILED, hosts.get(2).status());
        assertEquals("internal error: StackOverflowError: deep in a host's connect", hosts.get(2).error());
        assertEquals(HostDiagnosis.Status.FAILED, hosts.get(3).status());
        assertTrue(hosts.get(3).error().contains("OutOfMemoryError: while reading the collector's output"),
                hosts.get(3).error());
        assertEquals(HostDiagnosis.Status.DIAGNOSED, hosts.get(4).status(), "a host after the failures is diagnosed");
        assertTrue(hosts.stream().allMatch(h -> !h.elapsed().isNegative()));
        assertEquals(ExitCode.HOST_FAILED.code(), o.exitCode(), "a failed host comes first");

        assertEquals("started 5", rec.events.get(0));
        assertEquals("finished 5", rec.events.get(rec.events.size() - 1));
        assertEquals(7, rec.events.size(), rec.events.toString());
        assertTrue(rec.events.contains("h3 failed") && rec.events.contains("h2 unreachable"), rec.events.toString());
        for (Path f : List.of(html, md, plan, prom)) {
            assertTrue(Files.isRegularFile(f), f + " written whatever the outcome");
        }
    }

    @Test
    void atMostForksHostsAtOnce() throws Exception {
        AtomicInteger now = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        CountDownLatch two = new CountDownLatch(2);
        Connections slow = (host, become) -> {
            int n = now.incrementAndGet();
            most.accumulateAndGet(n, Math::max);
            two.countDown();
            try {
                two.await(10, TimeUnit.SECONDS); // the first two meet: forks 2 really runs two at once
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            now.decrementAndGet();
            return fleet.open(host, become);
        };
        Engine.DiagnoseOutcome o = engine(slow).diagnose(request(fleet.inventory(""), null, 2,
                Engine.DiagnoseFiles.NONE), DiagnoseListener.NONE);
        assertEquals(2, most.get());
        assertEquals(5, o.diagnosis().hosts().size());
        assertTrue(o.diagnosis().hosts().stream().allMatch(h -> h.status() == HostDiagnosis.Status.DIAGNOSED));
    }

    @Test
    void eachHostsSessionIsClosedWhenItIsDiagnosedSoAtMostForksAreOpen() {
        AtomicInteger open = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        Connections counted = (host, become) -> {
            Transport t = fleet.open(host, become);
            most.accumulateAndGet(open.incrementAndGet(), Math::max);
            return new Transport() {
                @Override
                public String host() {
                    return t.host();
                }

                @Override
                public ExecResult exec(Command cmd, Duration timeout) {
                    return t.exec(cmd, timeout);
                }

                @Override
                public void close() {
                    open.decrementAndGet();
                    t.close();
                }
            };
        };
        Engine.DiagnoseOutcome o = engine(counted).diagnose(request(fleet.inventory(""), null, 2,
                Engine.DiagnoseFiles.NONE), DiagnoseListener.NONE);
        assertEquals(5, o.diagnosis().hosts().size());
        assertTrue(most.get() <= 2, "open sessions at once: " + most.get());
        assertEquals(0, open.get(), "every session closed");
    }

    @Test
    void anInterruptStartsNoNewHostAndExits99() {
        Engine engine = engine(fleet);
        engine.interrupt();
        Engine.DiagnoseOutcome o = engine.diagnose(request(fleet.inventory(""), "h1,h2", 5, Engine.DiagnoseFiles.NONE),
                DiagnoseListener.NONE);
        assertEquals(99, o.exitCode());
        assertEquals(List.of(), fleet.opened());
        assertTrue(o.diagnosis().hosts().stream().allMatch(h -> h.error().equals("not run: interrupted")));
    }

    @Test
    void connectionTemplatesAndTheLimitAreCheckedBeforeTheFirstConnection() {
        Path inv = fleet.inventory("ansible_user: \"{{ nobody_defined_this }}\"");
        SysfleetException e = assertThrows(SysfleetException.class, () -> engine(fleet).diagnose(request(inv, null, 5,
                Engine.DiagnoseFiles.NONE), DiagnoseListener.NONE));
        assertEquals(ExitCode.CONFIG, e.exitCode());
        assertTrue(e.getMessage().startsWith("h1: "), e.getMessage());
        assertTrue(e.getMessage().contains("nobody_defined_this"), e.getMessage());
        assertEquals(5, e.getMessage().lines().count(), "every host named: " + e.getMessage());
        SysfleetException limit = assertThrows(SysfleetException.class, () -> engine(fleet).diagnose(
                request(fleet.inventory(""), "~h(", 5, Engine.DiagnoseFiles.NONE), DiagnoseListener.NONE));
        assertEquals(ExitCode.USAGE, limit.exitCode());
        assertEquals(List.of(), fleet.opened(), "no host was contacted");
    }

    @Test
    void oneConnectionPerHostAndTheSessionIsClosed() {
        Engine.DiagnoseOutcome o = engine(fleet).diagnose(request(fleet.inventory(""), "h1", 5,
                Engine.DiagnoseFiles.NONE), DiagnoseListener.NONE);
        assertEquals(List.of("h1"), fleet.opened());
        assertEquals(1, fleet.commands("h1"), "one round trip");
        assertEquals(HostDiagnosis.Status.DIAGNOSED, o.diagnosis().hosts().get(0).status());
    }
}
