package io.sysfleet.playbook;

import io.sysfleet.core.SourceLocation;

import java.util.Map;
import java.util.Set;

/**
 * One {@code ansible.posix.sysctl} task as written. {@code key}, {@code value} and {@code sysctlFile} are raw
 * templates (see {@link Templater}); a YAML boolean or number value is already converted to the string the
 * sysctl module would write. {@code value} is null only for {@code state: absent} without a value.
 * {@code argLocations} maps each module argument given to the location of its value.
 */
public record SysctlTask(String name, Set<String> tags, Condition when, String key, String value, State state,
                         String sysctlFile, boolean reload, boolean sysctlSet, boolean ignoreErrors,
                         SourceLocation location, Map<String, SourceLocation> argLocations) {
    public SysctlTask {
        tags = Set.copyOf(tags);
        argLocations = Map.copyOf(argLocations);
    }

    /** Where a module argument's value was written, or the task's location. */
    public SourceLocation locationOf(String arg) {
        return argLocations.getOrDefault(arg, location);
    }

    /** Resolves the templates for one host; see {@link Templater#resolve}. */
    public ResolvedTask resolve(Map<String, Object> vars) {
        return Templater.resolve(this, vars);
    }
}
