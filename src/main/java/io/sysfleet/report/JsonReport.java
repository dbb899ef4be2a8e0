package io.sysfleet.report;

import io.sysfleet.core.ExitCode;
import io.sysfleet.result.HostResult;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sysfleet.result.KeyResult;
import io.sysfleet.result.PlayResult;
import io.sysfleet.result.RunReport;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The machine-readable report of a run ({@code --report-json FILE}). The shape is versioned by
 * {@code schemaVersion}; fields always appear in the same order and are always present ({@code null} when not
 * known), so consumers can rely on them:
 *
 * <pre>
 * { "schemaVersion": 1, "runId", "mode": "check"|"apply", "started", "finished" (ISO-8601 UTC), "durationMs",
 *   "exitCode": 2, "exitName": "HOST_FAILED",
 *   "summary": { "hosts", "ok", "changed", "failed", "unreachable", "skipped" },
 *   "plays": [ { "name", "aborted", "hosts": [ { "name", "status", "phase", "error", "undone", "warnings": [], "diffs": [],
 *       "keys": [ { "task", "key", "planned", "old", "new", "changed", "verified", "skipped", "note", "error" } ]
 *   } ] } ] }
 * </pre>
 *
 * Statuses are lower case ({@code ok, changed, failed, unreachable, skipped}); summary counts are host results
 * (one per play and host). In check mode {@code changed} means "would change". Text is written as UTF-8 with
 * control characters escaped by JSON's rules; a lone UTF-16 surrogate (which UTF-8 cannot carry) becomes U+FFFD.
 */
public final class JsonReport {
    /** Bumped on any incompatible change of the shape; adding fields is compatible. */
    public static final int SCHEMA_VERSION = 1;

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectWriter WRITER = new ObjectMapper().writer(new DefaultPrettyPrinter()
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withArrayIndenter(new DefaultIndenter("  ", "\n")));

    private JsonReport() {
    }

    /** The report as pretty-printed JSON text, ending with a newline. */
    public static String render(RunReport report) {
        try {
            return WRITER.writeValueAsString(tree(report)) + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e); // cannot happen for a tree of plain nodes
        }
    }

    /**
     * Writes {@link #render} to {@code file} atomically with mode 0644, creating parent directories.
     *
     * @throws io.sysfleet.core.SysfleetException exit code 1 (ERROR), phase "report", when the file cannot be written
     */
    public static void write(RunReport report, Path file) {
        ReportFiles.writeAtomically(file, render(report), "JSON report");
    }

    static ObjectNode tree(RunReport report) {
        Objects.requireNonNull(report.started(), "started");
        Objects.requireNonNull(report.finished(), "finished");
        ObjectNode root = NODES.objectNode();
        root.put("schemaVersion", SCHEMA_VERSION);
        root.put("runId", text(report.runId()));
        root.put("mode", report.check() ? "check" : "apply");
        root.put("started", report.started().toString());
        root.put("finished", report.finished().toString());
        root.put("durationMs", Duration.between(report.started(), report.finished()).toMillis());
        ExitCode exit = report.exitCode();
        root.put("exitCode", exit.code());
        root.put("exitName", exit.name());
        root.set("summary", summary(report.allHosts()));
        ArrayNode plays = root.putArray("plays");
        for (PlayResult p : report.plays()) {
            ObjectNode play = plays.addObject();
            play.put("name", text(p.name()));
            play.put("aborted", p.aborted() == null ? null : text(p.aborted()));
            ArrayNode hosts = play.putArray("hosts");
            p.hosts().forEach(h -> hosts.add(host(h)));
        }
        return root;
    }

    private static ObjectNode summary(List<HostResult> hosts) {
        ObjectNode s = NODES.objectNode();
        s.put("hosts", hosts.size());
        for (HostResult.Status st : HostResult.Status.values()) {
            s.put(status(st), hosts.stream().filter(h -> h.status() == st).count());
        }
        return s;
    }

    private static ObjectNode host(HostResult h) {
        ObjectNode n = NODES.objectNode();
        n.put("name", text(h.host()));
        n.put("status", status(h.status()));
        n.put("phase", h.phase() == null ? null : h.phase().label());
        n.put("error", text(h.error()));
        n.put("undone", h.undone());
        n.put("durationMs", h.elapsedMs());
        ArrayNode warnings = n.putArray("warnings");
        h.warnings().forEach(w -> warnings.add(text(w)));
        ArrayNode diffs = n.putArray("diffs");
        h.diffs().forEach(d -> diffs.add(text(d)));
        ArrayNode keys = n.putArray("keys");
        for (KeyResult k : h.keys()) {
            ObjectNode kn = keys.addObject();
            kn.put("task", text(k.task()));
            kn.put("key", k.key() == null ? null : text(k.key().dotted()));
            kn.put("planned", text(k.planned()));
            kn.put("old", text(k.before()));
            kn.put("new", text(k.after()));
            kn.put("changed", k.changed());
            kn.put("verified", k.verified());
            kn.put("skipped", k.skipped());
            kn.put("note", text(k.note()));
            kn.put("error", text(k.error()));
        }
        return n;
    }

    /** The text with lone surrogates replaced by U+FFFD, so that it encodes to UTF-8 without loss of the rest. */
    static String text(String s) {
        if (s == null) {
            return null;
        }
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean paired = Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))
                    || Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
            boolean lone = Character.isSurrogate(c) && !paired;
            if (lone && sb == null) {
                sb = new StringBuilder(s).delete(i, s.length());
            }
            if (sb != null) {
                sb.append(lone ? '\uFFFD' : c);
            }
        }
        return sb == null ? s : sb.toString();
    }

    /** The lower-case word used for a status in the JSON report. */
    static String status(HostResult.Status s) {
        return s == null ? null : s.label();
    }
}
