package io.sysfleet.playbook.tree;

import io.sysfleet.core.SourceLocation;

import java.util.List;
import java.util.Map;

/**
 * One entry of a task list as Ansible reads it: a task running a module, a block, or a task include/import
 * (of a task file or a role). Values are raw YAML values (templates stay text); they are rendered per host by
 * {@link HostRun}. {@code keywords} holds the task keywords every kind may carry ({@link Keywords}).
 */
public sealed interface Node permits Node.Task, Node.Block, Node.Include {

    Keywords keywords();

    SourceLocation location();

    /**
     * A task running one module. {@code module} is the name as written ({@code sysctl},
     * {@code ansible.posix.sysctl}, {@code ansible.builtin.command}); {@code args} its arguments (a
     * {@code key=value} text already split into a map; a free-form command's text under {@code _raw_params}).
     */
    record Task(String module, Map<String, Object> args, Keywords keywords, SourceLocation location,
                Map<String, SourceLocation> locations) implements Node {
        public Task {
            args = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(args));
            locations = locations == null ? Map.of() : Map.copyOf(locations);
        }

        public Task(String module, Map<String, Object> args, Keywords keywords, SourceLocation location) {
            this(module, args, keywords, location, Map.of());
        }

        /**
         * Where a keyword's value ({@code when}) or a module argument's value ({@code args.value}) was written;
         * the task's location when not known.
         */
        public SourceLocation locationOf(String key) {
            return locations.getOrDefault(key, location);
        }
    }

    /** {@code block} with its {@code rescue} and {@code always} lists. */
    record Block(List<Node> block, List<Node> rescue, List<Node> always, Keywords keywords,
                 SourceLocation location) implements Node {
        public Block {
            block = List.copyOf(block);
            rescue = List.copyOf(rescue);
            always = List.copyOf(always);
        }
    }

    /**
     * {@code import_tasks} / {@code include_tasks} (target is a file name, possibly a template) or
     * {@code import_role} / {@code include_role} (target is the role name; {@code tasksFrom} the task file).
     * An import is static: its tasks are read when the playbook loads ({@code body}), and its {@code when} and
     * {@code tags} apply to each of them. An include is dynamic: read per host when it is reached.
     */
    record Include(Kind kind, String target, String tasksFrom, boolean isPublic, List<Node> body,
                   Keywords keywords, SourceLocation location, java.nio.file.Path baseDir) implements Node {
        public enum Kind { IMPORT_TASKS, INCLUDE_TASKS, IMPORT_ROLE, INCLUDE_ROLE }

        public Include {
            body = body == null ? null : List.copyOf(body);
        }

        public boolean isStatic() {
            return kind == Kind.IMPORT_TASKS || kind == Kind.IMPORT_ROLE;
        }
    }
}
