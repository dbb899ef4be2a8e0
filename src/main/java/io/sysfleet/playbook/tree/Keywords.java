package io.sysfleet.playbook.tree;

import java.util.List;
import java.util.Map;

/**
 * The task keywords sysfleet evaluates, as written (templates unrendered). {@code loop} is the raw value of
 * {@code loop} or of {@code with_<kind>} ({@code loopKind} "loop", "items", "list" or "dict"); {@code when} is a
 * list of conditions (all must hold); {@code become} null when not set; {@code checkMode} null, a boolean or a
 * template; {@code role} the role a task comes from (null in a play), for its variables and its name prefix.
 */
public record Keywords(String name, List<Object> when, List<String> tags, Map<String, Object> vars,
                       Object loop, String loopKind, Map<String, Object> loopControl, String register,
                       List<Object> changedWhen, List<Object> failedWhen, Object ignoreErrors, Object checkMode,
                       Object become, String becomeUser, List<String> notifies, List<String> listen,
                       RoleInstance role) {
    public Keywords {
        when = List.copyOf(when);
        tags = List.copyOf(tags);
        vars = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(vars));
        loopControl = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(loopControl));
        changedWhen = changedWhen == null ? null : List.copyOf(changedWhen);
        failedWhen = failedWhen == null ? null : List.copyOf(failedWhen);
        notifies = List.copyOf(notifies);
        listen = List.copyOf(listen);
    }

    /** The same keywords with more conditions and tags in front (what an import or a block passes down). */
    public Keywords inherit(List<Object> moreWhen, List<String> moreTags, RoleInstance inRole) {
        List<Object> w = new java.util.ArrayList<>(moreWhen);
        w.addAll(when);
        java.util.LinkedHashSet<String> t = new java.util.LinkedHashSet<>(moreTags);
        t.addAll(tags);
        return new Keywords(name, w, List.copyOf(t), vars, loop, loopKind, loopControl, register, changedWhen,
                failedWhen, ignoreErrors, checkMode, become, becomeUser, notifies, listen,
                role != null ? role : inRole);
    }
}
