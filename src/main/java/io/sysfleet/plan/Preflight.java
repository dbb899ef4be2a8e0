package io.sysfleet.plan;

import io.sysfleet.core.ConfigException;
import io.sysfleet.core.Problem;
import io.sysfleet.core.SourceLocation;
import io.sysfleet.inventory.Host;
import io.sysfleet.inventory.Inventory;
import io.sysfleet.playbook.Play;
import io.sysfleet.playbook.Playbook;
import io.sysfleet.playbook.ResolvedTask;
import io.sysfleet.playbook.SysctlTask;
import io.sysfleet.playbook.Templater;
import io.sysfleet.template.TemplateException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Static validation of a run for every selected host, before the first connection: every task whose templates
 * can be rendered without facts is rendered for each host and checked as the planner would check it (key, value,
 * sysctl_file and its path policy, template limits), so a hostile or broken input stops the run with exit 4
 * before any host is contacted. A task that needs facts (an undefined variable now) is checked again when its
 * host is planned, still before that host is changed.
 */
public final class Preflight {
    private Preflight() {
    }

    /**
     * @throws ConfigException with one problem per distinct error, naming the task's file:line:col and the hosts
     */
    public static void check(Playbook playbook, Inventory inventory, String limit, SysctlPaths paths) {
        Map<String, List<String>> hostsByProblem = new LinkedHashMap<>();
        Map<String, SourceLocation> where = new LinkedHashMap<>();
        for (Play play : playbook.plays()) {
            List<Host> hosts = inventory.select(play.hosts(), limit);
            for (SysctlTask task : play.tasks()) {
                if (!Templater.isTemplate(task.sysctlFile())) {
                    Optional<String> refused = paths.refusal(task.sysctlFile());
                    if (refused.isPresent()) {
                        add(hostsByProblem, where, task.locationOf("sysctl_file"), refused.get(), null);
                        continue;
                    }
                }
                for (Host host : hosts) {
                    Map<String, Object> vars = Planner.variables(host, play, null);
                    try {
                        if (!task.when().evaluate(vars)) {
                            continue;
                        }
                        ResolvedTask r = task.resolve(vars);
                        Optional<String> refused = paths.refusal(r.sysctlFile());
                        if (refused.isPresent()) {
                            add(hostsByProblem, where, task.locationOf("sysctl_file"), refused.get(), host.name());
                        }
                    } catch (TemplateException e) {
                        if (!e.problem().endsWith("is undefined")) {
                            add(hostsByProblem, where, null, e.getMessage(), host.name());
                        } // else: it may use a fact; checked when the host is planned
                    } catch (ConfigException e) {
                        for (Problem p : e.problems()) {
                            add(hostsByProblem, where, p.location(), p.message(), host.name());
                        }
                    }
                }
            }
        }
        if (hostsByProblem.isEmpty()) {
            return;
        }
        List<Problem> problems = new ArrayList<>();
        hostsByProblem.forEach((message, hosts) -> problems.add(new Problem(where.get(message), message
                + (hosts.isEmpty() ? "" : " (host " + hosts.get(0)
                + (hosts.size() > 1 ? " and " + (hosts.size() - 1) + " more" : "") + ")"))));
        throw new ConfigException(problems);
    }

    private static void add(Map<String, List<String>> hostsByProblem, Map<String, SourceLocation> where,
                            SourceLocation location, String message, String host) {
        List<String> hosts = hostsByProblem.computeIfAbsent(message, m -> new ArrayList<>());
        where.putIfAbsent(message, location);
        if (host != null && !hosts.contains(host)) {
            hosts.add(host);
        }
    }
}
