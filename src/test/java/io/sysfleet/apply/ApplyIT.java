package io.sysfleet.apply;

import io.sysfleet.testing.Cli;
import io.sysfleet.testing.TestFleet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.Container;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole pipeline ({@code sysfleet run/check}, in-process) against real sshd containers whose own network
 * namespace takes {@code sysctl -p} for real. Hosts: debian12, centos6, centos5 (legacy conntrack keys through
 * the image's named test double, see src/image/usr/local/sbin/sysctl-legacy-double), and a second debian12 for
 * the "refused key" test so its state is not shared with the converge test.
 */
class ApplyIT {
    private static TestFleet fleet;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startFleet() {
        fleet = TestFleet.start("debian12", "centos6", "centos5", "debian12");
    }

    @AfterAll
    static void stopFleet() {
        if (fleet != null) {
            fleet.close();
        }
    }

    /** A run of the command line. */
    private record Run(int exit, String out, String err) {
    }

    private Run sysfleet(String... args) {
        Cli.Result r = Cli.run(args);
        return new Run(r.exit(), r.out(), r.err());
    }

    /** An inventory of the given fleet hosts, logging in as the non-root user and becoming root with sudo. */
    private Path inventory(TestFleet.Host... hosts) throws IOException {
        StringBuilder sb = new StringBuilder("all:\n  vars:\n    ansible_user: sysfleet\n    ansible_become: true\n")
                .append("    ansible_ssh_private_key_file: ").append(fleet.privateKey()).append("\n  hosts:\n");
        for (TestFleet.Host h : hosts) {
            sb.append("    ").append(h.name()).append(":\n      ansible_host: 127.0.0.1\n      ansible_port: ")
                    .append(h.port()).append('\n');
        }
        Path inv = tmp.resolve("inventory.yml");
        Files.writeString(inv, sb.toString());
        return inv;
    }

    private Path playbook(String yaml) throws IOException {
        Path p = tmp.resolve("play.yml");
        Files.writeString(p, yaml);
        return p;
    }

    private String[] args(String cmd, Path playbook, Path inventory, String... more) {
        List<String> a = new ArrayList<>(List.of(cmd, playbook.toString(), "-i", inventory.toString(),
                "--known-hosts", fleet.knownHosts().toString(), "--state-dir", tmp.resolve("state").toString()));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    private static String sh(TestFleet.Host h, String script) throws Exception {
        Container.ExecResult r = h.container().execInContainer("sh", "-c", script);
        assertEquals(0, r.getExitCode(), "in " + h.name() + ": " + script + ": " + r.getStderr());
        return r.getStdout();
    }

    /** How many logins sshd has accepted so far (it logs to the container's stderr). */
    private static long logins(TestFleet.Host h) {
        return h.container().getLogs().lines().filter(l -> l.contains("Accepted publickey")).count();
    }

    private static String live(TestFleet.Host h, String procPath) throws Exception {
        return sh(h, "cat /proc/sys/" + procPath).strip();
    }

    @Test
    void convergesADriftedHostThenASecondRunChangesNothing() throws Exception {
        TestFleet.Host h = fleet.host(0);
        sh(h, "printf '# site settings\\n;old style comment\\n  net.ipv4.tcp_fin_timeout  =  60\\n' > /etc/sysctl.conf"
                + " && sysctl -q -w net.ipv4.tcp_fin_timeout=60 net.ipv4.tcp_syncookies=0 net.ipv4.tcp_tw_reuse=0");
        String before = sh(h, "sha256sum /etc/sysctl.conf");
        Path inv = inventory(h);
        Path site = TestFleet.projectRoot().resolve("playbooks/site.yml");

        Run check = sysfleet(args("check", site, inv, "--diff"));
        assertEquals(7, check.exit(), check.out() + check.err());
        assertTrue(check.out().contains("-  net.ipv4.tcp_fin_timeout  =  60"), check.out());
        assertTrue(check.out().contains("+  net.ipv4.tcp_fin_timeout  =  30"), check.out());
        assertEquals(before, sh(h, "sha256sum /etc/sysctl.conf"), "check mode must not touch the file");
        assertEquals("60", live(h, "net/ipv4/tcp_fin_timeout"), "check mode must not touch live values");

        Run run = sysfleet(args("run", site, inv, "-v"));
        assertEquals(0, run.exit(), run.out() + run.err());
        assertTrue(run.out().contains("skipped=2"), "rows 8 and 3 each skip tcp_tw_recycle on this kernel: " + run.out());
        assertTrue(run.out().contains("changed: [" + h.name() + "]"), run.out());
        assertEquals("30", live(h, "net/ipv4/tcp_fin_timeout"));
        assertEquals("1", live(h, "net/ipv4/tcp_syncookies"));
        assertEquals("1", live(h, "net/ipv4/tcp_tw_reuse"));
        String file = sh(h, "cat /etc/sysctl.conf");
        assertTrue(file.startsWith("# site settings\n;old style comment\n  net.ipv4.tcp_fin_timeout  =  30\n"), file);
        assertTrue(file.contains("# Added by sysfleet\n"), file);
        assertTrue(run.out().contains("tcp_tw_recycle where the kernel still has it (removed in Linux 4.12): skipped"),
                "the when-skipped task is reported: " + run.out());
        String backups = sh(h, "ls /etc/ | grep 'sysctl.conf.sysfleet-' || true");
        assertEquals(1, backups.lines().count(), "one backup per run, of the file before the run: " + backups);
        assertEquals("# site settings\n;old style comment\n  net.ipv4.tcp_fin_timeout  =  60\n",
                sh(h, "cat /etc/" + backups.strip()));
        assertEquals("600", sh(h, "stat -c %a /etc/" + backups.strip()).strip());

        String after = sh(h, "sha256sum /etc/sysctl.conf");
        long loginsBefore = logins(h);
        Run again = sysfleet(args("run", site, inv));
        assertEquals(1, logins(h) - loginsBefore, "one SSH session per host for the three plays of site.yml");
        assertEquals(0, again.exit(), again.out() + again.err());
        assertTrue(again.out().contains("ok: [" + h.name() + "]"), again.out());
        assertFalse(again.out().contains("changed: ["), again.out());
        assertTrue(again.out().contains("changed=0"), again.out());
        assertEquals(after, sh(h, "sha256sum /etc/sysctl.conf"));
        Run checkAgain = sysfleet(args("check", site, inv));
        assertEquals(0, checkAgain.exit(), "no drift on a converged host: " + checkAgain.out());
    }

    @Test
    void aRefusedKeyIsUndoneLeavingFileBytesAndLiveValuesExactlyAsBefore() throws Exception {
        TestFleet.Host h = fleet.host(3);
        sh(h, "printf 'net.ipv4.tcp_fin_timeout=45\\nnet.ipv4.tcp_max_syn_backlog = 2048\\n' > /etc/sysctl.conf"
                + " && sysctl -q -w net.ipv4.tcp_fin_timeout=47 net.ipv4.tcp_max_syn_backlog=1024");
        String file = sh(h, "sha256sum /etc/sysctl.conf; stat -c '%a %U %G' /etc/sysctl.conf");
        String liveBefore = sh(h, "cat /proc/sys/net/ipv4/tcp_fin_timeout /proc/sys/net/ipv4/tcp_max_syn_backlog "
                + "/proc/sys/net/netfilter/nf_conntrack_max /proc/sys/net/netfilter/nf_conntrack_tcp_timeout_established");
        Path pb = playbook("""
                - hosts: all
                  gather_facts: false
                  tasks:
                    - sysctl: {name: net.ipv4.tcp_fin_timeout, value: '25'}
                    - sysctl: {name: net.netfilter.nf_conntrack_tcp_timeout_established, value: '1200'}
                    - sysctl: {name: net.netfilter.nf_conntrack_max, value: '655350'}
                """);
        Run run = sysfleet(args("run", pb, inventory(h)));
        assertEquals(2, run.exit(), run.out() + run.err());
        assertTrue(run.out().contains("failed: [" + h.name() + "]"), run.out());
        assertTrue(run.out().contains("nf_conntrack_max"), run.out());
        assertTrue(run.out().contains("Invalid argument"), "the kernel's own words: " + run.out());
        assertTrue(run.out().contains("undone"), run.out());
        assertEquals(file, sh(h, "sha256sum /etc/sysctl.conf; stat -c '%a %U %G' /etc/sysctl.conf"));
        assertEquals(liveBefore, sh(h, "cat /proc/sys/net/ipv4/tcp_fin_timeout /proc/sys/net/ipv4/tcp_max_syn_backlog "
                + "/proc/sys/net/netfilter/nf_conntrack_max /proc/sys/net/netfilter/nf_conntrack_tcp_timeout_established"),
                "every live value the sysctl -p changed is back");
    }

    @Test
    void centos5GetsTheLegacyNamesAndCentos6TheModernOnes() throws Exception {
        TestFleet.Host c6 = fleet.host(1);
        TestFleet.Host c5 = fleet.host(2);
        for (TestFleet.Host h : List.of(c5, c6)) {
            sh(h, ": > /etc/sysctl.conf");
        }
        Path pb = playbook("""
                - hosts: all
                  tasks:
                    - sysctl: {name: net.netfilter.nf_conntrack_tcp_timeout_established, value: '1200'}
                """);
        Run run = sysfleet(args("run", pb, inventory(c5, c6), "-v"));
        assertEquals(0, run.exit(), run.out() + run.err());
        assertEquals("# Added by sysfleet\nnet.ipv4.netfilter.ip_conntrack_tcp_timeout_established = 1200\n",
                sh(c5, "cat /etc/sysctl.conf"));
        assertEquals("1200", live(c5, "net/ipv4/netfilter/ip_conntrack_tcp_timeout_established"));
        assertEquals("# Added by sysfleet\nnet.netfilter.nf_conntrack_tcp_timeout_established = 1200\n",
                sh(c6, "cat /etc/sysctl.conf"));
        assertEquals("1200", live(c6, "net/netfilter/nf_conntrack_tcp_timeout_established"));
    }

    @Test
    void twRecycleIsAbsentOnThisKernelAndAStaleLineIsCommentedOut() throws Exception {
        TestFleet.Host h = fleet.host(1);
        sh(h, "printf 'net.ipv4.tcp_tw_recycle = 1\\n' > /etc/sysctl.conf");
        Path pb = playbook("""
                - hosts: all
                  tasks:
                    - sysctl: {name: net.ipv4.tcp_tw_recycle, value: '0'}
                """);
        Run run = sysfleet(args("run", pb, inventory(h), "-v"));
        assertEquals(0, run.exit(), run.out() + run.err());
        assertTrue(run.out().contains("absent on this kernel"), run.out());
        String file = sh(h, "cat /etc/sysctl.conf");
        assertTrue(file.contains("# sysfleet: absent: net.ipv4.tcp_tw_recycle = 1"), file);
        assertEquals("", sh(h, "LANG=C sysctl -p /etc/sysctl.conf 2>&1"), "the file now loads cleanly");
        Run again = sysfleet(args("run", pb, inventory(h)));
        assertEquals(0, again.exit());
        assertTrue(again.out().contains("ok: [" + h.name() + "]"), again.out());
        Path one = playbook("""
                - hosts: all
                  tasks:
                    - sysctl: {name: net.ipv4.tcp_tw_recycle, value: '1'}
                """);
        Run bad = sysfleet(args("run", one, inventory(h)));
        assertEquals(2, bad.exit(), bad.out());
        assertTrue(bad.out().contains("removed in Linux 4.12"), bad.out());
    }

    @Test
    void anUnknownHostKeyIsRefusedBeforeAnyCommand() throws Exception {
        TestFleet.Host h = fleet.host(1);
        sh(h, "printf 'net.ipv4.tcp_fin_timeout = 44\\n' > /etc/sysctl.conf");
        Path empty = Files.writeString(tmp.resolve("known_hosts_empty"), "");
        Path pb = playbook("""
                - hosts: all
                  tasks:
                    - sysctl: {name: net.ipv4.tcp_fin_timeout, value: '30'}
                """);
        List<String> a = new ArrayList<>(List.of(args("run", pb, inventory(h))));
        a.set(a.indexOf("--known-hosts") + 1, empty.toString());
        Run run = sysfleet(a.toArray(String[]::new));
        assertEquals(3, run.exit(), run.out() + run.err());
        assertTrue(run.out().contains("unreachable: [" + h.name() + "]"), run.out());
        assertTrue(run.out().toLowerCase().contains("host key"), run.out());
        assertEquals("net.ipv4.tcp_fin_timeout = 44\n", sh(h, "cat /etc/sysctl.conf"));
        assertEquals("", Files.readString(empty), "strict policy records nothing");
    }

    @Test
    void checkReportsAValueThatABootFileShadowsAsDrift() throws Exception {
        TestFleet.Host h = fleet.host(3);
        sh(h, "printf 'net.ipv4.tcp_fin_timeout = 30\\n' > /etc/sysctl.conf && sysctl -q -w net.ipv4.tcp_fin_timeout=30"
                + " && mkdir -p /etc/sysctl.d && ln -sf ../sysctl.conf /etc/sysctl.d/99-sysctl.conf"
                + " && printf 'net.ipv4.tcp_fin_timeout = 60\\n' > /etc/sysctl.d/99-zz-override.conf");
        Path pb = playbook("""
                - hosts: all
                  tasks:
                    - sysctl: {name: net.ipv4.tcp_fin_timeout, value: '30'}
                """);
        try {
            Run shadowed = sysfleet(args("check", pb, inventory(h)));
            assertEquals(7, shadowed.exit(), "file and live value are right, but a reboot would undo them: "
                    + shadowed.out());
            assertTrue(shadowed.out().contains("will not survive a reboot: /etc/sysctl.d/99-zz-override.conf:1"),
                    shadowed.out());
            sh(h, "rm /etc/sysctl.d/99-zz-override.conf");
            Run clean = sysfleet(args("check", pb, inventory(h)));
            assertEquals(0, clean.exit(), clean.out());
            assertFalse(clean.out().contains("will not survive"), clean.out());
        } finally {
            sh(h, "rm -f /etc/sysctl.d/99-zz-override.conf /etc/sysctl.d/99-sysctl.conf");
        }
    }

    @Test
    void runWarnsWhenABootFileWouldUndoWhatItSet() throws Exception {
        TestFleet.Host h = fleet.host(3);
        sh(h, "printf 'net.ipv4.tcp_fin_timeout = 60\\n' > /etc/sysctl.conf && sysctl -q -w net.ipv4.tcp_fin_timeout=60"
                + " && mkdir -p /etc/sysctl.d && ln -sf ../sysctl.conf /etc/sysctl.d/99-sysctl.conf"
                + " && printf 'net.ipv4.tcp_fin_timeout = 60\\n' > /etc/sysctl.d/99-zz-override.conf");
        Path pb = playbook("""
                - hosts: all
                  tasks:
                    - sysctl: {name: net.ipv4.tcp_fin_timeout, value: '30'}
                """);
        Path json = tmp.resolve("run.json");
        try {
            Run run = sysfleet(args("run", pb, inventory(h), "--report-json", json.toString()));
            assertEquals(0, run.exit(), "the run converged the host: " + run.out() + run.err());
            assertEquals("30", live(h, "net/ipv4/tcp_fin_timeout"));
            String warning = "will not survive a reboot: /etc/sysctl.d/99-zz-override.conf:1 sets "
                    + "net.ipv4.tcp_fin_timeout = 60 after /etc/sysctl.conf";
            assertTrue(run.out().contains("[WARNING] " + warning), run.out());
            assertTrue(Files.readString(json).contains(warning), "the JSON report has the warning too");
            // and it is true: what systemd-sysctl would apply at boot sets the key back
            assertEquals("net.ipv4.tcp_fin_timeout = 60\n", sh(h, "cat /etc/sysctl.d/99-zz-override.conf"));
        } finally {
            sh(h, "rm -f /etc/sysctl.d/99-zz-override.conf /etc/sysctl.d/99-sysctl.conf");
        }
    }
}
