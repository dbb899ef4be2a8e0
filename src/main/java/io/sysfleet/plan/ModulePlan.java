package io.sysfleet.plan;

import io.sysfleet.playbook.ModprobeTask;

/**
 * What one modprobe task means for one host. Its persistence edits are {@link FilePlan}s of the host's plan (backed
 * up, journaled and rolled back like sysctl files).
 *
 * @param task   the task (null never)
 * @param action what the apply step does to the running kernel
 * @param note   a short explanation ("already loaded", "built into the kernel", the error)
 */
public record ModulePlan(ModprobeTask task, Action action, String note) {

    /** What happens to the module in the running kernel. */
    public enum Action {
        /** Nothing: loaded (or built in) as wanted, or absent as wanted. */
        NONE,
        /** {@code modprobe MODULE PARAMS...}. */
        LOAD,
        /** {@code modprobe -r MODULE}. */
        UNLOAD,
        /** The task's {@code when} is false. */
        SKIPPED,
        /** Offline: the host's modules are not known. */
        UNKNOWN,
        /** The task cannot be done on this host. */
        ERROR
    }

    public String module() {
        return task.module();
    }

    /** Whether the running kernel changes. */
    public boolean changes() {
        return action == Action.LOAD || action == Action.UNLOAD;
    }
}
