package io.sysfleet.plan;

import io.sysfleet.core.ConfigException;
import io.sysfleet.core.ExitCode;
import io.sysfleet.core.Problem;
import io.sysfleet.core.SysfleetException;
import io.sysfleet.inventory.Host;
import io.sysfleet.inventory.Inventory;
import io.sysfleet.plan.expand.HostRun;
import io.sysfleet.plan.expand.TaskRecord;
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
        check(playbook, inventory, limit, planner, false);
    }

    /**
     * As {@link #check(Playbook, Inventory, String, Planner)}; without {@code sysctlOnly}, every task of a module
     * sysfleet does not run (in a role, a block, an included file, a handler) is a problem, each named; with it,
     * such tasks are left for ansible-playbook.
     */
    public static void check(Playbook playbook, Inventory inventory, String limit, Planner planner,
                             boolean sysctlOnly) {
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
                HostPlan plan;
                try {
                    plan = planner.plan(h, play, null);
                } catch (Throwable e) {
                    // Not a problem of the input as written but of this host's data (a value the engine cannot
                    // handle): left for the host's own run, where it becomes that host's result.
                    continue;
                }
                for (Problem p : plan.problems()) {
                    found.computeIfAbsent(p, k -> new LinkedHashSet<>()).add(h.name());
                    selected.put(p, hosts.size());
                }
                if (!sysctlOnly) {
                    for (TaskRecord r : plan.tasks()) {
                        if (r.status() == TaskRecord.Status.LEFT_FOR_ANSIBLE) {
                            found.computeIfAbsent(new Problem(r.location(), notRun(r.module())),
                                    k -> new LinkedHashSet<>());
                        }
                    }
                }
            }
            if (!sysctlOnly) {
                for (Problem p : unreached(play, planner.settings())) {
                    found.computeIfAbsent(p, k -> new LinkedHashSet<>());
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

    /**
     * Tasks of modules sysfleet does not run that no host reached in its static plan (a false {@code when}, a
     * tag filter, a handler never notified, a rescue): they are refused too, so a playbook is accepted or not
     * whatever the hosts' facts turn out to be.
     */
    private static List<Problem> unreached(Play play, io.sysfleet.plan.expand.RunSettings settings) {
        List<Problem> out = new ArrayList<>();
        if (play.tree() == null) {
            return out;
        }
        List<io.sysfleet.playbook.tree.Node> all = new ArrayList<>();
        all.addAll(play.tree().preTasks());
        all.addAll(play.tree().mainTasks());
        all.addAll(play.tree().postTasks());
        all.addAll(play.tree().handlers());
        walk(all, play.tree().tags(), settings, out);
        return out;
    }

    /** Tasks the tag selection leaves out never run, so they are not refused. */
    private static void walk(List<io.sysfleet.playbook.tree.Node> nodes, List<String> tags,
                             io.sysfleet.plan.expand.RunSettings settings, List<Problem> out) {
        for (io.sysfleet.playbook.tree.Node n : nodes) {
            List<String> here = new ArrayList<>(tags);
            here.addAll(n.keywords().tags());
            if (n instanceof io.sysfleet.playbook.tree.Node.Block b) {
                walk(b.block(), here, settings, out);
                walk(b.rescue(), here, settings, out);
                walk(b.always(), here, settings, out);
            } else if (n instanceof io.sysfleet.playbook.tree.Node.Include inc && inc.body() != null) {
                walk(inc.body(), here, settings, out);
            } else if (n instanceof io.sysfleet.playbook.tree.Node.Task t && !HostRun.runsItself(t.module())
                    && settings.selects(here)) {
                out.add(new Problem(t.location(), notRun(t.module())));
            }
        }
    }

    static String notRun(String module) {
        return "module '" + module + "' is not run by sysfleet; run with --sysctl-only to leave such tasks for "
                + "ansible-playbook";
    }

    private static String hosts(Set<String> hosts) {
        List<String> names = List.copyOf(hosts);
        String shown = String.join(", ", names.subList(0, Math.min(HOSTS_NAMED, names.size())));
        return (names.size() == 1 ? "host " : "hosts ") + shown
                + (names.size() > HOSTS_NAMED ? " and " + (names.size() - HOSTS_NAMED) + " more" : "");
    }
}
