package io.sysfleet.playbook.tree;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One use of a role: the role's files ({@code defaults/main.yml}, {@code vars/main.yml}) and the parameters it
 * was called with ({@code params}: keys of the role entry other than keywords; {@code entryVars}: its
 * {@code vars:}). {@code parent} is the role whose {@code meta/main.yml} listed this one, or null.
 */
public record RoleInstance(String name, Path dir, Map<String, Object> defaults, Map<String, Object> vars,
                           Map<String, Object> params, Map<String, Object> entryVars, RoleInstance parent) {
    public RoleInstance {
        defaults = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(defaults));
        vars = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(vars));
        params = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(params));
        entryVars = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(entryVars));
    }

    /** This role and the roles above it, outermost first. */
    public List<RoleInstance> chain() {
        java.util.ArrayList<RoleInstance> out = new java.util.ArrayList<>();
        for (RoleInstance r = this; r != null; r = r.parent) {
            out.add(0, r);
        }
        return out;
    }
}
