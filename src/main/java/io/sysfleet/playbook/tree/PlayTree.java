package io.sysfleet.playbook.tree;

import io.sysfleet.core.SourceLocation;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A play as Ansible runs it: {@code pre_tasks}, then the tasks of {@code roles:} (dependencies first) followed
 * by {@code tasks}, then {@code post_tasks}; handlers are flushed after each of those three sections.
 * {@code roles} lists every role instance of {@code roles:} (their defaults and vars are visible to the whole
 * play, as with Ansible's default public role variables). {@code handlers}: the roles' handlers, then the play's.
 * {@code rolesPath}: where roles named by a dynamic {@code include_role} are looked for after {@code roles/}.
 */
public record PlayTree(String name, String hosts, Map<String, Object> vars, List<Path> varsFiles,
                       List<String> tags, Object become, boolean gatherFacts, List<Node> preTasks,
                       List<Node> mainTasks, List<Node> postTasks, List<Node> handlers, List<RoleInstance> roles,
                       Path dir, SourceLocation location, List<Path> rolesPath) {
    public PlayTree {
        vars = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(vars));
        varsFiles = List.copyOf(varsFiles);
        tags = List.copyOf(tags);
        preTasks = List.copyOf(preTasks);
        mainTasks = List.copyOf(mainTasks);
        postTasks = List.copyOf(postTasks);
        handlers = List.copyOf(handlers);
        roles = List.copyOf(roles);
        rolesPath = List.copyOf(rolesPath);
    }

    /** The same play with {@code more} merged over its vars (a caller's overrides, as with extra vars). */
    public PlayTree withVars(Map<String, Object> more) {
        Map<String, Object> v = new java.util.LinkedHashMap<>(vars);
        v.putAll(more);
        return new PlayTree(name, hosts, v, varsFiles, tags, become, gatherFacts, preTasks, mainTasks, postTasks,
                handlers, roles, dir, location, rolesPath);
    }
}
