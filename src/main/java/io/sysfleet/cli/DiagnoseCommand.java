package io.sysfleet.cli;

import io.sysfleet.core.ExitCode;
import io.sysfleet.core.SysfleetException;
import io.sysfleet.diagnose.DiagnoseJson;
import io.sysfleet.diagnose.DiagnoseText;
import io.sysfleet.diagnose.Diagnoser;
import io.sysfleet.diagnose.FleetDiagnoser;
import io.sysfleet.diagnose.FleetDiagnosis;
import io.sysfleet.diagnose.PrometheusMetrics;
import io.sysfleet.diagnose.RemediationPlan;
import io.sysfleet.diagnose.Severity;
import io.sysfleet.diagnose.Thresholds;
import io.sysfleet.engine.SshConnections;
import io.sysfleet.inventory.Host;
import io.sysfleet.inventory.Inventory;
import io.sysfleet.report.ReportFiles;
import io.sysfleet.transport.Become;
import io.sysfleet.transport.Secret;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code sysfleet diagnose}: find the troubleshooting table's symptoms across the fleet and name the fix. */
@Command(name = "diagnose", mixinStandardHelpOptions = true,
        description = {
                "Measure every host in one round trip (TCP sockets by state from /proc/net/tcp and tcp6, TIME_WAIT "
                        + "against tcp_max_tw_buckets, conntrack fill, the table's kernel log lines, the live keys, the "
                        + "processes holding CLOSE_WAIT sockets) and report each symptom of the troubleshooting table "
                        + "with its row, evidence and fix. Changes nothing on any host.",
                "Exit codes: 0 nothing at or above --fail-on; 8 findings at or above it; 2 a host failed; "
                        + "3 a host was unreachable; 4 bad inventory or thresholds file; 5 bad usage."})
public final class DiagnoseCommand extends BaseCommand {

    /** The lowest severity that makes the exit code 8. */
    enum FailOn {
        info, warning, critical, never;

        Severity severity() {
            return this == never ? null : Severity.valueOf(name().toUpperCase(java.util.Locale.ROOT));
        }
    }

    @Mixin
    ConnectionOptions connection;

    @Option(names = {"-b", "--become"},
            description = "Collect as root through sudo (ss then names every process, root-only logs are read); a "
                    + "host's ansible_become wins.")
    boolean become;

    @Option(names = "--json", description = "Print the diagnosis as JSON (schemaVersion 1) instead of the tables.")
    boolean json;

    @Option(names = "--emit-plan", paramLabel = "FILE",
            description = "Write the remediation plan: a playbook of the table's playbooks for exactly the affected "
                    + "hosts, for 'sysfleet run FILE -i INVENTORY' (or ansible-playbook).")
    Path emitPlan;

    @Option(names = "--fail-on", paramLabel = "SEVERITY",
            description = "Exit 8 when a finding is at or above: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    FailOn failOn = FailOn.warning;

    @Option(names = "--prometheus", paramLabel = "FILE",
            description = "Write the measured figures per host in the Prometheus text format (for node_exporter's "
                    + "textfile collector: a *.prom file; written atomically).")
    Path prometheus;

    @Option(names = "--thresholds", paramLabel = "FILE",
            description = "A YAML mapping of thresholds, e.g. 'close_wait_high: 500'.")
    Path thresholdsFile;

    @Option(names = "--threshold", paramLabel = "NAME=VALUE",
            description = "Set one threshold (after --thresholds): time_wait_high, close_wait_high, fin_wait2_high, "
                    + "tw_buckets_warn_ratio, conntrack_warn_ratio, fin_timeout_min, fin_timeout_max, log_recent_hours.")
    Map<String, String> threshold = new LinkedHashMap<>();

    @Override
    public Integer call() {
        Inventory inv = connection.inventory.load(System.getenv(), true, err());
        Thresholds t = thresholdsFile == null ? Thresholds.DEFAULT : Thresholds.DEFAULT.load(thresholdsFile);
        for (Map.Entry<String, String> e : threshold.entrySet()) {
            try {
                t = t.with(e.getKey(), e.getValue());
            } catch (IllegalArgumentException ex) {
                throw connection.usage("--threshold " + ex.getMessage());
            }
        }
        SshConnections.Settings settings = connection.connectionSettings();
        List<Host> hosts = inv.select("all", connection.limit);
        Clock clock = Clock.systemUTC();
        SshConnections connections = new SshConnections(settings, System.getenv(), clock,
                Path.of(System.getProperty("user.home")));
        Secret password = Become.password(System.getenv());
        Diagnoser.Context ctx = Diagnoser.Context.of(t, connection.commandTimeout());
        FleetDiagnoser diagnoser = new FleetDiagnoser(h -> {
            String refused = h.unmanageable();
            if (refused != null) {
                throw new SysfleetException(ExitCode.HOST_FAILED, io.sysfleet.result.Phase.CONNECT, h.name(), refused, null);
            }
            return connections.open(h, become(h, password));
        }, connection.forks(), clock, ctx);
        String inventory = connection.inventory.display();
        DiagnoseText text = new DiagnoseText(out(), inventory, ctx.playbooks());
        FleetDiagnosis d = diagnoser.run(hosts, json ? x -> { } : text::hostFinished);
        if (json) {
            out().print(DiagnoseJson.render(d, failOn.severity(), inventory));
        } else {
            text.print(d);
        }
        if (emitPlan != null) {
            RemediationPlan plan = RemediationPlan.of(d, ctx.playbooks());
            ReportFiles.writeAtomically(emitPlan, plan.yaml(ctx.playbooks(), inventory, clock.instant()),
                    "the remediation plan");
            String hostsInPlan = String.valueOf(plan.entries().stream().flatMap(e -> e.hosts().stream()).distinct().count());
            (json ? err() : out()).println("plan: " + emitPlan + " (" + plan.entries().size() + " play group(s) for "
                    + hostsInPlan + " host(s)); apply it with: sysfleet run " + emitPlan + " -i " + inventory);
        }
        if (prometheus != null) {
            ReportFiles.writeAtomically(prometheus, PrometheusMetrics.render(d), "the Prometheus metrics");
        }
        out().flush();
        ExitCode exit = d.exitCode(failOn.severity());
        return exit.code();
    }

    /** Become as for a play without become keywords: the host's connection variables, else --become. */
    private Become become(Host h, Secret password) {
        return Become.decide(h.vars().containsKey("ansible_become") ? h.become() : null, h.becomeUser(), become,
                null, password);
    }
}
