package io.sysfleet.bench;

import io.sysfleet.catalog.KeyCatalog;
import io.sysfleet.engine.Engine;
import io.sysfleet.engine.InventorySources;
import io.sysfleet.engine.RunIds;
import io.sysfleet.facts.BootFiles;
import io.sysfleet.report.TextReport;
import io.sysfleet.result.HostResult;
import io.sysfleet.result.PlayResult;
import io.sysfleet.result.RunReport;
import io.sysfleet.sysctl.SysctlFile;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * The controller at internet scale, without containers ({@code scripts/bench-controller}): the real engine
 * (inventory, playbook, planning, journal, local backups, JSON and JUnit reports, the recap) runs check, run, the
 * no-change rerun and {@code rollback --last} of {@code bench/six-keys.yml} against N {@link HostDouble}s, a
 * benchmark double that answers the remote scripts like a host. Each size runs in a fresh JVM (started the way the
 * launcher starts sysfleet), so start-up, class loading and JIT count as in a real run. Reported per phase:
 * controller CPU per host (the process's CPU minus the double's own), retained heap per host (after a full GC,
 * with the run's report still held, over the heap before the run), the JVM's peak RSS, and the journal's, local
 * backups' and reports' bytes per host. Every phase is checked: each host's status in the report, and each
 * double's file and live values (converged after run and rerun, as before after the rollback).
 */
@Command(name = "scripts/bench-controller", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Controller CPU, memory and journal bytes per host for 1,000s of hosts (no network).")
public final class ControllerBench implements Callable<Integer> {

    @Option(names = "--hosts", split = ",", paramLabel = "N", description = "Fleet sizes (default 1000,10000).")
    List<Integer> sizes = List.of(1000, 10000);

    @Option(names = "--forks", paramLabel = "F", description = "Hosts at once (default " + Engine.DEFAULT_FORKS + ").")
    int forks = Engine.DEFAULT_FORKS;

    @Option(names = "--round-trip-ms", paramLabel = "MS",
            description = "Pause before each answer, standing for the network (default 0).")
    int roundTripMs;

    @Option(names = "--out", paramLabel = "DIR", description = "Output directory (default .sysfleet/bench-controller/<time>).")
    Path out;

    /** The JVM options the ./sysfleet launcher gives every run (a test keeps the two the same). */
    static final String LAUNCHER_JVM_OPTS = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC";

    @Option(names = "--java-opts", paramLabel = "OPTS",
            description = "JVM options of each size's JVM (default: the launcher's, then $SYSFLEET_JAVA_OPTS).")
    String javaOpts = (LAUNCHER_JVM_OPTS + " " + System.getenv().getOrDefault("SYSFLEET_JAVA_OPTS", "")).strip();

    @Option(names = "--one", hidden = true, description = "Measure one size in this JVM (used by the parent).")
    Integer one;

    public static void main(String[] args) {
        System.exit(new CommandLine(new ControllerBench()).execute(args));
    }

    /** The phases, in order; each with the status every host must have in its report. */
    enum Phase {
        CHECK("check", "changed"), RUN("run", "changed"), RERUN("rerun", "ok"), ROLLBACK("rollback", "changed");

        final String title;
        final String status;

        Phase(String title, String status) {
            this.title = title;
            this.status = status;
        }
    }

    /** One phase at one size. */
    record Row(int hosts, Phase phase, double wallSeconds, double controllerCpuSeconds, double doubleCpuSeconds,
               long retainedBytes, long peakRssKb, long journalBytes, long backupBytes, long reportBytes,
               long execs, boolean verified, String note) {
        static final String HEADER = "hosts,phase,wall_s,controller_cpu_s,double_cpu_s,cpu_ms_per_host,"
                + "retained_kb_per_host,peak_rss_mb,journal_bytes_per_host,backup_bytes_per_host,"
                + "report_bytes_per_host,execs_per_host,verified,note";

        String csv() {
            return String.join(",", Integer.toString(hosts), phase.title, f(wallSeconds), f(controllerCpuSeconds),
                    f(doubleCpuSeconds), f(controllerCpuSeconds * 1000 / hosts), f(retainedBytes / 1024.0 / hosts),
                    f(peakRssKb / 1024.0), f((double) journalBytes / hosts), f((double) backupBytes / hosts),
                    f((double) reportBytes / hosts), f((double) execs / hosts), Boolean.toString(verified),
                    note.replace(',', ';'));
        }

        static Row parse(String line) {
            String[] f = line.split(",", -1);
            int n = Integer.parseInt(f[0]);
            Phase p = Stream.of(Phase.values()).filter(x -> x.title.equals(f[1])).findFirst().orElseThrow();
            return new Row(n, p, Double.parseDouble(f[2]), Double.parseDouble(f[3]), Double.parseDouble(f[4]),
                    Math.round(Double.parseDouble(f[6]) * 1024 * n), Math.round(Double.parseDouble(f[7]) * 1024),
                    Math.round(Double.parseDouble(f[8]) * n), Math.round(Double.parseDouble(f[9]) * n),
                    Math.round(Double.parseDouble(f[10]) * n), Math.round(Double.parseDouble(f[11]) * n),
                    Boolean.parseBoolean(f[12]), f[13]);
        }

        private static String f(double d) {
            return String.format(Locale.ROOT, "%.3f", d);
        }
    }

    @Override
    public Integer call() throws Exception {
        if (sizes.isEmpty() || sizes.stream().anyMatch(n -> n < 1 || n > 1_000_000) || forks < 1 || forks > 500
                || roundTripMs < 0) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--hosts 1-1000000, --forks 1-500");
        }
        if (one != null) {
            for (Row r : measure(one)) {
                System.out.println("RESULT," + r.csv());
            }
            return 0;
        }
        Path dir = (out != null ? out : Path.of(".sysfleet", "bench-controller",
                Instant.now().truncatedTo(ChronoUnit.SECONDS).toString().replace(":", ""))).toAbsolutePath();
        Files.createDirectories(dir);
        List<Row> rows = new ArrayList<>();
        String loadBefore = Files.readString(Path.of("/proc/loadavg")).strip();
        for (int n : sizes) {
            System.err.println("bench-controller: " + n + " hosts ...");
            rows.addAll(child(n, dir));
            Files.writeString(dir.resolve("controller.csv"), csv(rows));
        }
        String loadAfter = Files.readString(Path.of("/proc/loadavg")).strip();
        String md = markdown(rows, loadBefore, loadAfter);
        Files.writeString(dir.resolve("controller.md"), md);
        System.out.println(md);
        System.out.println("numbers: " + dir.resolve("controller.csv"));
        return rows.stream().allMatch(Row::verified) ? 0 : 2;
    }

    private List<Row> child(int n, Path dir) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        for (String o : javaOpts.strip().split("\\s+")) {
            if (!o.isEmpty()) {
                argv.add(o);
            }
        }
        argv.addAll(List.of("-cp", System.getProperty("java.class.path"), ControllerBench.class.getName(),
                "--one", Integer.toString(n), "--forks", Integer.toString(forks), "--round-trip-ms",
                Integer.toString(roundTripMs), "--out", dir.toString()));
        Path log = dir.resolve("hosts-" + n + ".log");
        Process p = new ProcessBuilder(argv).redirectError(log.toFile()).start();
        List<Row> rows = new ArrayList<>();
        for (String line : new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
            if (line.startsWith("RESULT,")) {
                rows.add(Row.parse(line.substring("RESULT,".length())));
            }
        }
        int rc = p.waitFor();
        if (rc != 0 || rows.size() != Phase.values().length) {
            throw new IOException("the " + n + "-host JVM exited " + rc + " with " + rows.size() + " results; see " + log);
        }
        return rows;
    }

    // ------------------------------------------------------------------------------------------------ one size

    /** Check, run, rerun and rollback of N doubles in this JVM. */
    List<Row> measure(int n) throws IOException {
        Path dir = (out != null ? out : Files.createTempDirectory("sysfleet-bench-controller")).resolve("hosts-" + n);
        Files.createDirectories(dir);
        Path inventory = dir.resolve("inventory.yml");
        Files.writeString(inventory, inventory(n));
        Path playbook = Path.of(LabBench.PLAYBOOK).toAbsolutePath();
        Path state = dir.resolve("state");
        HostDoubles doubles = new HostDoubles(Duration.ofMillis(roundTripMs));
        Clock clock = Clock.systemUTC();
        Engine engine = new Engine(new Engine.Context(state, doubles, KeyCatalog.load(), clock, RunIds.secure(clock),
                new Engine.Controller("bench", "bench-controller"), null, BootFiles.STANDARD));
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        List<Row> rows = new ArrayList<>();
        try (PrintWriter text = new PrintWriter(Files.newBufferedWriter(dir.resolve("output.txt")))) {
            TextReport listener = new TextReport(text, text, false, 0);
            for (Phase phase : Phase.values()) {
                Path json = dir.resolve(phase.title + ".json");
                Path junit = dir.resolve(phase.title + ".xml");
                fullGc();
                long heapBefore = mem.getHeapMemoryUsage().getUsed();
                long cpu0 = os.getProcessCpuTime();
                long dbl0 = doubles.doubleCpuNanos();
                long ex0 = doubles.execs();
                long t0 = System.nanoTime();
                Engine.Outcome outcome;
                Engine.Reports reports = new Engine.Reports(json, junit);
                Duration timeout = Duration.ofSeconds(60);
                try {
                    if (phase == Phase.ROLLBACK) {
                        outcome = engine.rollback(new Engine.RollbackRequest(null, InventorySources.of(inventory), null, false, false, forks,
                                0, timeout, reports), listener);
                    } else {
                        outcome = engine.run(new Engine.RunRequest(playbook, InventorySources.of(inventory), null, phase == Phase.CHECK,
                                false, forks, List.of(), null, timeout, false, reports), listener);
                    }
                } catch (RuntimeException e) {
                    rows.add(new Row(n, phase, (System.nanoTime() - t0) / 1e9, 0, 0, 0, peakRssKb(), 0, 0, 0, 0,
                            false, phase.title + " failed: " + e.getMessage()));
                    continue;
                }
                double wall = (System.nanoTime() - t0) / 1e9;
                long cpu = os.getProcessCpuTime() - cpu0;
                long dbl = doubles.doubleCpuNanos() - dbl0;
                long execs = doubles.execs() - ex0;
                fullGc();
                long retained = mem.getHeapMemoryUsage().getUsed() - heapBefore;
                List<String> problems = verify(outcome.report(), phase, doubles, n);
                long[] journal = journalBytes(state, outcome.report().runId());
                rows.add(new Row(n, phase, wall, (cpu - dbl) / 1e9, dbl / 1e9, Math.max(0, retained), peakRssKb(),
                        journal[0], journal[1], size(json) + size(junit), execs, problems.isEmpty(),
                        problems.isEmpty() ? "" : problems.size() + " problem(s): " + String.join("; ",
                                problems.subList(0, Math.min(3, problems.size())))));
                System.err.printf(Locale.ROOT, "bench-controller: %d hosts %-8s wall %.2f s, controller CPU %.3f ms/host,"
                        + " retained %.1f KB/host, %d problem(s)%n", n, phase.title, wall, (cpu - dbl) / 1e6 / n,
                        retained / 1024.0 / n, problems.size());
                reachabilityFence(outcome);
            }
        }
        return rows;
    }

    private static void reachabilityFence(Object o) {
        java.lang.ref.Reference.reachabilityFence(o);
    }

    /** Every host has the phase's status, and its double is converged (run, rerun) or as at the start (rollback). */
    static List<String> verify(RunReport report, Phase phase, HostDoubles doubles, int n) {
        List<String> problems = new ArrayList<>();
        int seen = 0;
        for (PlayResult p : report.plays()) {
            for (HostResult h : p.hosts()) {
                seen++;
                if (!h.status().name().equalsIgnoreCase(phase.status)) {
                    problems.add(h.host() + " is " + h.status() + (h.error() == null ? "" : " (" + h.error() + ")")
                            + ", expected " + phase.status);
                }
                HostDouble d = doubles.host(h.host());
                if (d == null) {
                    problems.add(h.host() + " was never contacted");
                    continue;
                }
                HostDouble.File f = d.file("/etc/sysctl.conf");
                boolean start = f != null && java.util.Arrays.equals(f.content(), HostDoubles.START_FILE);
                boolean converged = true;
                Map<String, String> file = f == null ? Map.of()
                        : SysctlFile.parse(new String(f.content(), StandardCharsets.ISO_8859_1)).effectiveValues();
                for (var e : Convergence.DESIRED.entrySet()) {
                    converged &= e.getValue().equals(d.live(e.getKey().path()))
                            && e.getValue().equals(file.get(e.getKey().dotted()));
                }
                boolean drifted = start && Convergence.DRIFTED_LIVE.entrySet().stream()
                        .allMatch(e -> e.getValue().equals(d.live(e.getKey().path())));
                boolean wanted = phase == Phase.RUN || phase == Phase.RERUN ? converged : drifted;
                if (!wanted) {
                    problems.add(h.host() + " is not " + (phase == Phase.RUN || phase == Phase.RERUN ? "converged"
                            : "in the starting state") + " after " + phase.title);
                }
            }
        }
        if (seen != n) {
            problems.add(seen + " hosts in the report, expected " + n);
        }
        return problems;
    }

    /** Bytes of the run's journal (run.json, journal.jsonl) and of its local backups (the rest). */
    private static long[] journalBytes(Path state, String runId) throws IOException {
        Path dir = state.resolve("runs").resolve(runId);
        if (!Files.isDirectory(dir)) {
            return new long[] {0, 0};
        }
        long journal = 0;
        long backups = 0;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                String name = p.getFileName().toString();
                if (p.getParent().equals(dir) && (name.equals("run.json") || name.equals("journal.jsonl"))) {
                    journal += Files.size(p);
                } else {
                    backups += Files.size(p);
                }
            }
        }
        return new long[] {journal, backups};
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return 0;
        }
    }

    private static void fullGc() {
        for (int i = 0; i < 2; i++) {
            System.gc();
        }
    }

    /** The JVM's peak resident set (VmHWM), in KB. */
    static long peakRssKb() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (l.startsWith("VmHWM:")) {
                    return Long.parseLong(l.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // unknown
        }
        return 0;
    }

    /** N hosts in the shape of the lab's inventory (login user, become, port), addresses never used. */
    static String inventory(int n) {
        StringBuilder sb = new StringBuilder("# scripts/bench-controller: hosts answered by a benchmark double\n");
        sb.append("all:\n  children:\n    bench:\n      vars:\n        ansible_host: 127.0.0.1\n")
                .append("        ansible_user: sysfleet\n        ansible_become: true\n      hosts:\n");
        for (int i = 0; i < n; i++) {
            sb.append("        host-").append(String.format(Locale.ROOT, "%06d", i)).append(":\n")
                    .append("          ansible_port: ").append(20000 + i % 40000).append('\n');
        }
        return sb.toString();
    }

    // ------------------------------------------------------------------------------------------------ output

    static String csv(List<Row> rows) {
        StringBuilder sb = new StringBuilder(Row.HEADER).append('\n');
        rows.forEach(r -> sb.append(r.csv()).append('\n'));
        return sb.toString();
    }

    static String markdown(List<Row> rows, String loadBefore, String loadAfter) {
        StringBuilder sb = new StringBuilder();
        sb.append("sysfleet controller benchmark (").append(Instant.now().truncatedTo(ChronoUnit.MINUTES))
                .append("): the real engine against hosts answered in-process by a benchmark double (no network); ")
                .append(Runtime.getRuntime().availableProcessors()).append(" cores, Java ")
                .append(System.getProperty("java.version")).append("; load average before: ").append(loadBefore)
                .append("; after: ").append(loadAfter).append(".\n\n");
        sb.append("| hosts | phase | controller CPU per host | retained heap per host | peak RSS | journal per host "
                + "| local backups per host | reports per host | commands per host | verified |\n");
        sb.append("|---|---|---|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, "| %d | %s | %.2f ms | %.1f KB | %.0f MB | %.0f B | %.0f B | %.0f B "
                            + "| %.1f | %s |%n", r.hosts(), r.phase().title, r.controllerCpuSeconds() * 1000 / r.hosts(),
                    r.retainedBytes() / 1024.0 / r.hosts(), r.peakRssKb() / 1024.0,
                    (double) r.journalBytes() / r.hosts(), (double) r.backupBytes() / r.hosts(),
                    (double) r.reportBytes() / r.hosts(), (double) r.execs() / r.hosts(),
                    r.verified() ? "yes" : "NO: " + r.note()));
        }
        return sb.toString();
    }
}
