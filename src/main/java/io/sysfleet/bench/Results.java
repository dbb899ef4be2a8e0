package io.sysfleet.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;

/**
 * The lab benchmark's numbers (pure): raw samples, medians per fleet size and scenario, ratios to the bare ssh
 * loop measured in the same run, and their CSV and Markdown forms. A scenario with a failed repetition at some
 * size (a run that exited badly or did not converge) has no median there: it is reported as failed, not fast.
 */
final class Results {

    /** What the benchmark measures; {@code scenario} and {@code tool} are the CSV's (and the chart's) names. */
    enum Scenario {
        FLOOR("apply", "ssh-loop", "ssh loop (floor)"),
        RUN("apply", "sysfleet", "sysfleet run"),
        RERUN("rerun", "sysfleet", "no-change rerun"),
        CHECK("check", "sysfleet", "check"),
        ROLLBACK("rollback", "sysfleet", "rollback --last"),
        ANSIBLE("apply", "ansible-playbook", "ansible-playbook"),
        /** The same four with another sysfleet build ({@code --baseline}): before/after in one run. */
        BASE_RUN("apply", "sysfleet-baseline", "baseline run"),
        BASE_RERUN("rerun", "sysfleet-baseline", "baseline rerun"),
        BASE_CHECK("check", "sysfleet-baseline", "baseline check"),
        BASE_ROLLBACK("rollback", "sysfleet-baseline", "baseline rollback");

        final String scenario;
        final String tool;
        final String title;

        Scenario(String scenario, String tool, String title) {
            this.scenario = scenario;
            this.tool = tool;
            this.title = title;
        }

        /** The line's name in the chart. */
        String chartName() {
            return scenario.equals("apply") ? tool : tool + " " + scenario;
        }
    }

    /**
     * One measured command.
     *
     * @param hosts    fleet size
     * @param rep      repetition (1-based)
     * @param usage    its controller-side cost
     * @param hostsCpu the lab containers' CPU (and their port proxies') during it
     * @param verified the tool's exit code and report were as expected and every host was checked from inside
     * @param note     why it failed, or ""
     */
    record Sample(int hosts, int rep, Scenario scenario, Meter.Usage usage, BenchHosts.Cpu hostsCpu, double load1,
                  boolean verified, String note) {
    }

    /** Medians of one scenario at one size; {@code failed} repetitions are excluded from nothing: any makes it failed. */
    record Summary(int hosts, Scenario scenario, int runs, int failed, double wall, double user, double system,
                   double cpu, double peakRssMb, double hostsCpu, double proxyCpu) {
        boolean ok() {
            return failed == 0 && runs > 0;
        }
    }

    private final List<Sample> samples = new ArrayList<>();

    void add(Sample s) {
        samples.add(s);
    }

    List<Sample> samples() {
        return List.copyOf(samples);
    }

    boolean anyFailed() {
        return samples.stream().anyMatch(s -> !s.verified());
    }

    /** The summaries, by size then scenario order. */
    List<Summary> summaries() {
        List<Summary> out = new ArrayList<>();
        for (int n : sizes()) {
            for (Scenario sc : Scenario.values()) {
                List<Sample> ss = samples.stream().filter(s -> s.hosts() == n && s.scenario() == sc).toList();
                if (ss.isEmpty()) {
                    continue;
                }
                int failed = (int) ss.stream().filter(s -> !s.verified()).count();
                out.add(new Summary(n, sc, ss.size(), failed, median(ss, s -> s.usage().wallSeconds()),
                        median(ss, s -> s.usage().userSeconds()), median(ss, s -> s.usage().systemSeconds()),
                        median(ss, s -> s.usage().cpuSeconds()), median(ss, s -> s.usage().peakRssKb() / 1024.0),
                        median(ss, s -> s.hostsCpu().total()), median(ss, s -> s.hostsCpu().proxy())));
            }
        }
        return out;
    }

    private TreeSet<Integer> sizes() {
        TreeSet<Integer> n = new TreeSet<>();
        samples.forEach(s -> n.add(s.hosts()));
        return n;
    }

    static double median(List<Sample> ss, ToDoubleFunction<Sample> f) {
        return median(ss.stream().mapToDouble(f).toArray());
    }

    /** The median (the mean of the middle two for an even count); NaN for none or when any value is NaN. */
    static double median(double[] values) {
        if (values.length == 0 || Arrays.stream(values).anyMatch(Double::isNaN)) {
            return Double.NaN;
        }
        double[] v = values.clone();
        Arrays.sort(v);
        int m = v.length / 2;
        return v.length % 2 == 1 ? v[m] : (v[m - 1] + v[m]) / 2;
    }

    // ------------------------------------------------------------------------------------------------ CSV

    static final String RAW_HEADER = "hosts,rep,scenario,tool,wall_s,user_s,sys_s,cpu_s,max_rss_mb,tree_rss_mb,"
            + "hosts_cpu_s,hosts_user_s,hosts_sys_s,proxy_cpu_s,exit,verified,load1,note";

    String rawCsv() {
        StringBuilder sb = new StringBuilder(RAW_HEADER).append('\n');
        for (Sample s : samples) {
            Meter.Usage u = s.usage();
            sb.append(String.join(",", Integer.toString(s.hosts()), Integer.toString(s.rep()), s.scenario().scenario,
                    s.scenario().tool, num(u.wallSeconds()), num(u.userSeconds()), num(u.systemSeconds()),
                    num(u.cpuSeconds()), num(u.maxRssKb() / 1024.0), num(u.treeRssKb() / 1024.0),
                    num(s.hostsCpu().total()), num(s.hostsCpu().user()), num(s.hostsCpu().system()),
                    num(s.hostsCpu().proxy()), Integer.toString(u.exit()), Boolean.toString(s.verified()),
                    num(s.load1()), csvText(s.note()))).append('\n');
        }
        return sb.toString();
    }

    /**
     * Medians per scenario, tool and size, in the format of {@code io.sysfleet.report.Charts} (columns
     * {@code scenario}, {@code tool}, {@code hosts}, {@code median_wall_s}; the rest are extra), plus the ratios to
     * the loop. A failed cell has an empty median.
     */
    String summaryCsv() {
        StringBuilder sb = new StringBuilder("scenario,tool,hosts,median_wall_s,median_user_s,median_sys_s,"
                + "median_cpu_s,median_peak_rss_mb,median_hosts_cpu_s,median_proxy_cpu_s,runs,failed,wall_ratio,"
                + "cpu_ratio,hosts_cpu_ratio\n");
        Map<Integer, Summary> floors = floors();
        for (Summary s : summaries()) {
            if (!s.ok()) {
                continue; // the chart's reader wants a number; the raw CSV and the table say it failed
            }
            Summary f = floors.get(s.hosts());
            sb.append(String.join(",", s.scenario().scenario, s.scenario().tool, Integer.toString(s.hosts()),
                    num(s.wall()), num(s.user()), num(s.system()), num(s.cpu()), num(s.peakRssMb()), num(s.hostsCpu()),
                    num(s.proxyCpu()), Integer.toString(s.runs()), Integer.toString(s.failed()),
                    ratioNum(s.wall(), f == null ? Double.NaN : f.wall()),
                    ratioNum(s.cpu(), f == null ? Double.NaN : f.cpu()),
                    ratioNum(s.hostsCpu(), f == null ? Double.NaN : f.hostsCpu()))).append('\n');
        }
        return sb.toString();
    }

    /** The chart's CSV: one line per tool and scenario ({@code tool,hosts,median_wall_s}, no scenario column). */
    String chartCsv() {
        StringBuilder sb = new StringBuilder("tool,hosts,median_wall_s\n");
        for (Scenario sc : List.of(Scenario.FLOOR, Scenario.RUN, Scenario.RERUN, Scenario.CHECK, Scenario.ANSIBLE,
                Scenario.BASE_RUN, Scenario.BASE_RERUN, Scenario.BASE_CHECK)) {
            for (Summary s : summaries()) {
                if (s.scenario() == sc && s.ok()) {
                    sb.append(sc.chartName()).append(',').append(s.hosts()).append(',').append(num(s.wall())).append('\n');
                }
            }
        }
        return sb.toString();
    }

    private Map<Integer, Summary> floors() {
        Map<Integer, Summary> m = new LinkedHashMap<>();
        summaries().stream().filter(s -> s.scenario() == Scenario.FLOOR && s.ok()).forEach(s -> m.put(s.hosts(), s));
        return m;
    }

    // ------------------------------------------------------------------------------------------------ Markdown

    /** The Markdown tables: wall time, controller CPU and hosts' CPU as ratios to the loop; peak RSS in MB. */
    String markdown(String heading) {
        Map<Integer, Map<Scenario, Summary>> by = new LinkedHashMap<>();
        for (Summary s : summaries()) {
            by.computeIfAbsent(s.hosts(), k -> new LinkedHashMap<>()).put(s.scenario(), s);
        }
        Map<Integer, Double> load = new LinkedHashMap<>();
        for (int n : sizes()) {
            load.put(n, median(samples.stream().filter(s -> s.hosts() == n).toList(), Sample::load1));
        }
        StringBuilder sb = new StringBuilder(heading).append("\n\n");
        sb.append("Wall time, as a ratio to the bare ssh loop at the same size (lower is faster; 1.0 = the loop):\n\n");
        table(sb, by, load, s -> s.wall(), true);
        sb.append("\nController CPU (user + system, children included), ratio to the loop's; "
                + "in brackets: system time, ratio to the loop's:\n\n");
        tableCpu(sb, by);
        sb.append("\nHosts' CPU (the containers' cgroups: sshd, sudo, shells, sysctl...), ratio to the loop's:\n\n");
        table(sb, by, null, s -> s.hostsCpu(), false);
        sb.append("\nController peak RSS in MB (the loop and Ansible: all their processes together, sampled):\n\n");
        tableRss(sb, by);
        return sb.toString();
    }

    /** The columns: the six of the table, then any baseline scenarios that were measured. */
    private List<Scenario> columns() {
        List<Scenario> c = new ArrayList<>(List.of(Scenario.FLOOR, Scenario.RUN, Scenario.RERUN, Scenario.CHECK,
                Scenario.ROLLBACK, Scenario.ANSIBLE));
        for (Scenario s : List.of(Scenario.BASE_RUN, Scenario.BASE_RERUN, Scenario.BASE_CHECK, Scenario.BASE_ROLLBACK)) {
            if (samples.stream().anyMatch(x -> x.scenario() == s)) {
                c.add(s);
            }
        }
        return c;
    }

    private void header(StringBuilder sb, boolean withLoad) {
        sb.append("| hosts |");
        columns().forEach(c -> sb.append(' ').append(c.title).append(" |"));
        if (withLoad) {
            sb.append(" load (1 min) |");
        }
        sb.append("\n|---|");
        columns().forEach(c -> sb.append("---|"));
        sb.append(withLoad ? "---|\n" : "\n");
    }

    private void table(StringBuilder sb, Map<Integer, Map<Scenario, Summary>> by, Map<Integer, Double> load,
                       ToDoubleFunction<Summary> f, boolean withLoad) {
        header(sb, withLoad);
        by.forEach((n, row) -> {
            Summary floor = row.get(Scenario.FLOOR);
            sb.append("| ").append(n).append(" |");
            for (Scenario c : columns()) {
                sb.append(' ').append(cell(row.get(c), floor, f)).append(" |");
            }
            if (withLoad) {
                sb.append(' ').append(String.format(Locale.ROOT, "%.1f", load.get(n))).append(" |");
            }
            sb.append('\n');
        });
    }

    private void tableCpu(StringBuilder sb, Map<Integer, Map<Scenario, Summary>> by) {
        header(sb, false);
        by.forEach((n, row) -> {
            Summary floor = row.get(Scenario.FLOOR);
            sb.append("| ").append(n).append(" |");
            for (Scenario c : columns()) {
                Summary s = row.get(c);
                String cell = cell(s, floor, Summary::cpu);
                if (s != null && s.ok() && floor != null && floor.ok()) {
                    cell += " (" + ratio(s.system(), floor.system()) + ")";
                }
                sb.append(' ').append(cell).append(" |");
            }
            sb.append('\n');
        });
    }

    private void tableRss(StringBuilder sb, Map<Integer, Map<Scenario, Summary>> by) {
        header(sb, false);
        by.forEach((n, row) -> {
            sb.append("| ").append(n).append(" |");
            for (Scenario c : columns()) {
                Summary s = row.get(c);
                sb.append(' ').append(s == null ? "-" : !s.ok() ? failed(s)
                        : String.format(Locale.ROOT, "%.0f", s.peakRssMb())).append(" |");
            }
            sb.append('\n');
        });
    }

    private static String cell(Summary s, Summary floor, ToDoubleFunction<Summary> f) {
        if (s == null) {
            return "-";
        }
        if (!s.ok()) {
            return failed(s);
        }
        if (floor == null || !floor.ok()) {
            return "n/a";
        }
        return s.scenario() == Scenario.FLOOR ? "1.0" : ratio(f.applyAsDouble(s), f.applyAsDouble(floor));
    }

    private static String failed(Summary s) {
        return "FAILED (" + s.failed() + " of " + s.runs() + ")";
    }

    static String ratio(double x, double floor) {
        if (Double.isNaN(x) || Double.isNaN(floor) || floor <= 0) {
            return "n/a";
        }
        double r = x / floor;
        return String.format(Locale.ROOT, r < 10 ? "%.2fx" : "%.0fx", r);
    }

    private static String ratioNum(double x, double floor) {
        return Double.isNaN(x) || Double.isNaN(floor) || floor <= 0 ? "" : num(x / floor);
    }

    static String num(double d) {
        return Double.isNaN(d) ? "" : String.format(Locale.ROOT, "%.3f", d);
    }

    private static String csvText(String s) {
        String t = s.replace('\n', ' ').replace('\r', ' ');
        return t.contains(",") || t.contains("\"") ? "\"" + t.replace("\"", "\"\"") + "\"" : t;
    }
}
