package io.sysfleet.plan.expand;

import io.sysfleet.playbook.tree.*;

import io.sysfleet.core.ConfigException;
import io.sysfleet.core.SourceLocation;
import io.sysfleet.core.SysfleetException;
import io.sysfleet.playbook.AnsibleValues;
import io.sysfleet.template.TemplateEngine;
import io.sysfleet.template.Unsafe;
import io.sysfleet.template.Vars;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs one play for one host the way ansible-playbook's linear strategy runs it, without touching the host:
 * sections in order, roles' tasks, blocks with rescue and always, static imports and dynamic includes, loops per
 * item, {@code when} per task (and per item), tags, {@code register}, {@code changed_when}, {@code failed_when},
 * {@code ignore_errors}, {@code check_mode}, {@code set_fact}, {@code include_vars}, {@code assert}, {@code fail},
 * notified handlers flushed after each section (and at {@code meta: flush_handlers}) in the order they are
 * defined. A sysctl task is handed to a {@link SysctlExecutor}; so is a modprobe task, its arguments rendered and
 * checked for the host and item into a {@link io.sysfleet.playbook.ModprobeTask} that the plan turns into a module
 * load or unload; any other module is recorded as left for ansible-playbook (it registers as ok, not changed). Variables are layered in Ansible's precedence order.
 * Pure: one instance per host and play.
 */
public final class HostRun {
    static final Set<String> SYSCTL = TreeLoader.SYSCTL_MODULES;
    static final Set<String> MODPROBE = TreeLoader.MODPROBE_MODULES;
    private static final Set<String> ARGS = Set.of("name", "key", "value", "val", "state", "reload", "sysctl_set",
            "ignoreerrors", "sysctl_file");

    private final TreeLoader loader;
    private final TemplateEngine engine;
    /** Variables not known yet (facts in a static plan, and what is registered from tasks that need them). */
    private final Set<String> pending;
    private final List<io.sysfleet.core.Problem> problems = new ArrayList<>();
    private boolean currentCheck;
    /**
     * Set when a task that defines variables (include_vars, set_fact) could not run for want of facts: from then on
     * a variable not defined is taken to come from it (unknown, not an error) in this static plan.
     */
    private boolean opaque;
    private final RunSettings settings;
    private final PlayTree play;
    private final Map<String, Object> inventoryVars;
    private final Map<String, Object> facts;
    private final Map<String, Object> magic;
    private final SysctlExecutor executor;
    private final Map<String, Object> playVarsFiles = new LinkedHashMap<>();
    private final Map<String, Object> includeVars = new LinkedHashMap<>();
    private final Map<String, Object> hostFacts = new LinkedHashMap<>();
    private final Set<String> notified = new LinkedHashSet<>();
    private final List<Node> handlers;
    private final List<TaskRecord> records = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private boolean failed;
    /** Whether a sysctl or modprobe task that runs (or may run) has become: true of its own, and as whom. */
    private boolean taskBecome;
    private String taskBecomeUser;
    private boolean ended;

    /** Thrown to stop this host: a failed task outside a rescued block. */
    private static final class HostFailed extends RuntimeException {
        HostFailed() {
            super(null, null, false, false);
        }
    }

    /**
     * @param inventoryVars the host's inventory variables (groups and host merged)
     * @param facts         the fact variables ({@link Vars#facts}), empty when facts are not gathered
     * @param magic         inventory_hostname, group_names, groups, hostvars, ...
     */
    public HostRun(RunSettings settings, PlayTree play, Map<String, Object> inventoryVars, Map<String, Object> facts,
                   Map<String, Object> magic, SysctlExecutor executor, Set<String> pending) {
        this.loader = new TreeLoader(play.rolesPath());
        this.engine = io.sysfleet.playbook.Templater.engine();
        this.pending = new LinkedHashSet<>(pending);
        this.settings = settings;
        this.play = play;
        this.inventoryVars = inventoryVars;
        this.facts = facts;
        this.magic = new LinkedHashMap<>(magic);
        this.magic.put("ansible_check_mode", settings.checkMode());
        this.executor = executor;
        this.handlers = new ArrayList<>(play.handlers());
    }

    /** Runs the play; a problem in a template or an include becomes a FAILED record, never an exception. */
    public List<TaskRecord> run() {
        try {
            for (Path f : play.varsFiles()) {
                Path file = Path.of(render(f.toString(), vars(Ctx.ROOT, Map.of()), play.location()).toString());
                playVarsFiles.putAll(loader.varsFile(file, play.location()));
            }
            List<String> playTags = play.tags();
            Ctx root = new Ctx(List.of(), playTags, List.of(), null, false, null, null);
            section(play.preTasks(), root);
            section(play.mainTasks(), root);
            section(play.postTasks(), root);
        } catch (HostFailed e) {
            // the host stops here, as in Ansible
        } catch (ConfigException e) {
            problems.addAll(e.problems());
            failed = true;
            records.add(new TaskRecord(play.location(), "vars_files", "vars_files", false, null, null,
                    TaskRecord.Status.FAILED, null, e.oneLine(), false, null));
        }
        return List.copyOf(records);
    }

    /**
     * The problems of the input this run found (an undefined variable, a template that cannot render, a missing
     * include), each with its file:line:col: what a static check reports before any host is contacted.
     */
    public List<io.sysfleet.core.Problem> problems() {
        return List.copyOf(new LinkedHashSet<>(problems));
    }

    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    /** What {@link #run} recorded, in order. */
    public List<TaskRecord> records() {
        return List.copyOf(records);
    }

    public boolean failed() {
        return failed;
    }

    private void section(List<Node> nodes, Ctx ctx) {
        if (ended) {
            return;
        }
        nodes(nodes, ctx);
        flush();
    }

    /** Inherited context: conditions, tags, block vars (outer first) and whether a rescue catches failures. */
    private record Ctx(List<Object> when, List<String> tags, List<Map<String, Object>> blockVars,
                       RoleInstance role, boolean rescued, Object become, String becomeUser) {
        static final Ctx ROOT = new Ctx(List.of(), List.of(), List.of(), null, false, null, null);

        Ctx with(Keywords k, boolean rescuedInside) {
            List<Object> w = new ArrayList<>(when);
            w.addAll(k.when());
            List<String> t = new ArrayList<>(tags);
            t.addAll(k.tags());
            List<Map<String, Object>> bv = new ArrayList<>(blockVars);
            if (!k.vars().isEmpty()) {
                bv.add(k.vars());
            }
            return new Ctx(w, t, bv, k.role() != null ? k.role() : role, rescued || rescuedInside,
                    k.become() != null ? k.become() : become, k.becomeUser() != null ? k.becomeUser() : becomeUser);
        }
    }

    private void nodes(List<Node> nodes, Ctx ctx) {
        for (Node n : nodes) {
            if (ended) {
                return;
            }
            node(n, ctx);
        }
    }

    private void node(Node n, Ctx ctx) {
        if (n instanceof Node.Block b) {
            block(b, ctx);
        } else if (n instanceof Node.Include inc) {
            include(inc, ctx);
        } else if (n instanceof Node.Task t) {
            task(t, ctx, false);
        }
    }

    private void block(Node.Block b, Ctx ctx) {
        Ctx inner = ctx.with(b.keywords(), !b.rescue().isEmpty());
        boolean blockFailed = false;
        try {
            nodes(b.block(), inner);
        } catch (HostFailed e) {
            if (b.rescue().isEmpty()) {
                runAlways(b, ctx);
                throw e;
            }
            blockFailed = true;
        }
        if (blockFailed) {
            failed = false;
            try {
                nodes(b.rescue(), ctx.with(b.keywords(), false));
            } catch (HostFailed e) {
                runAlways(b, ctx);
                throw e;
            }
        }
        runAlways(b, ctx);
    }

    private void runAlways(Node.Block b, Ctx ctx) {
        if (!b.always().isEmpty()) {
            boolean was = failed;
            failed = false;
            nodes(b.always(), ctx.with(b.keywords(), false));
            failed = was;
        }
    }

    private void include(Node.Include inc, Ctx ctx) {
        Keywords k = inc.keywords();
        if (inc.isStatic()) {
            Ctx inner = ctx.with(k, false);
            if (inc.kind() == Node.Include.Kind.IMPORT_ROLE && !inc.body().isEmpty()) {
                RoleInstance r = firstRole(inc.body());
                inner = new Ctx(inner.when(), inner.tags(), inner.blockVars(), r != null ? r : inner.role(), inner.rescued(),
                        inner.become(), inner.becomeUser());
            }
            nodes(inc.body(), inner);
            return;
        }
        List<String> tags = new ArrayList<>(ctx.tags());
        tags.addAll(k.tags());
        if (!settings.selects(tags)) {
            return;
        }
        Set<String> incNeeds = needs(ctx, k, List.of(inc.target()));
        if (!incNeeds.isEmpty()) {
            records.add(new TaskRecord(inc.location(), k.name(), inc.kind().name().toLowerCase(java.util.Locale.ROOT),
                    false, null, null, TaskRecord.Status.UNKNOWN, null, unknownNote(incNeeds), false, null));
            return;
        }
        List<Item> incItems;
        try {
            incItems = items(k, ctx, inc.location());
        } catch (ConfigException e) {
            problems.addAll(e.problems());
            fail(inc, e.oneLine(), ctx);
            return;
        }
        for (Item item : incItems) {
            Map<String, Object> scope = item.vars;
            Vars v = vars(ctx, merge(k.vars(), scope));
            List<Object> when = new ArrayList<>(ctx.when());
            when.addAll(k.when());
            if (!when(when, v, inc.location())) {
                continue;
            }
            // a dynamic include's own become is not passed to the tasks it includes (Ansible needs 'apply' for that)
            Ctx inner = new Ctx(List.of(), ctx.tags(), withVars(ctx.blockVars(), merge(k.vars(), scope)), ctx.role(),
                    ctx.rescued(), ctx.become(), ctx.becomeUser());
            try {
                if (inc.kind() == Node.Include.Kind.INCLUDE_TASKS) {
                    String file = String.valueOf(render(inc.target(), v, inc.location()));
                    Path target = loader.resolveTasks(file, inc.baseDir(), ctx.role());
                    if (target == null) {
                        fail(inc, "include_tasks: no such file '" + file + "'", ctx);
                        continue;
                    }
                    nodes(loader.tasksFile(target, ctx.role()), inner);
                } else {
                    Node.Block roleBlock = loader.role(String.valueOf(render(inc.target(), v, inc.location())),
                            inc.tasksFrom(), play.dir(), Map.of(), inc.location(), handlers);
                    Ctx rc = new Ctx(inner.when(), inner.tags(), inner.blockVars(), roleBlock.keywords().role(),
                            inner.rescued(), inner.become(), inner.becomeUser());
                    nodes(roleBlock.block(), rc);
                    if (inc.isPublic()) {
                        RoleInstance r = roleBlock.keywords().role();
                        publicRoles.add(r);
                    }
                }
            } catch (ConfigException e) {
                problems.addAll(e.problems());
                fail(inc, e.oneLine(), ctx);
            }
        }
    }

    private final List<RoleInstance> publicRoles = new ArrayList<>();

    private static RoleInstance firstRole(List<Node> nodes) {
        for (Node n : nodes) {
            if (n.keywords().role() != null) {
                return n.keywords().role();
            }
        }
        return null;
    }

    private record Item(Integer index, Object value, Map<String, Object> vars, Object labelSource) {
    }

    /** The loop items of a task (one item without a loop), each with the variables it adds. */
    private List<Item> items(Keywords k, Ctx ctx, SourceLocation where) {
        if (k.loop() == null) {
            return List.of(new Item(null, null, Map.of(), null));
        }
        Vars v = vars(ctx, k.vars());
        Object rendered = engine.render(k.loop(), v, where, "loop");
        List<Object> list = new ArrayList<>();
        switch (k.loopKind()) {
            case "items" -> {
                for (Object o : listify(rendered)) {
                    if (o instanceof List<?> l) {
                        list.addAll(l);
                    } else {
                        list.add(o);
                    }
                }
            }
            case "list" -> list.addAll(listify(rendered));
            case "dict" -> {
                if (!(unwrap(rendered) instanceof Map<?, ?> m)) {
                    throw new ConfigException(where, "with_dict expects a dict");
                }
                m.forEach((key, value) -> {
                    Map<String, Object> e = new LinkedHashMap<>();
                    e.put("key", key);
                    e.put("value", value);
                    list.add(e);
                });
            }
            default -> {
                if (!(unwrap(rendered) instanceof List<?> l)) {
                    throw new ConfigException(where, "Invalid data passed to 'loop', it requires a list, got this "
                            + "instead: " + TemplateEngine.text(rendered));
                }
                list.addAll(l);
            }
        }
        String loopVar = k.loopControl().get("loop_var") == null ? "item" : String.valueOf(k.loopControl().get("loop_var"));
        Object indexVar = k.loopControl().get("index_var");
        List<Item> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            Map<String, Object> iv = new LinkedHashMap<>();
            iv.put(loopVar, Unsafe.of(unwrap(list.get(i))));
            iv.put("ansible_loop_var", loopVar);
            if (indexVar != null) {
                iv.put(String.valueOf(indexVar), i);
            }
            out.add(new Item(i, list.get(i), iv, k.loopControl().get("label")));
        }
        return out;
    }

    private static List<?> listify(Object rendered) {
        Object u = unwrap(rendered);
        if (u instanceof List<?> l) {
            return l;
        }
        return u == null ? List.of() : List.of(u);
    }

    private static Object unwrap(Object o) {
        return o instanceof Unsafe u ? unwrap(u.value()) : o;
    }

    // ---- tasks ----

    private void task(Node.Task t, Ctx ctx, boolean isHandler) {
        Keywords k = t.keywords();
        List<String> tags = new ArrayList<>(ctx.tags());
        tags.addAll(k.tags());
        if (!isHandler && !settings.selects(tags)) {
            return;
        }
        Ctx here = ctx.role() == null && k.role() != null ? new Ctx(ctx.when(), ctx.tags(), ctx.blockVars(), k.role(),
                ctx.rescued(), ctx.become(), ctx.becomeUser()) : ctx;
        String module = t.module();
        boolean sysctl = SYSCTL.contains(module);
        boolean modprobe = MODPROBE.contains(module);
        String shortName = module.startsWith("ansible.builtin.") ? module.substring(16) : module;
        List<Object> argValues = new ArrayList<>(t.args().values());
        if (k.loopControl().get("label") != null) {
            argValues.add(k.loopControl().get("label"));
        }
        Set<String> taskNeeds = needs(here, k, argValues);
        Set<String> whenOnly = Set.of();
        if ((sysctl || modprobe) && !taskNeeds.isEmpty()) {
            // only the conditions need what is not known yet: the arguments can still be resolved and checked
            Keywords noWhen = new Keywords(k.name(), List.of(), k.tags(), k.vars(), k.loop(), k.loopKind(),
                    k.loopControl(), k.register(), k.changedWhen(), k.failedWhen(), k.ignoreErrors(), k.checkMode(),
                    k.become(), k.becomeUser(), k.notifies(), k.listen(), k.role());
            Ctx bare = new Ctx(List.of(), here.tags(), here.blockVars(), here.role(), here.rescued(), here.become(),
                    here.becomeUser());
            if (needs(bare, noWhen, argValues).isEmpty()) {
                whenOnly = taskNeeds;
                taskNeeds = Set.of();
            }
        }
        if (!taskNeeds.isEmpty()) {
            currentCheck = false;
            record(t, isHandler, null, null, TaskRecord.Status.UNKNOWN, null, unknownNote(taskNeeds));
            if (k.register() != null) {
                pending.add(k.register());
            }
            String sn = module.startsWith("ansible.builtin.") ? module.substring(16) : module;
            if (sn.equals("set_fact")) {
                pending.addAll(t.args().keySet());
            } else if (sn.equals("include_vars")) {
                opaque = true;
            }
            return;
        }
        List<Item> items;
        currentCheck = settings.checkMode();
        try {
            items = items(k, here, t.location());
        } catch (SysfleetException e) {
            collect(e);
            record(t, isHandler, null, null, TaskRecord.Status.FAILED, null, e.oneLine());
            failTask(k, here, t, null);
            return;
        }
        List<Object> when = new ArrayList<>(here.when());
        when.addAll(k.when());
        if (items.isEmpty()) {
            record(t, isHandler, null, null, TaskRecord.Status.SKIPPED, null, "No items in the list");
            register(k, here, skippedResult("No items in the list"));
            return;
        }
        List<Map<String, Object>> results = new ArrayList<>();
        boolean anyChanged = false;
        boolean anyFailed = false;
        boolean allSkipped = true;
        String failure = null;
        for (Item item : items) {
            Map<String, Object> scope = merge(k.vars(), item.vars);
            Vars v = vars(here, scope);
            nameVars = v;
            String label = null;
            Map<String, Object> result = new LinkedHashMap<>();
            TaskRecord.Status status;
            SysctlCall call = null;
            String note = null;
            resolvedModprobe = null;
            try {
                if (item.labelSource != null) {
                    label = TemplateEngine.text(engine.render(item.labelSource, v, t.location(), "loop_control.label"));
                }
                if (!whenOnly.isEmpty() && modprobe) {
                    record(t, isHandler, item.index, label, TaskRecord.Status.UNKNOWN, null, unknownNote(whenOnly),
                            modprobeTask(t, v, item, label));
                    continue;
                }
                if (!whenOnly.isEmpty()) {
                    wantBecome(k, here, v, t.location()); // it may run
                    call = resolve(t, v);
                    record(t, isHandler, item.index, label, TaskRecord.Status.UNKNOWN, call, unknownNote(whenOnly));
                    continue;
                }
                if (!when(when, v, t.locationOf("when"))) {
                    results.add(withItem(skippedResult("Conditional result was False"), item));
                    io.sysfleet.playbook.ModprobeTask skipped = null;
                    if (modprobe) {
                        try {
                            skipped = modprobeTask(t, v, item, label);
                        } catch (SysfleetException e) {
                            skipped = null; // a skipped task's arguments need not render (Ansible does not render them)
                        }
                    }
                    record(t, isHandler, item.index, label, TaskRecord.Status.SKIPPED, null, whenFalse(when), skipped);
                    continue;
                }
                allSkipped = false;
                boolean check = checkMode(k, v, t.location());
                currentCheck = check;
                if (sysctl || modprobe) {
                    wantBecome(k, here, v, t.location());
                }
                if (sysctl) {
                    call = resolve(t, v);
                    SysctlExecutor.Outcome o = executor.run(call, check);
                    result.put("changed", o.changed());
                    result.put("failed", o.failure() != null);
                    if (o.failure() != null) {
                        result.put("msg", o.failure());
                    }
                    result.put("name", call.key());
                    result.put("value", call.value());
                } else if (modprobe) {
                    io.sysfleet.playbook.ModprobeTask m = modprobeTask(t, v, item, label);
                    SysctlExecutor.Outcome o = executor.modprobe(m, check);
                    result.put("changed", o.changed());
                    result.put("failed", o.failure() != null);
                    if (o.failure() != null) {
                        result.put("msg", o.failure());
                    }
                    result.put("name", m.module());
                    result.put("params", m.params());
                    resolvedModprobe = m;
                } else if (!builtin(shortName, t, v, result, here)) {
                    result.put("changed", false);
                    result.put("failed", false);
                    String risk = LeftTasks.risk(shortName, t.args(), a -> {
                        try {
                            return TemplateEngine.text(render(a, v, t.location()));
                        } catch (SysfleetException x) {
                            return String.valueOf(a);
                        }
                    });
                    if (risk != null) {
                        warnings.add(t.location() + ": task '" + (k.name() == null ? module : k.name())
                                + "' (" + module + ") is left for ansible-playbook and may change the outcome: "
                                + risk);
                    }
                    record(t, isHandler, item.index, label, TaskRecord.Status.LEFT_FOR_ANSIBLE, null,
                            "left for ansible-playbook (" + module + ")" + (risk == null ? "" : "; may change the "
                            + "outcome: " + risk));
                    results.add(withItem(result, item));
                    continue;
                }
                if (k.changedWhen() != null) {
                    result.put("changed", when(k.changedWhen(), v.with(regName(k), Unsafe.of(result)), t.location()));
                }
                if (k.failedWhen() != null) {
                    boolean f = when(k.failedWhen(), v.with(regName(k), Unsafe.of(result)), t.location());
                    result.put("failed", f);
                    if (f) {
                        result.put("failed_when_result", true);
                    }
                }
            } catch (SysfleetException e) {
                collect(e);
                result.put("failed", true);
                result.put("msg", e.oneLine());
                note = e.oneLine();
            }
            boolean itemFailed = Boolean.TRUE.equals(result.get("failed"));
            boolean itemChanged = Boolean.TRUE.equals(result.get("changed"));
            status = itemFailed ? TaskRecord.Status.FAILED : itemChanged ? TaskRecord.Status.CHANGED
                    : TaskRecord.Status.OK;
            if (itemFailed && note == null) {
                note = String.valueOf(result.getOrDefault("msg", "failed_when holds"));
            }
            record(t, isHandler, item.index, label, status, call, note, resolvedModprobe);
            if (itemChanged && !itemFailed) {
                anyChanged = true;
                notify(k, v, t.location());
            }
            if (itemFailed) {
                anyFailed = true;
                failure = note;
            }
            results.add(withItem(result, item));
        }
        nameVars = null;
        if (!whenOnly.isEmpty()) {
            if (k.register() != null) {
                pending.add(k.register());
            }
            return;
        }
        Map<String, Object> reg;
        if (k.loop() != null) {
            reg = new LinkedHashMap<>();
            reg.put("changed", anyChanged);
            reg.put("failed", anyFailed);
            reg.put("skipped", allSkipped);
            reg.put("results", results);
            reg.put("msg", anyFailed ? "One or more items failed" : "All items completed");
        } else {
            reg = results.get(0);
        }
        register(k, here, reg);
        if (anyFailed) {
            failTask(k, here, t, failure);
        }
    }

    private void failTask(Keywords k, Ctx ctx, Node.Task t, String why) {
        Object ie = k.ignoreErrors();
        boolean ignore = false;
        if (ie != null) {
            Object r = ie instanceof String s && TemplateEngine.isTemplate(s) ? render(s, vars(ctx, k.vars()), t.location()) : ie;
            ignore = AnsibleValues.toBoolean(unwrap(r)) == Boolean.TRUE;
        }
        if (!ignore) {
            failed = true;
            throw new HostFailed();
        }
    }

    private void fail(Node n, String why, Ctx ctx) {
        records.add(new TaskRecord(n.location(), n.keywords().name(), "include", false, null, null,
                TaskRecord.Status.FAILED, null, why, false, null));
        failed = true;
        throw new HostFailed();
    }

    private static Map<String, Object> withItem(Map<String, Object> r, Item item) {
        if (item.index == null) {
            return r;
        }
        Map<String, Object> out = new LinkedHashMap<>(r);
        out.put("item", unwrap(item.value));
        out.putIfAbsent("skipped", false);
        return out;
    }

    private static Map<String, Object> skippedResult(String why) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("changed", false);
        r.put("skipped", true);
        r.put("skip_reason", why);
        return r;
    }

    private static String regName(Keywords k) {
        return k.register() == null ? "_sysfleet_result" : k.register();
    }

    private void register(Keywords k, Ctx ctx, Map<String, Object> result) {
        if (k.register() != null) {
            Map<String, Object> r = new LinkedHashMap<>(result);
            r.putIfAbsent("failed", false);
            r.putIfAbsent("skipped", false);
            hostFacts.put(k.register(), Unsafe.of(r));
        }
    }

    private void notify(Keywords k, Vars v, SourceLocation where) {
        for (String n : k.notifies()) {
            notified.add(String.valueOf(render(n, v, where)));
        }
    }

    /** Runs the notified handlers, in the order they are defined, each once. */
    private void flush() {
        if (failed || notified.isEmpty()) {
            notified.clear();
            return;
        }
        boolean again = true;
        Set<Node> ran = new java.util.HashSet<>();
        while (again) {
            again = false;
            for (Node h : List.copyOf(handlers)) {
                Keywords k = h.keywords();
                boolean hit = k.name() != null && notified.contains(k.name())
                        || k.listen().stream().anyMatch(notified::contains);
                if (hit && !ran.contains(h) && h instanceof Node.Task t) {
                    ran.add(h);
                    task(t, new Ctx(List.of(), List.of(), List.of(), k.role(), false, null, null), true);
                    again = true;
                }
            }
        }
        notified.clear();
    }

    /**
     * Notes a task's own {@code become} (or its block's or role's): sysfleet runs a host's sysctl and modprobe
     * work in one privileged session, so one such task makes the host's session become (as its
     * {@code become_user}, root by default), as ansible-playbook runs that task as root.
     */
    private void wantBecome(Keywords k, Ctx ctx, Vars v, SourceLocation where) {
        Object b = k.become() != null ? k.become() : ctx.become();
        if (b == null) {
            return;
        }
        Object c = b instanceof String s ? render(s, v, where) : b;
        if (Boolean.TRUE.equals(AnsibleValues.toBoolean(unwrap(c)))) {
            taskBecome = true;
            String user = k.becomeUser() != null ? k.becomeUser() : ctx.becomeUser();
            if (taskBecomeUser == null && user != null) {
                taskBecomeUser = String.valueOf(unwrap(user.contains("{") ? render(user, v, where) : user));
            }
        }
    }

    /** True when a sysctl or modprobe task of the play becomes of its own (task, block or role {@code become}). */
    public boolean taskBecome() {
        return taskBecome;
    }

    /** The {@code become_user} of the first such task, or null (root). */
    public String taskBecomeUser() {
        return taskBecomeUser;
    }

    private boolean checkMode(Keywords k, Vars v, SourceLocation where) {
        if (k.checkMode() == null) {
            return settings.checkMode();
        }
        Object c = k.checkMode() instanceof String s ? render(s, v, where) : k.checkMode();
        Boolean b = AnsibleValues.toBoolean(unwrap(c));
        return b == null ? settings.checkMode() : b;
    }

    /** Modules sysfleet runs besides sysctl and modprobe: those that change no host ({@link #builtin}). */
    private static final Set<String> OWN = Set.of("set_fact", "include_vars", "debug", "assert", "fail", "meta");

    /** Whether sysfleet runs tasks of {@code module} itself (else they are left for ansible-playbook). */
    public static boolean runsItself(String module) {
        String shortName = module.startsWith("ansible.builtin.") ? module.substring(16) : module;
        return SYSCTL.contains(module) || MODPROBE.contains(module) || OWN.contains(shortName);
    }

    /** Modules that change no host and that sysfleet runs itself; false for any other module. */
    private boolean builtin(String module, Node.Task t, Vars v, Map<String, Object> result, Ctx ctx) {
        switch (module) {
            case "set_fact" -> {
                for (Map.Entry<String, Object> e : t.args().entrySet()) {
                    if (!e.getKey().equals("cacheable")) {
                        hostFacts.put(e.getKey(), Unsafe.of(unwrap(engine.render(e.getValue(), v, t.location(),
                                "set_fact " + e.getKey()))));
                    }
                }
                result.put("changed", false);
                return true;
            }
            case "include_vars" -> {
                Object f = t.args().getOrDefault("file", t.args().get("_raw_params"));
                String file = String.valueOf(render(String.valueOf(f), v, t.location()));
                List<Path> bases = new ArrayList<>();
                if (ctx.role() != null) {
                    bases.add(ctx.role().dir().resolve("vars"));
                }
                bases.add(play.dir().resolve("vars"));
                bases.add(play.dir());
                Path found = null;
                for (Path b : bases) {
                    if (java.nio.file.Files.isRegularFile(b.resolve(file))) {
                        found = b.resolve(file);
                        break;
                    }
                }
                if (found == null) {
                    throw new ConfigException(t.location(), "include_vars: no such file '" + file + "'");
                }
                includeVars.putAll(loader.varsFile(found, t.location()));
                result.put("changed", false);
                return true;
            }
            case "debug" -> {
                result.put("changed", false);
                return true;
            }
            case "assert" -> {
                Object that = t.args().get("that");
                List<Object> conds = that instanceof List<?> l ? new ArrayList<>(l) : List.of(String.valueOf(that));
                boolean ok = when(conds, v, t.location());
                result.put("changed", false);
                result.put("failed", !ok);
                if (!ok) {
                    result.put("msg", String.valueOf(t.args().getOrDefault("fail_msg", "Assertion failed")));
                }
                return true;
            }
            case "fail" -> {
                result.put("changed", false);
                result.put("failed", true);
                result.put("msg", String.valueOf(render(String.valueOf(t.args().getOrDefault("msg", "Failed as requested from task")), v, t.location())));
                return true;
            }
            case "meta" -> {
                String what = String.valueOf(t.args().getOrDefault("_raw_params", ""));
                if (what.equals("flush_handlers")) {
                    flush();
                } else if (what.equals("end_host") || what.equals("end_play")) {
                    ended = true;
                }
                result.put("changed", false);
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    /** Renders and converts a sysctl task's arguments as the module's argument spec would. */
    private SysctlCall resolve(Node.Task t, Vars v) {
        Map<String, Object> args = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : t.args().entrySet()) {
            if (!ARGS.contains(e.getKey())) {
                throw new ConfigException(t.location(), "Unsupported parameters for (sysctl) module: " + e.getKey());
            }
            Object r = unwrap(engine.render(e.getValue(), v, t.locationOf("args." + e.getKey()), e.getValue() instanceof String w
                    ? (e.getKey().equals("key") ? "name" : e.getKey().equals("val") ? "value" : e.getKey()) + " '" + w + "'"
                    : "sysctl " + e.getKey()));
            if (r instanceof String s && TemplateEngine.isOmit(s)) {
                continue;
            }
            args.put(e.getKey().equals("key") ? "name" : e.getKey().equals("val") ? "value" : e.getKey(), r);
        }
        Object name = args.get("name");
        if (name == null) {
            throw new ConfigException(t.location(), "missing required arguments: name");
        }
        String key = TemplateEngine.text(name).strip();
        try {
            io.sysfleet.sysctl.SysctlKey.of(key);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(t.locationOf(t.args().containsKey("name") ? "args.name" : "args.key"),
                    e.getMessage());
        }
        String state = args.get("state") == null ? "present" : TemplateEngine.text(args.get("state"));
        if (!state.equals("present") && !state.equals("absent")) {
            throw new ConfigException(t.location(), "value of state must be one of: present, absent, got: " + state);
        }
        String value = null;
        if (state.equals("absent")) {
            value = null; // the module ignores a value with state absent
        } else if (args.get("value") != null) {
            value = AnsibleValues.sysctlValue(TemplateEngine.text(args.get("value")));
        } else if (state.equals("present")) {
            throw new ConfigException(t.location(), "state is present but all of the following are missing: value");
        }
        String file = args.get("sysctl_file") == null ? "/etc/sysctl.conf" : TemplateEngine.text(args.get("sysctl_file"));
        return new SysctlCall(key, value, state, bool(args, "reload", true, t), bool(args, "sysctl_set", false, t),
                bool(args, "ignoreerrors", false, t), file);
    }

    private static boolean bool(Map<String, Object> args, String name, boolean dflt, Node.Task t) {
        Object v = args.get(name);
        if (v == null) {
            return dflt;
        }
        Boolean b = AnsibleValues.toBoolean(v instanceof String s ? s : v);
        if (b == null) {
            throw new ConfigException(t.location(), "argument '" + name + "' is of type " + v.getClass().getSimpleName()
                    + " and we were unable to convert to bool: " + v);
        }
        return b;
    }

    private void record(Node.Task t, boolean handler, Integer index, String label, TaskRecord.Status status,
                        SysctlCall call, String note) {
        record(t, handler, index, label, status, call, note, null);
    }

    private void record(Node.Task t, boolean handler, Integer index, String label, TaskRecord.Status status,
                        SysctlCall call, String note, io.sysfleet.playbook.ModprobeTask modprobe) {
        records.add(new TaskRecord(t.location(), taskName(t), t.module(), handler, index, label, status, call, note,
                currentCheck, t.locations(), modprobe));
    }

    /** The variables of the item being run, to render task names with (null between tasks). */
    private Vars nameVars;

    /**
     * The task's name as Ansible shows it: rendered with the item's variables where it can be (what a host
     * reports stays data: facts are never templates), else as written; "role : name"; null when it has none.
     */
    private String taskName(Node.Task t) {
        String name = t.keywords().name();
        if (name != null && nameVars != null && TemplateEngine.isTemplate(name)) {
            try {
                name = TemplateEngine.text(render(name, nameVars, t.location()));
            } catch (SysfleetException e) {
                // as written: a name that cannot be rendered is no error (Ansible shows it as written too)
            }
        }
        if (t.keywords().role() != null && name != null) {
            name = t.keywords().role().name() + " : " + name;
        }
        return name;
    }

    /** The modprobe task of the item being run (set by {@link #task}, read when its record is made). */
    private io.sysfleet.playbook.ModprobeTask resolvedModprobe;

    /**
     * Renders a modprobe task's arguments for this host and item and checks them as the loader checks literal
     * ones ({@link io.sysfleet.playbook.ModprobeTask#problem}): a module name, NAME=VALUE parameters, the state and
     * persistence words. What it returns is safe to pass to modprobe and to write to the module's files.
     */
    private io.sysfleet.playbook.ModprobeTask modprobeTask(Node.Task t, Vars v, Item item, String label) {
        Map<String, Object> args = new LinkedHashMap<>();
        Map<String, SourceLocation> locs = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : t.args().entrySet()) {
            SourceLocation at = t.locationOf("args." + e.getKey());
            if (!io.sysfleet.playbook.ModprobeTask.ARGS.contains(e.getKey())) {
                throw new ConfigException(at, io.sysfleet.playbook.ModprobeTask.problem(e.getKey(), null, null)
                        .orElseThrow());
            }
            Object r = unwrap(engine.render(e.getValue(), v, at, "modprobe " + e.getKey()));
            if (r instanceof String str && TemplateEngine.isOmit(str)) {
                continue;
            }
            String kind = r instanceof Boolean ? "a boolean" : r instanceof Number ? "a number"
                    : r instanceof Map<?, ?> ? "a mapping" : r instanceof List<?> ? "a list" : "null";
            Object checked = r instanceof String str ? str : r;
            io.sysfleet.playbook.ModprobeTask.problem(e.getKey(), checked, kind).ifPresent(m -> {
                throw new ConfigException(at, m);
            });
            args.put(e.getKey(), checked);
            locs.put(e.getKey(), at);
        }
        if (args.get("name") == null) {
            throw new ConfigException(t.location(), "modprobe argument 'name' is required");
        }
        String module = ((String) args.get("name")).strip();
        String name = taskName(t);
        if (name == null) {
            name = t.module();
        }
        if (item.index != null) {
            name += " (item=" + (label != null ? label : module) + ")";
        }
        io.sysfleet.playbook.State state = "absent".equals(args.get("state")) ? io.sysfleet.playbook.State.ABSENT
                : io.sysfleet.playbook.State.PRESENT;
        String params = args.get("params") == null ? "" : ((String) args.get("params")).strip();
        return new io.sysfleet.playbook.ModprobeTask(name, new LinkedHashSet<>(t.keywords().tags()),
                io.sysfleet.playbook.Condition.always(), module, state, params,
                io.sysfleet.playbook.ModprobeTask.persistence((String) args.get("persistent")), t.location(), locs);
    }

    // ---- variables ----

    /** The variables a task sees, lowest precedence first, as Ansible layers them. */
    private Vars vars(Ctx ctx, Map<String, Object> taskVars) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (RoleInstance r : play.roles()) {
            m.putAll(r.defaults());
        }
        if (ctx.role() != null) {
            for (RoleInstance r : ctx.role().chain()) {
                m.putAll(r.defaults());
            }
        }
        for (RoleInstance r : publicRoles) {
            m.putAll(r.defaults());
        }
        m.putAll(inventoryVars);
        m.putAll(facts);
        m.putAll(play.vars());
        m.putAll(playVarsFiles);
        for (RoleInstance r : play.roles()) {
            m.putAll(r.entryVars());
            m.putAll(r.vars());
        }
        if (ctx.role() != null) {
            for (RoleInstance r : ctx.role().chain()) {
                m.putAll(r.entryVars());
                m.putAll(r.vars());
            }
        }
        for (Map<String, Object> b : ctx.blockVars()) {
            m.putAll(b);
        }
        m.putAll(taskVars);
        m.putAll(includeVars);
        m.putAll(hostFacts);
        if (ctx.role() != null) {
            for (RoleInstance r : ctx.role().chain()) {
                m.putAll(r.params());
            }
            m.put("role_name", ctx.role().name());
            m.put("role_path", ctx.role().dir().toString());
        }
        m.putAll(taskVars.entrySet().stream().filter(e -> e.getValue() instanceof Unsafe)
                .collect(LinkedHashMap::new, (a, e) -> a.put(e.getKey(), e.getValue()), Map::putAll));
        m.putAll(magic);
        return Vars.of(m);
    }

    private static Map<String, Object> merge(Map<String, Object> a, Map<String, Object> b) {
        Map<String, Object> m = new LinkedHashMap<>(a);
        m.putAll(b);
        return m;
    }

    private static List<Map<String, Object>> withVars(List<Map<String, Object>> list, Map<String, Object> more) {
        List<Map<String, Object>> out = new ArrayList<>(list);
        if (!more.isEmpty()) {
            out.add(more);
        }
        return out;
    }

    /** The note of a task whose conditions are false: "when: (a) and (b) is false". */
    private static String whenFalse(List<Object> when) {
        StringBuilder sb = new StringBuilder("when: ");
        for (int i = 0; i < when.size(); i++) {
            Object c = when.get(i);
            sb.append(i == 0 ? "" : " and ").append('(')
                    .append(c instanceof Boolean b ? (b ? "True" : "False") : String.valueOf(c)).append(')');
        }
        return sb.append(" is false").toString();
    }

    private void collect(SysfleetException e) {
        if (e instanceof ConfigException c) {
            problems.addAll(c.problems());
        }
    }

    /** The note of a task that needs variables this plan does not have yet. */
    static String unknownNote(Set<String> needs) {
        return "unknown offline (needs " + String.join(", ", needs) + ")";
    }

    /**
     * The not-yet-known variables ({@link #pending}) a task's conditions, loop, vars and the given values use.
     * Empty when nothing is pending (a plan with facts).
     */
    private Set<String> needs(Ctx ctx, Keywords k, List<Object> values) {
        if (pending.isEmpty() && !opaque) {
            return Set.of();
        }
        Set<String> used = new LinkedHashSet<>();
        List<Object> conds = new ArrayList<>(ctx.when());
        conds.addAll(k.when());
        for (Object c : conds) {
            if (c instanceof String str) {
                used.addAll(variables(TemplateEngine.isTemplate(str) ? str
                        : "{% if " + str + " %}True{% else %}False{% endif %}"));
            }
        }
        List<Object> all = new ArrayList<>(values);
        all.add(k.loop());
        all.addAll(k.vars().values());
        for (Map<String, Object> bv : ctx.blockVars()) {
            all.addAll(bv.values());
        }
        for (Object o : all) {
            strings(o, str -> used.addAll(variables(str)));
        }
        Set<String> out = new LinkedHashSet<>();
        Vars known = opaque ? vars(ctx, k.vars()) : null;
        for (String name : used) {
            if (pending.contains(name) || known != null && !known.has(name)) {
                out.add(name);
            }
        }
        return out;
    }

    private Set<String> variables(String template) {
        if (!TemplateEngine.isTemplate(template)) {
            return Set.of();
        }
        try {
            return engine.variables(template, null);
        } catch (SysfleetException e) {
            return Set.of();
        }
    }

    private static void strings(Object o, java.util.function.Consumer<String> out) {
        if (o instanceof String s) {
            out.accept(s);
        } else if (o instanceof Map<?, ?> m) {
            m.values().forEach(v -> strings(v, out));
        } else if (o instanceof List<?> l) {
            l.forEach(v -> strings(v, out));
        }
    }

    private boolean when(List<Object> conditions, Vars v, SourceLocation where) {
        return conditions.isEmpty() || engine.when(conditions, v, where);
    }

    private Object render(Object value, Vars v, SourceLocation where) {
        return unwrap(engine.render(value, v, where));
    }
}
