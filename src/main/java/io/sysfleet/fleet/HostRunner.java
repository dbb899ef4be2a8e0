package io.sysfleet.fleet;

import io.sysfleet.apply.Applier;
import io.sysfleet.apply.HostResult;
import io.sysfleet.apply.Privilege;
import io.sysfleet.catalog.KeyCatalog;
import io.sysfleet.catalog.Platform;
import io.sysfleet.core.SysfleetException;
import io.sysfleet.facts.BootFiles;
import io.sysfleet.facts.FactsProbe;
import io.sysfleet.facts.FileFact;
import io.sysfleet.facts.HostFacts;
import io.sysfleet.facts.LiveValue;
import io.sysfleet.inventory.Host;
import io.sysfleet.playbook.Play;
import io.sysfleet.plan.BootOrder;
import io.sysfleet.plan.HostPlan;
import io.sysfleet.plan.KeyPlan;
import io.sysfleet.playbook.State;
import io.sysfleet.plan.HostState;
import io.sysfleet.plan.Planner;
import io.sysfleet.transport.Transport;
import io.sysfleet.transport.TransportException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One play on one host: connect (or reuse the host's session), gather facts in one round trip, plan, and
 * apply (or stop at the plan in check mode). Thread-safe; never throws for a host-level failure: it becomes the host's result.
 */
final class HostRunner {
    private static final String DEFAULT_FILE = "/etc/sysctl.conf";
    private final RunOptions options;
    private final Planner planner;
    /** Boot files per host: check mode changes nothing, so every play of the run sees the same ones. */
    private final Map<String, BootFiles.Listing> bootFiles = new ConcurrentHashMap<>();

    HostRunner(RunOptions options, KeyCatalog catalog) {
        this.options = options;
        this.planner = new Planner(catalog, options.sysctlPaths());
    }

    HostResult run(Host host, Play play, Applier applier, Sessions sessions) {
        String phase = options.offline() ? "plan" : "connect";
        Privilege privilege = null;
        try {
            if (options.offline()) {
                return Applier.withoutApplying(planner.plan(host, play, null), true);
            }
            privilege = Connector.privilege(host, play);
            Transport t = sessions.get(host, privilege);
            phase = "facts";
            List<String> keys = List.copyOf(planner.probeKeys(play, host));
            Set<String> paths = planner.files(play, host);
            Map<String, FileFact> files = new LinkedHashMap<>();
            HostFacts first = null;
            for (String path : paths.isEmpty() ? Set.of(DEFAULT_FILE) : paths) {
                HostFacts f = FactsProbe.gather(t, path, first == null ? keys : List.of(), options.commandTimeout());
                if (f.sysctlFile().problem() != null) {
                    return HostResult.failure(host.name(), HostResult.Status.FAILED, "facts",
                            path + " " + f.sysctlFile().problem());
                }
                if (f.sysctlFile().exists() && !f.sysctlFile().readable()) {
                    return HostResult.failure(host.name(), HostResult.Status.FAILED, "facts",
                            path + " exists but cannot be read by the connecting user (set become: true)");
                }
                files.put(path, f.sysctlFile());
                first = first == null ? f : first;
            }
            Platform platform = Platform.detect(first.osRelease(), first.redhatRelease(), first.kernelRelease());
            Map<String, String> texts = new HashMap<>();
            files.forEach((p, f) -> texts.put(p, f.exists() ? Applier.text(f.content()) : null));
            Map<String, String> live = new HashMap<>();
            first.live().forEach((k, v) -> {
                if (v.state() == LiveValue.State.PRESENT) {
                    live.put(k, v.value());
                }
            });
            phase = "plan";
            HostPlan plan = planner.plan(host, play, new HostState(platform, texts, live));
            if (options.check()) {
                return persistence(Applier.withoutApplying(plan, true), plan, bootFiles(host, t));
            }
            phase = "apply";
            return applier.apply(t, plan, files, privilege);
        } catch (TransportException e) {
            if (privilege != null) {
                sessions.drop(host, privilege);
            }
            return HostResult.failure(host.name(),
                    Connector.unreachable(e) ? HostResult.Status.UNREACHABLE : HostResult.Status.FAILED,
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
    static HostResult internalError(String host, String phase, Throwable e) {
        String message;
        try {
            message = e.getMessage();
        } catch (Throwable again) {
            message = null;
        }
        return HostResult.failure(host, HostResult.Status.FAILED, phase, "internal error: "
                + e.getClass().getSimpleName() + (message == null ? "" : ": " + message));
    }

    private BootFiles.Listing bootFiles(Host host, Transport t) {
        BootFiles.Listing listing = bootFiles.get(host.name());
        if (listing == null) {
            listing = BootFiles.gather(t, options.commandTimeout());
            bootFiles.put(host.name(), listing); // one thread works on a host at a time
        }
        return listing;
    }

    /**
     * Check mode: adds, per key the plan sets, whether its value survives a reboot given the files the host
     * applies at boot (after this plan's edit). A shadowed key is drift: the host's status becomes CHANGED.
     */
    static HostResult persistence(HostResult result, HostPlan plan, BootFiles.Listing boot) {
        List<String> warnings = new ArrayList<>(result.warnings());
        boolean drift = false;
        for (KeyPlan k : plan.keys()) {
            if (k.task() == null || k.desired() == null || k.task().state() != State.PRESENT
                    || !(k.outcome() == KeyPlan.Outcome.OK || k.outcome() == KeyPlan.Outcome.CHANGE)) {
                continue;
            }
            try {
                Optional<String> why = BootOrder.shadowedAfterApply(boot, k.key(), k.desired(), k.task().sysctlFile());
                if (why.isPresent()) {
                    warnings.add(why.get());
                    drift = true;
                }
            } catch (BootOrder.IncompleteException e) {
                warnings.add("cannot tell whether " + k.key() + " survives a reboot: " + e.getMessage());
            }
        }
        HostResult.Status status = drift && result.status() == HostResult.Status.OK ? HostResult.Status.CHANGED
                : result.status();
        return new HostResult(result.host(), status, result.keys(), result.diffs(), warnings, result.phase(),
                result.error(), result.undone());
    }
}
