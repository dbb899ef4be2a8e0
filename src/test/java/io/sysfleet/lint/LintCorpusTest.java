package io.sysfleet.lint;

import io.sysfleet.catalog.KeyCatalog;
import io.sysfleet.inventory.InventoryLoader;
import io.sysfleet.playbook.Play;
import io.sysfleet.playbook.Playbook;
import io.sysfleet.playbook.PlaybookLoader;
import io.sysfleet.playbook.SysctlTask;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * lint on sysctl settings in the shapes public roles write them (src/test/resources/lint/corpus: Kubernetes and
 * k3s node preparation, OS and CIS hardening, Ceph and OpenStack hosts, network tuning, homelab, databases; our
 * own files, one task per key): quiet with the generated catalog, where the first 13-key catalog called most of
 * their keys unknown; and strict on the mistakes such settings really contain (mistakes.yml, each line with the
 * finding it must get).
 */
class LintCorpusTest {
    private static final Path CORPUS = Path.of(LinterTest.DIR, "corpus");
    private static final KeyCatalog CATALOG = KeyCatalog.load();
    private static final Pattern EXPECT = Pattern.compile("#\\s*expect:\\s*([a-z-]+(?:\\s*,\\s*[a-z-]+)*)");

    private static List<Path> corpus() throws IOException {
        try (Stream<Path> s = Files.list(CORPUS)) {
            return s.filter(p -> p.toString().endsWith(".yml")).sorted().toList();
        }
    }

    @Test
    void publicRoleShapesLintCleanAndTheFirstCatalogCalledTheirKeysUnknown() throws IOException {
        KeyCatalog first = KeyCatalog.parse(Files.readString(Path.of("src/test/resources/catalog/keys-first-13.yml")),
                "keys-first-13.yml");
        int settings = 0;
        TreeSet<String> keys = new TreeSet<>();
        int unknownBefore = 0;
        TreeSet<String> unknownKeysBefore = new TreeSet<>();
        List<Path> files = corpus();
        assertTrue(files.size() >= 9, files.toString());
        for (Path f : files) {
            Playbook pb = PlaybookLoader.load(f);
            for (Play play : pb.plays()) {
                for (SysctlTask t : play.tasks()) {
                    settings++;
                    keys.add(io.sysfleet.sysctl.SysctlKey.of(t.key()).dotted());
                }
            }
            assertEquals(List.of(), Linter.lint(pb, CATALOG).stream().map(Finding::toString).toList(), f.toString());
            assertEquals(List.of(), Linter.lint(pb, CATALOG, new LintTarget("6.1", null)).stream()
                    .map(Finding::toString).toList(), f + " for Linux 6.1 (Debian 12)");
            for (Finding x : Linter.lint(pb, first)) {
                if (x.code().equals("unknown-key")) {
                    unknownBefore++;
                    unknownKeysBefore.add(x.message().substring(1, x.message().indexOf('\'', 1)));
                }
            }
        }
        System.out.println("lint corpus: " + files.size() + " playbooks, " + settings + " settings, " + keys.size()
                + " distinct keys; unknown-key findings with the first 13-key catalog: " + unknownBefore + " ("
                + unknownKeysBefore.size() + " distinct keys), with the generated catalog: 0");
        assertTrue(settings >= 200, "corpus too small: " + settings);
        assertTrue(unknownKeysBefore.size() > keys.size() / 2, unknownKeysBefore.size() + " of " + keys.size());
        assertTrue(unknownKeysBefore.contains("net.ipv4.ip_forward"), "the issue's example");
    }

    @Test
    void eachMistakeGetsItsFindingAndNothingElseIsFlagged() throws IOException {
        Path file = Path.of(LinterTest.DIR, "mistakes.yml");
        Map<Integer, TreeSet<String>> expected = new TreeMap<>();
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = EXPECT.matcher(lines.get(i));
            if (m.find()) {
                expected.put(i + 1, new TreeSet<>(List.of(m.group(1).split("\\s*,\\s*"))));
            }
        }
        Map<Integer, TreeSet<String>> found = new TreeMap<>();
        List<String> shown = new ArrayList<>();
        for (Finding f : Linter.lint(PlaybookLoader.load(file), CATALOG)) {
            found.computeIfAbsent(f.location().line(), x -> new TreeSet<>()).add(f.code());
            shown.add(f.toString());
        }
        assertEquals(expected, found, String.join("\n", shown));
        assertTrue(expected.size() >= 25, "mistakes.yml shows " + expected.size() + " mistakes");
        assertTrue(shown.contains(LinterTest.DIR + "mistakes.yml:19:50: error: net.ipv4.ip_forward must be an "
                + "integer from 0 to 1, got '2' [bad-value]"), "a boolean set to 2: " + shown);
        assertTrue(shown.contains(LinterTest.DIR + "mistakes.yml:11:22: warning: 'net.ipv4.tcp_tcp_tw_reuse' is not in "
                + "sysfleet's key catalog (did you mean net.ipv4.tcp_tw_reuse?); its value is not checked "
                + "[unknown-key]"), shown.toString());
    }

    @Test
    void aTargetKernelMakesRemovedKeysErrorsUnlessAWhenKeepsThemOff() {
        Playbook mistakes = PlaybookLoader.load(Path.of(LinterTest.DIR, "mistakes.yml"));
        List<String> on61 = Linter.lint(mistakes, CATALOG, new LintTarget("6.1.0-28-amd64", null)).stream()
                .filter(f -> f.code().equals("removed-key")).map(Finding::toString).toList();
        assertEquals(List.of(
                LinterTest.DIR + "mistakes.yml:13:22: error: kernel.sched_migration_cost_ns does not exist on Linux "
                        + "6.1.0-28-amd64: Linux 5.13 removed it (overrides: moved to debugfs (/sys/kernel/debug/sched/) "
                        + "in Linux 5.13), so sysctl -p fails on it there; guard the task with when: ansible_kernel is "
                        + "version('5.13', '<') [removed-key]",
                LinterTest.DIR + "mistakes.yml:14:22: error: net.netfilter.nf_conntrack_helper does not exist on Linux "
                        + "6.1.0-28-amd64: Linux 6.0 removed it (overrides: removed in Linux 6.0 with automatic helper "
                        + "assignment; default 0 since 4.7), so sysctl -p fails on it there; guard the task with when: "
                        + "ansible_kernel is version('6.0', '<') [removed-key]"), on61);
        assertEquals(List.of(), Linter.lint(mistakes, CATALOG, new LintTarget("5.4.0", null)).stream()
                .filter(f -> f.code().equals("removed-key")).toList(), "5.4 still has both");
        // The shipped row 3 playbook guards tcp_tw_recycle = 0 with ansible_kernel is version('4.12', '<').
        for (String kernel : List.of("3.10.0-1160.el7.x86_64", "6.1", "2.6.18-398.el5")) {
            assertEquals(List.of(), Linter.lint(PlaybookLoader.load(Path.of("playbooks/03-time-wait.yml")), CATALOG,
                    new LintTarget(kernel, null)), kernel);
        }
        // The database corpus guards the scheduler key with version('5.13', '<'): fine on 6.1 and on 3.10.
        Playbook db = PlaybookLoader.load(CORPUS.resolve("database-host.yml"));
        assertEquals(List.of(), Linter.lint(db, CATALOG, new LintTarget("3.10.0", null)));
    }

    @Test
    void keysNewerThanTheTargetKernelAreWarnings() {
        Playbook cis = PlaybookLoader.load(CORPUS.resolve("cis-level1.yml"));
        List<String> el7 = Linter.lint(cis, CATALOG, new LintTarget("3.10.0-1160.el7.x86_64", null)).stream()
                .map(Finding::toString).toList();
        assertTrue(el7.stream().allMatch(s -> s.contains("[added-key]")), el7.toString());
        assertTrue(el7.stream().anyMatch(s -> s.contains("fs.protected_fifos is not in Linux 3.10.0-1160.el7.x86_64: "
                + "it was added in Linux 4.19")), el7.toString());
        assertTrue(el7.stream().anyMatch(s -> s.contains("user.max_user_namespaces is not in Linux")),
                "its when (not cis_allow_user_namespaces | default(false)) is true without the variable: " + el7);
        assertTrue(el7.size() >= 4, el7.toString());
    }

    @Test
    void globalKeysOnHostsTheInventoryMarksAsContainersAreWarnings() {
        Path dir = Path.of(LinterTest.DIR, "containers");
        LintTarget target = new LintTarget(null, InventoryLoader.load(dir.resolve("inventory.yml")));
        List<String> found = Linter.lint(PlaybookLoader.load(dir.resolve("playbook.yml")), CATALOG, target).stream()
                .map(Finding::toString).toList();
        String f = dir + "/playbook.yml:";
        assertEquals(List.of(
                f + "4:22: warning: net.netfilter.nf_conntrack_max is global: only the initial network namespace can "
                        + "set it (it is read-only or absent in any other, as " + CATALOG.about().get("live_snapshot")
                        + " shows); the inventory marks ct1, ct2, app1 as container(s), so set it on the machine that "
                        + "runs them [container-global-key]",
                f + "6:22: warning: vm.swappiness is global: it has one value for the whole kernel, which a container "
                        + "cannot change; the inventory marks ct1, ct2, app1 as container(s), so set it on the machine "
                        + "that runs them [container-global-key]",
                f + "8:22: warning: net.core.rmem_max is global: only the initial network namespace can set it (it is "
                        + "read-only or absent in any other, as " + CATALOG.about().get("live_snapshot") + " shows); the "
                        + "inventory marks ct1, ct2, app1 as container(s), so set it on the machine that runs them "
                        + "[container-global-key]"), found,
                "tcp_fin_timeout is per network namespace, kernel.shmmax per IPC namespace; node1 is a Docker host, "
                        + "not a guest; the second play has no containers");
        assertEquals(List.of(), Linter.lint(PlaybookLoader.load(dir.resolve("playbook.yml")), CATALOG),
                "without an inventory nothing is known about the hosts");
    }
}
