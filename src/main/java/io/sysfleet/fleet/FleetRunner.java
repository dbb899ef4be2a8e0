package io.sysfleet.fleet;

import io.sysfleet.apply.Applier;
import io.sysfleet.apply.HostResult;
import io.sysfleet.apply.LocalBackups;
import io.sysfleet.catalog.KeyCatalog;
import io.sysfleet.catalog.Platform;
import io.sysfleet.core.SysfleetException;
import io.sysfleet.facts.FactsProbe;
import io.sysfleet.facts.FileFact;
import io.sysfleet.facts.HostFacts;
import io.sysfleet.facts.LiveValue;
import io.sysfleet.inventory.Host;
import io.sysfleet.inventory.Inventory;
import io.sysfleet.playbook.Play;
import io.sysfleet.playbook.Playbook;
import io.sysfleet.plan.HostPlan;
import io.sysfleet.plan.HostState;
import io.sysfleet.plan.Planner;
import io.sysfleet.report.PlayResult;
import io.sysfleet.report.RunReport;
import io.sysfleet.report.TextReport;
import io.sysfleet.transport.Transport;
import io.sysfleet.transport.TransportException;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs a playbook over an inventory: for each play, each selected host is connected, its facts gathered in one
 * round trip, its plan computed, and (unless check mode) the plan applied. Hosts run one after another; every
 * host ends with a {@link HostResult}, whatever happened on it.
 */
public final class FleetRunner {
    private final RunOptions options;
    private final Connector connector;
    private final Planner planner;
    private final Clock clock;
    private final String runId;

    public FleetRunner(RunOptions options, Connector connector, KeyCatalog catalog, Clock clock, String runId) {
        this.options = options;
        this.connector = connector;
        this.planner = new Planner(catalog);
        this.clock = clock;
        this.runId = runId;
    }

    public RunReport run(Playbook playbook, Inventory inventory, TextReport out) {
        Instant started = clock.instant();
        Applier applier = new Applier(runId, new LocalBackups(options.stateDir(), runId), options.commandTimeout());
        List<PlayResult> plays = new ArrayList<>();
        for (Play play : playbook.plays()) {
            List<Host> hosts = inventory.select(play.hosts(), options.limit());
            out.play(play.name(), hosts.size(), options.check());
            List<HostResult> results = new ArrayList<>();
            for (Host host : hosts) {
                HostResult r = runHost(host, play, applier);
                out.host(r);
                results.add(r);
            }
            plays.add(new PlayResult(play.name(), results));
        }
        return new RunReport(runId, options.check(), started, clock.instant(), plays);
    }

    /** One host: connect, facts, plan, apply. Never throws for a host-level failure. */
    HostResult runHost(Host host, Play play, Applier applier) {
        if (options.offline()) {
            return Applier.withoutApplying(planner.plan(host, play, null), true);
        }
        String phase = "connect";
        try (Transport t = connector.open(host, play)) {
            phase = "facts";
            List<String> keys = List.copyOf(planner.probeKeys(play, host));
            Set<String> paths = planner.files(play, host);
            Map<String, FileFact> files = new LinkedHashMap<>();
            HostFacts first = null;
            for (String path : paths.isEmpty() ? Set.of("/etc/sysctl.conf") : paths) {
                HostFacts f = FactsProbe.gather(t, path, first == null ? keys : List.of(), options.commandTimeout());
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
                return Applier.withoutApplying(plan, true);
            }
            phase = "apply";
            return applier.apply(t, plan, files);
        } catch (TransportException e) {
            return HostResult.failure(host.name(),
                    Connector.unreachable(e) ? HostResult.Status.UNREACHABLE : HostResult.Status.FAILED,
                    e.phase(), e.getMessage());
        } catch (SysfleetException e) {
            return HostResult.failure(host.name(), HostResult.Status.FAILED,
                    e.phase() != null ? e.phase() : phase, e.getMessage());
        } catch (RuntimeException e) {
            return HostResult.failure(host.name(), HostResult.Status.FAILED, phase,
                    "internal error: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }
}
