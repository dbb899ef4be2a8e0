package io.sysfleet.diagnose;

import io.sysfleet.playbook.PlaybookLoader;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The playbooks that fix a fleet's sysctl-fixable findings, each for exactly the hosts that need it. As a file
 * ({@code --emit-plan}) it is an ordinary Ansible playbook: the row playbooks' plays with {@code hosts} set to
 * the affected hosts and the sized play vars, so {@code sysfleet run PLAN -i INV} and
 * {@code ansible-playbook -i INV PLAN} both take it as it is. Findings without a playbook (CLOSE_WAIT) and
 * findings whose settings are already in place are not in it.
 *
 * @param entries one per playbook and set of play vars, in table row order
 */
public record RemediationPlan(List<Entry> entries) {

    /**
     * One playbook for some hosts.
     *
     * @param playbook the row playbook's file name
     * @param row      its table row
     * @param vars     play vars differing from the playbook's own
     * @param hosts    the hosts, in inventory order
     * @param codes    the finding codes that asked for it, per host
     */
    public record Entry(String playbook, int row, Map<String, Object> vars, List<String> hosts,
                        Map<String, List<String>> codes) {
    }

    public RemediationPlan {
        entries = List.copyOf(entries);
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** Groups the findings with a playbook remedy by playbook and vars. */
    public static RemediationPlan of(FleetDiagnosis d, RowPlaybooks playbooks) {
        Map<String, Entry> groups = new LinkedHashMap<>();
        for (HostDiagnosis h : d.hosts()) {
            Map<String, Map<String, Object>> perPlaybook = new LinkedHashMap<>();
            Map<String, List<String>> codes = new LinkedHashMap<>();
            Map<String, Integer> rows = new LinkedHashMap<>();
            for (Finding f : h.findings()) {
                if (f.remedy() == null || !f.remedy().hasPlaybook()) {
                    continue;
                }
                perPlaybook.computeIfAbsent(f.remedy().playbook(), k -> new TreeMap<>()).putAll(f.remedy().vars());
                codes.computeIfAbsent(f.remedy().playbook(), k -> new ArrayList<>()).add(f.code().name());
                rows.putIfAbsent(f.remedy().playbook(), f.row());
            }
            perPlaybook.forEach((pb, vars) -> {
                Map<String, Object> defaults = playbooks.defaults(pb);
                Map<String, Object> differing = new TreeMap<>();
                vars.forEach((k, v) -> {
                    if (!String.valueOf(v).equals(String.valueOf(defaults.get(k)))) {
                        differing.put(k, v);
                    }
                });
                String key = pb + "\u0000" + differing;
                Entry e = groups.computeIfAbsent(key, k -> new Entry(pb, rows.get(pb), differing, new ArrayList<>(),
                        new LinkedHashMap<>()));
                e.hosts().add(h.host());
                e.codes().put(h.host(), codes.get(pb));
            });
        }
        List<Entry> out = new ArrayList<>(groups.values());
        out.sort(Comparator.comparingInt(Entry::row));
        return new RemediationPlan(out);
    }

    /**
     * The plan as a playbook file. It is loaded back with sysfleet's own playbook loader before it is returned,
     * so a plan that {@code run} would refuse is never written.
     */
    public String yaml(RowPlaybooks playbooks, String inventory, Instant when) {
        StringBuilder b = new StringBuilder();
        b.append("# Remediation plan written by sysfleet diagnose at ").append(when).append('\n');
        b.append("# for inventory ").append(Text.escape(inventory)).append('\n');
        b.append("# Each play is a troubleshooting-table playbook from playbooks/, for exactly the hosts that need it.\n");
        b.append("# Apply:  sysfleet run PLAN -i INVENTORY      (or: ansible-playbook -i INVENTORY PLAN)\n");
        b.append("# Check first:  sysfleet check PLAN -i INVENTORY --diff\n");
        if (entries.isEmpty()) {
            b.append("# Nothing to fix: no finding has a sysctl remedy that is not already in place.\n[]\n");
        }
        for (Entry e : entries) {
            b.append("\n# Row ").append(e.row()).append(": ").append(e.playbook());
            if (!e.vars().isEmpty()) {
                b.append(" with ").append(e.vars());
            }
            b.append('\n');
            e.codes().forEach((host, codes) -> b.append("#   ").append(host).append(": ")
                    .append(String.join(", ", codes)).append('\n'));
            b.append(playbooks.playsYaml(e.playbook(), e.hosts(), e.vars(),
                    " [diagnose: " + String.join(", ", e.codes().values().stream().flatMap(List::stream).distinct()
                            .toList()) + "]"));
        }
        String text = b.toString();
        PlaybookLoader.parse(text, Path.of("remediation-plan.yml")); // throws if run would refuse it
        return text;
    }
}
