package io.sysfleet.plan;

import io.sysfleet.catalog.KernelKey;
import io.sysfleet.catalog.KeyCatalog;
import io.sysfleet.catalog.KeyResolution;
import io.sysfleet.catalog.Platform;
import io.sysfleet.core.ConfigException;
import io.sysfleet.core.Problem;
import io.sysfleet.core.SysfleetException;
import io.sysfleet.catalog.ConntrackSizing;
import io.sysfleet.catalog.Scope;
import io.sysfleet.facts.RuntimeFacts;
import io.sysfleet.playbook.ModprobeTask;
import io.sysfleet.inventory.Host;
import io.sysfleet.inventory.Inventory;
import io.sysfleet.plan.expand.HostRun;
import io.sysfleet.plan.expand.MagicVars;
import io.sysfleet.plan.expand.RunSettings;
import io.sysfleet.plan.expand.SysctlCall;
import io.sysfleet.plan.expand.SysctlExecutor;
import io.sysfleet.plan.expand.SysctlModuleModel;
import io.sysfleet.plan.expand.TaskRecord;
import io.sysfleet.playbook.Play;
import io.sysfleet.playbook.tree.PlayTree;
import io.sysfleet.playbook.ResolvedTask;
import io.sysfleet.playbook.State;
import io.sysfleet.playbook.SysctlTask;
import io.sysfleet.playbook.Templater;
import io.sysfleet.sysctl.Change;
import io.sysfleet.sysctl.Desired;
import io.sysfleet.sysctl.Edit;
import io.sysfleet.sysctl.SysctlEditor;
import io.sysfleet.sysctl.SysctlFile;
import io.sysfleet.sysctl.SysctlKey;
import io.sysfleet.sysctl.SysctlLine;
import io.sysfleet.sysctl.SysctlValue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Computes a {@link HostPlan} from a host's variables, a play and the host's state. Pure: nothing runs on any
 * host, so check mode is the plan itself. A problem on one host (an undefined variable, a value out of range,
 * a key the kernel lacks) becomes that plan's error, never an exception.
 *
 * <p>Rules: tasks run in order, a later task for the same key wins (as in Ansible). A key the host's kernel has
 * removed (tcp_tw_recycle on 4.12+) with a desired value of 0 is already satisfied, and any active line for it
 * is commented out because {@code sysctl -p} would fail on it; a non-zero value for it is an error. Live
 * values are converged when the task has {@code reload} (the default) or {@code sysctl_set}.
 */
public final class Planner {
    static final String TW_BUCKETS = "net.ipv4.tcp_max_tw_buckets";
    static final String CT_MAX = "net.netfilter.nf_conntrack_max";
    static final String CT_BUCKETS = "net.netfilter.nf_conntrack_buckets";
    /** A full conntrack table above 1/8 of MemTotal is warned about. */
    static final int CT_MEMORY_SHARE = 8;
    private final KeyCatalog catalog;
    private final SysctlPaths paths;
    private final Inventory inventory;
    private final RunSettings settings;

    public Planner(KeyCatalog catalog) {
        this(catalog, SysctlPaths.defaults());
    }

    /** A planner that refuses every sysctl_file {@code paths} does not allow. */
    public Planner(KeyCatalog catalog, SysctlPaths paths) {
        this(catalog, paths, null, RunSettings.defaults());
    }

    /** A planner for the default sysctl files ({@link SysctlPaths#defaults()}). */
    public Planner(KeyCatalog catalog, Inventory inventory, RunSettings settings) {
        this(catalog, SysctlPaths.defaults(), inventory, settings);
    }

    /**
     * @param paths     the files sysfleet may manage: a sysctl_file outside them (in a role or a loop too) is refused
     * @param inventory the run's inventory, for the magic variables ({@code groups}, {@code hostvars}, ...); null
     *                  gives a host only its own name and no groups
     * @param settings  {@code --tags}, {@code --skip-tags}, check mode
     */
    public Planner(KeyCatalog catalog, SysctlPaths paths, Inventory inventory, RunSettings settings) {
        this.catalog = catalog;
        this.paths = paths == null ? SysctlPaths.defaults() : paths;
        this.inventory = inventory;
        this.settings = settings;
    }

    public RunSettings settings() {
        return settings;
    }

    /** The variables a host's tasks see: inventory vars, then facts (when gathered), then play vars. */
    public static Map<String, Object> variables(Host host, Play play, HostState state) {
        Map<String, Object> vars = new LinkedHashMap<>(host.vars());
        if (state != null && play.gatherFacts()) {
            vars.putAll(FactVars.of(state.platform()));
        }
        vars.putAll(play.vars());
        return vars;
    }

    /**
     * The play expanded for one host ({@link HostRun}): every task, block, include, role, loop item and handler
     * in the order ansible-playbook runs them, each with its outcome as the sysctl module would decide it over
     * {@code state}. Without a state (a static plan) nothing is changed and what needs facts is UNKNOWN.
     */
    public HostRun expand(Host host, Play play, HostState state) {
        PlayTree tree = play.tree() != null ? play.tree() : PlainTree.of(play);
        Map<String, Object> facts = state != null && play.gatherFacts() ? FactVars.of(state.platform()) : Map.of();
        Map<String, Object> magic = inventory != null ? MagicVars.of(inventory, host) : MagicVars.of(host);
        SysctlExecutor executor = state == null ? (call, check) -> new SysctlExecutor.Outcome(false, null)
                : withModules(new SysctlModuleModel(state.files(), key -> {
                    try {
                        return state.live().get(SysctlKey.of(key));
                    } catch (IllegalArgumentException e) {
                        return null;
                    }
                }), state);
        Set<String> pending = state == null ? pendingFacts(play, host) : Set.of();
        HostRun run = new HostRun(settings, tree, host.vars(), facts, magic, executor, pending);
        run.run();
        return run;
    }

    /**
     * The sysctl module's model, with modprobe tasks answered from the host's runtime facts and module files
     * (changed when the module is loaded or unloaded or a persistence file changes), so {@code register},
     * {@code changed_when} and handlers see what Ansible's modprobe module would report.
     */
    private static SysctlExecutor withModules(SysctlExecutor sysctl, HostState state) {
        return new SysctlExecutor() {
            @Override
            public Outcome run(SysctlCall call, boolean checkMode) {
                return sysctl.run(call, checkMode);
            }

            @Override
            public Outcome modprobe(ModprobeTask task, boolean checkMode) {
                List<FilePlan> files = new ArrayList<>();
                ModulePlan mp = module(task, state, files, new ArrayList<>());
                return new Outcome(mp.changes() || !files.isEmpty(), null);
            }
        };
    }

    /**
     * What one static expansion of {@code play} for {@code host} says before anything is known of the host: the keys
     * to probe (every platform's names), the modules whose state the facts must give, the files the tasks write, and
     * the become the tasks ask for of their own (null: none; empty: root; see {@link HostRun#taskBecome}).
     */
    public record Probe(Set<SysctlKey> keys, Set<String> modules, Set<String> files, String taskBecome) {
    }

    /** The {@link Probe} of {@code play} for {@code host}, from one static expansion. */
    public Probe probe(Play play, Host host) {
        HostRun run = expand(host, play, null);
        List<TaskRecord> records = run.records();
        Set<SysctlKey> keys = keysOf(records);
        String become = !run.taskBecome() ? null : run.taskBecomeUser() == null ? "" : run.taskBecomeUser();
        return new Probe(keys, modulesOf(records, keys), filesOf(records), become);
    }

    /** The keys a play may touch on any platform, to probe in one round trip before the platform is known. */
    public Set<SysctlKey> probeKeys(Play play, Host host) {
        return probe(play, host).keys();
    }

    /** The keys (with their other platforms' names) of the sysctl tasks in {@code records}. */
    public Set<SysctlKey> keysOf(List<TaskRecord> records) {
        Set<SysctlKey> keys = new LinkedHashSet<>();
        for (TaskRecord r : records) {
            if (r.call() != null) {
                try {
                    SysctlKey key = SysctlKey.of(r.call().key());
                    keys.add(key);
                    keys.addAll(catalog.allNames(key));
                } catch (IllegalArgumentException e) {
                    // reported by plan()
                }
            }
        }
        // The conntrack sizing check needs the host's hash table size.
        if (keys.stream().anyMatch(k -> catalog.canonicalName(k).orElse(k).dotted().equals(CT_MAX))) {
            keys.addAll(catalog.allNames(SysctlKey.of(CT_BUCKETS)));
        }
        return keys;
    }

    /**
     * The files a play's tasks write for this host: each sysctl file (default /etc/sysctl.conf), then the
     * modules-load.d and modprobe.d files of each modprobe task with {@code persistent} present or absent.
     */
    public Set<String> files(Play play, Host host) {
        return probe(play, host).files();
    }

    /**
     * The files of the tasks in {@code records}: the modules-load.d and modprobe.d files of each modprobe task with
     * {@code persistent} present or absent, then each sysctl file the run's {@link SysctlPaths} allows.
     */
    public Set<String> filesOf(List<TaskRecord> records) {
        Set<String> files = new LinkedHashSet<>();
        for (TaskRecord r : records) {
            if (r.modprobe() != null && r.status() != TaskRecord.Status.SKIPPED
                    && r.modprobe().persistent() != ModprobeTask.Persistence.DISABLED) {
                files.add(r.modprobe().modulesLoadFile());
                files.add(r.modprobe().optionsFile());
            }
        }
        for (TaskRecord r : records) {
            if (r.call() != null && paths.refusal(r.call().sysctlFile()).isEmpty()) {
                files.add(r.call().sysctlFile()); // a refused path is never read: plan() reports it
            }
        }
        return files;
    }

    /**
     * The kernel modules whose state the facts must give: each modprobe task's, and every name (on any platform)
     * of the module each key the play touches needs.
     */
    public Set<String> probeModules(Play play, Host host) {
        return probe(play, host).modules();
    }

    private Set<String> modulesOf(List<TaskRecord> records, Set<SysctlKey> keys) {
        Set<String> out = new LinkedHashSet<>();
        for (TaskRecord r : records) {
            if (r.modprobe() != null && r.status() != TaskRecord.Status.SKIPPED) {
                out.add(r.modprobe().module());
            }
        }
        for (SysctlKey k : keys) {
            catalog.find(k).ifPresent(kk -> out.addAll(catalog.allModuleNames(kk)));
        }
        return out;
    }

    /**
     * The fact variables a play's tasks cannot know without the host's facts: those it gathers
     * ({@code gather_facts}) and neither its own vars nor the host's set. Empty for a play that does not gather
     * facts: its variables are all there is.
     */
    static Set<String> pendingFacts(Play play, Host host) {
        if (!play.gatherFacts()) {
            return Set.of();
        }
        Set<String> out = new LinkedHashSet<>(FactVars.NAMES);
        out.add("ansible_facts");
        out.removeAll(play.vars().keySet());
        out.removeAll(host.vars().keySet());
        return out;
    }

    /**
     * Plans a play for one host. {@code state} null gives the static (offline) plan: what can be known from the
     * inventory and the play alone, for every task; a task whose {@code when} or templates need facts is
     * {@code UNKNOWN}, "unknown offline (needs ansible_kernel)". Problems in the input (a template that cannot
     * be rendered, a value the catalog refuses) are the plan's problems and its first one is the plan's error.
     * A task of a module sysfleet does not run is SKIPPED, "left for ansible-playbook"; one loop item is one key
     * line, named by its {@code loop_control.label}.
     */
    public HostPlan plan(Host host, Play play, HostState state) {
        Platform platform = state == null ? Platform.unknown() : state.platform();
        HostRun run = expand(host, play, state);
        List<String> warnings = new ArrayList<>(run.warnings());
        List<Problem> problems = new ArrayList<>(run.problems());
        List<ModulePlan> modules = new ArrayList<>();
        List<FilePlan> moduleFiles = new ArrayList<>();
        Set<String> loading = new LinkedHashSet<>();
        String moduleError = modules(run.records(), state, modules, moduleFiles, loading, warnings);
        List<Step> steps = new ArrayList<>();
        String hostError = null;
        if (run.failed()) {
            for (TaskRecord r : run.records()) {
                if (r.status() == TaskRecord.Status.FAILED) {
                    hostError = r.location() + ": " + displayName(r) + ": " + r.note();
                }
            }
        }
        for (TaskRecord r : run.records()) {
            Step s = step(r, run.failed(), platform, warnings, problems);
            if (s != null) {
                steps.add(s);
            }
        }
        markSuperseded(steps);
        HostPlan plan = state == null ? offline(host, play, platform, steps, warnings)
                : online(host, play, state, steps, warnings, loading);
        List<FilePlan> files = new ArrayList<>(moduleFiles);
        files.addAll(plan.files());
        String error = moduleError != null ? moduleError
                : hostError != null && plan.error() == null ? hostError : plan.error();
        return new HostPlan(plan.host(), plan.play(), plan.platform(), plan.keys(), files, plan.warnings(),
                error, problems, modules, run.records());
    }

    /**
     * Plans the play's modprobe tasks as the expansion ran them for this host (in a role, a block, a loop item;
     * Ansible's semantics, see {@link ModprobeTask}): what each does to the running kernel and to its persistence
     * files. Fills {@code loading} with the modules the run loads, so the sysctl keys they bring are planned as set
     * after the load. Returns the first error, or null. A modprobe task whose arguments could not be resolved is
     * planned as a step ({@link #step}) instead.
     */
    private String modules(List<TaskRecord> records, HostState state, List<ModulePlan> out, List<FilePlan> files,
                           Set<String> loading, List<String> warnings) {
        String error = null;
        for (TaskRecord r : records) {
            if (r.modprobe() == null) {
                continue;
            }
            ModulePlan mp = module(r, state, files, warnings);
            out.add(mp);
            if (mp.action() == ModulePlan.Action.LOAD) {
                loading.add(mp.module());
            }
            if (mp.action() == ModulePlan.Action.ERROR && error == null) {
                error = mp.note();
            }
        }
        return error;
    }

    private ModulePlan module(TaskRecord r, HostState state, List<FilePlan> files, List<String> warnings) {
        ModprobeTask m = r.modprobe();
        if (r.status() == TaskRecord.Status.SKIPPED) {
            return new ModulePlan(m, ModulePlan.Action.SKIPPED, r.note());
        }
        if (r.checkMode() && !settings.checkMode()) {
            return new ModulePlan(m, ModulePlan.Action.SKIPPED, "check_mode: true: not applied");
        }
        if (state == null || r.status() == TaskRecord.Status.UNKNOWN) {
            return new ModulePlan(m, ModulePlan.Action.UNKNOWN, r.status() == TaskRecord.Status.UNKNOWN
                    ? r.note() : "offline: facts not gathered");
        }
        return module(m, state, files, warnings);
    }

    /** What a modprobe task that runs does on a host with {@code state}. */
    private static ModulePlan module(ModprobeTask m, HostState state, List<FilePlan> files, List<String> warnings) {
        RuntimeFacts rt = state.runtime();
        RuntimeFacts.ModuleState st = rt.module(m.module());
        String at = m.location() + ": ";
        ModulePlan.Action action;
        String note;
        if (st == null) {
            return new ModulePlan(m, ModulePlan.Action.ERROR, at + "the facts do not say whether " + m.module()
                    + " is loaded");
        }
        if (m.state() == State.PRESENT) {
            if (st.available()) {
                action = ModulePlan.Action.NONE;
                note = st == RuntimeFacts.ModuleState.BUILTIN ? m.module() + " is built into the kernel"
                        : m.module() + " is loaded" + (m.params().isEmpty() ? ""
                        : " (its parameters are not changed while it is loaded, as with Ansible)");
            } else if (!Boolean.TRUE.equals(rt.modprobe())) {
                return new ModulePlan(m, ModulePlan.Action.ERROR, at + "cannot load " + m.module()
                        + ": there is no modprobe command on this host (install kmod / module-init-tools)");
            } else if (Boolean.FALSE.equals(rt.moduleSupport())) {
                return new ModulePlan(m, ModulePlan.Action.ERROR, at + "cannot load " + m.module() + ": the kernel "
                        + "loads no modules (no /proc/modules, no kernel.modprobe) and " + m.module()
                        + " is not built in");
            } else {
                action = ModulePlan.Action.LOAD;
                note = "modprobe " + m.module() + (m.params().isEmpty() ? "" : " " + m.params());
            }
        } else {
            if (st == RuntimeFacts.ModuleState.BUILTIN) {
                return new ModulePlan(m, ModulePlan.Action.ERROR, at + "cannot unload " + m.module()
                        + ": it is built into the kernel");
            }
            if (st == RuntimeFacts.ModuleState.LOADED && !Boolean.TRUE.equals(rt.modprobe())) {
                return new ModulePlan(m, ModulePlan.Action.ERROR, at + "cannot unload " + m.module()
                        + ": there is no modprobe command on this host");
            }
            action = st == RuntimeFacts.ModuleState.LOADED ? ModulePlan.Action.UNLOAD : ModulePlan.Action.NONE;
            note = action == ModulePlan.Action.UNLOAD ? "modprobe -r " + m.module() : m.module() + " is not loaded";
        }
        if (m.persistent() != ModprobeTask.Persistence.DISABLED) {
            for (String path : List.of(m.modulesLoadFile(), m.optionsFile())) {
                if (!state.files().containsKey(path)) {
                    return new ModulePlan(m, ModulePlan.Action.ERROR, "facts: " + path + " was not read");
                }
                String old = state.files().get(path);
                String text = path.equals(m.modulesLoadFile())
                        ? ModuleFiles.modulesLoad(old, m.module(), m.persistent())
                        : ModuleFiles.options(old, m.module(), m.paramList(), m.persistent());
                FilePlan fp = new FilePlan(path, old, text, List.of(), false);
                if (fp.changed()) {
                    files.add(fp);
                }
            }
            if (m.persistent() == ModprobeTask.Persistence.PRESENT && st.available() && !m.params().isEmpty()) {
                warnings.add(m.location() + ": " + m.module() + " is already loaded: its parameters ("
                        + m.params() + ") take effect when it is next loaded (at boot)");
            }
        }
        return new ModulePlan(m, action, note);
    }

    /** A task's name in reports: Ansible's ("role : name", the module without a name), with its loop item. */
    static String displayName(TaskRecord r) {
        String name = r.name() != null ? r.name() : r.module();
        if (r.index() != null) {
            name += " (item=" + (r.label() != null ? r.label() : r.call() != null ? r.call().key()
                    : "#" + r.index()) + ")";
        }
        return r.handler() ? "handler " + name : name;
    }

    /** One expanded task for one host: skipped, unknown, left for ansible-playbook, an error, or resolved. */
    private Step step(TaskRecord r, boolean hostFailed, Platform platform, List<String> warnings,
                      List<Problem> problems) {
        String name = displayName(r);
        if (r.isModprobe()) {
            if (r.modprobe() != null) {
                return null; // a module plan (see modules())
            }
            return switch (r.status()) {
                case SKIPPED -> Step.skip(name, r.note() == null ? "skipped" : r.note());
                case UNKNOWN -> Step.unknown(name, r.note());
                default -> null; // FAILED: the run's error (hostError) and its problem
            };
        }
        if (!r.sysctl()) {
            return switch (r.status()) {
                case LEFT_FOR_ANSIBLE -> Step.skip(name, r.note());
                case UNKNOWN -> Step.unknown(name, r.note());
                default -> null; // set_fact, include_vars, assert, debug, ...: nothing to apply
            };
        }
        switch (r.status()) {
            case SKIPPED:
                return Step.skip(name, r.note() == null ? "skipped" : r.note());
            case UNKNOWN:
                if (r.call() == null) {
                    return Step.unknown(name, r.note());
                }
                break;
            case LEFT_FOR_ANSIBLE:
                return Step.skip(name, r.note());
            default:
                break;
        }
        if (r.call() == null) {
            return hostFailed ? Step.error(name, r.location() + ": " + r.note())
                    : Step.skip(name, "failed, ignored: " + r.note());
        }
        if (r.checkMode() && !settings.checkMode()) {
            return Step.skip(name, "check_mode: true: " + (r.status() == TaskRecord.Status.CHANGED
                    ? "would change" : "no change") + ", not applied");
        }
        try {
            ResolvedTask t = resolved(r, name);
            Optional<String> refused = paths.refusal(t.sysctlFile());
            if (refused.isPresent()) {
                throw new ConfigException(r.locationOf("sysctl_file"), refused.get());
            }
            KeyResolution res = catalog.resolve(t.key(), platform);
            if (res.availability() == KeyResolution.Availability.UNKNOWN_KEY) {
                warnings.add(t.location() + ": " + res.name() + " is not in sysfleet's key catalog");
            }
            Optional<KernelKey> kk = catalog.find(res.name());
            String error = null;
            if (t.state() == State.PRESENT && kk.isPresent()) {
                Optional<KernelKey.ValueProblem> bad = kk.get().problem(t.value());
                if (bad.isPresent() && bad.get().error()) {
                    Problem p = new Problem(r.locationOf("value"), res.name() + " " + bad.get().message());
                    problems.add(p);
                    error = p.toString();
                } else if (bad.isPresent()) {
                    warnings.add(r.locationOf("value") + ": " + res.name() + " " + bad.get().message());
                }
            }
            Step step = new Step(t, name, res, kk.orElse(null), error, null);
            if (r.status() == TaskRecord.Status.UNKNOWN) {
                step.unknownNote = r.note();
            }
            return step;
        } catch (ConfigException e) {
            problems.addAll(e.problems());
            return Step.error(name, e.oneLine());
        }
    }

    /** A sysctl call as the plan works with it, checked so nothing unsafe reaches a host. */
    private static ResolvedTask resolved(TaskRecord r, String name) {
        SysctlCall c = r.call();
        SysctlKey key;
        try {
            key = SysctlKey.of(c.key());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(r.locationOf("name"), e.getMessage());
        }
        State state = c.state().equals("absent") ? State.ABSENT : State.PRESENT;
        if (c.value() != null) {
            Templater.checkValue(c.value(), state, r.locationOf("value"), key.dotted());
        }
        Templater.checkFile(c.sysctlFile(), r.locationOf("sysctl_file"));
        return new ResolvedTask(name, key, c.value(), state, c.sysctlFile(), c.reload(), c.sysctlSet(),
                c.ignoreErrors(), r.location());
    }

    private HostPlan offline(Host host, Play play, Platform platform, List<Step> steps, List<String> warnings) {
        List<KeyPlan> keys = new ArrayList<>();
        String error = null;
        for (Step s : steps) {
            if (s.error != null) {
                keys.add(new KeyPlan(s.task, s.name, s.res == null ? null : s.res.name(),
                        s.task == null ? null : desired(s.task), null, KeyPlan.Outcome.ERROR, s.error));
                error = error == null ? s.error : error;
            } else if (s.res == null && s.unknownNote != null) {
                keys.add(new KeyPlan(null, s.name, null, null, null, KeyPlan.Outcome.UNKNOWN, s.unknownNote));
            } else if (s.task == null || s.superseded) {
                keys.add(skipped(s));
            } else {
                keys.add(new KeyPlan(s.task, s.name, s.res.name(), desired(s.task), null, KeyPlan.Outcome.UNKNOWN,
                        s.unknownNote != null ? s.unknownNote : "offline: facts not gathered"));
            }
        }
        return new HostPlan(host, play, platform, keys, List.of(), warnings, error);
    }

    /** The note of a task that depends on facts an offline plan does not have. */
    static String unknownOffline(Set<String> needs) {
        return "unknown offline (needs " + String.join(", ", needs) + ")";
    }

    private HostPlan online(Host host, Play play, HostState state, List<Step> steps, List<String> warnings,
                            Set<String> loading) {
        Platform platform = state.platform();
        // 0. Keys this host cannot set from where it runs: refused before anything changes.
        for (Step s : steps) {
            if (s.task == null || s.superseded || s.error != null || s.unknownNote != null || s.kernelKey == null
                    || s.task.state() != State.PRESENT) {
                continue;
            }
            String why = refusal(s, state);
            if (why != null) {
                if (s.task.ignoreErrors()) {
                    warnings.add(s.task.location() + ": " + why + " (ignoreerrors: left alone)");
                    s.ignoredRefusal = why;
                } else {
                    s.error = s.task.location() + ": " + why;
                }
            }
        }
        expertWarnings(steps, state, warnings);
        // 1. What each file must say.
        Map<String, Map<String, Desired>> wanted = new LinkedHashMap<>();
        Map<String, Boolean> reload = new LinkedHashMap<>();
        for (Step s : steps) {
            if (s.task == null || s.superseded || s.error != null || s.unknownNote != null
                    || s.ignoredRefusal != null) {
                continue;
            }
            String path = s.task.sysctlFile();
            Map<String, Desired> file = wanted.computeIfAbsent(path, p -> new LinkedHashMap<>());
            reload.merge(path, s.task.reload(), Boolean::logicalOr);
            SysctlKey name = s.res.name();
            if (s.res.availability() == KeyResolution.Availability.REMOVED || s.task.state() == State.ABSENT) {
                file.put(name.dotted(), Desired.absent(name.dotted()));
            } else {
                file.put(name.dotted(), Desired.present(name.dotted(), fileChars(s.task.value())));
            }
        }
        // 2. Edit each file.
        List<FilePlan> files = new ArrayList<>();
        Map<String, List<Change>> changesByKey = new LinkedHashMap<>();
        for (Map.Entry<String, Map<String, Desired>> e : wanted.entrySet()) {
            String path = e.getKey();
            if (!state.files().containsKey(path)) {
                return new HostPlan(host, play, platform, List.of(), List.of(), warnings,
                        "facts: " + path + " was not read");
            }
            String old = state.files().get(path);
            for (SysctlLine bad : SysctlFile.parse(old == null ? "" : old).invalidLines()) {
                warnings.add(path + ":" + bad.number() + ": not a sysctl setting, kept as is");
            }
            Edit edit = SysctlEditor.apply(old == null ? "" : old, List.copyOf(e.getValue().values()));
            if (old == null && !edit.changed()) {
                continue; // nothing to write and no file: do not create an empty one
            }
            files.add(new FilePlan(path, old, edit.newText(), edit.changes(), reload.get(path)));
            for (Change c : edit.changes()) {
                changesByKey.computeIfAbsent(path + "\u0000" + c.key(), k -> new ArrayList<>()).add(c);
            }
        }
        // 3. Each key's outcome from the file edit and the live value.
        List<KeyPlan> keys = new ArrayList<>();
        String error = null;
        for (Step s : steps) {
            KeyPlan kp = outcome(s, state, platform, changesByKey, loading);
            keys.add(kp);
            if (kp.outcome() == KeyPlan.Outcome.ERROR && error == null) {
                error = kp.note();
            }
        }
        return new HostPlan(host, play, platform, keys, files, warnings, error);
    }

    private KeyPlan outcome(Step s, HostState state, Platform platform, Map<String, List<Change>> changesByKey,
                            Set<String> loading) {
        if (s.task == null && s.error != null) {
            return new KeyPlan(null, s.name, null, null, null, KeyPlan.Outcome.ERROR, s.error);
        }
        if (s.task == null && s.unknownNote != null) {
            return new KeyPlan(null, s.name, null, null, null, KeyPlan.Outcome.UNKNOWN, s.unknownNote);
        }
        if (s.ignoredRefusal != null) {
            return new KeyPlan(s.task, s.name, s.res.name(), desired(s.task), state.live().get(s.res.name()),
                    KeyPlan.Outcome.SKIPPED, "refused, ignored (ignoreerrors): " + s.ignoredRefusal);
        }
        if (s.task == null || s.superseded) {
            return skipped(s);
        }
        ResolvedTask t = s.task;
        SysctlKey name = s.res.name();
        String live = state.live().get(name);
        if (s.unknownNote != null) {
            return new KeyPlan(t, s.name, name, desired(t), live, KeyPlan.Outcome.UNKNOWN, s.unknownNote);
        }
        if (s.error != null) {
            return new KeyPlan(t, s.name, name, desired(t), live, KeyPlan.Outcome.ERROR, s.error);
        }
        boolean fileChanges = changesByKey.containsKey(t.sysctlFile() + "\u0000" + name);
        if (s.res.availability() == KeyResolution.Availability.REMOVED) {
            // Gone is as good as the default only where the kernel's default is what removal left behind
            // (tcp_tw_recycle = 0); any other value of a removed key cannot take effect.
            String gone = s.kernelKey == null ? null : s.kernelKey.defaultValue();
            if (t.state() == State.PRESENT && !SysctlValue.same(gone, t.value())) {
                return new KeyPlan(t, s.name, name, desired(t), null, KeyPlan.Outcome.ERROR,
                        t.location() + ": cannot set " + name + " = " + t.value() + ": " + s.res.reason()
                                + " (kernel " + platform.kernelRelease() + ")");
            }
            String note = "absent on this kernel (" + s.res.reason() + "), already off"
                    + (fileChanges ? "; its line in " + t.sysctlFile() + " is commented out" : "");
            return new KeyPlan(t, s.name, name, desired(t), null,
                    fileChanges ? KeyPlan.Outcome.CHANGE : KeyPlan.Outcome.ABSENT_ON_KERNEL, note);
        }
        if (t.state() == State.ABSENT) {
            return new KeyPlan(t, s.name, name, null, live,
                    fileChanges ? KeyPlan.Outcome.CHANGE : KeyPlan.Outcome.OK,
                    fileChanges ? "commented out in " + t.sysctlFile() : "not set in " + t.sysctlFile());
        }
        if (live == null) {
            Optional<String> module = s.kernelKey == null ? Optional.empty() : catalog.moduleFor(s.kernelKey, platform);
            if (module.isPresent() && loading.contains(module.get())) {
                return new KeyPlan(t, s.name, name, t.value(), null, KeyPlan.Outcome.CHANGE,
                        "set after modprobe " + module.get() + " (the key does not exist before)", true);
            }
            String why = name.procPath() + " does not exist on this host" + module.map(m -> missingModule(m,
                    state.runtime())).orElse("");
            if (!t.ignoreErrors()) {
                return new KeyPlan(t, s.name, name, t.value(), null, KeyPlan.Outcome.ERROR, t.location() + ": " + why);
            }
            return new KeyPlan(t, s.name, name, t.value(), null,
                    fileChanges ? KeyPlan.Outcome.CHANGE : KeyPlan.Outcome.OK, "ignored (ignoreerrors): " + why);
        }
        boolean liveDrift = !SysctlValue.same(live, t.value());
        boolean liveChanges = liveDrift && (t.reload() || t.sysctlSet());
        String note;
        if (fileChanges && liveChanges) {
            note = "file and live value change";
        } else if (fileChanges) {
            note = liveDrift ? "file changes; live value stays (reload: false, sysctl_set: false)" : "file changes";
        } else if (liveChanges) {
            note = "live value drifted from the file";
        } else {
            note = liveDrift ? "file ok; live value differs (reload: false, sysctl_set: false)" : "already set";
        }
        return new KeyPlan(t, s.name, name, t.value(), live,
                fileChanges || liveChanges ? KeyPlan.Outcome.CHANGE : KeyPlan.Outcome.OK, note);
    }

    /** Why a key's module is missing and the exact fix, for a key that does not exist. */
    private static String missingModule(String module, RuntimeFacts rt) {
        RuntimeFacts.ModuleState st = rt.module(module);
        if (st != null && st.available()) {
            return " (although " + module + " is loaded)";
        }
        String fix = ": it needs the " + module + " module, which is not loaded; add before this task: "
                + "'- community.general.modprobe: {name: " + module + ", state: present, persistent: present}'";
        if (Boolean.FALSE.equals(rt.moduleSupport()) && st != null) {
            return fix + " (this kernel loads no modules: /proc/modules and kernel.modprobe are missing, so "
                    + module + " must be built in)";
        }
        return fix;
    }

    /**
     * Why this host cannot set the key from where it runs, or null: a key the kernel offers read-only here (a
     * global key seen from a container's network namespace: nf_conntrack_max), or a global key outside
     * {@code net.*} on a container, whose one value belongs to the machine that runs every container. Only a
     * value that differs from the live one is refused: writing the live value again changes nothing.
     */
    private String refusal(Step s, HostState state) {
        KernelKey k = s.kernelKey;
        SysctlKey name = s.res.name();
        RuntimeFacts rt = state.runtime();
        String live = state.live().get(name);
        if (live == null || SysctlValue.same(live, s.task.value()) || k.readOnly()) {
            return null; // a key that does not exist or is a counter: reported on its own terms
        }
        String where = "this host: " + rt.describe();
        if (rt.readOnly().contains(name.path())) {
            return "cannot set " + name + " = " + s.task.value() + ": the kernel offers it read-only here ("
                    + where + "); it is " + (k.scope() == null ? "not settable here" : k.scope().description())
                    + (k.scope() == Scope.GLOBAL && name.dotted().startsWith("net.")
                    ? ", so only the initial network namespace (the machine that runs this container) can set it"
                    : "") + "; nothing was changed";
        }
        if (k.scope() == Scope.GLOBAL && rt.inContainer() && !name.dotted().startsWith("net.")) {
            return "refusing to set " + name + " = " + s.task.value() + " from a container (" + where + "): it is "
                    + Scope.GLOBAL.description() + ", one value for the whole kernel, so the write would change "
                    + "the machine that runs this container and every container on it; set it there";
        }
        return null;
    }

    /**
     * Checks with this host's numbers (warnings, not errors): tcp_max_tw_buckets below the TIME_WAIT sockets the
     * host has now (troubleshooting table row 6: the kernel destroys the excess and logs "time wait bucket table
     * overflow"), and a conntrack table whose full size takes a large share of the host's memory.
     */
    private void expertWarnings(List<Step> steps, HostState state, List<String> warnings) {
        RuntimeFacts rt = state.runtime();
        Map<String, Step> byKey = new LinkedHashMap<>();
        for (Step s : steps) {
            if (s.task != null && !s.superseded && s.error == null && s.unknownNote == null
                    && s.task.state() == State.PRESENT && s.kernelKey != null) {
                byKey.put(s.kernelKey.name(), s);
            }
        }
        Step tw = byKey.get(TW_BUCKETS);
        Long twMax = tw == null ? null : number(tw.task.value());
        if (twMax != null && rt.timeWait() != null && rt.timeWait() > twMax) {
            warnings.add(tw.task.location() + ": " + TW_BUCKETS + " = " + twMax + " is below the " + rt.timeWait()
                    + " sockets in TIME_WAIT on this host now (/proc/net/sockstat): the kernel would destroy "
                    + (rt.timeWait() - twMax) + " of them and log \"TCP: time wait bucket table overflow\" "
                    + "(troubleshooting table row 6); raise it above the measured count");
        }
        Step ct = byKey.get(CT_MAX);
        Long ctMax = ct == null ? null : number(ct.task.value());
        if (ctMax != null && rt.memTotalKb() != null) {
            Step b = byKey.get(CT_BUCKETS);
            Long buckets = b == null ? null : number(b.task.value());
            if (buckets == null) {
                buckets = number(state.live().get(catalog.resolve(SysctlKey.of(CT_BUCKETS), state.platform()).name()));
            }
            ConntrackSizing size = new ConntrackSizing(ctMax, buckets == null || buckets < 1
                    ? ConntrackSizing.MAX_DEFAULT_BUCKETS : buckets);
            long mem = rt.memTotalKb() * 1024;
            if (size.memoryBytes() * CT_MEMORY_SHARE > mem) {
                warnings.add(ct.task.location() + ": " + ct.res.name() + " = " + ctMax + ": a full table takes about "
                        + ConntrackSizing.human(size.memoryBytes()) + " of kernel memory (" + ctMax + " x "
                        + ConntrackSizing.ENTRY_BYTES + " B + " + size.buckets() + " buckets x "
                        + ConntrackSizing.BUCKET_BYTES + " B), " + String.format(java.util.Locale.ROOT, "%.0f%%",
                        100.0 * size.memoryBytes() / mem) + " of this host's MemTotal of "
                        + ConntrackSizing.human(mem) + " (more than 1/" + CT_MEMORY_SHARE + "); the kernel's own "
                        + "default sizes the table from memory (networking/nf_conntrack-sysctl.rst)");
            }
            if (size.undersized() && b == null && buckets != null) {
                warnings.add(ct.task.location() + ": " + ct.res.name() + " = " + ctMax + " with this host's "
                        + CT_BUCKETS + " = " + buckets + " puts " + String.format(java.util.Locale.ROOT, "%.0f",
                        size.entriesPerBucket()) + " entries in each hash bucket when the table fills (more than "
                        + String.format(java.util.Locale.ROOT, "%.0f", ConntrackSizing.MAX_ENTRIES_PER_BUCKET)
                        + "); set " + CT_BUCKETS + " or the nf_conntrack hashsize parameter to at least "
                        + size.bucketsNeeded() + " (networking/nf_conntrack-sysctl.rst)");
            }
        }
    }

    private static Long number(String v) {
        if (v == null) {
            return null;
        }
        try {
            return Long.parseLong(SysctlValue.normalise(v).strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * A task's value as it goes into a file text: its UTF-8 bytes, one char per byte, the form files are edited in
     * ({@link io.sysfleet.apply.Applier#text}). So "\u6771\u4eac" is written as the 6 bytes E6 9D B1 E4 BA AC, never
     * as '?'; values are compared with the file's bytes in the same form.
     */
    static String fileChars(String value) {
        return new String(value.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    private static KeyPlan skipped(Step s) {
        SysctlKey key = s.res == null ? null : s.res.name();
        return new KeyPlan(s.task, s.name, key, s.task == null ? null : desired(s.task), null,
                KeyPlan.Outcome.SKIPPED, s.superseded ? "superseded by a later task for the same key" : s.skipNote);
    }

    private static String desired(ResolvedTask t) {
        return t.state() == State.ABSENT ? null : t.value();
    }

    /** An earlier task for the same key and file is superseded by a later one (Ansible runs them in order). */
    private static void markSuperseded(List<Step> steps) {
        Map<String, Step> last = new LinkedHashMap<>();
        for (Step s : steps) {
            if (s.task != null && s.error == null && s.unknownNote == null) {
                Step prev = last.put(s.task.sysctlFile() + "\u0000" + s.res.name(), s);
                if (prev != null) {
                    prev.superseded = true;
                }
            }
        }
    }

    /** One task on its way through planning. */
    private static final class Step {
        final ResolvedTask task;
        final String name;
        final KeyResolution res;
        final KernelKey kernelKey;
        String error;
        /** Why the host cannot set the key, when the task ignores errors (the key is left alone). */
        String ignoredRefusal;
        final String skipNote;
        boolean superseded;
        /** Why the task is unknown: it needs variables the plan does not have (offline plans only). */
        String unknownNote;

        Step(ResolvedTask task, String name, KeyResolution res, KernelKey kernelKey, String error, String skipNote) {
            this.task = task;
            this.name = name;
            this.res = res;
            this.kernelKey = kernelKey;
            this.error = error;
            this.skipNote = skipNote;
        }

        static Step skip(String name, String why) {
            return new Step(null, name, null, null, null, why);
        }

        /** A task that needs variables (facts) the plan does not have. */
        static Step unknown(String name, String note) {
            Step s = new Step(null, name, null, null, null, null);
            s.unknownNote = note;
            return s;
        }

        /** A task that cannot be planned (its message names the file:line:col). */
        static Step error(String name, String error) {
            return new Step(null, name, null, null, error, null);
        }
    }
}
