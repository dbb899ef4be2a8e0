package io.sysfleet.faults;

import io.sysfleet.hostile.Figures;
import io.sysfleet.journal.Journal;
import io.sysfleet.journal.JournalView;
import io.sysfleet.journal.Outcome;
import io.sysfleet.journal.RunRecord;
import io.sysfleet.testing.Cli;
import io.sysfleet.testing.Faults;
import io.sysfleet.testing.Launcher;
import io.sysfleet.testing.TestFleet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Faults made real on real sshd containers (over SSH, with sudo), at one exact step of the apply: the controller
 * killed with SIGKILL (a child JVM, the real launcher), the SSH connection dropped (the host's sshd session process
 * killed), a remote command that hangs past {@code --timeout}, {@code sysctl -p} failing, and two runs at once on one
 * host. Each test asserts the end state on every host (file bytes, live value), what the journal says, and that a
 * later {@code rollback --last} finishes the job. The figures go to target/reliability (kind "fault").
 */
class FaultsIT {
    private static final String FILE = "/etc/sysctl.conf";
    private static final String KEY = "net.ipv4.tcp_fin_timeout";
    private static final String ORIGINAL = "# fault test\nnet.ipv4.tcp_fin_timeout = 60\n";
    private static final AtomicInteger TRIED = new AtomicInteger();
    private static final AtomicInteger SURVIVED = new AtomicInteger();
    private static TestFleet fleet;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() {
        fleet = TestFleet.startForFaults("debian12", "debian12");
    }

    @AfterAll
    static void stop() {
        Figures.write("FaultsIT", "fault", TRIED.get(), 0, SURVIVED.get(), TRIED.get() - SURVIVED.get());
        if (fleet != null) {
            fleet.close();
        }
    }

    @BeforeEach
    void reset() {
        for (TestFleet.Host h : fleet.hosts()) {
            Faults.reset(h);
            Faults.sh(h, "pkill -9 -f '[s]leep 86400' || true; rm -rf /etc/sysctl.conf.sysfleet-* /etc/.sysctl.conf.sysfleet.* /etc/sysctl.d/90-fault.conf* "
                    + "/etc/sysctl.d/.90-fault.conf.sysfleet.*; "
                    + "printf '" + ORIGINAL.replace("\n", "\\n") + "' > " + FILE + "; chmod 644 " + FILE
                    + "; sysctl -q -w " + KEY + "=60");
        }
    }

    private Path state() {
        return tmp.resolve("state");
    }

    private Path inventory() throws Exception {
        return inventory(Map.of());
    }

    /** The fleet's inventory; {@code extra} adds YAML lines (indented for host variables) under a host. */
    private Path inventory(Map<String, String> extra) throws Exception {
        StringBuilder sb = new StringBuilder("all:\n  vars:\n    ansible_user: sysfleet\n    ansible_become: true\n")
                .append("    ansible_ssh_private_key_file: ").append(fleet.privateKey()).append("\n  hosts:\n");
        for (TestFleet.Host h : fleet.hosts()) {
            sb.append("    ").append(h.name()).append(":\n      ansible_host: 127.0.0.1\n      ansible_port: ")
                    .append(h.port()).append('\n').append(extra.getOrDefault(h.name(), ""));
        }
        Path inv = tmp.resolve(extra.isEmpty() ? "inventory.yml" : "inventory-" + extra.hashCode() + ".yml");
        Files.writeString(inv, sb.toString());
        return inv;
    }

    private List<String> runArgs(String value, String... more) throws Exception {
        return runArgsOn(FILE, value, more);
    }

    /** {@code run} of a play that sets {@link #KEY} to {@code value} in {@code file} on every host. */
    private List<String> runArgsOn(String file, String value, String... more) throws Exception {
        Path pb = tmp.resolve("play-" + value + ".yml");
        Files.writeString(pb, "- hosts: all\n  gather_facts: false\n  tasks:\n    - ansible.posix.sysctl:\n        name: "
                + KEY + "\n        value: '" + value + "'\n        sysctl_file: " + file + "\n");
        List<String> a = new ArrayList<>(List.of("run", pb.toString(), "-i", inventory().toString(), "--known-hosts",
                fleet.knownHosts().toString(), "--state-dir", state().toString(), "--progress", "never"));
        a.addAll(List.of(more));
        return a;
    }

    private Cli.Result rollbackLast() throws Exception {
        return Cli.runMerged("rollback", "--last", "-i", inventory().toString(), "--known-hosts",
                fleet.knownHosts().toString(), "--state-dir", state().toString(), "--progress", "never");
    }

    private static Faults.HostState capture(TestFleet.Host h) {
        return Faults.capture(h, List.of(FILE), List.of(KEY));
    }

    /** The host as before any run: the original bytes and live value, no lock, no sysfleet script running. */
    private static void assertOriginal(TestFleet.Host h) {
        Faults.HostState s = capture(h);
        assertEquals(ORIGINAL, s.files().get(FILE).text(), h.name() + "\n" + s);
        assertEquals("0644", "0" + s.files().get(FILE).mode(), h.name());
        assertEquals("60", s.live().get(KEY), h.name());
        assertEquals("", Faults.sh(h, "ls -d /etc/sysctl.conf.sysfleet-lock 2>/dev/null || true"), "no lock left");
    }

    private static void assertConverged(TestFleet.Host h, String value) {
        Faults.HostState s = capture(h);
        assertTrue(s.files().get(FILE).text().contains(KEY + " = " + value + "\n"), h.name() + "\n" + s);
        assertEquals(value, s.live().get(KEY), h.name());
    }

    private JournalView lastRun() {
        List<RunRecord> runs = Journal.list(state());
        return Journal.read(state(), runs.get(runs.size() - 1).id());
    }

    private static List<String> outcomes(JournalView v, TestFleet.Host h) {
        return v.outcomes().stream().filter(o -> o.host().equals(h.name())).map(Outcome::status).toList();
    }

    private static void awaitHung(TestFleet.Host h, Launcher l) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (Faults.hung(h) == 0) {
            assertTrue(System.nanoTime() < end && (l == null || l.alive()), "the fault never fired: "
                    + (l == null ? "" : l.output()));
            Thread.sleep(200);
        }
    }

    private static void awaitNoLeftovers(TestFleet.Host h) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!Faults.leftovers(h).isEmpty()) {
            assertTrue(System.nanoTime() < end, "still running on " + h.name() + ": " + Faults.leftovers(h));
            Thread.sleep(200);
        }
    }

    @Test
    void controllerKilledWithSigkillDuringSysctlPThenRollbackLastRestoresEveryHost() throws Exception {
        TRIED.incrementAndGet();
        TestFleet.Host hit = fleet.host(0);
        Faults.arm(hit, "stuck", "sysctl", "hang", "args:^(-e )?-p ");
        try (Launcher l = Launcher.start(Map.of("HOME", tmp.toString()), runArgs("31"))) {
            awaitHung(hit, l);
            l.signal("KILL");
            assertEquals(137, l.waitFor(Duration.ofSeconds(30)), l.output());
        }
        // the apply script ignores SIGHUP: once the stuck command goes on, it runs to its end, orphaned
        Faults.release(hit);
        awaitNoLeftovers(hit);
        assertConverged(hit, "31");
        JournalView v = lastRun();
        assertEquals("running", v.record().status(), "a killed controller never finished its journal");
        assertTrue(v.intents().stream().anyMatch(i -> i.host().equals(hit.name())), "the intent was written ahead");
        assertEquals(List.of(), outcomes(v, hit), "no outcome: the controller died before the answer");

        Cli.Result rb = rollbackLast();
        assertEquals(0, rb.exit(), rb.out());
        for (TestFleet.Host h : fleet.hosts()) {
            assertOriginal(h);
        }
        assertEquals("finished", lastRun().record().status());
        SURVIVED.incrementAndGet();
    }

    @Test
    void connectionDroppedAfterTheWriteIsReadBackJournaledAsChangedAndRolledBack() throws Exception {
        TRIED.incrementAndGet();
        TestFleet.Host hit = fleet.host(0);
        TestFleet.Host other = fleet.host(1);
        Faults.arm(hit, "drop", "sysctl", "kill-session", "args:^(-e )?-p ");
        Cli.Result r = Cli.runMerged(runArgs("32"));
        assertEquals(2, r.exit(), r.out());
        assertEquals(1, Faults.fired(hit, "drop"), "the connection was dropped at sysctl -p");
        assertTrue(r.out().contains("the host IS CHANGED but not verified"), r.out());
        assertTrue(r.out().contains("changed: [" + other.name() + "]"), r.out());
        awaitNoLeftovers(hit);
        assertConverged(hit, "32"); // the script ran to its end after the drop
        assertConverged(other, "32");
        JournalView v = lastRun();
        assertEquals("finished", v.record().status());
        assertEquals(List.of("changed"), outcomes(v, hit));
        assertEquals(List.of("applied"), outcomes(v, other));

        Cli.Result rb = rollbackLast();
        assertEquals(0, rb.exit(), rb.out());
        assertOriginal(hit);
        assertOriginal(other);
        SURVIVED.incrementAndGet();
    }

    @Test
    void aSysctlPThatHangsPastTheTimeoutIsReportedChangedAndRollbackFinishesTheJob() throws Exception {
        TRIED.incrementAndGet();
        TestFleet.Host hit = fleet.host(0);
        TestFleet.Host other = fleet.host(1);
        Faults.arm(hit, "stuck", "sysctl", "hang", "args:^(-e )?-p ");
        Cli.Result r = Cli.runMerged(runArgs("33", "--timeout", "4"));
        assertEquals(2, r.exit(), r.out());
        assertTrue(r.out().contains("timed out") && r.out().contains("the host IS CHANGED"), r.out());
        assertConverged(other, "33");
        JournalView v = lastRun();
        assertEquals("finished", v.record().status());
        assertEquals(List.of("changed"), outcomes(v, hit));
        Outcome o = v.outcomes().stream().filter(x -> x.host().equals(hit.name())).findFirst().orElseThrow();
        assertNotEquals(null, o.sha());
        // the stuck command goes on later, as on a real host; rollback waits for nothing and restores both
        Faults.release(hit);
        awaitNoLeftovers(hit);
        Cli.Result rb = rollbackLast();
        assertEquals(0, rb.exit(), rb.out());
        assertOriginal(hit);
        assertOriginal(other);
        SURVIVED.incrementAndGet();
    }

    @Test
    void aFailingSysctlPIsUndoneOnThatHostOnly() throws Exception {
        TRIED.incrementAndGet();
        TestFleet.Host hit = fleet.host(0);
        TestFleet.Host other = fleet.host(1);
        Faults.arm(hit, "broken", "sysctl", "fail:1", "args:^(-e )?-p ");
        Cli.Result r = Cli.runMerged(runArgs("34"));
        assertEquals(2, r.exit(), r.out());
        assertEquals(1, Faults.fired(hit, "broken"));
        assertTrue(r.out().contains("undone"), r.out());
        assertOriginal(hit);
        assertConverged(other, "34");
        JournalView v = lastRun();
        assertEquals(List.of("undone"), outcomes(v, hit));
        assertEquals(List.of("applied"), outcomes(v, other));
        Cli.Result rb = rollbackLast();
        assertEquals(0, rb.exit(), rb.out());
        assertOriginal(hit);
        assertOriginal(other);
        SURVIVED.incrementAndGet();
    }

    /**
     * A host without the sysctl command (procps not installed): the apply script finds out before it writes the
     * file, so that host is FAILED with one line and is untouched; the other converges.
     */
    @Test
    void aHostWithoutSysctlIsRefusedBeforeItsFileIsWritten() throws Exception {
        TRIED.incrementAndGet();
        TestFleet.Host hit = fleet.host(0);
        TestFleet.Host other = fleet.host(1);
        Faults.hideSysctl(hit);
        Cli.Result r = Cli.runMerged(runArgs("41"));
        Faults.reset(hit); // puts sysctl back
        assertEquals(2, r.exit(), r.out());
        assertTrue(r.out().contains("there is no sysctl command on this host (install procps)"), r.out());
        assertEquals(1, r.out().lines().filter(l -> l.startsWith("failed: [" + hit.name() + "]")).count(), r.out());
        assertOriginal(hit);
        assertConverged(other, "41");
        JournalView v = lastRun();
        assertEquals(List.of("failed"), outcomes(v, hit));
        assertEquals(List.of("applied"), outcomes(v, other));
        Cli.Result rb = rollbackLast();
        assertEquals(0, rb.exit(), rb.out());
        assertOriginal(hit);
        assertOriginal(other);
        SURVIVED.incrementAndGet();
    }

    /** The run exited 2 and reported {@code hit} on one line: failed, timed out. */
    private static void assertFailedOnceWithTimeout(Cli.Result r, TestFleet.Host hit) {
        assertEquals(2, r.exit(), r.out());
        List<String> lines = hostLines(r.out(), hit);
        assertEquals(1, lines.size(), r.out());
        assertTrue(lines.get(0).startsWith("failed: [" + hit.name() + "]") && lines.get(0).contains("timed out"),
                r.out());
    }

    /**
     * The facts probe hangs past {@code -T} (the probe's {@code sha256sum} of the sysctl file held by the injector; it
     * no longer runs {@code uname}, reading the kernel release with {@code read}): that host is FAILED
     * with one "timed out" line before anything was journaled or changed on it; the other converges.
     */
    @Test
    void aFactsProbeThatHangsPastTheTimeoutFailsThatHostBeforeAnyChange() throws Exception {
        TRIED.incrementAndGet();
        TestFleet.Host hit = fleet.host(0);
        TestFleet.Host other = fleet.host(1);
        Faults.arm(hit, "facts", "sha256sum", "hang", "script:sysfleet-facts");
        Cli.Result r = Cli.runMerged(runArgs("42", "-T", "5"));
        Faults.release(hit);
        awaitNoLeftovers(hit);
        assertFailedOnceWithTimeout(r, hit);
        assertOriginal(hit);
        assertConverged(other, "42");
        JournalView v = lastRun();
        assertTrue(v.intents().stream().noneMatch(i -> i.host().equals(hit.name())), "nothing journaled for it");
        assertEquals(List.of("applied"), outcomes(v, other));
        Faults.reset(hit);
        Cli.Result rb = rollbackLast();
        assertEquals(0, rb.exit(), rb.out());
        assertOriginal(hit);
        assertOriginal(other);
        SURVIVED.incrementAndGet();
    }

    /**
     * A rollback whose restore hangs past {@code -T} on one host (before it writes: its sha256sum held): that host
     * is reported as failed with "timed out", the other is restored; once the stuck command goes on, a second
     * {@code rollback --last} finishes the job.
     */
    @Test
    void aRollbackThatHangsPastTheTimeoutIsReportedAndASecondRollbackFinishes() throws Exception {
        TRIED.incrementAndGet();
        TestFleet.Host hit = fleet.host(0);
        TestFleet.Host other = fleet.host(1);
        Cli.Result run = Cli.runMerged(runArgs("43"));
        assertEquals(0, run.exit(), run.out());
        Faults.arm(hit, "restore", "sha256sum", "hang", "script:havelocal", "nth:1");
        Cli.Result first = Cli.runMerged("rollback", "--last", "-i", inventory().toString(), "--known-hosts",
                fleet.knownHosts().toString(), "--state-dir", state().toString(), "--progress", "never", "-T", "5");
        Faults.release(hit);
        awaitNoLeftovers(hit);
        assertTrue(first.exit() != 0, first.out());
        List<String> lines = hostLines(first.out(), hit);
        assertTrue(lines.stream().anyMatch(l -> l.contains("timed out")), first.out());
        assertOriginal(other);
        Faults.reset(hit);
        Cli.Result again = rollbackLast();
        assertEquals(0, again.exit(), again.out());
        assertOriginal(hit);
        assertOriginal(other);
        SURVIVED.incrementAndGet();
    }

    /**
     * The undo after a failing {@code sysctl -p} hangs past {@code -T} (its sha256sum held): that host is FAILED
     * with "timed out" and the undo not confirmed; the other converges; once the stuck command goes on,
     * {@code rollback --last} restores both (taking over the stale lock the killed undo left, which is the run's own).
     */
    @Test
    void anUndoThatHangsPastTheTimeoutIsReportedAndRollbackLastRestores() throws Exception {
        TRIED.incrementAndGet();
        TestFleet.Host hit = fleet.host(0);
        TestFleet.Host other = fleet.host(1);
        Faults.arm(hit, "broken", "sysctl", "fail:1", "args:^(-e )?-p ");
        Faults.arm(hit, "undo", "sha256sum", "hang", "script:written=", "nth:1");
        Cli.Result r = Cli.runMerged(runArgs("44", "-T", "5"));
        Faults.release(hit);
        awaitNoLeftovers(hit);
        assertFailedOnceWithTimeout(r, hit);
        assertConverged(other, "44");
        Faults.reset(hit);
        Cli.Result rb = rollbackLast();
        assertEquals(0, rb.exit(), rb.out());
        assertOriginal(hit);
        assertOriginal(other);
        SURVIVED.incrementAndGet();
    }

    @Test
    void twoRunsAtOnceOnOneHostNeverInterleave() throws Exception {
        TRIED.incrementAndGet();
        TestFleet.Host hit = fleet.host(0);
        Faults.arm(hit, "stuck", "sysctl", "hang", "args:^(-e )?-p ", "nth:1");
        try (Launcher first = Launcher.start(Map.of("HOME", tmp.toString()), runArgs("35", "--limit", hit.name()))) {
            awaitHung(hit, first);
            // a second run while the first one's apply holds the file
            Cli.Result second = Cli.runMerged(runArgs("36", "--limit", hit.name()));
            assertEquals(2, second.exit(), second.out());
            assertTrue(second.out().contains("is locked by another sysfleet script (run "), second.out());
            Faults.release(hit);
            assertEquals(0, first.waitFor(Duration.ofSeconds(60)), first.output());
        }
        assertConverged(hit, "35");
        assertEquals("", Faults.sh(hit, "ls -d /etc/sysctl.conf.sysfleet-lock 2>/dev/null || true"), "no lock left");
        List<RunRecord> runs = Journal.list(state());
        assertEquals(2, runs.size());
        List<String> statuses = new ArrayList<>();
        for (RunRecord rr : runs) {
            statuses.addAll(outcomes(Journal.read(state(), rr.id()), hit));
        }
        assertTrue(statuses.contains("applied") && statuses.contains("locked"), statuses.toString());
        SURVIVED.incrementAndGet();
    }

    // ------------------------------------------------------------------ interrupts, unreachable hosts, full disks

    private static final String SYSCTL_D_FILE = "/etc/sysctl.d/90-fault.conf";

    /** Lines of the run's output about {@code h} (per-host lines name it as {@code [HOST]}; the recap does not). */
    private static List<String> hostLines(String out, TestFleet.Host h) {
        return out.lines().filter(l -> l.contains("[" + h.name() + "]")).toList();
    }

    private static long acceptedLogins(TestFleet.Host h) {
        return h.container().getLogs().lines().filter(l -> l.contains("Accepted publickey for")).count();
    }

    private static TestFleet.Host awaitHungAny(Launcher l) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            for (TestFleet.Host h : fleet.hosts()) {
                if (Faults.hung(h) > 0) {
                    return h;
                }
            }
            assertTrue(System.nanoTime() < end && l.alive(), "the fault never fired: " + l.output());
            Thread.sleep(200);
        }
    }

    private static String sysctlD(TestFleet.Host h) {
        return Faults.sh(h, "ls -a /etc/sysctl.d/ | grep -v '^\\.\\.\\?$' || true");
    }

    /**
     * SIGTERM while one host's apply is at {@code sysctl -p} (--forks 1, so the other host has not started): the
     * running host finishes (converged, journaled applied), no other host starts (untouched, no intent), the
     * journal ends "interrupted", exit 99 (README, ExitCode.INTERRUPTED), and rollback --last restores everything.
     */
    @Test
    void sigtermMidApplyLetsTheRunningHostFinishStartsNoOtherExits99AndRollbackLastRestores() throws Exception {
        TRIED.incrementAndGet();
        for (TestFleet.Host h : fleet.hosts()) {
            Faults.arm(h, "stuck", "sysctl", "hang", "args:^(-e )?-p ");
        }
        TestFleet.Host running;
        String out;
        try (Launcher l = Launcher.start(Map.of("HOME", tmp.toString()), runArgs("38", "--forks", "1"))) {
            running = awaitHungAny(l);
            l.signal("TERM");
            Thread.sleep(2000); // the signal is handled (no new host may start) while the running host still hangs
            assertTrue(l.alive(), "the controller waits for its running host: " + l.output());
            Faults.release(running);
            assertEquals(99, l.waitFor(Duration.ofSeconds(60)), l.output());
            out = l.output();
        }
        TestFleet.Host idle = fleet.hosts().stream().filter(h -> h != running).findFirst().orElseThrow();
        assertEquals(List.of("changed: [" + running.name() + "] 1 key"), hostLines(out, running), out);
        assertEquals(List.of("skipping: [" + idle.name() + "] not run: interrupted"), hostLines(out, idle), out);
        assertTrue(out.contains("PLAY RECAP") && !out.contains("Exception"), out);
        awaitNoLeftovers(running);
        assertConverged(running, "38");
        assertOriginal(idle);
        assertEquals(0, Faults.fired(idle, "stuck"), "the idle host never started");
        JournalView v = lastRun();
        assertEquals("interrupted", v.record().status());
        assertEquals(List.of("applied"), outcomes(v, running));
        assertEquals(List.of(), outcomes(v, idle));
        assertFalse(v.intents().stream().anyMatch(i -> i.host().equals(idle.name())), "no intent for the idle host");

        fleet.hosts().forEach(Faults::reset);
        Cli.Result rb = rollbackLast();
        assertEquals(0, rb.exit(), rb.out());
        for (TestFleet.Host h : fleet.hosts()) {
            assertOriginal(h);
        }
        SURVIVED.incrementAndGet();
    }

    /**
     * Ctrl-C (SIGINT) while a host's {@code sysctl -p} hangs and never comes back on its own: the host's command
     * times out (-T 5), its state is read back (changed, journaled so), the other host is not started, exit 99, and
     * rollback --last (after the stuck command went on) restores the changed host.
     */
    @Test
    void ctrlCWhileAHostHangsEndsWithThatHostReadBackAsChangedExits99AndRollbackLastRestores() throws Exception {
        TRIED.incrementAndGet();
        for (TestFleet.Host h : fleet.hosts()) {
            Faults.arm(h, "stuck", "sysctl", "hang", "args:^(-e )?-p ");
        }
        TestFleet.Host running;
        String out;
        try (Launcher l = Launcher.start(Map.of("HOME", tmp.toString()), runArgs("39", "--forks", "1", "-T", "20"))) {
            // -T 20: the hang is seen (docker exec) and the signal sent well before the command times out, also on a
            // loaded machine; the running host then ends by that timeout and its read-back
            running = awaitHungAny(l);
            l.signal("INT");
            assertEquals(99, l.waitFor(Duration.ofSeconds(90)), l.output());
            out = l.output();
        }
        TestFleet.Host idle = fleet.hosts().stream().filter(h -> h != running).findFirst().orElseThrow();
        List<String> lines = hostLines(out, running);
        assertEquals(1, lines.size(), out);
        assertTrue(lines.get(0).startsWith("failed: [" + running.name() + "]") && lines.get(0).contains("timed out")
                && lines.get(0).contains("the host IS CHANGED"), out);
        assertEquals(List.of("skipping: [" + idle.name() + "] not run: interrupted"), hostLines(out, idle), out);
        JournalView v = lastRun();
        assertEquals("interrupted", v.record().status());
        assertEquals(List.of("changed"), outcomes(v, running));
        assertEquals(List.of(), outcomes(v, idle));
        assertOriginal(idle);

        Faults.release(running); // the stuck command goes on later, as on a real host
        awaitNoLeftovers(running);
        assertConverged(running, "39");
        fleet.hosts().forEach(Faults::reset);
        Cli.Result rb = rollbackLast();
        assertEquals(0, rb.exit(), rb.out());
        for (TestFleet.Host h : fleet.hosts()) {
            assertOriginal(h);
        }
        SURVIVED.incrementAndGet();
    }

    /**
     * A host whose container is paused (docker pause): Docker's port proxy and the container's kernel accept TCP,
     * but sshd never answers. That host is UNREACHABLE with one line after the connect timeout (3 s here, not the
     * 60 s command timeout), nothing on it changed, no intent journaled; the other host converges.
     */
    @Test
    void aHostThatAcceptsTcpButNeverSpeaksSshIsUnreachableAfterTheConnectTimeoutTheOtherConverges() throws Exception {
        TRIED.incrementAndGet();
        TestFleet.Host hit = fleet.host(0);
        TestFleet.Host other = fleet.host(1);
        String out;
        int exit;
        long seconds;
        Faults.pause(hit);
        try (Launcher l = Launcher.start(Map.of("HOME", tmp.toString()), runArgs("40", "--connect-timeout", "3"))) {
            long t0 = System.nanoTime();
            assertTrue(l.awaitLine(x -> x.startsWith("unreachable: [" + hit.name() + "]"), Duration.ofSeconds(60)),
                    l.output());
            seconds = java.util.concurrent.TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);
            exit = l.waitFor(Duration.ofSeconds(60));
            out = l.output();
        } finally {
            Faults.unpause(hit);
        }
        assertEquals(3, exit, out);
        List<String> lines = hostLines(out, hit);
        assertEquals(1, lines.size(), out);
        assertTrue(lines.get(0).contains("timed out"), lines.get(0));
        assertTrue(seconds >= 3 && seconds < 15, "given up after the 3 s connect timeout (plus JVM start): " + seconds);
        assertEquals(List.of("changed: [" + other.name() + "] 1 key"), hostLines(out, other), out);
        assertOriginal(hit);
        assertConverged(other, "40");
        JournalView v = lastRun();
        assertEquals("finished", v.record().status());
        assertEquals(List.of(), outcomes(v, hit));
        assertFalse(v.intents().stream().anyMatch(i -> i.host().equals(hit.name())));
        Cli.Result rb = rollbackLast();
        assertEquals(0, rb.exit(), rb.out());
        assertOriginal(hit);
        assertOriginal(other);
        SURVIVED.incrementAndGet();
    }

    /** A login refused (a key the host does not know): UNREACHABLE with one line, no login, nothing changed. */
    @Test
    void aRefusedLoginIsUnreachableWithOneLineAndNothingChangesOnThatHost() throws Exception {
        TRIED.incrementAndGet();
        TestFleet.Host hit = fleet.host(0);
        TestFleet.Host other = fleet.host(1);
        Path stranger = tmp.resolve("stranger");
        TestFleet.run(tmp, Duration.ofSeconds(30), "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f",
                stranger.toString());
        long logins = acceptedLogins(hit);
        Path inv = inventory(Map.of(hit.name(), "      ansible_ssh_private_key_file: " + stranger + "\n"));
        List<String> args = new ArrayList<>(runArgs("41"));
        args.set(args.indexOf("-i") + 1, inv.toString());
        long t0 = System.nanoTime();
        Cli.Result r = Cli.runMerged(args);
        long seconds = java.util.concurrent.TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);
        assertEquals(3, r.exit(), r.out());
        List<String> lines = hostLines(r.out(), hit);
        assertEquals(1, lines.size(), r.out());
        assertTrue(lines.get(0).startsWith("unreachable: [" + hit.name() + "]")
                && lines.get(0).contains("authentication failed for sysfleet@127.0.0.1:" + hit.port()), lines.get(0));
        assertTrue(seconds < 30, "a refused login is not waited on: " + seconds + " s");
        assertEquals(logins, acceptedLogins(hit), "no login was accepted");
        assertOriginal(hit);
        assertConverged(other, "41");
        JournalView v = lastRun();
        assertEquals(List.of(), outcomes(v, hit));
        assertEquals(List.of("applied"), outcomes(v, other));
        SURVIVED.incrementAndGet();
    }

    /**
     * The host's keys changed between runs (new host keys, sshd restarted with them): the host is refused before
     * any login with one line naming the change, known_hosts is not touched, nothing changes on it; the other
     * converges. (HostKeyIT checks the transport's refusal under every policy; this is the whole run.)
     */
    @Test
    void aHostWhoseKeyChangedBetweenRunsIsRefusedWithOneLineAndNotTouched() throws Exception {
        TRIED.incrementAndGet();
        TestFleet.Host hit = fleet.host(0);
        TestFleet.Host other = fleet.host(1);
        Cli.Result first = Cli.runMerged(runArgs("42"));
        assertEquals(0, first.exit(), first.out());
        Cli.Result rb = rollbackLast();
        assertEquals(0, rb.exit(), rb.out());
        byte[] known = Files.readAllBytes(fleet.knownHosts());
        Faults.sh(hit, "rm -rf /root/hostkeys && mkdir /root/hostkeys && cp -p /etc/ssh/ssh_host_* /root/hostkeys/");
        Cli.Result r;
        long logins;
        try {
            Faults.newHostKeys(hit);
            logins = acceptedLogins(hit);
            r = Cli.runMerged(runArgs("43"));
        } finally {
            Faults.sh(hit, "rm -f /etc/ssh/ssh_host_* && cp -p /root/hostkeys/* /etc/ssh/ && rm -rf /root/hostkeys");
            Faults.sshdDown(hit);
            Faults.sshdUp(hit);
        }
        assertEquals(3, r.exit(), r.out());
        List<String> lines = hostLines(r.out(), hit);
        assertEquals(1, lines.size(), r.out());
        assertTrue(lines.get(0).startsWith("unreachable: [" + hit.name() + "] hostkey: HOST KEY CHANGED for "
                + hit.knownHostsName()), lines.get(0));
        assertEquals(logins, acceptedLogins(hit), "refused before any login");
        assertTrue(java.util.Arrays.equals(known, Files.readAllBytes(fleet.knownHosts())), "known_hosts untouched");
        assertOriginal(hit);
        assertConverged(other, "43");
        SURVIVED.incrementAndGet();
    }

    /**
     * The managed file's directory is read-only on one host (a read-only bind mount of /etc/sysctl.d): that host
     * FAILED with one line naming the file, the file's bytes and the live value as before, no temp file, backup or
     * lock left, journaled failed; the other host converges and rollback --last restores it.
     */
    @Test
    void aReadOnlyTargetDirectoryFailsThatHostWithOneLineAndLeavesItAsItWas() throws Exception {
        TRIED.incrementAndGet();
        TestFleet.Host hit = fleet.host(0);
        TestFleet.Host other = fleet.host(1);
        for (TestFleet.Host h : fleet.hosts()) {
            Faults.sh(h, "printf '" + ORIGINAL.replace("\n", "\\n") + "' > " + SYSCTL_D_FILE + "; chmod 644 "
                    + SYSCTL_D_FILE);
        }
        String before = sysctlD(hit);
        Faults.readOnly(hit, "/etc/sysctl.d");
        Cli.Result r = Cli.runMerged(runArgsOn(SYSCTL_D_FILE, "44"));
        assertWriteRefused(r, hit, other, before, "44", () -> Faults.reset(hit));
        SURVIVED.incrementAndGet();
    }

    /**
     * The managed file's file system is full on one host (a tmpfs on /etc/sysctl.d with two pages free: the lock
     * and the backup fit, the new file does not): that host FAILED with "cannot write FILE", nothing half-done.
     */
    @Test
    void aFullTargetFileSystemFailsThatHostWithCannotWriteAndLeavesItAsItWas() throws Exception {
        TRIED.incrementAndGet();
        TestFleet.Host hit = fleet.host(0);
        TestFleet.Host other = fleet.host(1);
        Faults.sh(other, "printf '" + ORIGINAL.replace("\n", "\\n") + "' > " + SYSCTL_D_FILE + "; chmod 644 "
                + SYSCTL_D_FILE);
        Faults.full(hit, "/etc/sysctl.d", 64, Map.of("90-fault.conf", ORIGINAL), 2);
        String before = sysctlD(hit);
        Cli.Result r = Cli.runMerged(runArgsOn(SYSCTL_D_FILE, "45"));
        // the operator frees space (the tmpfs stays, with the original file), then rolls the run back
        List<String> lines = assertWriteRefused(r, hit, other, before, "45",
                () -> Faults.sh(hit, "rm -f /etc/sysctl.d/.filler"));
        assertTrue(lines.get(0).contains("cannot write " + SYSCTL_D_FILE), lines.get(0));
        SURVIVED.incrementAndGet();
    }

    private List<String> assertWriteRefused(Cli.Result r, TestFleet.Host hit, TestFleet.Host other, String before,
            String value, Runnable heal) throws Exception {
        assertEquals(2, r.exit(), r.out());
        List<String> lines = hostLines(r.out(), hit);
        assertEquals(1, lines.size(), r.out());
        assertTrue(lines.get(0).startsWith("failed: [" + hit.name() + "]") && lines.get(0).contains(SYSCTL_D_FILE),
                lines.get(0));
        Faults.HostState s = Faults.capture(hit, List.of(SYSCTL_D_FILE), List.of(KEY));
        assertEquals(ORIGINAL, s.files().get(SYSCTL_D_FILE).text(), s.toString());
        assertEquals("644", s.files().get(SYSCTL_D_FILE).mode());
        assertEquals("60", s.live().get(KEY));
        String after = sysctlD(hit).lines().filter(l -> !l.matches("90-fault\\.conf\\.sysfleet-.*\\.bak"))
                .collect(java.util.stream.Collectors.joining("\n", "", before.endsWith("\n") ? "\n" : ""));
        assertEquals(before, after, "no temp file or lock left (a backup of the original may stay)");
        Faults.HostState o = Faults.capture(other, List.of(SYSCTL_D_FILE), List.of(KEY));
        assertTrue(o.files().get(SYSCTL_D_FILE).text().contains(KEY + " = " + value + "\n"), o.toString());
        assertEquals(value, o.live().get(KEY));
        JournalView v = lastRun();
        assertEquals("finished", v.record().status());
        assertEquals(List.of("failed"), outcomes(v, hit));
        assertEquals(List.of("applied"), outcomes(v, other));
        heal.run();
        Cli.Result rb = rollbackLast();
        assertEquals(0, rb.exit(), rb.out());
        assertEquals(ORIGINAL, Faults.capture(hit, List.of(SYSCTL_D_FILE), List.of(KEY)).files().get(SYSCTL_D_FILE)
                .text());
        assertEquals(ORIGINAL, Faults.capture(other, List.of(SYSCTL_D_FILE), List.of(KEY)).files().get(SYSCTL_D_FILE)
                .text());
        return lines;
    }

    /**
     * The controller's state directory is full (a 64 KiB tmpfs, filled; needs root to mount, as CI runs): the run
     * stops with one line naming what it could not write, exit 1, before any host is contacted (no login on any
     * host, nothing changed).
     */
    @Test
    void aFullStateDirectoryStopsTheRunBeforeAnyHostIsTouched() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "mounting a small tmpfs as the state directory needs root (CI runs as root)");
        TRIED.incrementAndGet();
        Path full = Files.createDirectories(tmp.resolve("full-state"));
        TestFleet.run(tmp, Duration.ofSeconds(30), "mount", "-t", "tmpfs", "-o", "size=64k,mode=0700",
                "sysfleet-full-state", full.toString());
        Cli.Result r;
        Map<TestFleet.Host, Long> logins = new java.util.HashMap<>();
        try {
            TestFleet.run(tmp, Duration.ofSeconds(30), "sh", "-c", "dd if=/dev/zero of=" + full
                    + "/.filler bs=4k 2>/dev/null; true");
            fleet.hosts().forEach(h -> logins.put(h, acceptedLogins(h)));
            List<String> args = new ArrayList<>(runArgs("46"));
            args.set(args.indexOf("--state-dir") + 1, full.toString());
            r = Cli.runMerged(args);
        } finally {
            TestFleet.run(tmp, Duration.ofSeconds(30), "umount", full.toString());
        }
        assertEquals(1, r.exit(), r.out());
        List<String> lines = r.out().lines().filter(l -> !l.isBlank()).toList();
        assertEquals(1, lines.size(), r.out());
        assertTrue(lines.get(0).contains("cannot write the journal key " + full.resolve("journal.key"))
                && lines.get(0).endsWith("No space left on device"), lines.get(0));
        for (TestFleet.Host h : fleet.hosts()) {
            assertEquals(logins.get(h), acceptedLogins(h), h.name() + " was never contacted");
            assertOriginal(h);
            assertEquals("", Faults.sh(h, "ls /etc/sysctl.conf.sysfleet-* 2>/dev/null || true"), "no backup on " + h.name());
        }
        SURVIVED.incrementAndGet();
    }

    /**
     * Secrets never appear in arguments, logs, reports or journals: a run as the user whose sudo asks for a password,
     * the password coming from a vault-encrypted {@code ansible_become_password} (vault password in a file), every
     * output, report, journal and backup of the run, and the argument lists of the controller and of every process
     * on the host while the apply runs (held at sysctl -p), are searched for the become password and the vault
     * password.
     */
    @Test
    void secretsAppearInNoArgumentOutputReportJournalOrBackup() throws Exception {
        TestFleet.Host h = fleet.host(1);
        String becomePw = fleet.pwUserPassword();
        String vaultPw = "vault-pw-" + java.util.UUID.randomUUID();
        Path vaultFile = Files.writeString(tmp.resolve("vault-pass"), vaultPw + "\n");
        Path invDir = Files.createDirectories(tmp.resolve("inv"));
        Files.createDirectories(invDir.resolve("host_vars"));
        String enc = TestFleet.run(tmp, Duration.ofMinutes(1), "ansible-vault", "encrypt_string", "--vault-password-file",
                vaultFile.toString(), becomePw, "--name", "ansible_become_password");
        assertTrue(enc.contains("$ANSIBLE_VAULT;1.1;AES256") && !enc.contains(becomePw), enc);
        Files.writeString(invDir.resolve("host_vars").resolve(h.name() + ".yml"), enc);
        Files.writeString(invDir.resolve("hosts.yml"), "all:\n  hosts:\n    " + h.name() + ":\n      ansible_host: 127.0.0.1\n"
                + "      ansible_port: " + h.port() + "\n      ansible_user: " + TestFleet.PW_USER + "\n      ansible_become: true\n"
                + "      ansible_ssh_private_key_file: " + fleet.privateKey() + "\n");
        Path pb = Files.writeString(tmp.resolve("secret-play.yml"), "- hosts: all\n  gather_facts: false\n  tasks:\n"
                + "    - ansible.posix.sysctl:\n        name: " + KEY + "\n        value: '37'\n        sysctl_file: " + FILE + "\n");
        Path reports = Files.createDirectories(tmp.resolve("reports"));
        List<String> args = List.of("run", pb.toString(), "-i", invDir.resolve("hosts.yml").toString(),
                "--vault-password-file", vaultFile.toString(), "--known-hosts", fleet.knownHosts().toString(),
                "--state-dir", state().toString(), "--progress", "never", "-D", "-vvv",
                "--report-json", reports.resolve("r.json").toString(), "--report-junit", reports.resolve("r.xml").toString(),
                "--report-html", reports.resolve("r.html").toString(), "--report-markdown", reports.resolve("r.md").toString());
        Faults.arm(h, "hold", "sysctl", "hang", "args:^(-e )?-p ");
        StringBuilder seen = new StringBuilder();
        int exit;
        try (Launcher l = Launcher.start(Map.of("HOME", tmp.toString()), args)) {
            awaitHung(h, l);
            l.commandLines().forEach(c -> seen.append("controller argv: ").append(c).append('\n'));
            seen.append("controller environ: ").append(l.environ()).append('\n');
            seen.append(Faults.sh(h, "ps -eo args= ; for p in /proc/[0-9]*; do tr '\\0' ' ' < $p/cmdline 2>/dev/null; echo; done"));
            Faults.release(h);
            exit = l.waitFor(Duration.ofSeconds(90));
            seen.append(l.output());
            assertEquals(0, exit, l.output());
        }
        assertConverged(h, "37");
        // every file the run left: reports, the state directory (journal, headers, local backups), and on the host
        // the managed file, its backup and anything in /tmp
        try (var files = Files.walk(tmp)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                if (f.equals(vaultFile) || f.startsWith(invDir)) {
                    continue; // the inputs that hold the secrets (encrypted, or the vault password file itself)
                }
                seen.append("file ").append(f).append(": ").append(new String(Files.readAllBytes(f),
                        java.nio.charset.StandardCharsets.ISO_8859_1)).append('\n');
            }
        }
        seen.append(Faults.sh(h, "cat /etc/sysctl.conf /etc/sysctl.conf.sysfleet-*.bak 2>/dev/null; "
                + "grep -rl . /tmp /var/tmp 2>/dev/null | xargs cat 2>/dev/null; true"));
        String all = seen.toString();
        assertTrue(all.contains("controller argv: ") && all.contains("sysctl") && all.contains("PLAY RECAP")
                && all.contains(".sysfleet-") && all.contains("\"plays\""), "the search saw the run's artifacts");
        assertFalse(all.contains(becomePw), "the become password leaked");
        assertFalse(all.contains(vaultPw), "the vault password leaked");
    }
}
