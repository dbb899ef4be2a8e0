package io.sysfleet.plan;

import io.sysfleet.catalog.KernelKey;
import io.sysfleet.catalog.KeyCatalog;
import io.sysfleet.catalog.KeyResolution;
import io.sysfleet.catalog.Platform;
import io.sysfleet.core.ConfigException;
import io.sysfleet.core.SysfleetException;
import io.sysfleet.inventory.Host;
import io.sysfleet.playbook.Play;
import io.sysfleet.playbook.ResolvedTask;
import io.sysfleet.playbook.State;
import io.sysfleet.playbook.SysctlTask;
import io.sysfleet.sysctl.Change;
import io.sysfleet.sysctl.Desired;
import io.sysfleet.sysctl.Edit;
import io.sysfleet.sysctl.SysctlEditor;
import io.sysfleet.sysctl.SysctlFile;
import io.sysfleet.sysctl.SysctlLine;

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
    private final SysctlPaths paths;

    public Planner(KeyCatalog catalog) {
        this(catalog, SysctlPaths.defaults());
    }

    /** A planner that refuses every sysctl_file {@code paths} does not allow. */
    public Planner(KeyCatalog catalog, SysctlPaths paths) {
        this.catalog = catalog;
        this.paths = paths;
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

    /** The keys a play may touch on any platform, to probe in one round trip before the platform is known. */
    public Set<String> probeKeys(Play play, Host host) {
        Set<String> keys = new LinkedHashSet<>();
        Map<String, Object> vars = variables(host, play, null);
        for (SysctlTask task : play.tasks()) {
            String key;
            try {
                key = task.resolve(vars).key();
            } catch (SysfleetException e) {
                continue; // reported by plan(); the key may depend on facts not known yet
            }
            String normal = KeyCatalog.normalise(key);
            keys.add(normal);
            catalog.find(normal).ifPresent(k -> keys.addAll(k.allNames()));
        }
        return keys;
    }

    /** The sysctl files a play's tasks write for this host (default /etc/sysctl.conf). */
    public Set<String> files(Play play, Host host) {
        Set<String> files = new LinkedHashSet<>();
        Map<String, Object> vars = variables(host, play, null);
        for (SysctlTask task : play.tasks()) {
            try {
                String file = task.resolve(vars).sysctlFile();
                if (paths.refusal(file).isEmpty()) {
                    files.add(file); // a refused path is never read: plan() reports it
                }
            } catch (SysfleetException e) {
                // reported by plan()
            }
        }
        return files;
    }

    /** Plans a play for one host. {@code state} null gives an offline plan: desired values only. */
    public HostPlan plan(Host host, Play play, HostState state) {
        Platform platform = state == null ? Platform.unknown() : state.platform();
        Map<String, Object> vars = variables(host, play, state);
        List<String> warnings = new ArrayList<>();
        List<Step> steps = new ArrayList<>();
        try {
            for (SysctlTask task : play.tasks()) {
                task.when().warning().ifPresent(w -> warnings.add(task.when().location() + ": " + w));
                if (!task.when().evaluate(vars)) {
                    steps.add(Step.skip(task.name(), "when: " + task.when() + " is false"));
                    continue;
                }
                ResolvedTask r = task.resolve(vars);
                Optional<String> refused = paths.refusal(r.sysctlFile());
                if (refused.isPresent()) {
                    throw new ConfigException(task.locationOf("sysctl_file"), refused.get());
                }
                KeyResolution res = catalog.resolve(r.key(), platform);
                if (res.availability() == KeyResolution.Availability.UNKNOWN_KEY) {
                    warnings.add(r.location() + ": " + res.name() + " is not in sysfleet's key catalog");
                }
                Optional<KernelKey> kk = catalog.find(res.name());
                String error = null;
                if (r.state() == State.PRESENT && kk.isPresent()) {
                    error = kk.get().checkValue(r.value()).map(m -> r.location() + ": " + res.name() + " " + m)
                            .orElse(null);
                }
                steps.add(new Step(r, r.name(), res, kk.orElse(null), error, null));
            }
        } catch (SysfleetException e) {
            return new HostPlan(host, play, platform, List.of(), List.of(), warnings, e.oneLine());
        }
        markSuperseded(steps);
        if (state == null) {
            return offline(host, play, platform, steps, warnings);
        }
        return online(host, play, state, steps, warnings);
    }

    private HostPlan offline(Host host, Play play, Platform platform, List<Step> steps, List<String> warnings) {
        List<KeyPlan> keys = new ArrayList<>();
        String error = null;
        for (Step s : steps) {
            if (s.task == null || s.superseded) {
                keys.add(skipped(s));
            } else if (s.error != null) {
                keys.add(new KeyPlan(s.task, s.name, s.res.name(), desired(s.task), null, KeyPlan.Outcome.ERROR, s.error));
                error = error == null ? s.error : error;
            } else {
                keys.add(new KeyPlan(s.task, s.name, s.res.name(), desired(s.task), null, KeyPlan.Outcome.UNKNOWN,
                        "offline: facts not gathered"));
            }
        }
        return new HostPlan(host, play, platform, keys, List.of(), warnings, error);
    }

    private HostPlan online(Host host, Play play, HostState state, List<Step> steps, List<String> warnings) {
        Platform platform = state.platform();
        // 1. What each file must say.
        Map<String, Map<String, Desired>> wanted = new LinkedHashMap<>();
        Map<String, Boolean> reload = new LinkedHashMap<>();
        for (Step s : steps) {
            if (s.task == null || s.superseded || s.error != null) {
                continue;
            }
            String path = s.task.sysctlFile();
            Map<String, Desired> file = wanted.computeIfAbsent(path, p -> new LinkedHashMap<>());
            reload.merge(path, s.task.reload(), Boolean::logicalOr);
            String name = s.res.name();
            if (s.res.availability() == KeyResolution.Availability.REMOVED || s.task.state() == State.ABSENT) {
                file.put(name, Desired.absent(name));
            } else {
                file.put(name, Desired.present(name, fileChars(s.task.value())));
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
        if (s.task == null || s.superseded) {
            return skipped(s);
        }
        ResolvedTask t = s.task;
        String name = s.res.name();
        String live = state.live().get(name);
        if (s.error != null) {
            return new KeyPlan(t, s.name, name, desired(t), live, KeyPlan.Outcome.ERROR, s.error);
        }
        boolean fileChanges = changesByKey.containsKey(t.sysctlFile() + "\u0000" + name);
        if (s.res.availability() == KeyResolution.Availability.REMOVED) {
            if (t.state() == State.PRESENT && !"0".equals(SysctlFile.normalizeValue(t.value()))) {
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
            String why = "/proc/sys/" + io.sysfleet.sysctl.SysctlKey.toPath(name) + " does not exist on this host"
                    + (s.kernelKey == null ? "" : catalog.moduleFor(s.kernelKey, platform)
                    .map(m -> " (is the " + m + " module loaded? try: modprobe " + m + ")").orElse(""));
            if (!t.ignoreErrors()) {
                return new KeyPlan(t, s.name, name, t.value(), null, KeyPlan.Outcome.ERROR, t.location() + ": " + why);
            }
            return new KeyPlan(t, s.name, name, t.value(), null,
                    fileChanges ? KeyPlan.Outcome.CHANGE : KeyPlan.Outcome.OK, "ignored (ignoreerrors): " + why);
        }
        boolean liveDrift = !SysctlFile.normalizeValue(live).equals(SysctlFile.normalizeValue(t.value()));
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
        String key = s.res == null ? null : s.res.name();
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
            if (s.task != null && s.error == null) {
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
    }
}
