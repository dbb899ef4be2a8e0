package io.sysfleet.plan.expand;

import io.sysfleet.playbook.tree.*;

/**
 * What running one sysctl task does to a host: whether it changes anything (in check mode: would change), or
 * why it fails. One method, so the walk over a play ({@link HostRun}) is independent of how the outcome is
 * computed (the module's model over a host's facts, {@link SysctlModuleModel}).
 */
@FunctionalInterface
public interface SysctlExecutor {
    Outcome run(SysctlCall call, boolean checkMode);

    record Outcome(boolean changed, String failure) {
    }
}
