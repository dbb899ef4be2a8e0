package io.sysfleet.diagnose;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The terminal output of diagnose: a host x finding table to read at a glance, the measured figures per host,
 * then each finding with its evidence, table row and the command that fixes it. Everything from hosts is
 * escaped ({@link Text}).
 */
public final class DiagnoseText {
    private final PrintWriter out;
    private final String inventory;
    private final RowPlaybooks playbooks;

    public DiagnoseText(PrintWriter out, String inventory, RowPlaybooks playbooks) {
        this.out = out;
        this.inventory = inventory;
        this.playbooks = playbooks;
    }

    /** One line per finished host, as hosts finish (for long runs). */
    public synchronized void hostFinished(HostDiagnosis d) {
        String what = switch (d.status()) {
            case DIAGNOSED -> d.findings().isEmpty() ? "no findings"
                    : d.findings().size() + " finding(s), worst " + d.worst().word();
            default -> d.status().word() + ": " + Text.oneLine(d.error(), 200);
        };
        out.println(d.host() + ": " + what);
        out.flush();
    }

    public void print(FleetDiagnosis d) {
        long findings = d.hosts().stream().filter(h -> !h.findings().isEmpty()).count();
        long down = d.hosts().stream().filter(h -> h.status() != HostDiagnosis.Status.DIAGNOSED).count();
        out.println();
        out.println("DIAGNOSE " + d.hosts().size() + " host(s): " + findings + " with findings"
                + (down > 0 ? ", " + down + " not diagnosed" : ""));
        matrix(d);
        figures(d);
        details(d);
        out.flush();
    }

    private void matrix(FleetDiagnosis d) {
        TreeSet<FindingCode> codes = new TreeSet<>(Comparator.comparingInt(FindingCode::row).thenComparing(Enum::ordinal));
        d.findings().forEach(f -> codes.add(f.code()));
        List<String> head = new ArrayList<>(List.of("HOST"));
        codes.forEach(c -> head.add(c.name()));
        List<List<String>> rows = new ArrayList<>();
        for (HostDiagnosis h : d.hosts()) {
            List<String> r = new ArrayList<>(List.of(h.host()));
            if (h.status() != HostDiagnosis.Status.DIAGNOSED) {
                r.add(h.status().word() + ": " + Text.oneLine(h.error(), 100));
            } else if (codes.isEmpty()) {
                r.add("ok");
            } else {
                for (FindingCode c : codes) {
                    r.add(h.findings().stream().filter(f -> f.code() == c).map(f -> cell(f.severity())).findFirst()
                            .orElse("-"));
                }
            }
            rows.add(r);
        }
        out.println();
        table(head, rows);
    }

    private static String cell(Severity s) {
        return s == Severity.CRITICAL ? "CRITICAL" : s.word();
    }

    private void figures(FleetDiagnosis d) {
        List<String> head = List.of("HOST", "ESTAB", "TIME_WAIT", "TW_LIMIT", "CLOSE_WAIT", "FIN_WAIT2", "CONNTRACK",
                "LOG_LINES");
        List<List<String>> rows = new ArrayList<>();
        for (HostDiagnosis h : d.hosts()) {
            HostSample s = h.sample();
            if (s == null) {
                continue;
            }
            String mark = s.sockets().exact() ? "" : "+";
            long count = s.conntrackCount();
            long max = s.conntrackMax();
            List<String> logs = new ArrayList<>();
            for (LogPattern p : LogPattern.values()) {
                long best = s.logs().stream().mapToLong(l -> l.count(p)).max().orElse(0);
                if (best > 0) {
                    logs.add(p.id() + " " + best);
                }
            }
            rows.add(List.of(h.host(), s.sockets().count(TcpState.ESTABLISHED) + mark, String.valueOf(s.timeWait()),
                    num(s.number("net.ipv4.tcp_max_tw_buckets")), s.sockets().count(TcpState.CLOSE_WAIT) + mark,
                    s.sockets().count(TcpState.FIN_WAIT2) + mark,
                    max > 0 ? num(count) + "/" + max : count >= 0 ? num(count) + "/-" : "-",
                    logs.isEmpty() ? "-" : String.join(", ", logs)));
        }
        if (!rows.isEmpty()) {
            out.println();
            table(head, rows);
        }
    }

    private static String num(long n) {
        return n < 0 ? "-" : String.valueOf(n);
    }

    private void details(FleetDiagnosis d) {
        Map<FindingCode, List<Finding>> byCode = new LinkedHashMap<>();
        d.findings().stream().sorted(Comparator.comparing(Finding::severity).reversed()
                        .thenComparingInt(Finding::row).thenComparing(f -> f.code().ordinal()))
                .forEach(f -> byCode.computeIfAbsent(f.code(), k -> new ArrayList<>()).add(f));
        for (Map.Entry<FindingCode, List<Finding>> e : byCode.entrySet()) {
            FindingCode c = e.getKey();
            List<Finding> fs = e.getValue();
            Severity worst = fs.stream().map(Finding::severity).max(Enum::compareTo).orElseThrow();
            out.println();
            out.println(cell(worst) + " " + c.name() + ": " + c.title());
            out.println("  table row " + c.row() + ": " + c.rowTitle() + "; " + fs.size() + " host(s)");
            for (Finding f : fs) {
                out.println("  " + f.host() + " [" + f.severity().word() + "]: " + Text.oneLine(f.summary(), 300));
                for (String ev : f.evidence()) {
                    out.println("      " + Text.oneLine(ev, 400));
                }
                if (f.remedy() != null && !f.remedy().hasPlaybook()) {
                    out.println("    fix: " + Text.oneLine(f.remedy().advice(), 600));
                }
            }
            fixes(fs);
        }
    }

    /** One command per distinct set of play vars, limited to exactly those hosts. */
    private void fixes(List<Finding> fs) {
        Map<String, List<Finding>> groups = new LinkedHashMap<>();
        for (Finding f : fs) {
            if (f.remedy() != null && f.remedy().hasPlaybook()) {
                groups.computeIfAbsent(f.remedy().playbook() + " " + f.remedy().vars(), k -> new ArrayList<>()).add(f);
            }
        }
        for (List<Finding> g : groups.values()) {
            Remedy r = g.get(0).remedy();
            Map<String, Object> defaults = playbooks.defaults(r.playbook());
            Map<String, Object> sized = new java.util.TreeMap<>();
            r.vars().forEach((k, v) -> {
                if (!String.valueOf(v).equals(String.valueOf(defaults.get(k)))) {
                    sized.put(k, v);
                }
            });
            String hosts = String.join(",", g.stream().map(Finding::host).toList());
            out.println("    fix: sysfleet run playbooks/" + r.playbook() + " " + Text.escape(inventory)
                    + " --limit " + hosts);
            out.println("         (" + Text.oneLine(r.advice(), 300)
                    + (sized.isEmpty() ? "" : "; the plan of --emit-plan sets play vars " + sized) + ")");
        }
    }

    /** Prints a table with columns padded to their widest cell (the last column is not padded). */
    private void table(List<String> head, List<List<String>> rows) {
        int cols = head.size();
        for (List<String> r : rows) {
            cols = Math.max(cols, r.size());
        }
        int[] w = new int[cols];
        List<List<String>> all = new ArrayList<>();
        all.add(head);
        all.addAll(rows);
        for (List<String> r : all) {
            // a row shorter than the header (a host that was not diagnosed) spans the columns: it sets no width
            for (int i = 0; i < r.size() && (r.size() == head.size() || i < r.size() - 1); i++) {
                w[i] = Math.max(w[i], r.get(i).length());
            }
        }
        for (List<String> r : all) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < r.size(); i++) {
                String cellText = r.get(i);
                b.append(cellText);
                if (i < r.size() - 1) {
                    b.append(" ".repeat(w[i] - cellText.length() + 2));
                }
            }
            out.println(b.toString().stripTrailing());
        }
    }
}
