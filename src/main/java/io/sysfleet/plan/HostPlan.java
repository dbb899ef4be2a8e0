package io.sysfleet.plan;

import io.sysfleet.catalog.Platform;
import io.sysfleet.core.Problem;
import io.sysfleet.inventory.Host;
import io.sysfleet.playbook.Play;

import java.util.List;

/**
 * Everything one play means for one host, computed before anything runs: per-key outcomes, the file edits
 * with their diffs, warnings, a host-level error (null when the host can be changed), and the problems of the
 * input it found (a template that cannot be rendered, a value the catalog refuses), each with its
 * {@code file:line:col}; what each modprobe task does to the running kernel ({@code modules}, done before any
 * sysctl file is edited, wherever the task stands in the play); and {@code tasks}: the play expanded for the host
 * (every task and loop item with its outcome, in the order ansible-playbook runs them). Check mode ends here.
 */
public record HostPlan(Host host, Play play, Platform platform, List<KeyPlan> keys, List<FilePlan> files,
                       List<String> warnings, String error, List<Problem> problems, List<ModulePlan> modules,
                       List<io.sysfleet.plan.expand.TaskRecord> tasks) {

    /** At most this many characters of diff per host and play (1 MiB); see {@link FilePlan#diffs}. */
    public static final int MAX_DIFF_CHARS = 1 << 20;

    public HostPlan {
        tasks = tasks == null ? List.of() : List.copyOf(tasks);
        keys = List.copyOf(keys);
        files = List.copyOf(files);
        warnings = List.copyOf(warnings);
        problems = List.copyOf(problems);
        modules = modules == null ? List.of() : List.copyOf(modules);
    }

    public HostPlan(Host host, Play play, Platform platform, List<KeyPlan> keys, List<FilePlan> files,
                    List<String> warnings, String error, List<Problem> problems) {
        this(host, play, platform, keys, files, warnings, error, problems, List.of(), List.of());
    }

    public HostPlan(Host host, Play play, Platform platform, List<KeyPlan> keys, List<FilePlan> files,
                    List<String> warnings, String error) {
        this(host, play, platform, keys, files, warnings, error, List.of(), List.of(), List.of());
    }

    /** True when the plan cannot be applied (an error on the host or on a key without ignoreerrors). */
    public boolean failed() {
        return error != null;
    }

    /** True when applying the plan changes a file or a live value. */
    public boolean hasChanges() {
        return files.stream().anyMatch(FilePlan::changed) || keys.stream().anyMatch(KeyPlan::changes)
                || modules.stream().anyMatch(ModulePlan::changes);
    }

    /** The keys the apply step must read back (every key the play sets that exists on the kernel). */
    public List<KeyPlan> keysToVerify() {
        return keys.stream().filter(k -> k.outcome() == KeyPlan.Outcome.OK
                || k.outcome() == KeyPlan.Outcome.CHANGE).toList();
    }
}
