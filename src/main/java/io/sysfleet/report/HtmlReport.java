package io.sysfleet.report;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.sysfleet.result.HostResult;
import io.sysfleet.result.Phase;
import io.sysfleet.result.KeyResult;
import io.sysfleet.core.ExitCode;
import io.sysfleet.result.RunReport;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The run report a person reads ({@code --report-html FILE}): one static, self-contained HTML file (inline CSS
 * and JavaScript, no network, fonts or external scripts), so it opens offline from a CI artifact store.
 *
 * <p>It shows the run's summary (when, who, playbook, inventory, exit code and its meaning, duration), a fleet
 * overview (one row per host, one coloured cell per play, filterable by status and searchable by host name;
 * hosts with problems first), and per host, collapsed until opened: each key's planned, old and new values and
 * whether they were verified, the diff of each file, warnings, the error in the kernel's words, the undo that
 * happened, and the command that rolls the host back. A fragment selects a view: {@code #status=failed},
 * {@code #q=web}, {@code #host=db1} (opens that host).
 *
 * <p>The page is rendered by the precompiled jte template {@code src/main/jte/report.jte} in HTML mode: every
 * value is escaped by jte for the place it is written to (element text or attribute). The page embeds no
 * value in a script; its script reads only {@code data-} attributes. Values are first made visible
 * ({@link #shown}): control characters become {@code \\uXXXX}, lone surrogates U+FFFD, as in the JUnit report.
 */
public final class HtmlReport {
    private static final DateTimeFormatter WHEN =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);
    /** Worst first: the order of the overview and of a host's overall status. */
    private static final List<HostResult.Status> SEVERITY = List.of(HostResult.Status.FAILED,
            HostResult.Status.UNREACHABLE, HostResult.Status.CHANGED, HostResult.Status.OK, HostResult.Status.SKIPPED);
    /** Phases that end before anything on the host is changed. */
    private static final Set<Phase> BEFORE_CHANGE = Set.of(Phase.CONNECT, Phase.FACTS, Phase.PLAN);

    private HtmlReport() {
    }

    /** The whole page handed to the template. */
    record Page(String title, String command, boolean check, String runId, String started, String startedIso,
                String finished, String duration, String user, String controller, String playbook, String inventory,
                String rollbackOf, int exitCode, String exitName, String exitMeaning, boolean exitOk,
                List<String> plays, List<String> aborted, List<Count> counts, int hostCount, List<HostView> hosts,
                String undo, String generator) {
    }

    /** How many hosts ended with a status (a host's status is its worst over all plays). */
    record Count(String status, String label, int n, String percent) {
    }

    /** One host: its row in the overview and its details. */
    record HostView(String name, String status, String label, String search, List<Cell> cells, String time,
                    String headline, List<PlayView> plays, String rollback) {
    }

    /** A host's outcome in one play (status {@code none}: the host was not in that play). */
    record Cell(String status, String abbr, String title) {
    }

    /** What one play did on one host. */
    record PlayView(String play, String status, String label, String phase, String error, String undo,
                    boolean undoOk, String time, List<KeyView> keys, List<List<DiffLine>> diffs,
                    List<String> warnings, boolean mayHaveChanged) {
    }

    /** One key's values and outcome. */
    record KeyView(String task, String key, Value planned, Value old, Value now, String verified, String outcome,
                   String outcomeLabel, String note, String error) {
    }

    /** A value, or a placeholder in words ({@code placeholder} true) where there is none. */
    record Value(String text, boolean placeholder) {
    }

    /** One line of a unified diff with its kind: meta, hunk, add, del, ctx. */
    record DiffLine(String kind, String text) {
    }

    /** The report as an HTML document. */
    public static String render(RunReport report, ReportContext context) {
        StringOutput out = new StringOutput(64 * 1024);
        Engine.INSTANCE.render("report.jte", page(report, context), out);
        return out.toString();
    }

    /**
     * Writes {@link #render} to {@code file} atomically with mode 0644, creating parent directories.
     *
     * @throws io.sysfleet.core.SysfleetException exit code 1 (ERROR), phase "report", when the file cannot be written
     */
    public static void write(RunReport report, ReportContext context, Path file) {
        ReportFiles.writeAtomically(file, render(report, context), "HTML report");
    }

    /** The precompiled templates, loaded once (they are stateless and thread-safe). */
    private static final class Engine {
        static final TemplateEngine INSTANCE =
                TemplateEngine.createPrecompiled(null, ContentType.Html, null, "io.sysfleet.report");
    }

    static Page page(RunReport report, ReportContext ctx) {
        Objects.requireNonNull(report.started(), "started");
        Objects.requireNonNull(report.finished(), "finished");
        List<String> plays = report.plays().stream().map(p -> shown(p.name())).toList();
        List<String> aborted = report.plays().stream().filter(p -> p.aborted() != null)
                .map(p -> shown(p.name()) + ": " + shown(p.aborted())).toList();

        // One row per host, in order of first appearance; its results per play.
        Map<String, HostResult[]> byHost = new LinkedHashMap<>();
        for (int i = 0; i < report.plays().size(); i++) {
            for (HostResult h : report.plays().get(i).hosts()) {
                byHost.computeIfAbsent(h.host(), k -> new HostResult[report.plays().size()])[i] = h;
            }
        }
        Map<HostResult.Status, List<HostView>> byStatus = new EnumMap<>(HostResult.Status.class);
        for (Map.Entry<String, HostResult[]> e : byHost.entrySet()) {
            byStatus.computeIfAbsent(worst(e.getValue()), k -> new ArrayList<>())
                    .add(host(e.getKey(), e.getValue(), report, ctx));
        }
        List<HostView> hosts = new ArrayList<>(); // worst status first, then in order of first appearance
        SEVERITY.forEach(s -> hosts.addAll(byStatus.getOrDefault(s, List.of())));
        List<Count> countViews = new ArrayList<>();
        for (HostResult.Status s : SEVERITY) {
            int n = byStatus.getOrDefault(s, List.of()).size();
            countViews.add(new Count(word(s), label(s, report.check()), n,
                    hosts.isEmpty() ? "0" : String.format(Locale.ROOT, "%.2f", 100.0 * n / hosts.size())));
        }

        String command = ctx.command() == null ? (report.check() ? "check" : "run") : ctx.command();
        ExitCode exitCode = ctx.exit() == null ? report.exitCode() : ctx.exit();
        int exit = exitCode.code();
        String title = "sysfleet " + command + " " + shown(report.runId()) + ": "
                + (exit == 0 ? "ok" : "exit " + exit);
        return new Page(title, command, report.check(), shown(report.runId()), WHEN.format(report.started()),
                report.started().toString(), WHEN.format(report.finished()),
                duration(Duration.between(report.started(), report.finished())), shown(ctx.user()),
                shown(ctx.controller()), shown(ctx.playbook()), shown(ctx.inventory()), shown(ctx.rollbackOf()), exit,
                exitCode.name(), exitCode.meaning(), exit == 0, plays, aborted, countViews, hosts.size(), hosts,
                shown(ctx.undo()), generator());
    }

    private static HostView host(String name, HostResult[] perPlay, RunReport report, ReportContext ctx) {
        List<Cell> cells = new ArrayList<>();
        List<PlayView> plays = new ArrayList<>();
        long ms = 0;
        String problem = null;
        long changedKeys = 0;
        int files = 0;
        for (int i = 0; i < perPlay.length; i++) {
            HostResult h = perPlay[i];
            String play = shown(report.plays().get(i).name());
            if (h == null) {
                cells.add(new Cell("none", "–", "not in this play"));
                continue;
            }
            ms += h.elapsedMs();
            String label = label(h.status(), report.check());
            cells.add(new Cell(word(h.status()), abbr(label), null));
            plays.add(play(play, h, report.check()));
            if (problem == null && h.error() != null && h.status() != HostResult.Status.OK
                    && h.status() != HostResult.Status.CHANGED) {
                problem = firstLine((h.phase() == null ? "" : h.phase() + ": ") + shown(h.error()));
            }
            changedKeys += h.keys().stream().filter(k -> k.changed() && k.error() == null && !k.skipped()).count();
            files += h.diffs().size();
        }
        HostResult.Status worst = worst(perPlay);
        // The line in the overview row: the first problem, else what changed.
        String headline = problem != null ? problem : changedKeys == 0 && files == 0 ? null
                : changedKeys + " key" + (changedKeys == 1 ? "" : "s") + (report.check() ? " would change" : " changed")
                + (files == 0 ? "" : ", " + files + " file edit" + (files == 1 ? "" : "s"));
        boolean rollback = plays.stream().anyMatch(PlayView::mayHaveChanged);
        return new HostView(shown(name), word(worst), label(worst, report.check()),
                shown(name).toLowerCase(Locale.ROOT), cells, ms > 0 ? duration(Duration.ofMillis(ms)) : null,
                headline, plays, rollback ? shown(ctx.undoHost(name)) : null);
    }

    private static PlayView play(String play, HostResult h, boolean check) {
        List<KeyView> keys = h.keys().stream().map(k -> key(k, check)).toList();
        List<List<DiffLine>> diffs = h.diffs().stream().map(HtmlReport::diff).toList();
        List<String> warnings = h.warnings().stream().map(HtmlReport::shown).toList();
        String undo = null;
        boolean undoOk = false;
        if (h.status() == HostResult.Status.FAILED) {
            if (h.undone()) {
                undo = "Undone: the files and live values this play changed were restored and verified.";
                undoOk = true;
            } else if (h.phase() != null && BEFORE_CHANGE.contains(h.phase())) {
                undo = "Nothing was changed: the host failed before anything was applied.";
                undoOk = true;
            } else {
                undo = "Not rolled back: the host may be half-changed. See the error; roll it back with the command below.";
            }
        }
        boolean mayHaveChanged = !check && (h.status() == HostResult.Status.CHANGED
                || h.status() == HostResult.Status.FAILED && !undoOk);
        return new PlayView(play, word(h.status()), label(h.status(), check), h.phase() == null ? null : h.phase().label(), shown(h.error()), undo,
                undoOk, h.elapsedMs() > 0 ? duration(Duration.ofMillis(h.elapsedMs())) : null, keys, diffs, warnings,
                mayHaveChanged);
    }

    private static KeyView key(KeyResult k, boolean check) {
        String outcome;
        String label;
        if (k.error() != null) {
            outcome = "failed";
            label = "error";
        } else if (k.skipped()) {
            outcome = "skipped";
            label = "skipped";
        } else if (k.changed()) {
            outcome = "changed";
            label = check ? "would change" : "changed";
        } else {
            outcome = "ok";
            label = "ok";
        }
        String verified = k.skipped() ? "–" : k.verified() ? "yes" : "no";
        return new KeyView(shown(k.task()), k.key() == null ? null : shown(k.key().dotted()), value(k.planned(), "absent"),
                value(k.before(), "missing"), value(k.after(), "not read"), verified, outcome, label, shown(k.note()),
                shown(k.error()));
    }

    private static Value value(String v, String ifNull) {
        return v == null ? new Value("(" + ifNull + ")", true) : new Value(shown(v), false);
    }

    /** Lines of one diff shown on the page; the rest is in the JSON report. */
    static final int MAX_DIFF_LINES = 1000;

    /** A unified diff's lines with their kinds, at most {@link #MAX_DIFF_LINES} of them. */
    static List<DiffLine> diff(String diff) {
        List<DiffLine> lines = new ArrayList<>();
        String[] all = diff.split("\n", -1);
        int n = diff.endsWith("\n") ? all.length - 1 : all.length;
        for (int i = 0; i < n; i++) {
            String line = all[i];
            if (lines.size() == MAX_DIFF_LINES) {
                lines.add(new DiffLine("meta", "… " + (n - i) + " more lines not shown (the JSON report has the whole diff)"));
                break;
            }
            String kind = line.startsWith("+++") || line.startsWith("---") ? "meta"
                    : line.startsWith("@@") ? "hunk"
                    : line.startsWith("+") ? "add"
                    : line.startsWith("-") ? "del"
                    : line.startsWith("\\") ? "meta" : "ctx";
            // CRLF files: the CR is the file's line ending, not content worth showing as an escape on every line.
            lines.add(new DiffLine(kind, shown(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line)));
        }
        return lines;
    }

    private static HostResult.Status worst(HostResult[] perPlay) {
        HostResult.Status worst = null;
        for (HostResult h : perPlay) {
            if (h != null && (worst == null || SEVERITY.indexOf(h.status()) < SEVERITY.indexOf(worst))) {
                worst = h.status();
            }
        }
        return worst == null ? HostResult.Status.SKIPPED : worst;
    }

    static String word(HostResult.Status s) {
        return s.name().toLowerCase(Locale.ROOT);
    }

    /** The status as a person reads it; in check mode "changed" is drift. */
    static String label(HostResult.Status s, boolean check) {
        return s == HostResult.Status.CHANGED && check ? "drift" : word(s);
    }

    /** The few letters of a status that fit an overview cell. */
    private static String abbr(String label) {
        return switch (label) {
            case "changed" -> "chg";
            case "failed" -> "fail";
            case "unreachable" -> "unr";
            case "skipped" -> "skip";
            default -> label;
        };
    }

    static String when(Instant t) {
        return WHEN.format(t);
    }

    static String duration(Duration d) {
        long ms = Math.max(0, d.toMillis());
        if (ms < 1000) {
            return ms + " ms";
        }
        if (ms < 60_000) {
            return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
        }
        long s = ms / 1000;
        return s / 3600 > 0 ? String.format(Locale.ROOT, "%dh %02dm %02ds", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%dm %02ds", s / 60, s % 60);
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        String l = nl < 0 ? s : s.substring(0, nl) + " …";
        return l.length() > 300 ? l.substring(0, 300) + " …" : l;
    }

    private static String generator() {
        String v = HtmlReport.class.getPackage().getImplementationVersion();
        return "sysfleet " + (v == null ? "development build" : v);
    }

    /**
     * The text made visible and safe to encode: control characters other than tab and newline become
     * {@code \\uXXXX} (so an ANSI escape shows as {@code \\u001b[0m}, not as nothing), lone surrogates U+FFFD.
     * HTML escaping is the template's job, not this method's.
     */
    static String shown(String s) {
        if (s == null) {
            return null;
        }
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String replacement = null;
            if (Character.isSurrogate(c)) {
                boolean paired = Character.isHighSurrogate(c) && i + 1 < s.length()
                        && Character.isLowSurrogate(s.charAt(i + 1))
                        || Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
                replacement = paired ? null : "\uFFFD";
            } else if (c < 0x20 && c != '\t' && c != '\n' || c >= 0x7f && c <= 0x9f || c == '\u2028' || c == '\u2029') {
                replacement = String.format(Locale.ROOT, "\\u%04x", (int) c);
            }
            if (replacement != null && sb == null) {
                sb = new StringBuilder(s.length() + 16).append(s, 0, i);
            }
            if (sb != null) {
                if (replacement != null) {
                    sb.append(replacement);
                } else {
                    sb.append(c);
                }
            }
        }
        return sb == null ? s : sb.toString();
    }
}
