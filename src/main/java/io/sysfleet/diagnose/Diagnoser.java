package io.sysfleet.diagnose;

import io.sysfleet.catalog.KeyCatalog;
import io.sysfleet.core.SysfleetException;
import io.sysfleet.facts.LiveValue;
import io.sysfleet.inventory.Host;
import io.sysfleet.plan.HostPlan;
import io.sysfleet.plan.HostState;
import io.sysfleet.plan.KeyPlan;
import io.sysfleet.plan.Planner;
import io.sysfleet.playbook.Play;
import io.sysfleet.result.Phase;
import io.sysfleet.sysctl.SysctlKey;
import io.sysfleet.sysctl.SysctlValue;
import io.sysfleet.transport.Transport;
import io.sysfleet.transport.TransportException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Diagnoses one host over a transport it is given: one round trip of the {@link Collector}, the pure
 * {@link Rules}, then, for every finding with a playbook, the real {@link Planner} decides on the measured live
 * values whether that playbook would change anything on this host. A load-driven finding whose row's settings are
 * already in place becomes information without a remedy (the playbook has done what it can); a setting the
 * playbook would not change is said so. Never throws for a host-level failure: it becomes the host's result.
 */
public final class Diagnoser {

    /**
     * What every host's diagnosis shares.
     *
     * @param thresholds when a figure becomes a finding
     * @param limits     what one host may send
     * @param timeout    timeout of the collector command
     */
    public record Context(Thresholds thresholds, Collector.Limits limits, Duration timeout, KeyCatalog catalog,
                          RowPlaybooks playbooks) {
        public static Context of(Thresholds thresholds, Duration timeout) {
            return new Context(thresholds, Collector.Limits.DEFAULT, timeout, KeyCatalog.load(), RowPlaybooks.bundled());
        }
    }

    private Diagnoser() {
    }

    /** Collects, judges and settles the findings of {@code host} through {@code t}. */
    public static HostDiagnosis diagnose(Transport t, Host host, Context ctx) {
        Phase phase = Phase.COLLECT;
        try {
            HostSample sample = Collector.collect(t, ctx.limits(), Collector.keys(ctx.catalog(), ctx.playbooks()), ctx.timeout());
            phase = Phase.DIAGNOSE;
            List<Finding> findings = settle(host, sample, Rules.evaluate(host.name(), sample, ctx.thresholds()), ctx);
            return new HostDiagnosis(host.name(), HostDiagnosis.Status.DIAGNOSED, null, null, sample, findings,
                    Duration.ZERO);
        } catch (TransportException e) {
            return HostDiagnosis.failure(host.name(), e.unreachable() ? HostDiagnosis.Status.UNREACHABLE
                    : HostDiagnosis.Status.FAILED, e.phase(), e.getMessage());
        } catch (SysfleetException e) {
            return HostDiagnosis.failure(host.name(), HostDiagnosis.Status.FAILED,
                    e.phase() != null ? e.phase() : phase, e.getMessage());
        } catch (RuntimeException | Error e) {
            return HostDiagnosis.failure(host.name(), HostDiagnosis.Status.FAILED, phase,
                    "internal error: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /** For every finding with a playbook: would the playbook change a live value on this host? Pure. */
    static List<Finding> settle(Host host, HostSample sample, List<Finding> findings, Context ctx) {
        Planner planner = new Planner(ctx.catalog());
        Map<SysctlKey, String> live = new HashMap<>();
        sample.live().forEach((k, v) -> {
            if (v.state() == LiveValue.State.PRESENT) {
                SysctlKey.parse(k).ifPresent(key -> live.put(key, v.value()));
            }
        });
        List<Finding> out = new ArrayList<>();
        for (Finding f : findings) {
            if (f.remedy() == null || !f.remedy().hasPlaybook()) {
                out.add(f);
                continue;
            }
            List<String> changes = new ArrayList<>();
            Set<String> errors = new LinkedHashSet<>();
            Set<String> inPlace = new LinkedHashSet<>();
            for (Play play : ctx.playbooks().plays(f.remedy().playbook(), f.remedy().vars())) {
                Map<String, String> files = new HashMap<>();
                planner.files(play, host).forEach(p -> files.put(p, ""));
                HostPlan plan = planner.plan(host, play, new HostState(sample.platform(), files, live));
                if (plan.error() != null && plan.keys().isEmpty()) {
                    errors.add(plan.error());
                }
                for (KeyPlan k : plan.keys()) {
                    switch (k.outcome()) {
                        case ERROR -> errors.add(k.note());
                        case OK, CHANGE -> {
                            if (k.desired() == null || k.live() == null) {
                                break;
                            }
                            if (SysctlValue.same(k.live(), k.desired())) {
                                inPlace.add(k.key() + " = " + k.desired());
                            } else {
                                changes.add(k.key() + " " + k.live() + " -> " + k.desired());
                            }
                        }
                        default -> { }
                    }
                }
            }
            String playbook = f.remedy().playbook();
            if (!errors.isEmpty()) {
                out.add(new Finding(f.code(), f.severity(), f.host(), f.summary(), f.evidence(),
                        Remedy.application(f.remedy().advice() + "; " + playbook + " cannot run on this host: "
                                + String.join("; ", errors))));
            } else if (!changes.isEmpty()) {
                List<String> ev = new ArrayList<>(f.evidence());
                ev.add(playbook + " changes " + String.join(", ", changes));
                out.add(new Finding(f.code(), f.severity(), f.host(), f.summary(), ev, f.remedy()));
            } else if (f.code().loadDriven()) {
                out.add(f.settled(Severity.INFO, null, "row " + f.row() + "'s settings are already in place ("
                        + String.join(", ", inPlace) + "): " + playbook + " would change nothing"));
            } else {
                out.add(new Finding(f.code(), f.severity(), f.host(), f.summary(), f.evidence(),
                        Remedy.application(f.remedy().advice() + "; " + playbook + " would change nothing on this "
                                + "host (its tasks do not apply to kernel " + sample.platform().kernelRelease()
                                + "): set it by hand")));
            }
        }
        return out;
    }
}
