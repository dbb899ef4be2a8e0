package io.sysfleet.plan;

import io.sysfleet.core.ConfigException;
import io.sysfleet.core.ExitCode;
import io.sysfleet.core.Problem;
import io.sysfleet.core.SysfleetException;
import io.sysfleet.inventory.Host;
import io.sysfleet.inventory.Inventory;
import io.sysfleet.playbook.Play;
import io.sysfleet.playbook.Playbook;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything about a run that can be checked before the first connection, for every host a play selects (pure):
 * the {@code --limit} and the plays' host patterns, and each host's static plan ({@link Planner#plan} without
 * facts): key syntax, literal and templated values against the catalog's type and range, sysctl file paths,
 * {@code when} conditions and every template that resolves from inventory and play variables. Only what needs a
 * host's facts (a {@code when} on {@code ansible_kernel}, a template using a fact) is left for after its facts
 * arrive. One problem is reported once, however many hosts share it; the hosts are named when it depends on
 * them (only some of a play's hosts have it, or the message differs per host).
 */
public final class StaticCheck {
    private static final int HOSTS_NAMED = 3;

    private StaticCheck() {
    }

    /**
     * Checks {@code playbook} against {@code inventory} as run with {@code --limit limit} (null: none).
     *
     * @throws SysfleetException exit 5 for a bad {@code --limit}
     * @throws ConfigException   exit 4 with every problem, each a {@code file:line:col} line
     */
    public static void check(Playbook playbook, Inventory inventory, String limit, Planner planner) {
        if (limit != null) {
            List<Host> limited;
            try {
                limited = inventory.select("all", limit);
            } catch (IllegalArgumentException e) {
                throw new SysfleetException(ExitCode.USAGE, "--limit: " + e.getMessage());
            }
            if (limited.isEmpty() && !inventory.hosts().isEmpty()) {
                // ansible-playbook: "Specified inventory, host pattern and/or --limit leaves us with no hosts to target."
                throw new SysfleetException(ExitCode.USAGE, "--limit " + io.sysfleet.core.TerminalText.escape(limit)
                        + ": leaves no hosts to target (it matches no host of the inventory)");
            }
        }
        Map<Problem, Set<String>> found = new LinkedHashMap<>();
        Map<Problem, Integer> selected = new LinkedHashMap<>();
        for (Play play : playbook.plays()) {
            List<Host> hosts;
            try {
                hosts = inventory.select(play.hosts(), limit);
            } catch (IllegalArgumentException e) {
                found.computeIfAbsent(new Problem(play.location(), "hosts: " + e.getMessage()),
                        k -> new LinkedHashSet<>());
                continue;
            }
            for (Host h : hosts) {
                List<Problem> problems;
                try {
                    problems = planner.plan(h, play, null).problems();
                } catch (Throwable e) {
                    // Not a problem of the input as written but of this host's data (a value the engine cannot
                    // handle): left for the host's own run, where it becomes that host's result.
                    continue;
                }
                for (Problem p : problems) {
                    found.computeIfAbsent(p, k -> new LinkedHashSet<>()).add(h.name());
                    selected.put(p, hosts.size());
                }
            }
        }
        if (found.isEmpty()) {
            return;
        }
        List<Problem> problems = new ArrayList<>();
        Map<String, Integer> perLocation = new LinkedHashMap<>();
        found.keySet().forEach(p -> perLocation.merge(String.valueOf(p.location()), 1, Integer::sum));
        found.forEach((p, hosts) -> {
            // Named hosts where the problem depends on the host: the same place with different messages (a value
            // templated differently per host), or a problem only some of the play's hosts have (a host variable).
            boolean differs = perLocation.get(String.valueOf(p.location())) > 1
                    || hosts.size() < selected.getOrDefault(p, 0);
            problems.add(differs && !hosts.isEmpty() ? new Problem(p.location(), p.message() + " (" + hosts(hosts) + ")") : p);
        });
        problems.sort(Comparator.comparing((Problem p) -> p.location() == null ? "" : p.location().file())
                .thenComparingInt(p -> p.location() == null ? 0 : p.location().line())
                .thenComparingInt(p -> p.location() == null ? 0 : p.location().column()));
        throw new ConfigException(problems);
    }

    private static String hosts(Set<String> hosts) {
        List<String> names = List.copyOf(hosts);
        String shown = String.join(", ", names.subList(0, Math.min(HOSTS_NAMED, names.size())));
        return (names.size() == 1 ? "host " : "hosts ") + shown
                + (names.size() > HOSTS_NAMED ? " and " + (names.size() - HOSTS_NAMED) + " more" : "");
    }
}
