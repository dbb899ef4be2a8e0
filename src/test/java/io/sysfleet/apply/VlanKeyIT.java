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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * VLAN interface keys against a real kernel and the real procps sysctl. The container gets an interface named
 * {@code eth0.100} (NET_ADMIN is enough): a VLAN where the kernel has 8021q, else a veth pair of that name (this
 * machine's kernel has no 8021q; for sysctl only the name matters, and both make the same /proc/sys entries).
 * Its keys sysctl spells {@code net.ipv4.conf.eth0/100.rp_filter}
 * (dotted) or {@code net/ipv4/conf/eth0.100/rp_filter} (slashed): procps swaps dots and slashes when the first
 * separator is a '/'. Both spellings must reach {@code /proc/sys/net/ipv4/conf/eth0.100/...}: planned, set,
 * verified, found converged the second time, and rolled back.
 */
class VlanKeyIT {
    private static final String RP = "/proc/sys/net/ipv4/conf/eth0.100/rp_filter";
    private static final String ARP = "/proc/sys/net/ipv4/conf/eth0.100/arp_ignore";
    private static TestFleet fleet;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startFleet() throws Exception {
        fleet = TestFleet.start("debian12");
        String how = sh("if ip link add link eth0 name eth0.100 type vlan id 100 2>/dev/null; then echo vlan; "
                + "else ip link add name eth0.100 type veth peer name vlanpeer0 && echo veth; fi");
        System.out.println("VlanKeyIT: eth0.100 is a " + how.strip() + " interface");
        sh("test -f " + RP + " && test -f " + ARP);
    }

    @AfterAll
    static void stopFleet() {
        if (fleet != null) {
            fleet.close();
        }
    }

    private static String sh(String script) throws Exception {
        Container.ExecResult r = fleet.host(0).container().execInContainer("sh", "-c", script);
        assertEquals(0, r.getExitCode(), script + ": " + r.getStderr());
        return r.getStdout() + r.getStderr();
    }

    private Cli.Result sysfleet(String... args) throws IOException {
        TestFleet.Host h = fleet.host(0);
        Path inv = tmp.resolve("inventory.yml");
        Files.writeString(inv, "all:\n  hosts:\n    " + h.name() + ":\n      ansible_host: 127.0.0.1\n"
                + "      ansible_port: " + h.port() + "\n      ansible_user: sysfleet\n      ansible_become: true\n"
                + "      ansible_ssh_private_key_file: " + fleet.privateKey() + "\n");
        List<String> a = new ArrayList<>(List.of(args));
        a.addAll(List.of("-i", inv.toString(), "--known-hosts", fleet.knownHosts().toString(),
                "--state-dir", tmp.resolve("state").toString(), "--progress", "never"));
        return Cli.run(a);
    }

    @Test
    void bothSpellingsOfAVlanKeyReachItsProcSysEntry() throws Exception {
        sh("printf 'net.ipv4.tcp_fin_timeout = 60\\n' > /etc/sysctl.conf && echo 0 > " + RP + " && echo 0 > " + ARP);
        String before = sh("cat /etc/sysctl.conf " + RP + " " + ARP);
        Path pb = tmp.resolve("vlan.yml");
        Files.writeString(pb, """
                - hosts: all
                  gather_facts: false
                  tasks:
                    - sysctl: {name: net.ipv4.conf.eth0/100.rp_filter, value: '2'}
                    - sysctl: {name: net/ipv4/conf/eth0.100/arp_ignore, value: '1'}
                """);
        Cli.Result check = sysfleet("check", pb.toString(), "-v");
        assertEquals(7, check.exit(), check.out() + check.err());
        assertTrue(check.out().contains("net.ipv4.conf.eth0/100.rp_filter: want 2, live 0"), check.out());

        Cli.Result run = sysfleet("run", pb.toString(), "-v");
        assertEquals(0, run.exit(), run.out() + run.err());
        assertTrue(run.out().contains("net.ipv4.conf.eth0/100.rp_filter: 0 -> 2 [verified] [changed]"), run.out());
        assertTrue(run.out().contains("net.ipv4.conf.eth0/100.arp_ignore: 0 -> 1 [verified] [changed]"), run.out());
        // what the real kernel and the real procps sysctl say
        assertEquals("2\n1\n", sh("cat " + RP + " " + ARP));
        assertEquals("2\n", sh("sysctl -n net.ipv4.conf.eth0/100.rp_filter"));
        assertEquals("1\n", sh("sysctl -n net/ipv4/conf/eth0.100/arp_ignore"));
        String file = sh("cat /etc/sysctl.conf");
        assertTrue(file.contains("net.ipv4.conf.eth0/100.rp_filter = 2\n"), file);
        assertTrue(file.contains("net.ipv4.conf.eth0/100.arp_ignore = 1\n"), file);
        sh("echo 0 > " + RP + " && echo 0 > " + ARP);
        assertEquals("", sh("LANG=C sysctl -q -p /etc/sysctl.conf"), "procps loads the file sysfleet wrote");
        assertEquals("2\n1\n", sh("cat " + RP + " " + ARP), "and sets the VLAN interface's keys from it");

        Cli.Result again = sysfleet("run", pb.toString());
        assertEquals(0, again.exit(), again.out() + again.err());
        assertTrue(again.out().contains("ok: [" + fleet.host(0).name() + "]"), "converged: " + again.out());

        Cli.Result rollback = sysfleet("rollback", "--last");
        assertEquals(0, rollback.exit(), rollback.out() + rollback.err());
        assertEquals(before, sh("cat /etc/sysctl.conf " + RP + " " + ARP), "file and both live values as before");
    }
}
