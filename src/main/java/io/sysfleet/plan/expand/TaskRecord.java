package io.sysfleet.plan.expand;

import io.sysfleet.playbook.tree.*;

import io.sysfleet.core.SourceLocation;

import java.util.Map;

/**
 * What one task did on one host, per loop item ({@code index} null for a task without a loop): ok, changed,
 * skipped (a false {@code when}, an empty loop), failed, or left for ansible-playbook (a module sysfleet does
 * not run). {@code call} is set for a sysctl task that ran; {@code label} is the item's
 * {@code loop_control.label}, or null; {@code note} says why a task was skipped or failed;
 * {@code checkMode} whether the task ran in check mode (the run's, or its own {@code check_mode: true});
 * {@code modprobe} is set for a modprobe task whose arguments were rendered and checked for this host and item
 * (the plan turns it into a {@link io.sysfleet.plan.ModulePlan}), null otherwise.
 */
public record TaskRecord(SourceLocation location, String name, String module, boolean handler, Integer index,
                         String label, Status status, SysctlCall call, String note, boolean checkMode,
                         Map<String, SourceLocation> locations, io.sysfleet.playbook.ModprobeTask modprobe) {
    public TaskRecord {
        locations = locations == null ? Map.of() : Map.copyOf(locations);
    }

    /** A record of a task that is not a resolved modprobe task. */
    public TaskRecord(SourceLocation location, String name, String module, boolean handler, Integer index,
                      String label, Status status, SysctlCall call, String note, boolean checkMode,
                      Map<String, SourceLocation> locations) {
        this(location, name, module, handler, index, label, status, call, note, checkMode, locations, null);
    }

    /** Where a module argument's value (or, failing that, the task) was written. */
    public SourceLocation locationOf(String arg) {
        SourceLocation l = locations.get("args." + arg);
        if (l == null && arg.equals("name")) {
            l = locations.get("args.key");
        } else if (l == null && arg.equals("value")) {
            l = locations.get("args.val");
        }
        return l != null ? l : location;
    }

    /** UNKNOWN: the task needs variables the plan does not have yet (facts, in a static plan). */
    public enum Status { OK, CHANGED, SKIPPED, FAILED, LEFT_FOR_ANSIBLE, UNKNOWN }

    /** True for a task of the sysctl module. */
    public boolean sysctl() {
        return io.sysfleet.playbook.tree.TreeLoader.SYSCTL_MODULES.contains(module);
    }

    /** True for a task of the modprobe module (community.general.modprobe), which sysfleet runs itself. */
    public boolean isModprobe() {
        return io.sysfleet.playbook.tree.TreeLoader.MODPROBE_MODULES.contains(module);
    }
}
