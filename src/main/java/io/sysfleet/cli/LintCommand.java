package io.sysfleet.cli;

import io.sysfleet.core.TerminalText;

import io.sysfleet.catalog.KeyCatalog;
import io.sysfleet.core.ConfigException;
import io.sysfleet.core.ExitCode;
import io.sysfleet.core.Problems;
import io.sysfleet.inventory.Inventory;
import io.sysfleet.inventory.InventoryLoader;
import io.sysfleet.lint.Finding;
import io.sysfleet.lint.LintTarget;
import io.sysfleet.lint.Linter;
import io.sysfleet.lint.Severity;
import io.sysfleet.playbook.Playbook;
import io.sysfleet.playbook.PlaybookLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code sysfleet lint [--kernel V] [-i INVENTORY] PLAYBOOK...}: loads every playbook and the inventory (all
 * load problems together, exit 4), prints each
 * finding as {@code file:line:col: error|warning|info: message [code]} and a summary; exit 6 when there is an
 * error (or, with --strict, a warning), 0 otherwise.
 */
@Command(name = "lint", mixinStandardHelpOptions = true,
        description = "Check playbooks against the key catalog, the kernel documentation and the troubleshooting table.")
public final class LintCommand extends BaseCommand {

    @Parameters(arity = "1..*", paramLabel = "PLAYBOOK", description = "Playbook files to check.")
    List<Path> playbooks;

    @Option(names = "--strict", description = "Treat warnings as errors.")
    boolean strict;

    @Option(names = "--kernel", paramLabel = "VERSION",
            description = "The kernel the hosts run (6.1, 3.10.0-1160.el7.x86_64): keys it does not have are errors.")
    String kernel;

    @Option(names = {"-i", "--inventory"}, paramLabel = "INVENTORY",
            description = "The inventory the playbooks run against: hosts it marks as containers (sysfleet_container:"
                    + " true, or ansible_virtualization_type docker, lxc, ...) get warnings for global keys.")
    Path inventory;

    @Override
    public Integer call() {
        Problems problems = new Problems();
        List<Playbook> loaded = new ArrayList<>();
        for (Path p : playbooks) {
            try {
                loaded.add(PlaybookLoader.load(p));
            } catch (ConfigException e) {
                problems.addAll(e.problems());
            }
        }
        Inventory hosts = null;
        if (inventory != null) {
            try {
                hosts = InventoryLoader.load(inventory);
            } catch (ConfigException e) {
                problems.addAll(e.problems());
            }
        }
        problems.throwIfAny();
        KeyCatalog catalog = KeyCatalog.load();
        LintTarget target = new LintTarget(kernel == null || kernel.isBlank() ? null : kernel.strip(), hosts);
        PrintWriter out = out();
        int errors = 0;
        int warnings = 0;
        int notes = 0;
        for (Playbook pb : loaded) {
            for (Finding f : Linter.lint(pb, catalog, target)) {
                Severity s = strict && f.severity() == Severity.WARNING ? Severity.ERROR : f.severity();
                out.println(TerminalText.escape(new Finding(s, f.location(), f.code(), f.message()).toString()));
                switch (s) {
                    case ERROR -> errors++;
                    case WARNING -> warnings++;
                    default -> notes++;
                }
            }
        }
        out.println(loaded.size() + " playbook(s): " + errors + " error(s), " + warnings + " warning(s), "
                + notes + " note(s)");
        out.flush();
        return errors > 0 ? ExitCode.LINT.code() : ExitCode.OK.code();
    }
}
