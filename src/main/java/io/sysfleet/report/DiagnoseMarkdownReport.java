package io.sysfleet.report;

import io.sysfleet.core.ExitCode;
import io.sysfleet.diagnose.Finding;
import io.sysfleet.diagnose.FindingCode;
import io.sysfleet.diagnose.FleetDiagnosis;
import io.sysfleet.diagnose.HostDiagnosis;
import io.sysfleet.diagnose.RemediationPlan;
import io.sysfleet.diagnose.RowPlaybooks;
import io.sysfleet.diagnose.Severity;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A short Markdown summary of a diagnosis ({@code diagnose --report-markdown FILE}) for
 * {@code $GITHUB_STEP_SUMMARY} and merge-request comments, written as {@link MarkdownReport} writes a run's: the
 * exit code and its meaning, the hosts by status, each finding code (worst first) with its table row and the
 * hosts that have it, the hosts not diagnosed, the hosts whose kernel log could not be read, and the fix
 * commands. Bounded the same way ({@link MarkdownReport#MAX_HOSTS} hosts per list, messages cut), and every value
 * from a host is a code span ({@link MarkdownReport#code}), so no host output can add Markdown or HTML.
 */
public final class DiagnoseMarkdownReport {
    private DiagnoseMarkdownReport() {
    }

    /** The summary as Markdown text, ending with a newline. */
    public static String render(FleetDiagnosis d, ReportContext ctx, Severity failOn, String inventory,
                                RowPlaybooks playbooks) {
        ExitCode exit = ctx.exit() == null ? d.exitCode(failOn) : ctx.exit();
        StringBuilder md = new StringBuilder();
        md.append("### ").append(exit.code() == 0 ? "✅" : "❌").append(" sysfleet diagnose: exit ")
                .append(exit.code()).append(' ').append(exit.name()).append("\n\n");
        md.append(exit.meaning().substring(0, 1).toUpperCase(Locale.ROOT)).append(exit.meaning().substring(1))
                .append(". ");
        List<String> facts = new ArrayList<>();
        if (ctx.inventory() != null) {
            facts.add("inventory " + MarkdownReport.code(ctx.inventory()));
        }
        if (ctx.user() != null) {
            facts.add("by " + MarkdownReport.code(ctx.user() + (ctx.controller() == null ? "" : "@" + ctx.controller())));
        }
        facts.add("fails on " + (failOn == null ? "never" : failOn.word()));
        facts.add(HtmlReport.when(d.started()) + ", " + HtmlReport.duration(Duration.between(d.started(), d.finished())));
        md.append(String.join(", ", facts)).append(" (nothing was changed).\n\n");

        Map<String, List<HostDiagnosis>> byStatus = new LinkedHashMap<>();
        DiagnoseHtmlReport.STATUSES.forEach(s -> byStatus.put(s, new ArrayList<>()));
        d.hosts().forEach(h -> byStatus.get(DiagnoseHtmlReport.status(h)).add(h));
        md.append("| hosts | ok | info | warning | critical | failed | unreachable |\n");
        md.append("|---:|---:|---:|---:|---:|---:|---:|\n");
        md.append("| ").append(d.hosts().size());
        for (String s : List.of("ok", "info", "warning", "critical", "failed", "unreachable")) {
            md.append(" | ").append(byStatus.get(s).size());
        }
        md.append(" |\n");

        Map<FindingCode, List<Finding>> byCode = new LinkedHashMap<>();
        d.findings().stream().sorted(Comparator.comparing(Finding::severity).reversed()
                        .thenComparingInt(Finding::row).thenComparing(f -> f.code().ordinal()))
                .forEach(f -> byCode.computeIfAbsent(f.code(), k -> new ArrayList<>()).add(f));
        for (Map.Entry<FindingCode, List<Finding>> e : byCode.entrySet()) {
            FindingCode c = e.getKey();
            List<Finding> fs = e.getValue();
            Severity worst = fs.stream().map(Finding::severity).max(Enum::compareTo).orElseThrow();
            md.append("\n**").append(worst.word()).append(" `").append(c.name()).append("`** (row ").append(c.row())
                    .append(": ").append(c.rowTitle().replace("\"", "")).append("), ").append(fs.size())
                    .append(" host").append(fs.size() == 1 ? "" : "s").append("\n\n");
            list(md, fs.stream().map(f -> MarkdownReport.code(f.host()) + " " + f.severity().word() + ": "
                    + MarkdownReport.code(f.summary())).toList());
        }
        List<String> down = new ArrayList<>();
        for (String s : List.of("failed", "unreachable")) {
            byStatus.get(s).forEach(h -> down.add(MarkdownReport.code(h.host()) + " " + s + ": "
                    + MarkdownReport.code((h.phase() == null ? "" : h.phase().label() + ": ") + h.error())));
        }
        if (!down.isEmpty()) {
            md.append("\n**Not diagnosed** (").append(down.size()).append(")\n\n");
            list(md, down);
        }
        List<String> unknown = d.hosts().stream().filter(h -> h.sample() != null && !h.sample().logsRead())
                .map(h -> MarkdownReport.code(h.host())).toList();
        if (!unknown.isEmpty()) {
            md.append("\n**Kernel log history unknown** (").append(unknown.size())
                    .append("): no log source could be read; connect as root (`--become`) to read it\n\n");
            list(md, unknown);
        }
        List<RemediationPlan.Entry> fixes = RemediationPlan.of(d, playbooks).entries();
        if (!fixes.isEmpty()) {
            md.append("\n**Fix**\n\n");
            list(md, fixes.stream().map(x -> "row " + x.row() + ": " + MarkdownReport.code("sysfleet run playbooks/"
                    + x.playbook() + " " + inventory + " --limit " + String.join(",", x.hosts().stream()
                    .map(ReportContext::shellWord).toList()))
                    + (x.vars().isEmpty() ? "" : " with play vars " + MarkdownReport.code(x.vars().toString()))).toList());
        }
        return md.toString();
    }

    /** Writes {@link #render} to {@code file} atomically with mode 0644, creating parent directories. */
    public static void write(FleetDiagnosis d, ReportContext ctx, Severity failOn, String inventory,
                             RowPlaybooks playbooks, Path file) {
        ReportFiles.writeAtomically(file, render(d, ctx, failOn, inventory, playbooks), "Markdown report");
    }

    private static void list(StringBuilder md, List<String> items) {
        for (int i = 0; i < items.size() && i < MarkdownReport.MAX_HOSTS; i++) {
            md.append("- ").append(items.get(i)).append('\n');
        }
        if (items.size() > MarkdownReport.MAX_HOSTS) {
            md.append("- … and ").append(items.size() - MarkdownReport.MAX_HOSTS).append(" more\n");
        }
    }
}
