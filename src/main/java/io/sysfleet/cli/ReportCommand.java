package io.sysfleet.cli;

import io.sysfleet.engine.Engine;
import io.sysfleet.inventory.Host;
import io.sysfleet.inventory.InventoryLoader;
import io.sysfleet.engine.InventorySources;
import io.sysfleet.vault.VaultSecrets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** {@code sysfleet report merge}: the reports and journals of a sharded run as one run. */
@Command(name = "report", description = "Work with run reports.", subcommands = ReportCommand.Merge.class)
public final class ReportCommand extends BaseCommand {

    @Override
    public Integer call() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "missing subcommand: merge");
    }

    @Command(name = "merge", description = {
            "Combine the JSON reports of the N shards of a run (run/check --shard K/N on N controllers) into the "
                    + "reports of one run, and, for an apply run, their journals into one journaled run in the "
                    + "state directory that rollback can use (rollback --run ID, or --last).",
            "Every shard 1/N to N/N must be given once; each apply shard's journal is looked for in the --journals "
                    + "directories, the state directory, the report's directory and its state/ subdirectory.",
            "The exit code is the merged run's: 0, 2 (a host failed), 3 (unreachable) or 7 (check found drift)."})
    static final class Merge extends BaseCommand {
        @Parameters(paramLabel = "REPORT", arity = "1..*", description = "The shards' JSON reports (--report-json).")
        List<Path> reports;

        @Option(names = "--journals", paramLabel = "DIR",
                description = "A shard's state directory (its --state-dir), holding runs/RUN_ID. Repeatable.")
        List<Path> journals = new ArrayList<>();

        @Option(names = {"-i", "--inventory"}, paramLabel = "SOURCE",
                description = "The inventory the shards ran (repeatable): the merged report lists hosts in its order, "
                        + "as a single controller does (default: by name), and the undo command names it. Only its "
                        + "structure is read: no variable is decrypted.")
        List<String> inventory = new ArrayList<>();

        @Option(names = "--state-dir", paramLabel = "DIR",
                description = "Where the merged run is journaled (default: $XDG_STATE_HOME/sysfleet or "
                        + "~/.local/state/sysfleet).")
        Path stateDir;

        @Option(names = "--report-json", paramLabel = "FILE", description = "Write the merged JSON report.")
        Path reportJson;

        @Option(names = "--report-junit", paramLabel = "FILE", description = "Write the merged JUnit XML report.")
        Path reportJunit;

        @Option(names = "--report-html", paramLabel = "FILE", description = "Write the merged HTML report.")
        Path reportHtml;

        @Option(names = "--report-markdown", paramLabel = "FILE", description = "Write the merged Markdown summary.")
        Path reportMarkdown;

        @Override
        public Integer call() {
            Path home = Path.of(System.getProperty("user.home"));
            Path state = stateDir != null ? stateDir : FleetOptions.defaultStateDir(System.getenv(), home);
            Engine engine = Engine.forJournals(state, Clock.systemUTC(), new Engine.Controller(
                    System.getenv().getOrDefault("USER", System.getProperty("user.name")),
                    FleetOptions.controllerName()));
            List<String> order = null;
            String words = null;
            if (!inventory.isEmpty()) {
                order = InventoryLoader.load(inventory, InventoryLoader.Options.defaults().structureOnly()
                        .withVault(VaultSecrets.none())).hosts().stream().map(Host::name).toList();
                words = new InventorySources(inventory, null).display();
            }
            Engine.MergeRequest req = new Engine.MergeRequest(reports, journals, order, words,
                    new Engine.Reports(reportJson, reportJunit, reportHtml, reportMarkdown));
            io.sysfleet.report.TextReport text = new io.sysfleet.report.TextReport(out(), err(), false, 0);
            int exit = engine.merge(req, text).exitCode();
            out().flush();
            err().flush();
            return exit;
        }
    }
}
