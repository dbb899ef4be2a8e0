package io.sysfleet.bench;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * A short profile of a JFR recording of a sysfleet run ({@code scripts/bench --jfr}), for docs/performance.md:
 * where the Java threads' CPU samples fall (by component: our code, JSch, the JDK's crypto, YAML, JSON...; and the
 * hottest methods), which threads they ran on, the threads started, the time spent asleep and where (busy waits),
 * JIT compilation and GC pauses.
 *
 * <pre>java -cp target/sysfleet.jar io.sysfleet.bench.JfrTop recording.jfr [top]</pre>
 */
public final class JfrTop {
    private JfrTop() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: java -cp sysfleet.jar io.sysfleet.bench.JfrTop recording.jfr [top]");
            System.exit(5);
        }
        System.out.print(report(Path.of(args[0]), args.length > 1 ? Integer.parseInt(args[1]) : 15));
    }

    static String report(Path file, int top) throws IOException {
        Map<String, Integer> components = new TreeMap<>();
        Map<String, Integer> methods = new TreeMap<>();
        Map<String, Integer> threads = new TreeMap<>();
        Map<String, Integer> started = new TreeMap<>();
        Map<String, Duration> sleeps = new TreeMap<>();
        Map<String, Integer> sleepCount = new TreeMap<>();
        int samples = 0;
        int nativeSamples = 0;
        Duration compile = Duration.ZERO;
        int compilations = 0;
        Duration gc = Duration.ZERO;
        int gcs = 0;
        Duration span = Duration.ZERO;
        java.time.Instant first = null;
        java.time.Instant last = null;
        for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
            first = first == null || e.getStartTime().isBefore(first) ? e.getStartTime() : first;
            last = last == null || e.getEndTime().isAfter(last) ? e.getEndTime() : last;
            switch (e.getEventType().getName()) {
                case "jdk.ExecutionSample" -> {
                    samples++;
                    RecordedStackTrace st = e.getStackTrace();
                    if (st != null && !st.getFrames().isEmpty()) {
                        RecordedFrame f = st.getFrames().get(0);
                        methods.merge(f.getMethod().getType().getName() + "." + f.getMethod().getName(), 1, Integer::sum);
                        components.merge(component(st.getFrames()), 1, Integer::sum);
                    }
                    RecordedThread t = e.getThread("sampledThread");
                    threads.merge(threadGroup(t == null ? "?" : t.getJavaName()), 1, Integer::sum);
                }
                case "jdk.NativeMethodSample" -> nativeSamples++;
                case "jdk.ThreadStart" -> {
                    RecordedThread t = e.getThread("thread");
                    started.merge(threadGroup(t == null ? "?" : t.getJavaName()), 1, Integer::sum);
                }
                case "jdk.ThreadSleep" -> {
                    RecordedStackTrace st = e.getStackTrace();
                    String where = st == null ? "?" : caller(st.getFrames());
                    sleeps.merge(where, e.getDuration(), Duration::plus);
                    sleepCount.merge(where, 1, Integer::sum);
                }
                case "jdk.Compilation" -> {
                    compile = compile.plus(e.getDuration());
                    compilations++;
                }
                case "jdk.GarbageCollection" -> {
                    gc = gc.plus(e.getDuration());
                    gcs++;
                }
                default -> {
                    // not summarised
                }
            }
        }
        if (first != null) {
            span = Duration.between(first, last);
        }
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%s: %.1f s recorded, %d CPU samples of Java code, %d native samples%n",
                file.getFileName(), span.toMillis() / 1000.0, samples, nativeSamples));
        section(sb, "CPU samples by component (first non-JDK frame, else the JDK package)", components, samples, top);
        section(sb, "CPU samples by hottest method", methods, samples, top);
        section(sb, "CPU samples by thread", threads, samples, top);
        sb.append("threads started: ").append(started).append('\n');
        sb.append("sleeping (Thread.sleep) by caller, events and total time:\n");
        sleepCount.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).limit(top).forEach(e ->
                sb.append(String.format(Locale.ROOT, "  %6d  %8.1f s  %s%n", e.getValue(),
                        sleeps.get(e.getKey()).toMillis() / 1000.0, e.getKey())));
        sb.append(String.format(Locale.ROOT, "JIT: %d compilations recorded (the profile records those over 100 ms "
                + "only), %.2f s; GC: %d pauses, %.3f s%n", compilations, compile.toMillis() / 1000.0, gcs,
                gc.toMillis() / 1000.0));
        return sb.toString();
    }

    private static void section(StringBuilder sb, String title, Map<String, Integer> counts, int total, int top) {
        sb.append(title).append(":\n");
        counts.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).limit(top).forEach(e ->
                sb.append(String.format(Locale.ROOT, "  %5.1f%%  %5d  %s%n", 100.0 * e.getValue() / Math.max(1, total),
                        e.getValue(), e.getKey())));
    }

    private static final Map<String, String> COMPONENTS = new LinkedHashMap<>();

    static {
        COMPONENTS.put("com.jcraft.jsch.", "JSch (SSH protocol, packets)");
        COMPONENTS.put("io.sysfleet.transport.", "sysfleet transport");
        COMPONENTS.put("io.sysfleet.facts.", "sysfleet facts (probe, parsers)");
        COMPONENTS.put("io.sysfleet.apply.", "sysfleet apply");
        COMPONENTS.put("io.sysfleet.plan.", "sysfleet planning");
        COMPONENTS.put("io.sysfleet.journal.", "sysfleet journal");
        COMPONENTS.put("io.sysfleet.report.", "sysfleet reports");
        COMPONENTS.put("io.sysfleet.", "sysfleet (other)");
        COMPONENTS.put("picocli.", "picocli");
        COMPONENTS.put("org.yaml.snakeyaml.", "SnakeYAML");
        COMPONENTS.put("com.fasterxml.jackson.", "Jackson");
        COMPONENTS.put("sun.security.", "JDK crypto (sun.security)");
        COMPONENTS.put("com.sun.crypto.", "JDK crypto (com.sun.crypto)");
        COMPONENTS.put("java.math.", "JDK crypto (java.math)");
    }

    /** The component of a sample: the innermost frame that is ours or a library's, else the innermost JDK package. */
    static String component(List<RecordedFrame> frames) {
        Function<String, String> of = type -> {
            for (Map.Entry<String, String> c : COMPONENTS.entrySet()) {
                if (type.startsWith(c.getKey())) {
                    return c.getValue();
                }
            }
            return null;
        };
        String top = frames.get(0).getMethod().getType().getName();
        String c = of.apply(top);
        if (c != null) {
            return c;
        }
        for (RecordedFrame f : frames) {
            String t = f.getMethod().getType().getName();
            String x = of.apply(t);
            if (x != null && !t.startsWith("java.") && !t.startsWith("sun.") && !t.startsWith("com.sun.")) {
                return "JDK " + pkg(top) + " (called from " + x + ")";
            }
        }
        return "JDK " + pkg(top);
    }

    private static String pkg(String type) {
        int i = type.lastIndexOf('.');
        return i < 0 ? type : type.substring(0, i);
    }

    private static String caller(List<RecordedFrame> frames) {
        for (RecordedFrame f : frames) {
            String t = f.getMethod().getType().getName();
            if (!t.startsWith("java.lang.Thread")) {
                return t + "." + f.getMethod().getName() + ":" + f.getLineNumber();
            }
        }
        return "?";
    }

    /** Thread names without their numbers: "Connect thread 127.0.0.1 session" for each JSch session. */
    static String threadGroup(String name) {
        if (name == null) {
            return "?";
        }
        if (name.startsWith("Connect thread")) {
            return "JSch session reader (Connect thread ...)";
        }
        if (name.startsWith("Exec thread")) {
            return "JSch channel stdin (Exec thread ...)";
        }
        return name.replaceAll("[0-9]+", "N");
    }
}
