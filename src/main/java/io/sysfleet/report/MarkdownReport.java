package io.sysfleet.report;

import io.sysfleet.result.HostResult;
import io.sysfleet.result.RunReport;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A short Markdown summary of a run ({@code --report-markdown FILE}) for {@code $GITHUB_STEP_SUMMARY} and
 * merge-request comments: the exit code and its meaning, the counts, then the failed, unreachable and changed
 * (in check mode: drifting) hosts with their first problem, and the undo command.
 *
 * <p>Its length is bounded whatever the fleet's size: at most {@link #MAX_HOSTS} hosts per list, then
 * "... and K more", and every message is cut at {@link #MAX_MESSAGE} characters, so it stays well below
 * GitHub's 64 KiB comment limit and its 1 MiB step-summary limit. Every value from a host or playbook is written
 * as a code span (its backticks outnumbered by the fence, CommonMark's rule), so no host output can add
 * Markdown, HTML, links or mentions; line breaks and control characters are flattened first.
 */
public final class MarkdownReport {
    /** Hosts listed per category before "and K more". */
    static final int MAX_HOSTS = 20;
    /** Characters of a message before it is cut. */
    static final int MAX_MESSAGE = 200;

    private MarkdownReport() {
    }

    /** The summary as Markdown text, ending with a newline. */
    public static String render(RunReport report, ReportContext ctx) {
        Objects.requireNonNull(report.started(), "started");
        Objects.requireNonNull(report.finished(), "finished");
        var exit = ctx.exit() == null ? report.exitCode() : ctx.exit();
        String command = ctx.command() == null ? (report.check() ? "check" : "run") : ctx.command();
        StringBuilder md = new StringBuilder();
        md.append("### ").append(exit.code() == 0 ? "✅" : "❌").append(" sysfleet ").append(command).append(' ')
                .append(code(report.runId())).append(": exit ").append(exit.code()).append(' ').append(exit.name())
                .append('\n').append('\n');
        md.append(exit.meaning().substring(0, 1).toUpperCase(Locale.ROOT)).append(exit.meaning().substring(1))
                .append(". ");
        List<String> facts = new ArrayList<>();
        if (ctx.playbook() != null) {
            facts.add("playbook " + code(ctx.playbook()));
        }
        if (ctx.inventory() != null) {
            facts.add("inventory " + code(ctx.inventory()));
        }
        if (ctx.rollbackOf() != null) {
            facts.add("rolling back run " + code(ctx.rollbackOf()));
        }
        if (ctx.user() != null) {
            facts.add("by " + code(ctx.user() + (ctx.controller() == null ? "" : "@" + ctx.controller())));
        }
        facts.add(HtmlReport.when(report.started()) + ", "
                + HtmlReport.duration(Duration.between(report.started(), report.finished())));
        md.append(String.join(", ", facts)).append(report.check() ? " (check mode: nothing was changed)" : "")
                .append(".\n\n");

        Map<String, HostResult.Status> worst = worst(report);
        Map<HostResult.Status, List<String>> byStatus = new LinkedHashMap<>();
        for (HostResult.Status s : HostResult.Status.values()) {
            byStatus.put(s, new ArrayList<>());
        }
        worst.forEach((h, s) -> byStatus.get(s).add(h));
        String changedWord = report.check() ? "drift" : "changed";
        md.append("| hosts | ok | ").append(changedWord).append(" | failed | unreachable | skipped |\n");
        md.append("|---:|---:|---:|---:|---:|---:|\n");
        md.append("| ").append(worst.size());
        for (HostResult.Status s : List.of(HostResult.Status.OK, HostResult.Status.CHANGED, HostResult.Status.FAILED,
                HostResult.Status.UNREACHABLE, HostResult.Status.SKIPPED)) {
            md.append(" | ").append(byStatus.get(s).size());
        }
        md.append(" |\n");

        Map<String, String> firstProblem = new LinkedHashMap<>();
        Map<String, Integer> changedKeys = new LinkedHashMap<>();
        Map<String, Integer> warnings = new LinkedHashMap<>();
        for (HostResult h : report.allHosts()) {
            if (h.error() != null && !firstProblem.containsKey(h.host())) {
                firstProblem.put(h.host(), (h.phase() == null ? "" : h.phase() + ": ") + h.error()
                        + (h.undone() && !h.error().contains("undone") ? " (undone)" : ""));
            }
            int keys = (int) h.keys().stream().filter(k -> k.changed() && k.error() == null && !k.skipped()).count();
            changedKeys.merge(h.host(), keys, Integer::sum);
            warnings.merge(h.host(), h.warnings().size(), Integer::sum);
        }
        section(md, "Failed", byStatus.get(HostResult.Status.FAILED), h -> firstProblem.get(h));
        section(md, "Unreachable", byStatus.get(HostResult.Status.UNREACHABLE), h -> firstProblem.get(h));
        section(md, report.check() ? "Drift (would change)" : "Changed", byStatus.get(HostResult.Status.CHANGED),
                h -> {
                    int k = changedKeys.getOrDefault(h, 0);
                    int w = warnings.getOrDefault(h, 0);
                    return k + " key" + (k == 1 ? "" : "s") + (w == 0 ? "" : ", " + w + " warning" + (w == 1 ? "" : "s"));
                });
        List<String> aborted = report.plays().stream().filter(p -> p.aborted() != null)
                .map(p -> code(p.name()) + ": " + code(p.aborted())).toList();
        if (!aborted.isEmpty()) {
            md.append("\n**Aborted:** ").append(String.join("; ", aborted)).append('\n');
        }
        if (ctx.undo() != null && (!byStatus.get(HostResult.Status.CHANGED).isEmpty()
                || !byStatus.get(HostResult.Status.FAILED).isEmpty())) {
            md.append("\nUndo: ").append(code(ctx.undo())).append('\n');
        }
        return md.toString();
    }

    /**
     * Writes {@link #render} to {@code file} atomically with mode 0644, creating parent directories. To append
     * to {@code $GITHUB_STEP_SUMMARY}, write to a file and {@code cat} it there.
     *
     * @throws io.sysfleet.core.SysfleetException exit code 1 (ERROR), phase "report", when the file cannot be written
     */
    public static void write(RunReport report, ReportContext context, Path file) {
        ReportFiles.writeAtomically(file, render(report, context), "Markdown report");
    }

    private static void section(StringBuilder md, String title, List<String> hosts,
                                java.util.function.Function<String, String> detail) {
        if (hosts.isEmpty()) {
            return;
        }
        md.append("\n**").append(title).append("** (").append(hosts.size()).append(")\n\n");
        for (int i = 0; i < hosts.size() && i < MAX_HOSTS; i++) {
            String d = detail.apply(hosts.get(i));
            md.append("- ").append(code(hosts.get(i))).append(d == null ? "" : ": " + code(d)).append('\n');
        }
        if (hosts.size() > MAX_HOSTS) {
            md.append("- … and ").append(hosts.size() - MAX_HOSTS).append(" more\n");
        }
    }

    private static Map<String, HostResult.Status> worst(RunReport report) {
        List<HostResult.Status> rank = List.of(HostResult.Status.SKIPPED, HostResult.Status.OK,
                HostResult.Status.CHANGED, HostResult.Status.UNREACHABLE, HostResult.Status.FAILED);
        Map<String, HostResult.Status> worst = new LinkedHashMap<>();
        for (HostResult h : report.allHosts()) {
            worst.merge(h.host(), h.status(), (a, b) -> rank.indexOf(a) >= rank.indexOf(b) ? a : b);
        }
        return worst;
    }

    /**
     * {@code s} as a Markdown code span: on one line, control characters visible, cut at {@link #MAX_MESSAGE},
     * fenced by one backtick more than its longest run of backticks (padded with spaces where it starts or ends
     * with one). Inside a code span nothing is Markdown or HTML.
     */
    static String code(String s) {
        String t = HtmlReport.shown(s == null ? "" : s).replaceAll("\\s*[\\n\\t]+\\s*", " ").strip();
        if (t.codePointCount(0, t.length()) > MAX_MESSAGE) {
            t = t.substring(0, t.offsetByCodePoints(0, MAX_MESSAGE)) + "…";
        }
        if (t.isEmpty()) {
            return "` `";
        }
        int longest = 0;
        int run = 0;
        for (int i = 0; i < t.length(); i++) {
            run = t.charAt(i) == '`' ? run + 1 : 0;
            longest = Math.max(longest, run);
        }
        String fence = "`".repeat(longest + 1);
        boolean pad = t.startsWith("`") || t.endsWith("`");
        // Never used in a table cell, where GitHub would split at a | even inside code.
        return fence + (pad ? " " : "") + t + (pad ? " " : "") + fence;
    }
}
