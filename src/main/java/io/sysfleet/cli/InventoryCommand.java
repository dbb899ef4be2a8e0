package io.sysfleet.cli;

import io.sysfleet.core.TerminalText;

import io.sysfleet.core.ExitCode;
import io.sysfleet.core.SysfleetException;
import io.sysfleet.inventory.Host;
import io.sysfleet.inventory.Inventory;
import io.sysfleet.inventory.InventoryOutput;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/** {@code sysfleet inventory}: shows an inventory the way {@code ansible-inventory} does. */
@Command(name = "inventory",
        description = "Show an inventory (YAML, INI, directories, several -i) as ansible-inventory does "
                + "(--list, --graph, --host).")
public final class InventoryCommand extends BaseCommand {

    @Mixin
    InventoryOptions inventory;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Action action;

    static final class Action {
        @Option(names = "--list", description = "All groups and hosts with their variables, as JSON.")
        boolean list;

        @Option(names = "--graph", arity = "0..1", fallbackValue = "all", paramLabel = "GROUP",
                description = "The group tree from GROUP (default all).")
        String graph;

        @Option(names = "--host", paramLabel = "HOST", description = "One host's variables, as JSON.")
        String host;
    }

    @Option(names = {"-l", "--limit"}, paramLabel = "PATTERN",
            description = "Show only the hosts this Ansible host pattern selects.")
    String limit;

    @Override
    public Integer call() {
        // --graph, like ansible-inventory, needs no variables (no vault password either)
        Inventory inv = inventory.load(System.getenv(), action.graph == null, err());
        Predicate<Host> only = limitFilter(inv);
        String output;
        if (action.list) {
            output = InventoryOutput.list(inv, only);
        } else if (action.graph != null) {
            output = usage(() -> InventoryOutput.graph(inv, action.graph, only));
        } else {
            List<Host> hosts = usage(() -> inv.select(action.host, limit));
            if (hosts.size() != 1) {
                throw new SysfleetException(ExitCode.USAGE, "--host '" + action.host + "' matches "
                        + hosts.size() + " hosts; it must name exactly one");
            }
            output = InventoryOutput.host(hosts.get(0));
        }
        out().println(TerminalText.escapeText(output));
        out().flush();
        return ExitCode.OK.code();
    }

    private Predicate<Host> limitFilter(Inventory inv) {
        if (limit == null) {
            return null;
        }
        Set<String> names = new HashSet<>();
        usage(() -> inv.select("all", limit)).forEach(h -> names.add(h.name()));
        return h -> names.contains(h.name());
    }

    private static <T> T usage(java.util.function.Supplier<T> s) {
        try {
            return s.get();
        } catch (IllegalArgumentException e) {
            throw new SysfleetException(ExitCode.USAGE, e.getMessage());
        }
    }
}
