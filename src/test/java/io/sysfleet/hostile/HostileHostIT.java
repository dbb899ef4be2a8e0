package io.sysfleet.hostile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sysfleet.journal.Journal;
import io.sysfleet.journal.RunRecord;
import io.sysfleet.sysctl.UnifiedDiff;
import io.sysfleet.testing.Cli;
import io.sysfleet.testing.TestFleet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.Container;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile host data on real sshd containers over SSH with sudo: a UTF-8 value reaches the file and /proc/sys as
 * its bytes; a 1 MB sysctl.conf with many changes on one host leaves the other host, the recap, the report and the
 * journal whole; huge and binary files are refused without a byte shown; bytes that are not UTF-8 are kept.
 */
class HostileHostIT {
    private static final String NAME = "\u4f8b\u3048.\u30c6\u30b9\u30c8"; // 16 UTF-8 bytes; domainname takes 64
    private static TestFleet fleet;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() {
        fleet = TestFleet.start("debian12", "debian12");
    }

    @AfterAll
    static void stop() {
        if (fleet != null) {
            fleet.close();
        }
    }

    private Path inventory(TestFleet.Host... hosts) throws Exception {
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

    private Cli.Result sysfleet(String playbook, Path inv, String... more) throws Exception {
        Path pb = tmp.resolve("play.yml");
        Files.writeString(pb, playbook, StandardCharsets.UTF_8);
        List<String> a = new ArrayList<>(List.of("run", pb.toString(), "-i", inv.toString(), "--known-hosts",
                fleet.knownHosts().toString(), "--state-dir", tmp.resolve("state").toString(), "-D", "--progress", "never"));
        a.addAll(List.of(more));
        return Cli.run(a);
    }

    private static String sh(TestFleet.Host h, String script) throws Exception {
        Container.ExecResult r = h.container().execInContainer("sh", "-c", script);
        assertEquals(0, r.getExitCode(), h.name() + ": " + script + ": " + r.getStderr());
        return r.getStdout();
    }

    private static String task(String key, String value, String file) {
        return "- hosts: all\n  gather_facts: false\n  tasks:\n    - ansible.posix.sysctl:\n        name: " + key
                + "\n        value: \"" + value + "\"\n        sysctl_file: " + file + "\n";
    }

    @Test
    void aUtf8ValueReachesTheFileAndTheKernelAsItsBytes() throws Exception {
        TestFleet.Host h = fleet.host(0);
        sh(h, "rm -f /etc/sysctl.d/90-name.conf; sysctl -q -w kernel.domainname=before");
        Cli.Result r = sysfleet(task("kernel.domainname", NAME, "/etc/sysctl.d/90-name.conf"), inventory(h));
        assertEquals(0, r.exit(), r.out() + r.err());
        String want = HexFormat.of().formatHex(NAME.getBytes(StandardCharsets.UTF_8));
        assertEquals(want + "0a", sh(h, "od -An -tx1 -v /proc/sys/kernel/domainname | tr -d ' \\n'"), "the kernel's bytes");
        assertTrue(sh(h, "od -An -tx1 -v /etc/sysctl.d/90-name.conf | tr -d ' \\n'")
                .endsWith(HexFormat.of().formatHex(("kernel.domainname = " + NAME + "\n").getBytes(StandardCharsets.UTF_8))));
        Cli.Result again = sysfleet(task("kernel.domainname", NAME, "/etc/sysctl.d/90-name.conf"), inventory(h));
        assertTrue(again.out().contains("ok: [" + h.name() + "]"), "verified and converged: " + again.out());
    }

    @Test
    void aMegabyteSysctlConfOnOneHostLeavesTheOtherHostRecapReportAndJournalWhole() throws Exception {
        TestFleet.Host big = fleet.host(0);
        TestFleet.Host small = fleet.host(1);
        // 1 MB: 25,000 earlier lines for the key with other values, all commented out by the edit (a ~2 MB diff)
        sh(big, "i=0; while [ $i -lt 25000 ]; do echo \"net.ipv4.tcp_fin_timeout = $((40 + i % 50))  # padding line $i\"; "
                + "i=$((i+1)); done > /etc/sysctl.conf; wc -c < /etc/sysctl.conf");
        sh(small, "echo 'net.ipv4.tcp_fin_timeout = 60' > /etc/sysctl.conf");
        Path report = tmp.resolve("report.json");
        Cli.Result r = sysfleet(task("net.ipv4.tcp_fin_timeout", "32", "/etc/sysctl.conf"), inventory(big, small),
                "--report-json", report.toString());
        assertEquals(0, r.exit(), r.err() + r.out().substring(Math.max(0, r.out().length() - 3000)));
        assertTrue(r.out().contains("changed: [" + big.name() + "]") && r.out().contains("changed: [" + small.name() + "]"));
        assertTrue(r.out().contains("PLAY RECAP") && r.out().contains(UnifiedDiff.TRUNCATED));
        for (TestFleet.Host h : List.of(big, small)) {
            assertEquals("32", sh(h, "cat /proc/sys/net/ipv4/tcp_fin_timeout").strip(), h.name());
        }
        JsonNode hosts = new ObjectMapper().readTree(report.toFile()).get("plays").get(0).get("hosts");
        assertEquals(2, hosts.size());
        RunRecord rec = Journal.list(tmp.resolve("state")).get(0);
        assertEquals("finished", rec.status());
        assertEquals(2, rec.hosts().size());
    }

    @Test
    void hugeAndBinaryFilesAreRefusedUnseenAndOddBytesAreKept() throws Exception {
        TestFleet.Host h = fleet.host(1);
        sh(h, "yes 'root:$6$hash-never-printed' | head -c 5000000 > /etc/sysctl.d/91-huge.conf;"
                + " printf 'root:$6$hash-never-printed\\n\\000\\001' > /etc/sysctl.d/92-binary.conf;"
                + " printf '# caf\\351 \\377\\nnet.ipv4.tcp_fin_timeout = 60\\n' > /etc/sysctl.d/93-latin1.conf");
        String before = sh(h, "sha256sum /etc/sysctl.d/91-huge.conf /etc/sysctl.d/92-binary.conf");
        for (String[] c : new String[][] {{"91-huge.conf", "is 5000000 bytes, larger than"},
            {"92-binary.conf", "contains NUL bytes"}}) {
            Cli.Result r = sysfleet(task("net.ipv4.tcp_fin_timeout", "33", "/etc/sysctl.d/" + c[0]), inventory(h));
            assertEquals(2, r.exit(), r.out());
            assertTrue(r.out().contains("facts: /etc/sysctl.d/" + c[0] + " " + c[1]), r.out());
            assertFalse(r.out().contains("hash-never-printed"), r.out());
        }
        assertEquals(before, sh(h, "sha256sum /etc/sysctl.d/91-huge.conf /etc/sysctl.d/92-binary.conf"));
        Cli.Result r = sysfleet(task("net.ipv4.tcp_fin_timeout", "33", "/etc/sysctl.d/93-latin1.conf"), inventory(h));
        assertEquals(0, r.exit(), r.out() + r.err());
        assertEquals("2320636166e920ff0a6e65742e697076342e7463705f66696e5f74696d656f7574203d2033330a",
                sh(h, "od -An -tx1 -v /etc/sysctl.d/93-latin1.conf | tr -d ' \\n'"));
        sh(h, "rm -f /etc/sysctl.d/91-huge.conf /etc/sysctl.d/92-binary.conf /etc/sysctl.d/93-latin1.conf");
    }
}
