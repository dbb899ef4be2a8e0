package io.sysfleet.plan;

import io.sysfleet.catalog.KernelKey;
import io.sysfleet.catalog.KeyCatalog;
import io.sysfleet.catalog.KeyResolution;
import io.sysfleet.catalog.Platform;
import io.sysfleet.core.ConfigException;
import io.sysfleet.core.Problem;
import io.sysfleet.core.SysfleetException;
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
    private final KeyCatalog catalog;
    private final Inventory inventory;
    private final RunSettings settings;

    public Planner(KeyCatalog catalog) {
        this(catalog, null, RunSettings.defaults());
    }

    /**
     * @param inventory the run's inventory, for the magic variables ({@code groups}, {@code hostvars}, ...); null
     *                  gives a host only its own name and no groups
     * @param settings  {@code --tags}, {@code --skip-tags}, check mode
     */
    public Planner(KeyCatalog catalog, Inventory inventory, RunSettings settings) {
        this.catalog = catalog;
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
                : new SysctlModuleModel(state.files(), key -> {
                    try {
                        return state.live().get(SysctlKey.of(key));
                    } catch (IllegalArgumentException e) {
                        return null;
                    }
                });
        Set<String> pending = state == null ? pendingFacts(play, host) : Set.of();
        HostRun run = new HostRun(settings, tree, host.vars(), facts, magic, executor, pending);
        run.run();
        return run;
    }

    /** The keys a play may touch on any platform, to probe in one round trip before the platform is known. */
    public Set<SysctlKey> probeKeys(Play play, Host host) {
        return keysOf(expand(host, play, null).records());
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
        return keys;
    }

    /** The sysctl files a play's tasks write for this host (default /etc/sysctl.conf). */
    public Set<String> files(Play play, Host host) {
        return filesOf(expand(host, play, null).records());
    }

    /** The sysctl files of the sysctl tasks in {@code records}. */
    public static Set<String> filesOf(List<TaskRecord> records) {
        Set<String> files = new LinkedHashSet<>();
        for (TaskRecord r : records) {
            if (r.call() != null) {
                files.add(r.call().sysctlFile());
            }
        }
        return files;
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
                : online(host, play, state, steps, warnings);
        String error = hostError != null && plan.error() == null ? hostError : plan.error();
        return new HostPlan(plan.host(), plan.play(), plan.platform(), plan.keys(), plan.files(), plan.warnings(),
                error, problems, run.records());
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
            KeyResolution res = catalog.resolve(t.key(), platform);
            if (res.availability() == KeyResolution.Availability.UNKNOWN_KEY) {
                warnings.add(t.location() + ": " + res.name() + " is not in sysfleet's key catalog");
            }
            Optional<KernelKey> kk = catalog.find(res.name());
            String error = null;
            if (t.state() == State.PRESENT && kk.isPresent()) {
                Optional<String> bad = kk.get().checkValue(t.value());
                if (bad.isPresent()) {
                    Problem p = new Problem(r.locationOf("value"), res.name() + " " + bad.get());
                    problems.add(p);
                    error = p.toString();
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

    private HostPlan online(Host host, Play play, HostState state, List<Step> steps, List<String> warnings) {
        Platform platform = state.platform();
        // 1. What each file must say.
        Map<String, Map<String, Desired>> wanted = new LinkedHashMap<>();
        Map<String, Boolean> reload = new LinkedHashMap<>();
        for (Step s : steps) {
            if (s.task == null || s.superseded || s.error != null || s.unknownNote != null) {
                continue;
            }
            String path = s.task.sysctlFile();
            Map<String, Desired> file = wanted.computeIfAbsent(path, p -> new LinkedHashMap<>());
            reload.merge(path, s.task.reload(), Boolean::logicalOr);
            SysctlKey name = s.res.name();
            if (s.res.availability() == KeyResolution.Availability.REMOVED || s.task.state() == State.ABSENT) {
                file.put(name.dotted(), Desired.absent(name.dotted()));
            } else {
                file.put(name.dotted(), Desired.present(name.dotted(), s.task.value()));
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
            KeyPlan kp = outcome(s, state, platform, changesByKey);
            keys.add(kp);
            if (kp.outcome() == KeyPlan.Outcome.ERROR && error == null) {
                error = kp.note();
            }
        }
        return new HostPlan(host, play, platform, keys, files, warnings, error);
    }

    private KeyPlan outcome(Step s, HostState state, Platform platform, Map<String, List<Change>> changesByKey) {
        if (s.task == null && s.error != null) {
            return new KeyPlan(null, s.name, null, null, null, KeyPlan.Outcome.ERROR, s.error);
        }
        if (s.task == null && s.unknownNote != null) {
            return new KeyPlan(null, s.name, null, null, null, KeyPlan.Outcome.UNKNOWN, s.unknownNote);
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
            String why = name.procPath() + " does not exist on this host"
                    + (s.kernelKey == null ? "" : catalog.moduleFor(s.kernelKey, platform)
                    .map(m -> " (is the " + m + " module loaded? try: modprobe " + m + ")").orElse(""));
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
        final String error;
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
