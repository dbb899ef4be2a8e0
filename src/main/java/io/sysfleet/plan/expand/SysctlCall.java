package io.sysfleet.plan.expand;

import io.sysfleet.playbook.tree.*;

/**
 * One sysctl task's arguments for one host and loop item, rendered and converted as the module's argument
 * spec converts them: {@code value} is the text the module writes ({@code yes}/{@code true} give "1"), null for
 * {@code state: absent} without a value.
 */
public record SysctlCall(String key, String value, String state, boolean reload, boolean sysctlSet,
                         boolean ignoreErrors, String sysctlFile) {
}
