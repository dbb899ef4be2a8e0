package io.sysfleet.cli;

import io.sysfleet.testing.Cli;
import io.sysfleet.testing.TestFleet;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A role that mixes in other modules, through the command line, offline (no host contacted): refused with one
 * file:line:col line per such task and exit 4 by default; with --sysctl-only its sysctl part is planned and the
 * other tasks are listed as left for ansible-playbook; --tags selects as ansible-playbook does.
 */
class SysctlOnlyCliTest {
    private static final Path CASE = TestFleet.projectRoot().resolve("src/test/resources/playbook-corpus/k3s-prereq-role");

    private static final Path CIS = TestFleet.projectRoot().resolve(
            "src/test/resources/playbook-corpus/cis-lineinfile-sysctl-conf");

    private static Cli.Result check(String... more) {
        return check(CASE, more);
    }

    private static Cli.Result check(Path dir, String... more) {
        String[] base = {"check", dir.resolve("site.yml").toString(), "-i", dir.resolve("inventory.yml").toString(),
                "--offline", "-v", "--progress", "never"};
        String[] args = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, args, base.length, more.length);
        return Cli.run(args);
    }

    @Test
    void mixedRoleIsRefusedWithoutTheFlag() {
        Cli.Result r = check();
        assertEquals(4, r.exit(), r.out() + r.err());
        assertTrue(r.err().contains("is not run by sysfleet; run with --sysctl-only"), r.err());
        assertTrue(r.err().lines().allMatch(l -> l.isBlank() || l.matches("(sysfleet: )?/.*:\\d+:\\d+: .*")), r.err());
    }

    @Test
    void withTheFlagTheSysctlPartIsPlannedAndTheRestListed() {
        Cli.Result r = check("--sysctl-only");
        assertEquals(0, r.exit(), r.out() + r.err());
        // offline, a task whose when needs facts is unknown, whatever its module; its value is still checked
        assertTrue(r.out().contains("net.bridge.bridge-nf-call-iptables: want 1, unknown offline (needs "
                + "ansible_distribution)"), r.out());
        // modprobe is run by sysfleet (kern-11): its line is a module line, unknown offline like the sysctl tasks
        assertTrue(r.out().contains("prereq : Load br_netfilter: want loaded (module br_netfilter: unknown offline"),
                r.out());
        assertFalse(r.out().contains("failed: ["), r.out());

        Cli.Result cis = check(CIS, "--sysctl-only");
        assertEquals(0, cis.exit(), cis.out() + cis.err());
        assertTrue(cis.out().contains("left for ansible-playbook (lineinfile)"), cis.out());
        assertTrue((cis.out() + cis.err()).contains("may change the outcome: it writes /etc/sysctl.conf"),
                cis.out() + cis.err());
    }
}
