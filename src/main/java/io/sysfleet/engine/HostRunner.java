package io.sysfleet.engine;

import io.sysfleet.apply.Applier;
import io.sysfleet.catalog.KeyCatalog;
import io.sysfleet.catalog.Platform;
import io.sysfleet.core.SysfleetException;
import io.sysfleet.facts.BootFiles;
import io.sysfleet.facts.FactsProbe;
import io.sysfleet.facts.FileFact;
import io.sysfleet.facts.HostFacts;
import io.sysfleet.facts.LiveValue;
import io.sysfleet.inventory.ConnectionVars;
import io.sysfleet.plan.ConnectionTemplates;
import io.sysfleet.plan.SysctlPaths;
import io.sysfleet.inventory.Host;
import io.sysfleet.plan.BootOrder;
import io.sysfleet.plan.HostPlan;
import io.sysfleet.plan.HostState;
import io.sysfleet.plan.KeyPlan;
import io.sysfleet.plan.Planner;
import io.sysfleet.playbook.Play;
import io.sysfleet.playbook.State;
import io.sysfleet.result.HostResult;
import io.sysfleet.result.Phase;
import io.sysfleet.sysctl.SysctlKey;
import io.sysfleet.transport.Become;
import io.sysfleet.transport.Secret;
import io.sysfleet.transport.Transport;
import io.sysfleet.transport.TransportException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One play on one host: connect (or reuse the host's session), gather facts (with the files the host reads at
 * boot) in one round trip, plan, and apply (or stop at the plan in check mode). Whether each value set survives a
 * reboot is judged from those boot files: drift in check mode, a warning after a run. Thread-safe; never throws
 * for a host-level failure: it becomes the host's result.
 */
final class HostRunner {
    private static final String DEFAULT_FILE = "/etc/sysctl.conf";

    /**
     * How the hosts of a run are worked on.
     *
     * @param check          plan only, change nothing
     * @param offline        with check: do not contact hosts
     * @param timeout        timeout of one remote command
     * @param becomePassword the sudo password for hosts that become (null: sudo -n)
     * @param boot           where hosts keep their boot files ({@link BootFiles#STANDARD})
     */
    record Settings(boolean check, boolean offline, Duration timeout, Secret becomePassword, BootFiles.Layout boot,
                    SysctlPaths sysctlPaths) {
        Settings {
            sysctlPaths = sysctlPaths == null ? SysctlPaths.defaults() : sysctlPaths;
        }
    }

    private final Settings settings;
    private final Planner planner;

    HostRunner(Settings settings, KeyCatalog catalog) {
        this(settings, new Planner(catalog, settings.sysctlPaths()));
    }

    /** {@code planner} must refuse the files {@code settings.sysctlPaths()} refuses (the run's one planner). */

    HostRunner(Settings settings, Planner planner) {
        this.settings = settings;
        this.planner = planner;
    }

    /**
     * The become of {@code host} (resolved: templates rendered, vault values decrypted) in {@code play}
     * ({@link Become#decide}: host variables win over the play). The sudo password is the host's
     * {@code ansible_become_password} when it has one (as in Ansible, the variable wins), else the run's.
     */
    Become become(Host host, Play play, Planner.Probe probe) {
        Secret own = host.becomePassword();
        Boolean keyword = play.become();
        String keywordUser = play.becomeUser();
        if (!Boolean.TRUE.equals(keyword)) {
            // a task (or its block or role) that becomes of its own: the host's one session becomes
            String tasks = probe.taskBecome();
            if (tasks != null) {
                keyword = true;
                keywordUser = tasks.isEmpty() ? keywordUser : tasks;
            }
        }
        return Become.decide(host.vars().containsKey("ansible_become") ? host.become() : null, host.becomeUser(),
                keyword, keywordUser, own != null ? own : settings.becomePassword());
    }

    /** Runs {@code play} on {@code written}; {@code applier} is null in check mode. */
    HostResult run(Host written, Play play, Applier applier, Sessions sessions) {
        // Refused before anything else: a connection sysfleet does not speak (docker, network_cli, ...) or a
        // connection variable it cannot resolve fails this host only; the other hosts proceed.
        // Offline, nothing connects: connection variables are neither rendered nor decrypted.
        if (settings.offline()) {
            String unsupported = ConnectionVars.unsupportedConnection(written.vars());
            if (unsupported != null) {
                return HostResult.failure(written.name(), HostResult.Status.FAILED, Phase.CONNECT,
                        written.unmanageable());
            }
            try {
                return Applier.withoutApplying(planner.plan(written, play, null), true);
            } catch (Throwable e) {
                return internalError(written.name(), Phase.PLAN, e);
            }
        }
        Host host;
        try {
            host = ConnectionTemplates.resolve(written, play);
        } catch (SysfleetException e) {
            return HostResult.failure(written.name(), HostResult.Status.FAILED, Phase.CONNECT, e.getMessage());
        }
        String refused = host.unmanageable();
        if (refused != null) {
            return HostResult.failure(host.name(), HostResult.Status.FAILED, Phase.CONNECT, refused);
        }
        Phase phase = Phase.PLAN;
        Planner.Probe probe;
        Become become;
        try {
            probe = planner.probe(play, host); // one static expansion: what to probe, and the tasks' become
            become = become(host, play, probe);
        } catch (Throwable e) {
            return internalError(host.name(), phase, e);
        }
        phase = Phase.CONNECT;
        try {
            Transport t = sessions.get(host, become);
            phase = Phase.FACTS;
            List<SysctlKey> keys = List.copyOf(probe.keys());
            List<String> modules = List.copyOf(probe.modules());
            // (keys reassigned below when the plan with facts names more keys)
            Set<String> paths = probe.files();
            Map<String, FileFact> files = new LinkedHashMap<>();
            HostFacts first = null;
            for (String path : paths.isEmpty() ? Set.of(DEFAULT_FILE) : paths) {
                HostFacts f = first == null ? FactsProbe.gather(t, path, keys, modules, settings.boot(), settings.timeout())
                        : FactsProbe.gather(t, path, List.of(), settings.timeout());
                if (f.sysctlFile().problem() != null) {
                    return HostResult.failure(host.name(), HostResult.Status.FAILED, Phase.FACTS,
                            path + " " + f.sysctlFile().problem());
                }
                if (f.sysctlFile().exists() && !f.sysctlFile().readable()) {
                    return HostResult.failure(host.name(), HostResult.Status.FAILED, Phase.FACTS,
                            path + " exists but cannot be read by the connecting user (set become: true)");
                }
                files.put(path, f.sysctlFile());
                first = first == null ? f : first;
            }
            Platform platform = Platform.detect(first.osRelease(), first.redhatRelease(), first.kernelRelease());
            Map<String, String> texts = new HashMap<>();
            files.forEach((p, f) -> texts.put(p, f.exists() ? Applier.text(f.content()) : null));
            Map<SysctlKey, String> live = new HashMap<>();
            for (SysctlKey k : keys) {
                LiveValue v = first.live(k);
                if (v != null && v.state() == LiveValue.State.PRESENT) {
                    live.put(k, v.value());
                }
            }
            // every live value the facts read in this session, by path: the apply's write-ahead intent uses them
            Map<String, LiveValue> factsLive = new HashMap<>(first.live());
            phase = Phase.PLAN;
            HostPlan plan = planner.plan(host, play, new HostState(platform, texts, live, first.runtime()));
            // A task the static plan could not resolve (its key or file needs facts) names them only now: read
            // those too, then plan again (a new key or file can only come from such a task, so this ends).
            for (int round = 0; round < 3; round++) {
                Set<SysctlKey> moreKeys = new java.util.LinkedHashSet<>(planner.keysOf(plan.tasks()));
                moreKeys.removeAll(keys);
                Set<String> moreFiles = new java.util.LinkedHashSet<>(planner.filesOf(plan.tasks()));
                moreFiles.removeAll(files.keySet());
                if (moreKeys.isEmpty() && moreFiles.isEmpty()) {
                    break;
                }
                phase = Phase.FACTS;
                List<String> paths2 = moreFiles.isEmpty() ? List.of(files.keySet().iterator().next())
                        : List.copyOf(moreFiles);
                boolean firstRead = true;
                for (String path : paths2) {
                    HostFacts f = FactsProbe.gather(t, path, firstRead ? List.copyOf(moreKeys) : List.of(),
                            settings.timeout());
                    if (firstRead) {
                        factsLive.putAll(f.live());
                        for (SysctlKey k : moreKeys) {
                            LiveValue v = f.live(k);
                            if (v != null && v.state() == LiveValue.State.PRESENT) {
                                live.put(k, v.value());
                            }
                        }
                    }
                    firstRead = false;
                    if (moreFiles.contains(path)) {
                        if (f.sysctlFile().exists() && !f.sysctlFile().readable()) {
                            return HostResult.failure(host.name(), HostResult.Status.FAILED, Phase.FACTS,
                                    path + " exists but cannot be read by the connecting user (set become: true)");
                        }
                        files.put(path, f.sysctlFile());
                        texts.put(path, f.sysctlFile().exists() ? Applier.text(f.sysctlFile().content()) : null);
                    }
                }
                List<SysctlKey> all = new ArrayList<>(keys);
                all.addAll(moreKeys);
                keys = List.copyOf(all);
                phase = Phase.PLAN;
                plan = planner.plan(host, play, new HostState(platform, texts, live, first.runtime()));
            }
            if (settings.check()) {
                return persistence(Applier.withoutApplying(plan, true), plan, first.bootFiles(), true);
            }
            phase = Phase.APPLY;
            HostResult applied = applier.apply(t, plan, files, factsLive, become, () -> {
                sessions.drop(host, become);
                return sessions.get(host, become);
            });
            return applied.status() == HostResult.Status.FAILED ? applied
                    : persistence(applied, plan, first.bootFiles(), false);
        } catch (TransportException e) {
            sessions.drop(host, become);
            return HostResult.failure(host.name(),
                    e.unreachable() ? HostResult.Status.UNREACHABLE : HostResult.Status.FAILED,
                    e.phase(), e.getMessage());
        } catch (SysfleetException e) {
            return HostResult.failure(host.name(), HostResult.Status.FAILED,
                    e.phase() != null ? e.phase() : phase, e.getMessage());
        } catch (Throwable e) {
            // Any other exception or Error (StackOverflowError, OutOfMemoryError) is this host's result: it must not
            // reach the pool, the other hosts, the recap, the reports or the journal. Once the stack has unwound,
            // what this host allocated is garbage, so the run can go on.
            return internalError(host.name(), phase, e);
        }
    }

    /** The result of a host whose work threw something unexpected. */
    static HostResult internalError(String host, Phase phase, Throwable e) {
        String message;
        try {
            message = e.getMessage();
        } catch (Throwable again) {
            message = null;
        }
        return HostResult.failure(host, HostResult.Status.FAILED, phase, "internal error: "
                + e.getClass().getSimpleName() + (message == null ? "" : ": " + message));
    }

    /**
     * Adds, per key the plan sets, whether its value survives a reboot given the files the host applies at boot
     * (as they are after this plan's edit: the listing read with the facts, with the edit simulated). In check
     * mode ({@code drift}) a shadowed key is drift: an OK host becomes CHANGED. After a run it is a warning.
     */
    static HostResult persistence(HostResult result, HostPlan plan, BootFiles.Listing boot, boolean drift) {
        if (boot == null) {
            return result;
        }
        List<String> warnings = new ArrayList<>(result.warnings());
        boolean shadowed = false;
        for (KeyPlan k : plan.keys()) {
            if (k.task() == null || k.desired() == null || k.task().state() != State.PRESENT
                    || !(k.outcome() == KeyPlan.Outcome.OK || k.outcome() == KeyPlan.Outcome.CHANGE)) {
                continue;
            }
            try {
                Optional<String> why = BootOrder.shadowedAfterApply(boot, k.key(), k.desired(), k.task().sysctlFile());
                if (why.isPresent()) {
                    warnings.add(why.get());
                    shadowed = true;
                }
            } catch (BootOrder.IncompleteException e) {
                warnings.add("cannot tell whether " + k.key() + " survives a reboot: " + e.getMessage());
            }
        }
        HostResult.Status status = drift && shadowed && result.status() == HostResult.Status.OK
                ? HostResult.Status.CHANGED : result.status();
        return new HostResult(result.host(), status, result.keys(), result.diffs(), warnings, result.phase(),
                result.error(), result.undone(), result.elapsedMs());
    }
}
