package io.sysfleet.cli;

import io.sysfleet.testing.Cli;
import io.sysfleet.testing.TestFleet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Offline means offline: the README's own example ({@code run playbooks/site.yml -i INVENTORY --check --offline})
 * on the shipped baseline and the example inventory. A {@code when} that needs facts is reported as unknown, not
 * as an error; no host is contacted (the example inventory's hosts are 127.0.0.1 ports of a lab that need not run).
 */
class OfflineTest {
    private static final Path ROOT = TestFleet.projectRoot();

    @Test
    void theReadmesOfflineExampleRunsOnTheShippedBaseline(@TempDir Path state) {
        Cli.Result r = Cli.run("run", ROOT.resolve("playbooks/site.yml").toString(), "-i",
                ROOT.resolve("inventory.example.yml").toString(), "--check", "--offline", "-v",
                "--state-dir", state.toString(), "--progress", "never");
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("net.ipv4.tcp_tw_recycle: want 0, unknown offline (needs ansible_kernel)"), r.out());
        assertTrue(r.out().contains("net.ipv4.tcp_fin_timeout: want 30 (offline: facts not gathered)"), r.out());
        assertFalse(r.out().contains("failed: ["), r.out());
        assertTrue(r.out().matches("(?s).*deb12-a +: ok=\\d+ +changed=0 +unreachable=0 +failed=0 .*"), r.out());
        assertFalse(Files.exists(state.resolve("runs")), "check mode journals nothing");
    }

    @Test
    void offlineStillRefusesAnInvalidPlaybook(@TempDir Path dir) throws IOException {
        Path pb = Files.writeString(dir.resolve("p.yml"), "- hosts: all\n  tasks:\n"
                + "    - sysctl: {name: net.ipv4.tcp_syncookies, value: '7'}\n      when: ansible_kernel is defined\n");
        Cli.Result r = Cli.run("check", pb.toString(), "-i", ROOT.resolve("inventory.example.yml").toString(),
                "--offline", "--progress", "never");
        assertEquals(4, r.exit(), r.out() + r.err());
        assertTrue(r.err().contains("p.yml:3:54: net.ipv4.tcp_syncookies must be an integer from 0 to 2"), r.err());
    }
}
