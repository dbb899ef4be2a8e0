package io.sysfleet.playbook;

import io.sysfleet.core.SourceLocation;
import io.sysfleet.sysctl.SysctlKey;

/**
 * A task with its templates filled for one host: {@code key} is a checked {@link SysctlKey},
 * {@code value} is one line without control characters (null only for {@code state: absent} without a value),
 * {@code sysctlFile} is a plain absolute path.
 */
public record ResolvedTask(String name, SysctlKey key, String value, State state, String sysctlFile,
                           boolean reload, boolean sysctlSet, boolean ignoreErrors, SourceLocation location) {
}
