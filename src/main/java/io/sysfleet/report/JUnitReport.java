package io.sysfleet.report;

import io.sysfleet.result.HostResult;
import io.sysfleet.result.KeyResult;
import io.sysfleet.result.PlayResult;
import io.sysfleet.result.RunReport;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The run as JUnit XML ({@code --report-junit FILE}) for Jenkins ({@code junit} step) and GitLab
 * ({@code artifacts:reports:junit}). The format is the Ant/Surefire one those tools read:
 *
 * <ul>
 *   <li>one {@code <testsuites>}; one {@code <testsuite>} per play, named after the play, with tests, failures,
 *       errors and skipped counted from its test cases;</li>
 *   <li>per host, a test case {@code host} for the host's overall outcome, then one test case per task and key,
 *       named {@code task [key]}; names are stable across runs so CI tools can track a test's history;</li>
 *   <li>classname {@code sysfleet.<play>.<host>} with dots in the play and host names replaced by {@code _}:
 *       Jenkins groups by package {@code sysfleet.<play>} and class {@code <host>}, GitLab shows it as the
 *       suite column;</li>
 *   <li>a key with an error: {@code <failure type="key">} with the kernel's (or sysfleet's) words as message
 *       and planned/old/new values in the body;</li>
 *   <li>a failed host: its {@code host} case has {@code <failure type="PHASE">} with the host's error
 *       (connect, facts, plan, apply, verify, undo) and whether the change was rolled back;</li>
 *   <li>an unreachable host: its {@code host} case has {@code <error type="unreachable">};</li>
 *   <li>a skipped task or host: {@code <skipped>} with the reason;</li>
 *   <li>check mode: drift is a failure, so a pipeline gate sees it: a key that would change gets
 *       {@code <failure type="drift" message="drift: ...">}, and a host with pending changes fails its
 *       {@code host} case the same way (this also catches file-only edits);</li>
 *   <li>{@code <system-out>}: per key the planned, old and new values and whether they were verified; per host
 *       its status, warnings and the diffs of the file edits.</li>
 * </ul>
 *
 * Times: the run's wall-clock duration is on {@code <testsuites>}; a host's case carries the host's own time
 * (its key cases 0: a host's keys are applied together), and each suite's time is the sum of its cases. Timestamps are the
 * run's start in UTC, written as Ant does ({@code yyyy-MM-ddTHH:mm:ss}, no zone). Characters XML 1.0 cannot
 * carry (control characters, lone surrogates) are written as {@code \\uXXXX}.
 */
public final class JUnitReport {
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);

    private JUnitReport() {
    }

    /** How a test case ended. */
    enum Outcome {
        PASSED, FAILURE, ERROR, SKIPPED
    }

    /** One {@code <testcase>} before it is written. */
    record Case(String classname, String name, Outcome outcome, String type, String message, String detail,
                String out, long millis) {
        Case(String classname, String name, Outcome outcome, String type, String message, String detail, String out) {
            this(classname, name, outcome, type, message, detail, out, 0);
        }

        Case withMillis(long ms) {
            return new Case(classname, name, outcome, type, message, detail, out, ms);
        }
    }

    /** The report as a UTF-8 XML document (as text, ending with a newline). */
    public static String render(RunReport report) {
        Objects.requireNonNull(report.started(), "started");
        Objects.requireNonNull(report.finished(), "finished");
        List<List<Case>> suites = report.plays().stream().map(p -> cases(p, report.check())).toList();
        StringWriter sw = new StringWriter();
        try {
            XMLStreamWriter x = XMLOutputFactory.newFactory().createXMLStreamWriter(sw);
            x.writeStartDocument("UTF-8", "1.0");
            newline(x, 0);
            x.writeStartElement("testsuites");
            x.writeAttribute("name", xml("sysfleet " + (report.check() ? "check" : "run") + " " + report.runId()));
            List<Case> all = suites.stream().flatMap(List::stream).toList();
            x.writeAttribute("tests", String.valueOf(all.size()));
            x.writeAttribute("failures", String.valueOf(count(all, Outcome.FAILURE)));
            x.writeAttribute("errors", String.valueOf(count(all, Outcome.ERROR)));
            x.writeAttribute("time", seconds(Duration.between(report.started(), report.finished())));
            for (int i = 0; i < suites.size(); i++) {
                suite(x, report, report.plays().get(i), suites.get(i));
            }
            newline(x, 0);
            x.writeEndElement();
            x.writeEndDocument();
            x.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("cannot render JUnit XML: " + e.getMessage(), e);
        }
        return sw + "\n";
    }

    /**
     * Writes {@link #render} to {@code file} atomically with mode 0644, creating parent directories.
     *
     * @throws io.sysfleet.core.SysfleetException exit code 1 (ERROR), phase "report", when the file cannot be written
     */
    public static void write(RunReport report, Path file) {
        ReportFiles.writeAtomically(file, render(report), "JUnit report");
    }

    private static void suite(XMLStreamWriter x, RunReport report, PlayResult play, List<Case> cases)
            throws XMLStreamException {
        newline(x, 1);
        x.writeStartElement("testsuite");
        x.writeAttribute("name", xml(play.name()));
        x.writeAttribute("tests", String.valueOf(cases.size()));
        x.writeAttribute("failures", String.valueOf(count(cases, Outcome.FAILURE)));
        x.writeAttribute("errors", String.valueOf(count(cases, Outcome.ERROR)));
        x.writeAttribute("skipped", String.valueOf(count(cases, Outcome.SKIPPED)));
        x.writeAttribute("time", seconds(Duration.ofMillis(cases.stream().mapToLong(Case::millis).sum())));
        x.writeAttribute("timestamp", TIMESTAMP.format(report.started()));
        newline(x, 2);
        x.writeStartElement("properties");
        property(x, "sysfleet.runId", report.runId());
        property(x, "sysfleet.mode", report.check() ? "check" : "apply");
        property(x, "sysfleet.exitCode", String.valueOf(report.exitCode().code()));
        newline(x, 2);
        x.writeEndElement();
        for (Case c : cases) {
            testcase(x, c);
        }
        newline(x, 1);
        x.writeEndElement();
    }

    private static void property(XMLStreamWriter x, String name, String value) throws XMLStreamException {
        newline(x, 3);
        x.writeEmptyElement("property");
        x.writeAttribute("name", name);
        x.writeAttribute("value", xml(String.valueOf(value)));
    }

    private static void testcase(XMLStreamWriter x, Case c) throws XMLStreamException {
        newline(x, 2);
        x.writeStartElement("testcase");
        x.writeAttribute("name", xml(c.name()));
        x.writeAttribute("classname", xml(c.classname()));
        x.writeAttribute("time", seconds(Duration.ofMillis(c.millis())));
        if (c.outcome() != Outcome.PASSED) {
            newline(x, 3);
            x.writeStartElement(switch (c.outcome()) {
                case FAILURE -> "failure";
                case ERROR -> "error";
                default -> "skipped";
            });
            if (c.type() != null) {
                x.writeAttribute("type", xml(c.type()));
            }
            x.writeAttribute("message", xml(oneLine(c.message())));
            if (c.detail() != null && !c.detail().isEmpty()) {
                x.writeCharacters(xml(c.detail()));
            }
            x.writeEndElement();
        }
        if (c.out() != null && !c.out().isEmpty()) {
            newline(x, 3);
            x.writeStartElement("system-out");
            x.writeCharacters(xml(c.out()));
            x.writeEndElement();
        }
        newline(x, 2);
        x.writeEndElement();
    }

    /** The test cases of one play: per host, the host case then one case per key. */
    static List<Case> cases(PlayResult play, boolean check) {
        List<Case> cases = new ArrayList<>();
        for (HostResult h : play.hosts()) {
            String classname = "sysfleet." + segment(play.name()) + "." + segment(h.host());
            cases.add(hostCase(classname, h, check).withMillis(h.elapsedMs()));
            for (KeyResult k : h.keys()) {
                cases.add(keyCase(classname, h, k, check));
            }
        }
        return cases;
    }

    private static Case hostCase(String classname, HostResult h, boolean check) {
        String out = hostOut(h);
        String error = h.error() == null ? null : (h.phase() == null ? "" : h.phase().label() + ": ") + h.error();
        return switch (h.status()) {
            case UNREACHABLE -> new Case(classname, "host", Outcome.ERROR, "unreachable",
                    error == null ? "unreachable" : error, out, null);
            case FAILED -> new Case(classname, "host", Outcome.FAILURE, h.phase() == null ? "failed" : h.phase().label(),
                    (error == null ? "failed" : error)
                            + (h.undone() && (error == null || !error.contains("undone")) ? " (rolled back)" : ""),
                    out, null);
            case SKIPPED -> new Case(classname, "host", Outcome.SKIPPED, null,
                    error == null ? "skipped" : error, null, out);
            case CHANGED -> check
                    ? new Case(classname, "host", Outcome.FAILURE, "drift", hostDrift(h), out, null)
                    : new Case(classname, "host", Outcome.PASSED, null, null, null, out);
            case OK -> new Case(classname, "host", Outcome.PASSED, null, null, null, out);
        };
    }

    private static String hostDrift(HostResult h) {
        long keys = h.keys().stream().filter(k -> drifts(k, true)).count();
        String msg = "drift: " + keys + " key" + (keys == 1 ? "" : "s") + " would change";
        return h.diffs().isEmpty() ? msg : msg + ", sysctl file edits pending";
    }

    private static boolean drifts(KeyResult k, boolean check) {
        return check && k.changed() && k.error() == null && !k.skipped();
    }

    private static Case keyCase(String classname, HostResult h, KeyResult k, boolean check) {
        String name = k.key() == null ? String.valueOf(k.task())
                : k.task() == null ? k.key().dotted() : k.task() + " [" + k.key() + "]";
        String values = keyValues(k);
        if (k.error() != null) {
            String context = h.status() == HostResult.Status.FAILED
                    ? "host: failed" + (h.phase() == null ? "" : " in " + h.phase().label())
                    + (h.undone() ? ", rolled back" : ", not rolled back") + "\n" : "";
            return new Case(classname, name, Outcome.FAILURE, "key", k.error(), values + context, null);
        }
        if (k.skipped()) {
            return new Case(classname, name, Outcome.SKIPPED, null, k.note() == null ? "skipped" : k.note(), null,
                    values);
        }
        if (drifts(k, check)) {
            return new Case(classname, name, Outcome.FAILURE, "drift", "drift: " + (k.key() == null ? name : k.key().dotted())
                    + " is " + value(k.before(), "missing") + ", wanted " + value(k.planned(), "absent"), values, null);
        }
        return new Case(classname, name, Outcome.PASSED, null, null, null, values);
    }

    private static String keyValues(KeyResult k) {
        StringBuilder sb = new StringBuilder();
        sb.append("task: ").append(k.task()).append('\n');
        sb.append("key: ").append(k.key()).append('\n');
        sb.append("planned: ").append(value(k.planned(), "absent")).append('\n');
        sb.append("old: ").append(value(k.before(), "missing")).append('\n');
        sb.append("new: ").append(value(k.after(), "not read")).append('\n');
        sb.append("changed: ").append(k.changed()).append('\n');
        sb.append("verified: ").append(k.verified()).append('\n');
        if (k.note() != null) {
            sb.append("note: ").append(k.note()).append('\n');
        }
        if (k.error() != null) {
            sb.append("error: ").append(k.error()).append('\n');
        }
        return sb.toString();
    }

    private static String hostOut(HostResult h) {
        StringBuilder sb = new StringBuilder();
        sb.append("host: ").append(h.host()).append('\n');
        sb.append("status: ").append(JsonReport.status(h.status())).append('\n');
        if (h.phase() != null) {
            sb.append("phase: ").append(h.phase().label()).append('\n');
        }
        if (h.error() != null) {
            sb.append("error: ").append(h.error()).append('\n');
        }
        if (h.status() == HostResult.Status.FAILED) {
            sb.append("rolled back: ").append(h.undone() ? "yes" : "no").append('\n');
        }
        sb.append("keys: ").append(h.keys().size()).append(", changed: ").append(h.changedKeys()).append('\n');
        for (String w : h.warnings()) {
            sb.append("[WARNING] ").append(w).append('\n');
        }
        for (String d : h.diffs()) {
            sb.append(d);
            if (!d.endsWith("\n")) {
                sb.append('\n');
            }
        }
        return sb.toString();
    }

    private static String value(String v, String ifNull) {
        return v == null ? "(" + ifNull + ")" : "'" + v + "'";
    }

    private static long count(List<Case> cases, Outcome o) {
        return cases.stream().filter(c -> c.outcome() == o).count();
    }

    /** A name part of a classname: dots would split it into packages in Jenkins. */
    static String segment(String s) {
        String t = s == null || s.isBlank() ? "unnamed" : s.strip();
        return t.replace('.', '_');
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.3f", Math.max(0, d.toMillis()) / 1000.0);
    }

    private static void newline(XMLStreamWriter x, int depth) throws XMLStreamException {
        x.writeCharacters("\n" + "  ".repeat(depth));
    }

    /** Replaces what XML 1.0 cannot carry (control characters, lone surrogates, U+FFFE/U+FFFF) by \\uXXXX. */
    static String xml(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            int n = Character.charCount(cp);
            boolean ok = cp == 0x9 || cp == 0xA || cp == 0xD || cp >= 0x20 && cp <= 0xD7FF
                    || cp >= 0xE000 && cp <= 0xFFFD || cp >= 0x10000 && cp <= 0x10FFFF;
            if (!ok && sb == null) {
                sb = new StringBuilder(s.length() + 8).append(s, 0, i);
            }
            if (sb != null) {
                if (ok) {
                    sb.appendCodePoint(cp);
                } else {
                    sb.append(String.format(Locale.ROOT, "\\u%04X", cp));
                }
            }
            i += n;
        }
        return sb == null ? s : sb.toString();
    }
}
