package io.sysfleet.playbook;

import io.sysfleet.core.SourceLocation;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One play. {@code name} defaults to the hosts pattern (as ansible-playbook shows it); {@code hosts} is the
 * pattern, list items joined with ','; {@code become} is null when not set; {@code serial} is kept as written
 * ("2", "30%"), empty when not set; {@code maxFailPercentage} is null when not set. {@code tasks} are the
 * sysctl tasks and {@code modprobes} the modprobe tasks, each in play order: sysfleet loads (and persists) the
 * modules before it edits the sysctl files, so a modprobe task written before the sysctl tasks that need its
 * module means what it means to ansible-playbook.
 */
public record Play(String name, String hosts, Map<String, Object> vars, Boolean become, String becomeUser,
                   boolean gatherFacts, List<String> serial, Double maxFailPercentage, boolean anyErrorsFatal,
                   List<SysctlTask> tasks, SourceLocation location, List<ModprobeTask> modprobes) {
    public Play {
        vars = Collections.unmodifiableMap(new LinkedHashMap<>(vars));
        serial = List.copyOf(serial);
        tasks = List.copyOf(tasks);
        modprobes = modprobes == null ? List.of() : List.copyOf(modprobes);
    }

    /** A play of sysctl tasks only. */
    public Play(String name, String hosts, Map<String, Object> vars, Boolean become, String becomeUser,
                boolean gatherFacts, List<String> serial, Double maxFailPercentage, boolean anyErrorsFatal,
                List<SysctlTask> tasks, SourceLocation location) {
        this(name, hosts, vars, become, becomeUser, gatherFacts, serial, maxFailPercentage, anyErrorsFatal, tasks,
                location, List.of());
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
