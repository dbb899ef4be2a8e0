package io.sysfleet.lint;

import io.sysfleet.cli.Main;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code sysfleet lint} in-process through Main.newCommandLine(), as users run it. */
class LintCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = Main.newCommandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void publishedRowThreeFixExitsSix() {
        int rc = run("lint", LinterTest.DIR + "row3-published.yml");
        assertEquals(6, rc, out + "" + err);
        assertEquals(List.of(
                LinterTest.DIR + "row3-published.yml:7:54: error: net.ipv4.tcp_tw_recycle = 1 drops SYNs from clients "
                        + "behind NAT (troubleshooting table rows 1 and 8) and Linux 4.12 removed the key; set 0 and "
                        + "rely on tcp_tw_reuse [tw-recycle]",
                "1 playbook(s): 1 error(s), 0 warning(s), 0 note(s)"), out.toString().lines().toList());
        assertEquals("", err.toString());
    }

    @Test
    void shippedPlaybooksExitZero() {
        int rc = run("lint", "playbooks/site.yml", "playbooks/01-nat-reset.yml", "playbooks/03-time-wait.yml",
                "playbooks/07-conntrack-table-full.yml");
        assertEquals(0, rc, out + "" + err);
        assertTrue(out.toString().endsWith("4 playbook(s): 0 error(s), 0 warning(s), 0 note(s)"
                + System.lineSeparator()), out.toString());
    }

    @Test
    void warningsFailOnlyWithStrict() {
        assertEquals(0, run("lint", LinterTest.DIR + "timestamps.yml"));
        assertTrue(out.toString().contains(": warning: net.ipv4.tcp_timestamps = 0 makes"), out.toString());
        assertEquals(6, run("lint", "--strict", LinterTest.DIR + "timestamps.yml"));
        assertTrue(out.toString().contains(": error: net.ipv4.tcp_timestamps = 0 makes"), out.toString());
    }

    @Test
    void loadProblemsOfEveryPlaybookExitFour() {
        int rc = run("lint", LinterTest.DIR + "broken.yml", LinterTest.DIR + "missing.yml", LinterTest.DIR + "clean.yml");
        assertEquals(4, rc);
        assertEquals(List.of(
                "sysfleet: " + LinterTest.DIR + "broken.yml:3:66: state must be present or absent, not 'gone'",
                LinterTest.DIR + "missing.yml: no such file"), err.toString().lines().toList());
        assertEquals("", out.toString());
    }

    @Test
    void noPlaybookIsAUsageError() {
        assertEquals(5, run("lint"));
    }

    @Test
    void kernelOptionMakesRemovedKeysErrors() {
        String f = LinterTest.DIR + "mistakes.yml";
        assertEquals(6, run("lint", "--kernel", "6.1", f), err.toString());
        assertTrue(out.toString().contains(f + ":13:22: error: kernel.sched_migration_cost_ns does not exist on Linux "
                + "6.1: Linux 5.13 removed it"), out.toString());
        assertTrue(out.toString().endsWith("1 playbook(s): 9 error(s), 16 warning(s), 0 note(s)" + System.lineSeparator()),
                out.toString());
    }

    @Test
    void inventoryOptionWarnsAboutGlobalKeysOnContainers() {
        String dir = LinterTest.DIR + "containers/";
        assertEquals(0, run("lint", "-i", dir + "inventory.yml", dir + "playbook.yml"), err.toString());
        assertTrue(out.toString().contains(dir + "playbook.yml:4:22: warning: net.netfilter.nf_conntrack_max is global"),
                out.toString());
        assertTrue(out.toString().endsWith("1 playbook(s): 0 error(s), 3 warning(s), 0 note(s)" + System.lineSeparator()));
        assertEquals(6, run("lint", "--strict", "--inventory", dir + "inventory.yml", dir + "playbook.yml"));
    }

    @Test
    void aBadInventoryIsALoadProblem() {
        assertEquals(4, run("lint", "-i", LinterTest.DIR + "no-such-inventory.yml", LinterTest.DIR + "clean.yml"));
        assertTrue(err.toString().contains("no-such-inventory.yml"), err.toString());
        assertEquals("", out.toString());
    }

    @Test
    void theReadmesLintCommandWarnsOnlyAboutConntrackMaxOnTheLabsContainers() throws java.io.IOException {
        // ./sysfleet lint --kernel 6.1 -i inventory.example.yml playbooks/*.yml
        List<String> args = new java.util.ArrayList<>(List.of("lint", "--kernel", "6.1", "-i", "inventory.example.yml"));
        try (java.util.stream.Stream<java.nio.file.Path> s = java.nio.file.Files.list(java.nio.file.Path.of("playbooks"))) {
            s.map(java.nio.file.Path::toString).filter(p -> p.endsWith(".yml")).sorted().forEach(args::add);
        }
        assertEquals(0, run(args.toArray(String[]::new)), out + "" + err);
        List<String> lines = out.toString().lines().toList();
        assertEquals(3, lines.size(), out.toString());
        assertTrue(lines.get(0).startsWith("playbooks/07-conntrack-table-full.yml:20:15: warning: "
                + "net.netfilter.nf_conntrack_max is global"), lines.get(0));
        assertTrue(lines.get(0).endsWith("the inventory marks deb12-a, deb12-b, c7-a, c7-b, c6-a and 1 more as "
                + "container(s), so set it on the machine that runs them [container-global-key]"), lines.get(0));
        assertEquals((args.size() - 5) + " playbook(s): 0 error(s), 2 warning(s), 0 note(s)", lines.get(2));
    }
}
