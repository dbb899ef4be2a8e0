package io.sysfleet.plan;

import io.sysfleet.catalog.KeyCatalog;
import io.sysfleet.core.ConfigException;
import io.sysfleet.inventory.Host;
import io.sysfleet.inventory.Inventory;
import io.sysfleet.inventory.InventoryLoader;
import io.sysfleet.plan.expand.RunSettings;
import io.sysfleet.plan.expand.TaskRecord;
import io.sysfleet.playbook.Playbook;
import io.sysfleet.playbook.PlaybookLoader;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Files that mix in other modules: refused by default (every such task named with its file:line:col, before any
 * connection), accepted with --sysctl-only, where those tasks are listed as left for ansible-playbook and a task
 * that may change the outcome is warned about.
 */
class MixedModulesTest {
    static final Path CORPUS = Path.of("src/test/resources/playbook-corpus");
    static final KeyCatalog CATALOG = KeyCatalog.load();

    static Path inventory(Path dir) {
        return Files.exists(dir.resolve("inventory.yml")) ? dir.resolve("inventory.yml") : dir.resolve("inventory");
    }

    @Test
    void everyMixedCorpusCaseIsRefusedWithoutTheFlagAndAcceptedWithIt() throws IOException {
        int mixed = 0;
        try (Stream<Path> dirs = Files.list(CORPUS)) {
            for (Path d : dirs.sorted().toList()) {
                if (!Files.readString(d.resolve("CASE.md")).contains("--sysctl-only")) {
                    continue;
                }
                mixed++;
                Inventory inv = InventoryLoader.load(inventory(d));
                Playbook pb = PlaybookLoader.load(d.resolve("site.yml"), List.of());
                Planner planner = new Planner(CATALOG, inv, RunSettings.defaults());
                ConfigException e = assertThrows(ConfigException.class,
                        () -> StaticCheck.check(pb, inv, null, planner, false), d.toString());
                assertTrue(e.problems().stream().allMatch(p -> p.location() != null
                        && p.message().contains("is not run by sysfleet; run with --sysctl-only")), e.oneLine());
                StaticCheck.check(pb, inv, null, planner, true);
            }
        }
        assertTrue(mixed >= 10, "mixed-module cases in the corpus: " + mixed);
    }

    @Test
    void leftTasksAreListedAndRiskyOnesWarned() {
        Path d = CORPUS.resolve("cis-lineinfile-sysctl-conf");
        Inventory inv = InventoryLoader.load(inventory(d));
        Playbook pb = PlaybookLoader.load(d.resolve("site.yml"), List.of());
        Planner planner = new Planner(CATALOG, inv, RunSettings.defaults());
        Host h = inv.select(pb.plays().get(0).hosts()).get(0);
        HostPlan plan = planner.plan(h, pb.plays().get(0), null);
        List<TaskRecord> left = plan.tasks().stream()
                .filter(r -> r.status() == TaskRecord.Status.LEFT_FOR_ANSIBLE).toList();
        assertEquals("lineinfile", left.get(0).module());
        assertTrue(plan.keys().stream().anyMatch(k -> k.outcome() == KeyPlan.Outcome.SKIPPED
                && k.note().startsWith("left for ansible-playbook (lineinfile)")), plan.keys().toString());
        assertTrue(plan.warnings().stream().anyMatch(w -> w.contains("site.yml:4:7")
                && w.contains("may change the outcome: it writes /etc/sysctl.conf")), plan.warnings().toString());
    }

    @Test
    void riskOfLeftTasks() {
        assertEquals("it runs sysctl", io.sysfleet.plan.expand.LeftTasks.risk("command",
                java.util.Map.of("_raw_params", "/sbin/sysctl -p"), String::valueOf));
        assertEquals("it writes /etc/sysctl.d/99-k8s.conf", io.sysfleet.plan.expand.LeftTasks.risk("template",
                java.util.Map.of("dest", "/etc/sysctl.d/99-k8s.conf"), String::valueOf));
        assertEquals(null, io.sysfleet.plan.expand.LeftTasks.risk("template",
                java.util.Map.of("dest", "/etc/motd"), String::valueOf));
        assertEquals(null, io.sysfleet.plan.expand.LeftTasks.risk("apt", java.util.Map.of("name", "procps"),
                String::valueOf));
        // modprobe is no module left for ansible-playbook: sysfleet runs it (kern-11), in the tree too
        assertTrue(io.sysfleet.plan.expand.HostRun.runsItself("community.general.modprobe"));
        assertTrue(io.sysfleet.plan.expand.HostRun.runsItself("modprobe"));
    }
}
