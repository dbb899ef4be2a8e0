package io.sysfleet.diagnose;

import io.sysfleet.catalog.KeyCatalog;
import io.sysfleet.inventory.Host;
import io.sysfleet.plan.Planner;
import io.sysfleet.plan.expand.TaskRecord;
import io.sysfleet.playbook.Play;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A finding's remedy is a row playbook with the host's own vars over the play's (diagnose sizes
 * tcp_max_tw_buckets per host): the plan of those plays must use them, also through the play's task tree.
 */
class RowPlaybooksVarsTest {
    @Test
    void theRemedysVarsReachThePlanOfTheRowPlaybook() {
        RowPlaybooks rows = RowPlaybooks.bundled();
        List<Play> plays = rows.plays("05-fin-wait2.yml", Map.of("max_tw_buckets", 262144));
        Planner planner = new Planner(KeyCatalog.load());
        String value = null;
        for (Play p : plays) {
            for (TaskRecord r : planner.expand(new Host("web1", Map.of()), p, null).records()) {
                if (r.call() != null && r.call().key().endsWith("tcp_max_tw_buckets")) {
                    value = r.call().value();
                }
            }
        }
        assertEquals("262144", value, "the remedy's value, not the table's 5000");
    }
}
