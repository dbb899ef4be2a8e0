package io.sysfleet.report;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.sysfleet.core.ExitCode;
import io.sysfleet.diagnose.Finding;
import io.sysfleet.diagnose.FindingCode;
import io.sysfleet.diagnose.FleetDiagnosis;
import io.sysfleet.diagnose.HostDiagnosis;
import io.sysfleet.diagnose.HostSample;
import io.sysfleet.diagnose.LogPattern;
import io.sysfleet.diagnose.LogSource;
import io.sysfleet.diagnose.RemediationPlan;
import io.sysfleet.diagnose.RowPlaybooks;
import io.sysfleet.diagnose.Severity;
import io.sysfleet.diagnose.TcpState;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The diagnosis a person reads ({@code diagnose --report-html FILE}): one static, self-contained HTML page in the
 * run report's style and with its fleet overview ({@link HtmlReport}: the shared {@code style.jte} and
 * {@code fleet.jte} script, so the filter by status, the search by host and the {@code #status=}, {@code #q=},
 * {@code #host=} links work the same). The summary (when, who, inventory, exit code and its meaning, duration,
 * {@code --fail-on}, thresholds); one row per host (worst first) with one cell per finding code coloured by
 * severity; per host, collapsed until opened: the measured figures, each kernel log source and whether it could
 * be read, the notes (what could not be measured), and each finding with its table row, evidence and fix; then
 * the fixes for the fleet, one command per playbook for exactly the affected hosts.
 *
 * <p>Rendered by the precompiled jte template {@code src/main/jte/diagnose.jte} in HTML mode: every value is
 * escaped by jte for where it is written; the page embeds no value in its script. Values are first made visible
 * ({@link HtmlReport#shown}).
 */
public final class DiagnoseHtmlReport {
    /** Worst first: the order of the overview, the counts and a host's status. */
    static final List<String> STATUSES = List.of("failed", "unreachable", "critical", "warning", "info", "ok");

    private DiagnoseHtmlReport() {
    }

    /** The whole page handed to the template. */
    record Page(String title, String started, String startedIso, String finished, String duration, String user,
                String controller, String inventory, int exitCode, String exitName, String exitMeaning,
                boolean exitOk, String failOn, List<String> thresholds, List<Count> counts, int hostCount,
                List<Column> columns, List<HostView> hosts, List<Fix> fixes, int unknownLogs, String generator) {
    }

    /** How many hosts have a status. */
    record Count(String status, String label, int n, String percent) {
    }

    /** A finding code in the overview: its column. */
    record Column(String code, String abbr, String title) {
    }

    /** One host: its overview row and its details. */
    record HostView(String name, String status, String label, String search, List<Cell> cells, String time,
                    String headline, String phase, String error, String platform, List<Figure> figures,
                    List<LogView> logs, List<String> notes, List<FindingView> findings) {
    }

    /** A host's worst finding of one code (status {@code none}: no such finding). */
    record Cell(String status, String abbr, String title) {
    }

    /** A measured figure. */
    record Figure(String name, String value) {
    }

    /**
     * A kernel log source: whether it was read ({@code kind} read, none: not there, unread: there but not read),
     * and its lines of the table's patterns.
     */
    record LogView(String source, String status, String kind, String counts, String latest) {
    }

    /** One finding with its row, evidence and remedy. */
    record FindingView(String code, String severity, int row, String rowTitle, String title, String summary,
                       List<String> evidence, String command, String advice) {
    }

    /** One command of the fleet's fixes. */
    record Fix(int row, String playbook, String codes, List<String> hosts, String vars, String command) {
    }

    /** The report as an HTML document. */
    public static String render(FleetDiagnosis d, ReportContext ctx, Severity failOn, String inventory,
                                RowPlaybooks playbooks) {
        StringOutput out = new StringOutput(64 * 1024);
        Templates.INSTANCE.render("diagnose.jte", page(d, ctx, failOn, inventory, playbooks), out);
        return out.toString();
    }

    /**
     * Writes {@link #render} to {@code file} atomically with mode 0644, creating parent directories.
     *
     * @throws io.sysfleet.core.SysfleetException exit code 1 (ERROR), phase "report", when the file cannot be written
     */
    public static void write(FleetDiagnosis d, ReportContext ctx, Severity failOn, String inventory,
                             RowPlaybooks playbooks, Path file) {
        ReportFiles.writeAtomically(file, render(d, ctx, failOn, inventory, playbooks), "HTML report");
    }

    private static final class Templates {
        static final TemplateEngine INSTANCE =
                TemplateEngine.createPrecompiled(null, ContentType.Html, null, "io.sysfleet.report");
    }

    /** A host's status on the page: not diagnosed (failed, unreachable), else its worst finding, else ok. */
    static String status(HostDiagnosis h) {
        if (h.status() != HostDiagnosis.Status.DIAGNOSED) {
            return h.status().word();
        }
        Severity worst = h.worst();
        return worst == null ? "ok" : worst.word();
    }

    static Page page(FleetDiagnosis d, ReportContext ctx, Severity failOn, String inventory, RowPlaybooks playbooks) {
        ExitCode exit = ctx.exit() == null ? d.exitCode(failOn) : ctx.exit();
        TreeSet<FindingCode> codes = new TreeSet<>(Comparator.comparingInt(FindingCode::row)
                .thenComparing(Enum::ordinal));
        d.findings().forEach(f -> codes.add(f.code()));
        List<Column> columns = codes.stream().map(c -> new Column(c.name(), "R" + c.row(),
                c.name() + " (row " + c.row() + "): " + c.title())).toList();
        Map<String, List<HostView>> byStatus = new LinkedHashMap<>();
        STATUSES.forEach(s -> byStatus.put(s, new ArrayList<>()));
        int unknownLogs = 0;
        for (HostDiagnosis h : d.hosts()) {
            byStatus.get(status(h)).add(host(h, codes, inventory));
            if (h.sample() != null && !h.sample().logsRead()) {
                unknownLogs++;
            }
        }
        List<HostView> hosts = new ArrayList<>();
        byStatus.values().forEach(hosts::addAll);
        List<Count> counts = new ArrayList<>();
        byStatus.forEach((s, l) -> counts.add(new Count(s, s, l.size(), hosts.isEmpty() ? "0"
                : String.format(Locale.ROOT, "%.2f", 100.0 * l.size() / hosts.size()))));
        List<String> thresholds = new ArrayList<>();
        d.thresholds().asMap().forEach((k, v) -> thresholds.add(k + " " + v));
        List<Fix> fixes = new ArrayList<>();
        for (RemediationPlan.Entry e : RemediationPlan.of(d, playbooks).entries()) {
            TreeSet<String> why = new TreeSet<>();
            e.codes().values().forEach(why::addAll);
            fixes.add(new Fix(e.row(), "playbooks/" + e.playbook(), String.join(", ", why),
                    e.hosts().stream().map(HtmlReport::shown).toList(), e.vars().isEmpty() ? null
                    : HtmlReport.shown(e.vars().toString()), HtmlReport.shown("sysfleet run playbooks/" + e.playbook()
                    + " " + inventory + " --limit " + String.join(",", e.hosts().stream()
                    .map(ReportContext::shellWord).toList())
                    + (e.vars().isEmpty() ? "" : "   # --emit-plan sets play vars " + e.vars()))));
        }
        String title = "sysfleet diagnose: " + (exit.code() == 0 ? "ok" : "exit " + exit.code());
        return new Page(title, HtmlReport.when(d.started()), d.started().toString(), HtmlReport.when(d.finished()),
                HtmlReport.duration(Duration.between(d.started(), d.finished())), HtmlReport.shown(ctx.user()),
                HtmlReport.shown(ctx.controller()), HtmlReport.shown(ctx.inventory()), exit.code(), exit.name(),
                exit.meaning(), exit.code() == 0, failOn == null ? "never" : failOn.word(), thresholds, counts,
                hosts.size(), columns, hosts, fixes, unknownLogs, HtmlReport.generator());
    }

    private static HostView host(HostDiagnosis h, TreeSet<FindingCode> codes, String inventory) {
        String name = HtmlReport.shown(h.host());
        String status = status(h);
        List<Cell> cells = new ArrayList<>();
        for (FindingCode c : codes) {
            Severity worst = h.findings().stream().filter(f -> f.code() == c).map(Finding::severity)
                    .max(Enum::compareTo).orElse(null);
            cells.add(worst == null ? new Cell("none", "–", c.name() + ": not found")
                    : new Cell(worst.word(), abbr(worst), c.name() + ": " + worst.word()));
        }
        String time = h.elapsed().isZero() ? null : HtmlReport.duration(h.elapsed());
        HostSample s = h.sample();
        if (s == null) {
            String error = HtmlReport.shown(h.error());
            return new HostView(name, status, status, name.toLowerCase(Locale.ROOT), cells, time,
                    firstLine((h.phase() == null ? "" : h.phase().label() + ": ") + (error == null ? "" : error)),
                    h.phase() == null ? null : h.phase().label(), error, null, List.of(), List.of(), List.of(),
                    List.of());
        }
        List<FindingView> findings = h.findings().stream()
                .sorted(Comparator.comparing(Finding::severity).reversed().thenComparingInt(Finding::row))
                .map(f -> finding(f, h, inventory)).toList();
        String headline = findings.isEmpty() ? (s.logsRead() ? null : "no findings; kernel log history unknown")
                : findings.size() + " finding" + (findings.size() == 1 ? "" : "s") + ": "
                + String.join(", ", findings.stream().map(FindingView::code).distinct().toList());
        String platform = HtmlReport.shown(s.platform().osId() + " " + s.platform().osVersion() + ", kernel "
                + s.platform().kernelRelease());
        return new HostView(name, status, status, name.toLowerCase(Locale.ROOT), cells, time, headline, null, null,
                platform, figures(s), logs(s), s.notes().stream().map(HtmlReport::shown).toList(), findings);
    }

    private static String abbr(Severity s) {
        return switch (s) {
            case CRITICAL -> "crit";
            case WARNING -> "warn";
            case INFO -> "info";
        };
    }

    private static FindingView finding(Finding f, HostDiagnosis h, String inventory) {
        String command = null;
        String advice = null;
        if (f.remedy() != null) {
            advice = HtmlReport.shown(f.remedy().advice());
            if (f.remedy().hasPlaybook()) {
                command = HtmlReport.shown("sysfleet run playbooks/" + f.remedy().playbook() + " " + inventory
                        + " --limit " + ReportContext.shellWord(h.host())
                        + (f.remedy().vars().isEmpty() ? "" : "   # --emit-plan sets play vars " + f.remedy().vars()));
            }
        }
        return new FindingView(f.code().name(), f.severity().word(), f.row(), f.code().rowTitle(), f.code().title(),
                HtmlReport.shown(f.summary()), f.evidence().stream().map(HtmlReport::shown).toList(), command, advice);
    }

    private static List<Figure> figures(HostSample s) {
        List<Figure> out = new ArrayList<>();
        String partial = s.sockets().exact() ? "" : " (at least)";
        out.add(new Figure("ESTABLISHED", s.sockets().count(TcpState.ESTABLISHED) + partial));
        long limit = s.number("net.ipv4.tcp_max_tw_buckets");
        out.add(new Figure("TIME_WAIT", s.timeWait() + (limit >= 0 ? " of tcp_max_tw_buckets " + limit
                + (limit > 0 ? String.format(Locale.ROOT, " (%.0f%%)", 100.0 * s.timeWait() / limit) : "") : "")));
        out.add(new Figure("CLOSE_WAIT", s.sockets().count(TcpState.CLOSE_WAIT) + partial));
        out.add(new Figure("FIN_WAIT2", s.sockets().count(TcpState.FIN_WAIT2) + partial));
        long count = s.conntrackCount();
        long max = s.conntrackMax();
        out.add(new Figure("conntrack", count < 0 ? "unknown" : max > 0 ? String.format(Locale.ROOT,
                "%d of %d (%.0f%%)", count, max, 100.0 * count / max) : count + " (no max key)"));
        for (String k : List.of("net.ipv4.tcp_fin_timeout", "net.ipv4.tcp_tw_recycle", "net.ipv4.tcp_timestamps")) {
            String v = s.value(k);
            out.add(new Figure(k, v == null ? "absent" : HtmlReport.shown(v)));
        }
        return out;
    }

    private static List<LogView> logs(HostSample s) {
        List<LogView> out = new ArrayList<>();
        for (LogSource l : s.logs()) {
            boolean read = l.status() == LogSource.Status.OK;
            List<String> counts = new ArrayList<>();
            String latest = null;
            for (LogPattern p : LogPattern.values()) {
                if (read) {
                    counts.add(p.id() + " " + l.count(p));
                }
                List<String> lines = l.latest(p);
                if (!lines.isEmpty()) {
                    latest = lines.get(lines.size() - 1);
                }
            }
            String kind = read ? "read" : l.status() == LogSource.Status.ABSENT ? "none" : "unread";
            out.add(new LogView(HtmlReport.shown(l.name()), read ? (l.truncated() ? "read (in part)" : "read")
                    : l.status().phrase(), kind, String.join(", ", counts), HtmlReport.shown(latest)));
        }
        return out;
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        String l = nl < 0 ? s : s.substring(0, nl) + " …";
        return l.length() > 300 ? l.substring(0, 300) + " …" : l;
    }
}
