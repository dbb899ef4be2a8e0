package io.sysfleet.cli;

import io.sysfleet.diagnose.DiagnoseJson;
import io.sysfleet.diagnose.DiagnoseListener;
import io.sysfleet.diagnose.DiagnoseProgress;
import io.sysfleet.diagnose.DiagnoseText;
import io.sysfleet.diagnose.RowPlaybooks;
import io.sysfleet.diagnose.Severity;
import io.sysfleet.diagnose.Thresholds;
import io.sysfleet.engine.Engine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
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
        Thresholds t = thresholdsFile == null ? Thresholds.DEFAULT : Thresholds.DEFAULT.load(thresholdsFile);
        for (Map.Entry<String, String> e : threshold.entrySet()) {
            try {
                t = t.with(e.getKey(), e.getValue());
            } catch (IllegalArgumentException ex) {
                throw connection.usage("--threshold " + ex.getMessage());
            }
        }
        Map<String, String> env = System.getenv();
        Engine.DiagnoseRequest request = new Engine.DiagnoseRequest(connection.inventory.sources(env),
                connection.limit, connection.forks(), connection.commandTimeout(), become, t, failOn.severity(),
                new Engine.DiagnoseFiles(connection.reportHtml, connection.reportMarkdown, emitPlan, prometheus));
        String inventory = connection.inventory.display();
        DiagnoseListener listener = json ? DiagnoseListener.NONE
                : new DiagnoseText(out(), err(), inventory, RowPlaybooks.bundled());
        DiagnoseListener shown = connection.progress() ? new DiagnoseProgress(listener, err()) : listener;
        Engine engine = connection.engine(env, Path.of(System.getProperty("user.home")), Clock.systemUTC(), null);
        return FleetCommand.interruptibly(engine, e -> {
            Engine.DiagnoseOutcome o = e.diagnose(request, shown);
            if (json) {
                out().print(DiagnoseJson.render(o.diagnosis(), failOn.severity(), inventory, o.exit()));
            }
            if (emitPlan != null) {
                long hosts = o.plan().entries().stream().flatMap(p -> p.hosts().stream()).distinct().count();
                (json ? err() : out()).println("plan: " + emitPlan + " (" + o.plan().entries().size()
                        + " play group(s) for " + hosts + " host(s)); apply it with: sysfleet run " + emitPlan + " "
                        + inventory);
            }
            return o.exitCode();
        }, out(), err());
    }
}
