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
            Faults.sh(h, "pkill -9 -f '[s]leep 86400' || true; rm -rf /etc/sysctl.conf.sysfleet-* /etc/.sysctl.conf.sysfleet.*; "
                    + "printf '" + ORIGINAL.replace("\n", "\\n") + "' > " + FILE + "; chmod 644 " + FILE
                    + "; sysctl -q -w " + KEY + "=60");
        }
    }

    private Path state() {
        return tmp.resolve("state");
    }

    private Path inventory() throws Exception {
        StringBuilder sb = new StringBuilder("all:\n  vars:\n    ansible_user: sysfleet\n    ansible_become: true\n")
                .append("    ansible_ssh_private_key_file: ").append(fleet.privateKey()).append("\n  hosts:\n");
        for (TestFleet.Host h : fleet.hosts()) {
            sb.append("    ").append(h.name()).append(":\n      ansible_host: 127.0.0.1\n      ansible_port: ")
                    .append(h.port()).append('\n');
        }
        Path inv = tmp.resolve("inventory.yml");
        Files.writeString(inv, sb.toString());
        return inv;
    }

    private List<String> runArgs(String value, String... more) throws Exception {
        Path pb = tmp.resolve("play-" + value + ".yml");
        Files.writeString(pb, "- hosts: all\n  gather_facts: false\n  tasks:\n    - ansible.posix.sysctl:\n        name: "
                + KEY + "\n        value: '" + value + "'\n        sysctl_file: " + FILE + "\n");
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
