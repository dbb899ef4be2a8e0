package io.sysfleet.plan.expand;

import io.sysfleet.playbook.tree.*;

/**
 * What running one sysctl (or modprobe) task does to a host: whether it changes anything (in check mode: would change), or
 * why it fails. One method, so the walk over a play ({@link HostRun}) is independent of how the outcome is
 * computed (the module's model over a host's facts, {@link SysctlModuleModel}).
 */
@FunctionalInterface
public interface SysctlExecutor {
    Outcome run(SysctlCall call, boolean checkMode);

    /**
     * What running a modprobe task does (whether it loads or unloads the module or edits its persistence files).
     * Its failures are the plan's ({@link io.sysfleet.plan.ModulePlan}), so this only says whether it changes
     * anything; the default (a static plan) changes nothing.
     */
    default Outcome modprobe(io.sysfleet.playbook.ModprobeTask task, boolean checkMode) {
        return new Outcome(false, null);
    }

    record Outcome(boolean changed, String failure) {
    }
}
