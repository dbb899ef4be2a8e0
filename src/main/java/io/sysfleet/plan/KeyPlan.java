package io.sysfleet.plan;

import io.sysfleet.playbook.ResolvedTask;
import io.sysfleet.sysctl.SysctlKey;

/**
 * What one task means for one host.
 *
 * @param task     the task with its templates filled (null when the task was skipped before resolving)
 * @param taskName the task's name for reports
 * @param key      the key's name on this host's platform (may differ from the task's, e.g. CentOS 5)
 * @param desired  the value wanted (null for state absent)
 * @param live     the live value before the run (null: unknown, or no /proc/sys entry)
 * @param outcome  what the run must do about it
 * @param note     a short explanation for humans ("absent on this kernel, already off", the error, ...)
 */
public record KeyPlan(ResolvedTask task, String taskName, SysctlKey key, String desired, String live,
                      Outcome outcome, String note) {

    /** The planned outcome for a key. */
    public enum Outcome {
        /** File and live value already as desired. */
        OK,
        /** The file, the live value or both change. */
        CHANGE,
        /** The key does not exist on this kernel and the desired value is what its absence means. */
        ABSENT_ON_KERNEL,
        /** The task's {@code when} is false (or a tag filter left it out). */
        SKIPPED,
        /** The facts are not known (offline plan): only the desired value is shown. */
        UNKNOWN,
        /** The task cannot be done on this host; the host fails unless {@code ignoreerrors}. */
        ERROR
    }

    /**
     * Whether the apply step must read this key back and find the desired value: the key exists on the host,
     * the task wants a value, and the task converges live values ({@code reload} or {@code sysctl_set}).
     */
    public boolean verifiesLive() {
        return (outcome == Outcome.OK || outcome == Outcome.CHANGE) && task != null && desired != null
                && live != null && (task.reload() || task.sysctlSet());
    }

    /** Whether the apply step must set this key (file, live or both). */
    public boolean changes() {
        return outcome == Outcome.CHANGE;
    }
}
