package io.sysfleet.playbook.tree;

import io.sysfleet.config.YNode;
import io.sysfleet.config.YNode.YMap;
import io.sysfleet.config.YNode.YScalar;
import io.sysfleet.config.YNode.YSeq;
import io.sysfleet.config.YamlLoader;
import io.sysfleet.core.ConfigException;
import io.sysfleet.core.Problems;
import io.sysfleet.core.SourceLocation;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads playbooks, task files and roles the way ansible-playbook reads them: plays with {@code pre_tasks},
 * {@code roles}, {@code tasks}, {@code post_tasks}, {@code handlers}, {@code vars_files}; tasks, blocks,
 * {@code import_tasks}/{@code import_role} (read now) and {@code include_tasks}/{@code include_role} (read per
 * host when reached, {@link #tasksFile}); roles found in {@code roles/} beside the playbook and in the roles
 * path, with {@code defaults/}, {@code vars/}, {@code tasks/}, {@code handlers/} and {@code meta/} dependencies.
 * Every problem is collected with its file:line:col and thrown together.
 */
public final class TreeLoader {
    /** Task keywords: everything else on a task is its module (exactly one). */
    static final Set<String> TASK_KEYWORDS = Set.of("name", "when", "tags", "vars", "loop", "loop_control",
            "register", "changed_when", "failed_when", "ignore_errors", "check_mode", "become", "become_user",
            "become_method", "notify", "listen", "args", "environment", "no_log", "delegate_to", "run_once",
            "retries", "until", "delay", "timeout", "diff", "throttle", "ignore_unreachable", "any_errors_fatal",
            "module_defaults", "collections", "debugger", "connection", "block", "rescue", "always");
    static final Set<String> ROLE_ENTRY_KEYWORDS = Set.of("role", "name", "vars", "when", "tags", "become",
            "become_user", "delegate_to", "environment", "no_log", "collections");
    private static final int MAX_DEPTH = 40;

    private static final io.sysfleet.template.TemplateEngine ENGINE = io.sysfleet.playbook.Templater.engine();

    private final List<Path> rolesPath;
    private final Problems problems = new Problems();

    /** @param rolesPath directories searched for roles after {@code roles/} beside the playbook */
    public TreeLoader(List<Path> rolesPath) {
        this.rolesPath = List.copyOf(rolesPath);
    }

    /** The problems found so far (file:line:col each). */
    public List<io.sysfleet.core.Problem> problems() {
        return problems.list();
    }

    /**
     * The task tree of one play (its keywords other than the task sections are checked by the caller,
     * {@code PlaybookLoader}); {@code dir} is the playbook's directory, where {@code roles/} is looked for first.
     */
    public PlayTree play(YMap map, Path dir) {
        YNode hostsNode = map.get("hosts");
        if (hostsNode == null) {
            problems.add(map.location(), "play has no 'hosts'");
            return null;
        }
        Object h = hostsNode.toJava();
        String hosts = h instanceof List<?> l ? String.join(",", l.stream().map(String::valueOf).toList())
                : String.valueOf(h);
        Map<String, Object> vars = mapping(map.get("vars"), "vars");
        List<Path> varsFiles = new ArrayList<>();
        for (Object f : list(map.get("vars_files"))) {
            varsFiles.add(dir.resolve(String.valueOf(f)).normalize());
        }
        List<String> tags = tags(map.get("tags"));
        Object gather = map.get("gather_facts") == null ? Boolean.TRUE : map.get("gather_facts").toJava();
        List<RoleInstance> roles = new ArrayList<>();
        List<Node> handlers = new ArrayList<>();
        List<Node> main = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (YNode r : seqItems(map.get("roles"))) {
            roleEntry(r, dir, null, main, handlers, roles, seen, 0);
        }
        main.addAll(tasks(map.get("tasks"), dir, null, 0));
        List<Node> playHandlers = tasks(map.get("handlers"), dir, null, 0);
        handlers.addAll(playHandlers);
        return new PlayTree(map.get("name") == null ? hosts : String.valueOf(map.get("name").toJava()), hosts,
                vars, varsFiles, tags, map.get("become") == null ? null : map.get("become").toJava(),
                io.sysfleet.playbook.AnsibleValues.toBoolean(gather) != Boolean.FALSE,
                tasks(map.get("pre_tasks"), dir, null, 0), main, tasks(map.get("post_tasks"), dir, null, 0),
                handlers, roles, dir, map.location(), rolesPath);
    }

    /** A {@code roles:} entry (or a meta dependency): its dependencies' tasks, then its own, as one block. */
    private void roleEntry(YNode entry, Path dir, RoleInstance parent, List<Node> out, List<Node> handlers,
                           List<RoleInstance> roles, Set<String> seen, int depth) {
        String name;
        Map<String, Object> params = new LinkedHashMap<>();
        Map<String, Object> entryVars = new LinkedHashMap<>();
        List<Object> when = new ArrayList<>();
        List<String> tags = new ArrayList<>();
        Object become = null;
        String becomeUser = null;
        if (entry instanceof YScalar s && s.value() instanceof String str) {
            name = str;
        } else if (entry instanceof YMap m) {
            YNode n = first(m, "role", "name");
            if (n == null) {
                problems.add(m.location(), "a role entry needs 'role' (or 'name')");
                return;
            }
            name = String.valueOf(n.toJava());
            for (YNode.Entry e : m.entries()) {
                if (!ROLE_ENTRY_KEYWORDS.contains(e.key())) {
                    params.put(e.key(), e.value().toJava());
                }
            }
            entryVars = mapping(m.get("vars"), "vars");
            when = list(m.get("when"));
            tags = tags(m.get("tags"));
            become = m.get("become") == null ? null : m.get("become").toJava();
            becomeUser = m.get("become_user") == null ? null : String.valueOf(m.get("become_user").toJava());
        } else {
            problems.add(entry.location(), "a role entry must be a name or a mapping, not " + entry.kind());
            return;
        }
        if (depth > MAX_DEPTH) {
            problems.add(entry.location(), "role dependencies nested deeper than " + MAX_DEPTH);
            return;
        }
        Path roleDir = findRole(name, dir);
        if (roleDir == null) {
            problems.add(entry.location(), "role '" + name + "' not found in " + dir.resolve("roles")
                    + (rolesPath.isEmpty() ? "" : " or " + rolesPath));
            return;
        }
        RoleInstance role = new RoleInstance(name, roleDir, roleVars(roleDir, "defaults"), roleVars(roleDir, "vars"),
                params, entryVars, parent);
        String identity = roleDir + " " + params + " " + entryVars;
        if (!seen.add(identity)) {
            return; // Ansible runs a role once per set of parameters
        }
        List<Node> body = new ArrayList<>();
        Path meta = mainFile(roleDir.resolve("meta"));
        if (meta != null) {
            YNode m = yaml(meta);
            if (m instanceof YMap mm) {
                for (YNode dep : seqItems(mm.get("dependencies"))) {
                    roleEntry(dep, roleDir.getParent(), role, body, handlers, roles, seen, depth + 1);
                }
            }
        }
        roles.add(role);
        Path tasksMain = mainFile(roleDir.resolve("tasks"));
        if (tasksMain != null) {
            body.addAll(tasksOf(tasksMain, role, depth));
        }
        Path handlersMain = mainFile(roleDir.resolve("handlers"));
        if (handlersMain != null) {
            handlers.addAll(tasksOf(handlersMain, role, depth));
        }
        Keywords k = new Keywords(null, when, tags, Map.of(), null, null, Map.of(), null, null, null, null, null,
                become, becomeUser, List.of(), List.of(), role);
        out.add(new Node.Block(body, List.of(), List.of(), k, entry.location()));
    }

    /** Reads a task file (for a dynamic include, per host). {@code role} is the role it belongs to, or null. */
    public List<Node> tasksFile(Path file, RoleInstance role) {
        List<Node> nodes = tasksOf(file, role, 0);
        if (!problems.isEmpty()) {
            ConfigException e = new ConfigException(problems.list());
            problems.list().clear();
            throw e;
        }
        return nodes;
    }

    /** Loads a role for {@code include_role}/{@code import_role}: its tasks file and its handlers. */
    public Node.Block role(String name, String tasksFrom, Path dir, Map<String, Object> params,
                           SourceLocation where, List<Node> handlersOut) {
        Path roleDir = findRole(name, dir);
        if (roleDir == null) {
            throw new ConfigException(where, "role '" + name + "' not found");
        }
        RoleInstance role = new RoleInstance(name, roleDir, roleVars(roleDir, "defaults"), roleVars(roleDir, "vars"),
                params, Map.of(), null);
        Path file = tasksFrom == null ? mainFile(roleDir.resolve("tasks"))
                : pick(roleDir.resolve("tasks"), tasksFrom);
        List<Node> body = file == null ? List.of() : tasksOf(file, role, 0);
        Path h = mainFile(roleDir.resolve("handlers"));
        if (h != null && handlersOut != null) {
            handlersOut.addAll(tasksOf(h, role, 0));
        }
        if (!problems.isEmpty()) {
            ConfigException e = new ConfigException(problems.list());
            throw e;
        }
        Keywords k = new Keywords(null, List.of(), List.of(), Map.of(), null, null, Map.of(), null, null, null,
                null, null, null, null, List.of(), List.of(), role);
        return new Node.Block(body, List.of(), List.of(), k, where);
    }

    private List<Node> tasksOf(Path file, RoleInstance role, int depth) {
        YNode root = yaml(file);
        if (root == null || root instanceof YScalar s && s.isNull()) {
            return List.of();
        }
        return tasks(root, file.getParent(), role, depth);
    }

    private List<Node> tasks(YNode node, Path dir, RoleInstance role, int depth) {
        List<Node> out = new ArrayList<>();
        if (node == null || node instanceof YScalar s && s.isNull()) {
            return out;
        }
        if (!(node instanceof YSeq seq)) {
            problems.add(node.location(), "a task list must be a list, not " + node.kind());
            return out;
        }
        for (YNode item : seq.items()) {
            if (!(item instanceof YMap map)) {
                problems.add(item.location(), "a task must be a mapping, not " + item.kind());
                continue;
            }
            Node n = task(map, dir, role, depth);
            if (n != null) {
                out.add(n);
            }
        }
        return out;
    }

    private Node task(YMap map, Path dir, RoleInstance role, int depth) {
        if (depth > MAX_DEPTH) {
            problems.add(map.location(), "includes nested deeper than " + MAX_DEPTH);
            return null;
        }
        Keywords k = keywords(map, role);
        if (map.get("block") != null) {
            return new Node.Block(tasks(map.get("block"), dir, role, depth + 1),
                    tasks(map.get("rescue"), dir, role, depth + 1), tasks(map.get("always"), dir, role, depth + 1),
                    k, map.location());
        }
        YNode.Entry module = null;
        for (YNode.Entry e : map.entries()) {
            if (!TASK_KEYWORDS.contains(e.key()) && !e.key().startsWith("with_")) {
                if (module != null) {
                    problems.add(e.keyLocation(), "task has both '" + module.key() + "' and '" + e.key()
                            + "'; a task runs one module");
                }
                module = e;
            }
        }
        if (module == null) {
            problems.add(map.location(), "task has no module; sysfleet runs ansible.posix.sysctl (alias sysctl)");
            return null;
        }
        String mod = module.key();
        String shortName = mod.startsWith("ansible.builtin.") ? mod.substring("ansible.builtin.".length()) : mod;
        switch (shortName) {
            case "import_tasks", "include_tasks", "include" -> {
                Object a = module.value().toJava();
                String file = a instanceof Map<?, ?> m ? String.valueOf(m.get("file")) : String.valueOf(a);
                boolean dynamic = !shortName.equals("import_tasks");
                if (!dynamic) {
                    Path target = resolveTasks(file, dir, role);
                    if (target == null) {
                        problems.add(module.value().location(), "import_tasks: no such file '" + file + "'");
                        return null;
                    }
                    return new Node.Include(Node.Include.Kind.IMPORT_TASKS, file, null, false,
                            tasksOf(target, role, depth + 1), k, map.location(), dir);
                }
                return new Node.Include(Node.Include.Kind.INCLUDE_TASKS, file, null, false, null, k, map.location(),
                        dir);
            }
            case "import_role", "include_role" -> {
                Object a = module.value().toJava();
                if (!(a instanceof Map<?, ?> m) || m.get("name") == null) {
                    problems.add(module.value().location(), shortName + " needs a mapping with 'name'");
                    return null;
                }
                String name = String.valueOf(m.get("name"));
                String from = m.get("tasks_from") == null ? null : String.valueOf(m.get("tasks_from"));
                boolean pub = io.sysfleet.playbook.AnsibleValues.toBoolean(m.get("public")) == Boolean.TRUE;
                if (shortName.equals("import_role")) {
                    Path roleDir = findRole(name, dir);
                    if (roleDir == null) {
                        problems.add(module.value().location(), "role '" + name + "' not found");
                        return null;
                    }
                    RoleInstance r = new RoleInstance(name, roleDir, roleVars(roleDir, "defaults"),
                            roleVars(roleDir, "vars"), Map.of(), Map.of(), role);
                    Path file = from == null ? mainFile(roleDir.resolve("tasks")) : pick(roleDir.resolve("tasks"), from);
                    return new Node.Include(Node.Include.Kind.IMPORT_ROLE, name, from, pub,
                            file == null ? List.of() : tasksOf(file, r, depth + 1), k, map.location(), dir);
                }
                return new Node.Include(Node.Include.Kind.INCLUDE_ROLE, name, from, pub, null, k, map.location(), dir);
            }
            default -> {
            }
        }
        Map<String, Object> args = new LinkedHashMap<>();
        Object raw = module.value().toJava();
        if (raw instanceof Map<?, ?> m) {
            m.forEach((key, v) -> args.put(String.valueOf(key), v));
        } else if (raw instanceof String s) {
            args.putAll(KvArgs.parse(s, freeForm(shortName)));
        } else if (raw != null) {
            problems.add(module.value().location(), mod + " needs a mapping of arguments, not " + module.value().kind());
        }
        if (map.get("args") != null && map.get("args").toJava() instanceof Map<?, ?> extra) {
            extra.forEach((key, v) -> args.putIfAbsent(String.valueOf(key), v));
        }
        checkKeywords(map);
        if (SYSCTL_MODULES.contains(mod)) {
            checkSysctl(module, map);
        } else if (MODPROBE_MODULES.contains(mod)) {
            checkModprobe(module, map);
        } else if (raw instanceof Map<?, ?>) {
            checkTemplates(module.value());
        }
        Map<String, SourceLocation> locs = new java.util.HashMap<>();
        for (YNode.Entry e : map.entries()) {
            locs.put(e.key(), e.value() instanceof YSeq seq && !seq.items().isEmpty()
                    ? seq.items().get(0).location() : e.value().location());
        }
        if (module.value() instanceof YMap am) {
            for (YNode.Entry e : am.entries()) {
                locs.put("args." + e.key(), e.value().location());
            }
        }
        return new Node.Task(mod, args, k, map.location(), locs);
    }

    /** The names a sysctl task may run under. */
    public static final Set<String> SYSCTL_MODULES = Set.of("sysctl", "ansible.posix.sysctl",
            "ansible.builtin.sysctl");
    /** The names a modprobe task may run under (community.general.modprobe, which sysfleet runs itself). */
    public static final Set<String> MODPROBE_MODULES = Set.of("community.general.modprobe",
            "community.general.system.modprobe", "modprobe");
    private static final Set<String> SYSCTL_ARGS = Set.of("name", "key", "value", "val", "state", "reload",
            "sysctl_set", "ignoreerrors", "sysctl_file");
    /** Task keywords sysfleet does not honour on a sysctl task: they would change what the task means. */
    private static final Set<String> NOT_ON_SYSCTL = Set.of("delegate_to", "run_once", "until", "retries",
            "delay", "connection");

    /** Every template and condition of a task's keywords, checked for syntax, filters and tests. */
    private void checkKeywords(YMap map) {
        for (YNode.Entry e : map.entries()) {
            switch (e.key()) {
                case "when", "changed_when", "failed_when" -> {
                    for (YNode n : seqItems(e.value())) {
                        if (n instanceof YScalar sc && sc.value() instanceof String str) {
                            try {
                                ENGINE.checkCondition(str, n.location());
                            } catch (ConfigException x) {
                                problems.addAll(x.problems());
                            }
                        } else if (!(n instanceof YScalar sc2 && sc2.value() instanceof Boolean)) {
                            problems.add(n.location(), e.key() + " must be an expression, a boolean or a list "
                                    + "of them, not " + n.kind());
                        }
                    }
                }
                case "loop", "vars", "loop_control", "name", "notify", "ignore_errors", "check_mode", "become",
                        "become_user" -> checkTemplates(e.value());
                case "register" -> {
                    if (!(e.value() instanceof YScalar sc && sc.value() instanceof String str
                            && str.matches("[A-Za-z_][A-Za-z0-9_]*"))) {
                        problems.add(e.value().location(), "register needs a variable name");
                    }
                }
                default -> {
                    if (e.key().startsWith("with_")) {
                        checkTemplates(e.value());
                    }
                }
            }
        }
    }

    /** Checks every string template inside a YAML value. */
    private void checkTemplates(YNode node) {
        if (node instanceof YScalar sc && sc.value() instanceof String str) {
            try {
                ENGINE.check(str, sc.location(), "template '" + str + "'");
            } catch (ConfigException x) {
                problems.addAll(x.problems());
            }
        } else if (node instanceof YSeq seq) {
            seq.items().forEach(this::checkTemplates);
        } else if (node instanceof YMap m) {
            m.entries().forEach(en -> checkTemplates(en.value()));
        }
    }

    /** A sysctl task's arguments: known names, and every literal value as the module would accept it. */
    private void checkSysctl(YNode.Entry module, YMap task) {
        for (YNode.Entry e : task.entries()) {
            if (NOT_ON_SYSCTL.contains(e.key())) {
                problems.add(e.keyLocation(), "'" + e.key() + "' is not supported on a sysctl task by sysfleet");
            }
        }
        if (!(module.value() instanceof YMap args)) {
            if (module.value() instanceof YScalar sc && sc.value() instanceof String str) {
                Map<String, Object> kv = KvArgs.parse(str, false);
                for (String k : kv.keySet()) {
                    if (!SYSCTL_ARGS.contains(k)) {
                        problems.add(module.value().location(), "unsupported sysctl argument '" + k
                                + "'; supported: name, value, state, sysctl_file, reload, sysctl_set, ignoreerrors");
                    }
                }
                checkTemplates(module.value());
            }
            return;
        }
        for (YNode.Entry e : args.entries()) {
            if (!SYSCTL_ARGS.contains(e.key())) {
                problems.add(e.keyLocation(), "unsupported sysctl argument '" + e.key()
                        + "'; supported: name, value, state, sysctl_file, reload, sysctl_set, ignoreerrors");
                continue;
            }
            YNode v = e.value();
            checkTemplates(v);
            Object val = v instanceof YScalar sc ? sc.value() : null;
            if (!(v instanceof YScalar)) {
                problems.add(v.location(), "sysctl '" + e.key() + "' must be a single value, not " + v.kind());
                continue;
            }
            if (val instanceof String str && io.sysfleet.template.TemplateEngine.isTemplate(str)) {
                continue;
            }
            switch (e.key()) {
                case "name", "key" -> {
                    try {
                        io.sysfleet.sysctl.SysctlKey.of(String.valueOf(val).strip());
                    } catch (IllegalArgumentException x) {
                        problems.add(v.location(), x.getMessage());
                    }
                }
                case "state" -> {
                    if (!"present".equals(val) && !"absent".equals(val)) {
                        problems.add(v.location(), "state must be present or absent, not '" + val + "'");
                    }
                }
                case "reload", "sysctl_set", "ignoreerrors" -> {
                    if (io.sysfleet.playbook.AnsibleValues.toBoolean(val) == null) {
                        problems.add(v.location(), "'" + e.key() + "' must be a boolean (true/false, yes/no, "
                                + "1/0), not '" + val + "'");
                    }
                }
                case "sysctl_file" -> {
                    if (!(val instanceof String str) || !str.startsWith("/")) {
                        problems.add(v.location(), "sysctl_file must be an absolute path, not '" + val + "'");
                    }
                }
                default -> {
                }
            }
        }
        if (args.get("name") == null && args.get("key") == null) {
            problems.add(args.location(), "sysctl argument 'name' is required");
        }
        YNode state = args.get("state");
        YNode value = args.get("value") != null ? args.get("value") : args.get("val");
        boolean present = state == null || !(state instanceof YScalar ss && "absent".equals(ss.value()));
        if (present && (value == null || value instanceof YScalar vs && vs.isNull())) {
            problems.add(value == null ? args.location() : value.location(),
                    "sysctl argument 'value' is required when state is present");
        } else if (present && value instanceof YScalar vs && vs.value() instanceof String str
                && !io.sysfleet.template.TemplateEngine.isTemplate(str)) {
            try {
                io.sysfleet.playbook.Templater.checkValue(io.sysfleet.playbook.AnsibleValues.sysctlValue(str),
                        io.sysfleet.playbook.State.PRESENT, value.location(),
                        args.get("name") instanceof YScalar ns ? String.valueOf(ns.value()).strip() : "?");
            } catch (ConfigException x) {
                problems.addAll(x.problems());
            }
        }
    }

    /**
     * A modprobe task's arguments: known names, and every literal value as sysfleet accepts it
     * ({@link io.sysfleet.playbook.ModprobeTask#problem}); templates are checked for syntax here and their rendered
     * values per host in the plan.
     */
    private void checkModprobe(YNode.Entry module, YMap task) {
        for (YNode.Entry e : task.entries()) {
            if (NOT_ON_SYSCTL.contains(e.key())) {
                problems.add(e.keyLocation(), "'" + e.key() + "' is not supported on a modprobe task by sysfleet");
            }
        }
        if (!(module.value() instanceof YMap args)) {
            if (module.value() instanceof YScalar sc && sc.value() instanceof String str) {
                for (Map.Entry<String, Object> kv : KvArgs.parse(str, false).entrySet()) {
                    Object v = kv.getValue();
                    if (!(v instanceof String vs && io.sysfleet.template.TemplateEngine.isTemplate(vs))) {
                        io.sysfleet.playbook.ModprobeTask.problem(kv.getKey(), v, kindOf(v))
                                .ifPresent(m -> problems.add(module.value().location(), m));
                    }
                }
                if (KvArgs.parse(str, false).get("name") == null) {
                    problems.add(module.value().location(), "modprobe argument 'name' is required");
                }
                checkTemplates(module.value());
            } else {
                problems.add(module.value().location(), module.key() + " needs a mapping of arguments (name, state, "
                        + "params, persistent), not " + module.value().kind());
            }
            return;
        }
        for (YNode.Entry e : args.entries()) {
            YNode v = e.value();
            if (!io.sysfleet.playbook.ModprobeTask.ARGS.contains(e.key())) {
                io.sysfleet.playbook.ModprobeTask.problem(e.key(), null, null)
                        .ifPresent(m -> problems.add(e.keyLocation(), m));
                continue;
            }
            checkTemplates(v);
            Object val = v instanceof YScalar sc ? (sc.isNull() ? null : sc.value()) : null;
            if (val instanceof String str && io.sysfleet.template.TemplateEngine.isTemplate(str)) {
                continue;
            }
            if (val == null && e.key().equals("params") && v instanceof YScalar) {
                continue;
            }
            io.sysfleet.playbook.ModprobeTask.problem(e.key(), val instanceof String str ? str : val,
                    v instanceof YScalar ? kindOf(val) : v.kind()).ifPresent(m -> problems.add(v.location(), m));
        }
        if (args.get("name") == null) {
            problems.add(args.location(), "modprobe argument 'name' is required");
        }
    }

    private static String kindOf(Object v) {
        return v instanceof Boolean ? "a boolean" : v instanceof Number ? "a number" : v == null ? "null"
                : v instanceof Map<?, ?> ? "a mapping" : v instanceof List<?> ? "a list" : "'" + v + "'";
    }

    private static boolean freeForm(String module) {
        return Set.of("command", "shell", "raw", "script").contains(module);
    }

    private Keywords keywords(YMap map, RoleInstance role) {
        Object loop = null;
        String kind = null;
        for (YNode.Entry e : map.entries()) {
            if (e.key().equals("loop") || e.key().startsWith("with_")) {
                if (loop != null) {
                    problems.add(e.keyLocation(), "a task has one loop: '" + e.key() + "' after another");
                }
                loop = e.value().toJava();
                kind = e.key().equals("loop") ? "loop" : e.key().substring(5);
                if (!Set.of("loop", "items", "list", "dict").contains(kind)) {
                    problems.add(e.keyLocation(), "unsupported loop '" + e.key() + "'; sysfleet supports loop, "
                            + "with_items, with_list and with_dict");
                }
            }
        }
        return new Keywords(map.get("name") == null ? null : String.valueOf(map.get("name").toJava()),
                list(map.get("when")), tags(map.get("tags")), mapping(map.get("vars"), "vars"), loop, kind,
                mapping(map.get("loop_control"), "loop_control"),
                map.get("register") == null ? null : String.valueOf(map.get("register").toJava()),
                map.get("changed_when") == null ? null : list(map.get("changed_when")),
                map.get("failed_when") == null ? null : list(map.get("failed_when")),
                map.get("ignore_errors") == null ? null : map.get("ignore_errors").toJava(),
                map.get("check_mode") == null ? null : map.get("check_mode").toJava(),
                map.get("become") == null ? null : map.get("become").toJava(),
                map.get("become_user") == null ? null : String.valueOf(map.get("become_user").toJava()),
                list(map.get("notify")).stream().map(String::valueOf).toList(),
                list(map.get("listen")).stream().map(String::valueOf).toList(), role);
    }

    // ---- files ----

    Path findRole(String name, Path dir) {
        List<Path> candidates = new ArrayList<>();
        candidates.add(dir.resolve("roles").resolve(name));
        for (Path p : rolesPath) {
            candidates.add(p.resolve(name));
        }
        candidates.add(dir.resolve(name));
        for (Path c : candidates) {
            if (Files.isDirectory(c)) {
                return c.normalize();
            }
        }
        return null;
    }

    private Map<String, Object> roleVars(Path roleDir, String sub) {
        Path f = mainFile(roleDir.resolve(sub));
        if (f == null) {
            return Map.of();
        }
        YNode n = yaml(f);
        return n == null ? Map.of() : mapping(n, sub + "/main.yml");
    }

    /** Reads a YAML variables file (vars_files, include_vars): a mapping. */
    public Map<String, Object> varsFile(Path file, SourceLocation where) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException(where, "no such vars file: " + file);
        }
        YNode n = YamlLoader.load(file);
        return mapping(n, file.toString());
    }

    static Path mainFile(Path dir) {
        return pick(dir, "main");
    }

    static Path pick(Path dir, String name) {
        for (String ext : List.of("", ".yml", ".yaml", ".json")) {
            Path p = dir.resolve(name + ext);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    /** Where a task file named in an import or include is: beside the including file, then the role's tasks. */
    public Path resolveTasks(String file, Path dir, RoleInstance role) {
        List<Path> bases = new ArrayList<>();
        bases.add(dir);
        if (role != null) {
            bases.add(role.dir().resolve("tasks"));
            bases.add(role.dir());
        }
        if (dir.getParent() != null) {
            bases.add(dir.getParent());
        }
        for (Path b : bases) {
            Path p = b.resolve(file).normalize();
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    private YNode yaml(Path file) {
        try {
            return YamlLoader.load(file);
        } catch (ConfigException e) {
            problems.addAll(e.problems());
            return null;
        }
    }

    // ---- values ----

    private static YNode first(YMap map, String... keys) {
        for (String k : keys) {
            if (map.get(k) != null) {
                return map.get(k);
            }
        }
        return null;
    }

    private String string(YNode n, String what) {
        Object v = n.toJava();
        if (!(v instanceof String s)) {
            problems.add(n.location(), what + " must be a string");
            return "";
        }
        return s;
    }

    private Map<String, Object> mapping(YNode node, String what) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (node == null || node instanceof YScalar s && s.isNull()) {
            return out;
        }
        if (!(node instanceof YMap m)) {
            problems.add(node.location(), what + " must be a mapping, not " + node.kind());
            return out;
        }
        for (YNode.Entry e : m.entries()) {
            out.put(e.key(), e.value().toJava());
        }
        return out;
    }

    private static List<YNode> seqItems(YNode node) {
        if (node == null || node instanceof YScalar s && s.isNull()) {
            return List.of();
        }
        return node instanceof YSeq seq ? seq.items() : List.of(node);
    }

    private static List<Object> list(YNode node) {
        if (node == null || node instanceof YScalar s && s.isNull()) {
            return List.of();
        }
        Object v = node.toJava();
        return v instanceof List<?> l ? new ArrayList<>(l) : new ArrayList<>(java.util.Collections.singletonList(v));
    }

    private static List<String> tags(YNode node) {
        List<String> out = new ArrayList<>();
        for (Object t : list(node)) {
            for (String s : String.valueOf(t).split(",")) {
                if (!s.isBlank()) {
                    out.add(s.strip());
                }
            }
        }
        return out;
    }
}
