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
 * modprobe tasks and the runtime checks against real sshd containers.
 *
 * <p>host0 runs the {@code debian12-noconntrack} profile: the image's modprobe-double TEST DOUBLE
 * (src/image/usr/local/sbin/modprobe-double) hides nf_conntrack until {@code modprobe nf_conntrack}. A double is
 * needed because a container cannot load kernel modules (no CAP_SYS_MODULE, no /lib/modules) and this machine's
 * kernel has nf_conntrack built in, so no real host here lacks it. Only the module's presence is emulated: the
 * keys it reveals are the real kernel's, and sysctl writes them for real. host1 is a plain debian12 container:
 * its own network namespace, where the kernel offers nf_conntrack_max read-only.
 */
class ModprobeIT {
    private static TestFleet fleet;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startFleet() {
        fleet = TestFleet.start("debian12-noconntrack", "debian12");
    }

    @AfterAll
    static void stopFleet() {
        if (fleet != null) {
            fleet.close();
        }
    }

    private record Run(int exit, String out, String err) {
    }

    private Run sysfleet(String... args) {
        Cli.Result r = Cli.run(args);
        return new Run(r.exit(), r.out(), r.err());
    }

    private Path inventory(TestFleet.Host h) throws IOException {
        Path inv = tmp.resolve("inventory.yml");
        Files.writeString(inv, "all:\n  vars:\n    ansible_user: sysfleet\n    ansible_become: true\n"
                + "    ansible_ssh_private_key_file: " + fleet.privateKey() + "\n  hosts:\n    " + h.name()
                + ":\n      ansible_host: 127.0.0.1\n      ansible_port: " + h.port() + "\n");
        return inv;
    }

    private Path playbook(String yaml) throws IOException {
        Path p = tmp.resolve("play.yml");
        Files.writeString(p, yaml);
        return p;
    }

    private String[] args(String cmd, Path playbook, Path inventory, String... more) {
        List<String> a = new ArrayList<>(List.of(cmd));
        if (playbook != null) {
            a.add(playbook.toString());
        }
        a.addAll(List.of("-i", inventory.toString(), "--known-hosts", fleet.knownHosts().toString(),
                "--state-dir", tmp.resolve("state").toString()));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    private static String sh(TestFleet.Host h, String script) throws Exception {
        Container.ExecResult r = h.container().execInContainer("sh", "-c", script);
        assertEquals(0, r.getExitCode(), "in " + h.name() + ": " + script + ": " + r.getStderr());
        return r.getStdout();
    }

    private static final String TIMEOUT_KEY = "/proc/sys/net/netfilter/nf_conntrack_tcp_timeout_established";

    @Test
    void aPlayLoadsTheModuleBeforeItsKeysPersistsItAndRollsItBack() throws Exception {
        TestFleet.Host h = fleet.host(0);
        sh(h, "printf 'net.ipv4.tcp_fin_timeout = 60\\n' > /etc/sysctl.conf");
        assertEquals("absent", sh(h, "[ -e " + TIMEOUT_KEY + " ] && echo present || echo absent").strip(),
                "the double hides the module's keys");
        Path inv = inventory(h);

        // Without a modprobe task: refused before anything changes, with the exact fix.
        Path without = playbook("""
                - hosts: all
                  tasks:
                    - sysctl: {name: net.netfilter.nf_conntrack_tcp_timeout_established, value: '1200'}
                """);
        String fileBefore = sh(h, "sha256sum /etc/sysctl.conf; ls /etc | grep -c sysfleet || true");
        Run refused = sysfleet(args("run", without, inv));
        assertEquals(2, refused.exit(), refused.out() + refused.err());
        assertTrue(refused.out().contains("it needs the nf_conntrack module, which is not loaded; add before this "
                + "task: '- community.general.modprobe: {name: nf_conntrack, state: present, persistent: present}'"),
                refused.out());
        assertEquals(fileBefore, sh(h, "sha256sum /etc/sysctl.conf; ls /etc | grep -c sysfleet || true"));

        Path play = playbook("""
                - hosts: all
                  tasks:
                    - name: Load nf_conntrack before its keys
                      community.general.modprobe:
                        name: nf_conntrack
                        state: present
                        params: 'hashsize=131072'
                        persistent: present
                    - sysctl: {name: net.netfilter.nf_conntrack_tcp_timeout_established, value: '1200'}
                """);
        Run check = sysfleet(args("check", play, inv, "-v")); // -v: every key line with its note
        assertEquals(7, check.exit(), check.out() + check.err());
        assertTrue(check.out().contains("modprobe nf_conntrack hashsize=131072"), check.out());
        assertEquals("absent", sh(h, "[ -e " + TIMEOUT_KEY + " ] && echo present || echo absent").strip(),
                "check mode loads nothing");

        Run run = sysfleet(args("run", play, inv));
        assertEquals(0, run.exit(), run.out() + run.err());
        assertEquals("1200", sh(h, "cat " + TIMEOUT_KEY).strip(), "set in the real kernel after the load");
        assertEquals("nf_conntrack\n", sh(h, "cat /etc/modules-load.d/nf_conntrack.conf"));
        assertEquals("options nf_conntrack hashsize=131072\n", sh(h, "cat /etc/modprobe.d/nf_conntrack.conf"));
        assertEquals("hashsize=131072\n", sh(h, "cat /run/sysfleet-modprobe-double/nf_conntrack.params"),
                "modprobe got the parameters");
        assertTrue(sh(h, "cat /etc/sysctl.conf").contains("net.netfilter.nf_conntrack_tcp_timeout_established = 1200"));

        Run again = sysfleet(args("run", play, inv));
        assertEquals(0, again.exit(), again.out() + again.err());
        assertTrue(again.out().contains("changed=0"), "idempotent: " + again.out());

        Run back = sysfleet(args("rollback", null, inv, "--last"));
        assertEquals(0, back.exit(), back.out() + back.err());
        assertEquals("absent", sh(h, "[ -e " + TIMEOUT_KEY + " ] && echo present || echo absent").strip(),
                "the module is unloaded again: " + back.out());
        assertEquals("absent", sh(h, "[ -e /etc/modules-load.d/nf_conntrack.conf ] || "
                + "[ -e /etc/modprobe.d/nf_conntrack.conf ] && echo present || echo absent").strip(),
                "the module files the run created are gone");
        assertEquals("net.ipv4.tcp_fin_timeout = 60\n", sh(h, "cat /etc/sysctl.conf"));
    }

    @Test
    void aGlobalKeyIsRefusedInAContainerBeforeAnythingChanges() throws Exception {
        TestFleet.Host h = fleet.host(1);
        sh(h, "printf 'net.ipv4.tcp_fin_timeout = 60\\n' > /etc/sysctl.conf && sysctl -q -w net.ipv4.tcp_fin_timeout=60");
        String before = sh(h, "sha256sum /etc/sysctl.conf; ls /etc | grep -c sysfleet || true; "
                + "cat /proc/sys/net/ipv4/tcp_fin_timeout");
        Path play = playbook("""
                - hosts: all
                  tasks:
                    - sysctl: {name: net.ipv4.tcp_fin_timeout, value: '30'}
                    - sysctl: {name: net.netfilter.nf_conntrack_max, value: '655350'}
                """);
        Run run = sysfleet(args("run", play, inventory(h)));
        assertEquals(2, run.exit(), run.out() + run.err());
        assertTrue(run.out().contains("cannot set net.netfilter.nf_conntrack_max = 655350: the kernel offers it "
                + "read-only here (this host: container docker, not the initial network namespace"), run.out());
        assertFalse(run.out().contains("undone"), "refused before the change, not undone after it: " + run.out());
        assertEquals(before, sh(h, "sha256sum /etc/sysctl.conf; ls /etc | grep -c sysfleet || true; "
                + "cat /proc/sys/net/ipv4/tcp_fin_timeout"), "nothing changed, no backup made");
    }

    @Test
    void twBucketsBelowTheTimeWaitSocketsOfTheHostIsWarnedWithTheNumbers() throws Exception {
        TestFleet.Host h = fleet.host(1);
        // Real TIME_WAIT sockets in the container's namespace: the client closes first, so its side waits.
        // The whole banner line is read first: closing with unread data would send a reset, not a FIN.
        sh(h, "for i in $(seq 1 30); do timeout 2 bash -c 'exec 3<>/dev/tcp/127.0.0.1/22; read -r l <&3; exec 3>&-' "
                + ">/dev/null 2>&1 || true; done");
        long tw = Long.parseLong(sh(h, "sed -n 's/^TCP:.* tw \\([0-9]*\\).*/\\1/p' /proc/net/sockstat").strip());
        assertTrue(tw >= 20, "TIME_WAIT sockets made: " + tw);
        Path play = playbook("""
                - hosts: all
                  tasks:
                    - sysctl: {name: net.ipv4.tcp_max_tw_buckets, value: '5'}
                """);
        Run check = sysfleet(args("check", play, inventory(h)));
        assertEquals(7, check.exit(), check.out() + check.err());
        assertTrue(check.out().matches("(?s).*net\\.ipv4\\.tcp_max_tw_buckets = 5 is below the [0-9]+ sockets in "
                + "TIME_WAIT on this host now.*"), check.out());
    }
}
