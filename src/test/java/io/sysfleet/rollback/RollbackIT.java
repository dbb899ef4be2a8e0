package io.sysfleet.rollback;

import io.sysfleet.testing.Cli;
import io.sysfleet.testing.TestFleet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.Container;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Rollback against real sshd containers: the original file bytes (mode and owner included) and the live values
 * of every key the run touched, including keys the run appended (which have no line to restore).
 */
class RollbackIT {
    private static final String ORIGINAL = "# managed by hand\nnet.ipv4.tcp_fin_timeout = 60\n;keep me\n";
    private static final String LIVE = "cat /proc/sys/net/ipv4/tcp_fin_timeout /proc/sys/net/ipv4/tcp_syncookies "
            + "/proc/sys/net/ipv4/tcp_tw_reuse /proc/sys/net/ipv4/tcp_max_syn_backlog";
    private static final String FILE_STATE = "sha256sum /etc/sysctl.conf; stat -c '%a %U %G' /etc/sysctl.conf";
    private static TestFleet fleet;

    @TempDir
    Path tmp;
    private Path state;

    @BeforeAll
    static void startFleet() {
        fleet = TestFleet.start("debian12", "debian12", "debian12", "debian12");
    }

    @AfterAll
    static void stopFleet() {
        if (fleet != null) {
            fleet.close();
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        state = tmp.resolve("state");
        for (TestFleet.Host h : fleet.hosts()) {
            sh(h, "rm -f /usr/local/sbin/sysctl /etc/sysctl.conf.sysfleet-* && printf '" + ORIGINAL.replace("\n", "\\n")
                    + "' > /etc/sysctl.conf && chmod 640 /etc/sysctl.conf && /sbin/sysctl -q -w net.ipv4.tcp_fin_timeout=60 "
                    + "net.ipv4.tcp_syncookies=0 net.ipv4.tcp_tw_reuse=2 net.ipv4.tcp_max_syn_backlog=512");
        }
    }

    record Run(int exit, String out) {
    }

    private static String sh(TestFleet.Host h, String script) throws Exception {
        Container.ExecResult r = h.container().execInContainer("sh", "-c", script);
        assertEquals(0, r.getExitCode(), h.name() + ": " + script + ": " + r.getStderr());
        return r.getStdout();
    }

    private static String snapshot(TestFleet.Host h) throws Exception {
        return sh(h, FILE_STATE) + sh(h, LIVE);
    }

    private Path inventory(List<TestFleet.Host> hosts, String... perHost) throws IOException {
        StringBuilder sb = new StringBuilder("all:\n  vars:\n    ansible_user: sysfleet\n    ansible_become: true\n")
                .append("    ansible_host: 127.0.0.1\n    k: net.ipv4.tcp_max_syn_backlog\n    v: '8192'\n")
                .append("    ansible_ssh_private_key_file: ").append(fleet.privateKey()).append("\n  hosts:\n");
        for (int i = 0; i < hosts.size(); i++) {
            sb.append("    ").append(hosts.get(i).name()).append(":\n      ansible_port: ").append(hosts.get(i).port()).append('\n');
            if (i < perHost.length) {
                sb.append("      ").append(perHost[i]).append('\n');
            }
        }
        Path inv = tmp.resolve("inventory.yml");
        Files.writeString(inv, sb.toString());
        return inv;
    }

    /** Changes a key in place and appends three keys the file does not have. */
    private Path playbook(String playKeys) throws IOException {
        Path p = tmp.resolve("play.yml");
        Files.writeString(p, "- hosts: all\n  gather_facts: false\n" + playKeys + "  tasks:\n"
                + "    - sysctl: {name: net.ipv4.tcp_fin_timeout, value: '30'}\n"
                + "    - sysctl: {name: net.ipv4.tcp_syncookies, value: '1'}\n"
                + "    - sysctl: {name: net.ipv4.tcp_tw_reuse, value: '1'}\n"
                + "    - sysctl: {name: '{{ k }}', value: '{{ v }}'}\n");
        return p;
    }

    private List<String> common(Path inv) {
        return List.of("-i", inv.toString(), "--known-hosts", fleet.knownHosts().toString(),
                "--state-dir", state.toString(), "--progress", "never");
    }

    private Run sysfleet(List<String> args) {
        Cli.Result r = Cli.runMerged(args);
        return new Run(r.exit(), r.out());
    }

    private Run run(Path inv, String... more) throws IOException {
        List<String> a = new ArrayList<>(List.of("run", playbook("").toString()));
        a.addAll(common(inv));
        a.addAll(List.of(more));
        return sysfleet(a);
    }

    private Run rollback(Path inv, String... more) {
        List<String> a = new ArrayList<>(List.of("rollback"));
        a.addAll(common(inv));
        a.addAll(List.of(more));
        return sysfleet(a);
    }

    private static String rollbackId(String out) {
        Matcher m = Pattern.compile("rollback (\\S+) journaled").matcher(out);
        assertTrue(m.find(), out);
        return m.group(1);
    }

    @Test
    void rollbackRestoresBytesAndLiveValuesIncludingAppendedKeysAndIsIdempotentAndReversible() throws Exception {
        TestFleet.Host h = fleet.host(0);
        Path inv = inventory(List.of(h));
        String before = snapshot(h);
        Run run = run(inv);
        assertEquals(0, run.exit(), run.out());
        String converged = snapshot(h);
        assertNotEquals(before, converged);

        Run check = rollback(inv, "--last", "--check", "--diff");
        assertEquals(7, check.exit(), check.out());
        assertTrue(check.out().contains("+net.ipv4.tcp_fin_timeout = 60"), check.out());
        assertEquals(converged, snapshot(h), "rollback --check changes nothing");

        Run rb = rollback(inv, "--last", "-v");
        assertEquals(0, rb.exit(), rb.out());
        assertTrue(rb.out().contains("changed: [" + h.name() + "]"), rb.out());
        assertEquals(before, snapshot(h), "file bytes, mode, owner and every live value as before the run");

        Run again = rollback(inv, "--run", runId(run.out()));
        assertEquals(0, again.exit(), again.out());
        assertTrue(again.out().contains("ok: [" + h.name() + "]"), "a second rollback has nothing to do: " + again.out());
        assertEquals(before, snapshot(h));

        Run undoRollback = rollback(inv, "--run", rollbackId(rb.out()));
        assertEquals(0, undoRollback.exit(), undoRollback.out());
        assertEquals(converged, snapshot(h), "a rollback can itself be rolled back");

        Run list = sysfleet(List.of("runs", "list", "--state-dir", state.toString()));
        assertEquals(0, list.exit());
        assertEquals(4, list.out().lines().count(), "run, rollback, empty rollback, rollback of the rollback: " + list.out());
        assertTrue(list.out().contains("rollback"), list.out());
        Run show = sysfleet(List.of("runs", "show", runId(run.out()), "--state-dir", state.toString()));
        assertTrue(show.out().contains(h.name() + " /etc/sysctl.conf: "), show.out());
        assertTrue(show.out().contains("applied"), show.out());
        Run prune = sysfleet(List.of("runs", "prune", "--keep", "2", "--state-dir", state.toString()));
        assertEquals(0, prune.exit(), prune.out());
        assertEquals(2, sysfleet(List.of("runs", "list", "--state-dir", state.toString())).out().lines().count());
    }

    private static String runId(String out) {
        Matcher m = Pattern.compile("run (\\S+) journaled").matcher(out);
        assertTrue(m.find(), out);
        return m.group(1);
    }

    @Test
    void aFileEditedAfterTheRunIsRefusedUnlessForced() throws Exception {
        TestFleet.Host h = fleet.host(1);
        Path inv = inventory(List.of(h));
        String before = snapshot(h);
        assertEquals(0, run(inv).exit());
        sh(h, "echo 'vm.swappiness = 10' >> /etc/sysctl.conf");
        String edited = sh(h, FILE_STATE);
        Run refused = rollback(inv, "--last");
        assertEquals(2, refused.exit(), refused.out());
        assertTrue(refused.out().contains("changed since run"), refused.out());
        assertTrue(refused.out().contains("--force"), refused.out());
        assertEquals(edited, sh(h, FILE_STATE), "refused: nothing touched");
        Run forced = rollback(inv, "--last", "--force");
        assertEquals(0, forced.exit(), forced.out());
        assertEquals(before, snapshot(h));
    }

    @Test
    void theControllersCopyIsUsedWhenTheRemoteBackupIsGone() throws Exception {
        TestFleet.Host h = fleet.host(2);
        Path inv = inventory(List.of(h));
        String before = snapshot(h);
        assertEquals(0, run(inv).exit());
        sh(h, "rm /etc/sysctl.conf.sysfleet-*.bak");
        Run rb = rollback(inv, "--last", "-v");
        assertEquals(0, rb.exit(), rb.out());
        assertTrue(rb.out().contains("restored from the controller's copy"), rb.out());
        assertEquals(before, snapshot(h));
    }

    @Test
    void rollbackOnAbortUndoesTheHostsTheRunChanged() throws Exception {
        List<TestFleet.Host> hosts = List.of(fleet.host(0), fleet.host(3));
        List<String> before = new ArrayList<>();
        for (TestFleet.Host h : hosts) {
            before.add(snapshot(h));
        }
        // The second host asks for a key the container kernel refuses: batch 2 fails, max_fail_percentage 0 aborts.
        Path inv = inventory(hosts, "", "k: net.netfilter.nf_conntrack_max\n      v: '655350'");
        List<String> a = new ArrayList<>(List.of("run", playbook("  serial: 1\n  max_fail_percentage: 0\n").toString()));
        a.addAll(common(inv));
        a.add("--rollback-on-abort");
        Run r = sysfleet(a);
        assertEquals(2, r.exit(), r.out());
        assertTrue(r.out().contains("--rollback-on-abort"), r.out());
        for (int i = 0; i < hosts.size(); i++) {
            assertEquals(before.get(i), snapshot(hosts.get(i)), hosts.get(i).name() + " is back as before the run");
        }
    }

    @Test
    void afterSigkillMidRunRollbackLastRestoresEveryHost() throws Exception {
        // A delaying wrapper ahead of /sbin/sysctl in sudo's PATH keeps each host's apply in flight for 2 s, so the
        // kill lands while changes are under way; the wrapper then runs the real sysctl.
        for (TestFleet.Host h : fleet.hosts()) {
            sh(h, "printf '#!/bin/sh\\nsleep 2\\nexec /sbin/sysctl \"$@\"\\n' > /usr/local/sbin/sysctl && "
                    + "chmod 755 /usr/local/sbin/sysctl");
        }
        List<String> before = new ArrayList<>();
        for (TestFleet.Host h : fleet.hosts()) {
            before.add(snapshot(h));
        }
        Path inv = inventory(fleet.hosts());
        Path jar = TestFleet.projectRoot().resolve("target/sysfleet.jar");
        List<String> cmd = new ArrayList<>(List.of("java", "-jar", jar.toString(), "run", playbook("").toString()));
        cmd.addAll(common(inv));
        cmd.addAll(List.of("--forks", "2"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        StringBuilder out = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                out.append(line).append('\n');
                if (line.startsWith("changed: [")) {
                    // One host done, the next ones in flight: kill the controller without any chance to clean up.
                    Thread.sleep(1000);
                    p.destroyForcibly();
                    break;
                }
            }
        }
        assertTrue(p.waitFor(1, TimeUnit.MINUTES));
        assertEquals(137, p.exitValue(), "killed with SIGKILL: " + out);
        Thread.sleep(3000); // in-flight remote scripts ignore the hang-up and finish their change
        int changed = 0;
        for (int i = 0; i < fleet.hosts().size(); i++) {
            changed += snapshot(fleet.host(i)).equals(before.get(i)) ? 0 : 1;
        }
        assertTrue(changed >= 1, "the run changed some hosts before it was killed");
        Run rb = rollback(inv, "--last");
        assertEquals(0, rb.exit(), out + "\n" + rb.out());
        for (int i = 0; i < fleet.hosts().size(); i++) {
            assertEquals(before.get(i), snapshot(fleet.host(i)), fleet.host(i).name() + " restored");
        }
    }
}
