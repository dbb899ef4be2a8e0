package io.sysfleet.playbook;

import io.sysfleet.core.SourceLocation;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One play. {@code tree} is what the play runs, as Ansible reads it (pre_tasks, roles, tasks, post_tasks,
 * handlers, blocks, includes, loops): the plan expands it per host. {@code tasks} holds only the play's plain
 * top-level sysctl tasks (what lint and diagnose read) and {@code modprobes} its plain top-level modprobe tasks;
 * null {@code tree} means a play built from those alone. {@code name} defaults to the hosts pattern (as
 * ansible-playbook shows it); {@code hosts} is the
 * pattern, list items joined with ','; {@code become} is null when not set; {@code serial} is kept as written
 * ("2", "30%"), empty when not set; {@code maxFailPercentage} is null when not set. Wherever a modprobe task
 * stands in the tree (a role, a block, a loop), sysfleet loads (and persists) the modules before it edits the
 * sysctl files, so a modprobe task written before the sysctl tasks that need its module means what it means to
 * ansible-playbook.
 */
public record Play(String name, String hosts, Map<String, Object> vars, Boolean become, String becomeUser,
                   boolean gatherFacts, List<String> serial, Double maxFailPercentage, boolean anyErrorsFatal,
                   List<SysctlTask> tasks, SourceLocation location, List<ModprobeTask> modprobes,
                   io.sysfleet.playbook.tree.PlayTree tree) {
    public Play {
        vars = Collections.unmodifiableMap(new LinkedHashMap<>(vars));
        serial = List.copyOf(serial);
        tasks = List.copyOf(tasks);
        modprobes = modprobes == null ? List.of() : List.copyOf(modprobes);
    }

    /** A play of plain sysctl tasks only, without a task tree (tests, generated plays). */
    public Play(String name, String hosts, Map<String, Object> vars, Boolean become, String becomeUser,
                boolean gatherFacts, List<String> serial, Double maxFailPercentage, boolean anyErrorsFatal,
                List<SysctlTask> tasks, SourceLocation location) {
        this(name, hosts, vars, become, becomeUser, gatherFacts, serial, maxFailPercentage, anyErrorsFatal, tasks,
                location, List.of(), null);
    }

    /** The same play with other batches and failure threshold (the command line's defaults). */
    public Play withBatches(List<String> serial, Double maxFailPercentage) {
        return new Play(name, hosts, vars, become, becomeUser, gatherFacts, serial, maxFailPercentage, anyErrorsFatal,
                tasks, location, modprobes, tree);
    }

    /**
     * The batch sizes Ansible uses for {@code hostCount} hosts: serial items in order, the last one repeating
     * until every host has a batch; "N%" is N percent of all hosts, rounded down but at least 1; a value of 0
     * (or no serial) means all remaining hosts in one batch. The last batch may be smaller than its size.
     */
    public List<Integer> batchSizes(int hostCount) {
        List<Integer> out = new ArrayList<>();
        List<String> items = serial.isEmpty() ? List.of("0") : serial;
        int remaining = hostCount;
        int i = 0;
        while (remaining > 0) {
            int size = size(items.get(i), hostCount);
            if (size <= 0 || size >= remaining) {
                out.add(remaining);
                break;
            }
            out.add(size);
            remaining -= size;
            i = Math.min(i + 1, items.size() - 1);
        }
        return out;
    }

    private static int size(String item, int hostCount) {
        if (item.endsWith("%")) {
            int pct = Integer.parseInt(item.substring(0, item.length() - 1));
            return Math.max(1, (int) Math.floor(pct / 100.0 * hostCount));
        }
        return Integer.parseInt(item);
    }
}
