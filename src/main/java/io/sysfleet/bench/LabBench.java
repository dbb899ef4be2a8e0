package io.sysfleet.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sysfleet.inventory.Host;
import io.sysfleet.inventory.Inventory;
import io.sysfleet.inventory.InventoryLoader;
import io.sysfleet.lab.LabSpec;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The lab benchmark of issue 14 ({@code scripts/bench}): for each fleet size N of a series, N debian12 sshd
 * containers ({@code sysfleet lab up --hosts N}, 127.0.0.1 ports only), then repetitions in which the tools take
 * turns going first, each measurement starting from the same reset state:
 * <ul>
 *   <li>the floor: {@code xargs -P N}, one OpenSSH {@code ssh} per host running sed and {@code sysctl -p} through
 *       sudo on the same six keys, with no lock, backup, check or undo;</li>
 *   <li>sysfleet {@code check} (on the drifted hosts), {@code run}, the no-change rerun, {@code rollback --last}
 *       (with JSON and JUnit reports and the journal, as a CI job would run them);</li>
 *   <li>{@code ansible-playbook} on the same inventory and playbook (only up to {@code --ansible-up-to} hosts).</li>
 * </ul>
 * Every tool gets the same parallelism ({@code --forks}, default N). After each measurement every host is read
 * from inside its container ({@code docker exec}: /proc/sys and /etc/sysctl.conf); a run that exited badly, whose
 * report disagrees, or that left a host unconverged is recorded as failed. Output: raw and summary CSV, a
 * Markdown table with ratios to the floor, and the chart's CSV (drawn by {@code scripts/bench} when the jar has
 * {@code io.sysfleet.report.Charts}).
 */
@Command(name = "scripts/bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Benchmark sysfleet against a bare ssh loop and ansible-playbook on a local lab.",
                "Quick check: scripts/bench --series 4 --repeat 1"})
public final class LabBench implements Callable<Integer> {
    static final String PLAYBOOK = "bench/six-keys.yml";

    @Option(names = "--series", split = ",", paramLabel = "N",
            description = "Fleet sizes, smallest first (default 10,50,100,200; at most " + LabSpec.MAX_HOSTS + ").")
    List<Integer> series = List.of(10, 50, 100, 200);

    @Option(names = "--repeat", paramLabel = "R", description = "Repetitions per size; tables show medians (default 3).")
    int repeat = 3;

    @Option(names = "--ansible-up-to", paramLabel = "N",
            description = "Run ansible-playbook only at sizes up to N (default 50; 0: never).")
    int ansibleUpTo = 50;

    @Option(names = "--forks", paramLabel = "F", description = "Parallelism of every tool (default: the fleet size).")
    Integer forks;

    @Option(names = "--port-base", paramLabel = "PORT", description = "First 127.0.0.1 port of the lab (default 23000).")
    int portBase = 23000;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Where results and logs go (default .sysfleet/bench/<time>).")
    Path out;

    @Option(names = "--lab-dir", paramLabel = "DIR", description = "The lab's directory (default .sysfleet/bench-lab).")
    Path labDir = Path.of(".sysfleet", "bench-lab");

    @Option(names = "--keep-lab", description = "Leave the lab's containers running at the end.")
    boolean keepLab;

    @Option(names = "--jfr", description = "Record sysfleet's run and check of the last repetition with JFR (profile "
            + "settings) into the output directory.")
    boolean jfr;

    @Option(names = "--startup-samples", paramLabel = "K",
            description = "Starts per client for the start-to-first-SSH-packet probe (default 5; 0: skip).")
    int startupSamples = 5;

    @Option(names = "--baseline", paramLabel = "DIR",
            description = "Also measure the sysfleet of another source tree (its DIR/sysfleet launcher, built), "
                    + "interleaved with this one: before/after numbers from one run.")
    Path baseline;

    @Option(names = "--startup-only", description = "Only measure start to first SSH packet (no lab).")
    boolean startupOnly;

    @Option(names = "--only", split = ",", paramLabel = "TOOL",
            description = "Measure only these: floor, sysfleet, ansible (default all three).")
    List<String> only = List.of("floor", "sysfleet", "ansible");

    private final PrintStream log = System.err;
    private final ObjectMapper json = new ObjectMapper();
    private Path root;
    private Path work;
    private int runNo;
    private final Map<String, String> startup = new LinkedHashMap<>();

    public static void main(String[] args) {
        System.exit(new CommandLine(new LabBench()).execute(args));
    }

    private enum Group { FLOOR, SYSFLEET, ANSIBLE, BASELINE }

    @Override
    public Integer call() throws Exception {
        validate();
        root = Path.of("").toAbsolutePath();
        labDir = labDir.toAbsolutePath().normalize();
        String stamp = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString().replace(":", "");
        work = (out != null ? out : root.resolve(".sysfleet").resolve("bench").resolve(stamp)).toAbsolutePath();
        Files.createDirectories(work.resolve("logs"));
        String started = Instant.now().truncatedTo(ChronoUnit.MINUTES).toString();
        String loadBefore = loadAverage();
        Results results = new Results();
        step("sysfleet benchmark: sizes " + series + ", " + repeat + " repetition(s); output in " + work);
        if (startupSamples > 0 || startupOnly) {
            probeStartup();
        }
        if (startupOnly) {
            return 0;
        }
        boolean labStarted = false;
        try {
            for (int n : series) {
                labStarted = true;
                measureSize(n, results);
                writeResults(results, started, loadBefore, loadAverage());
            }
        } finally {
            if (labStarted && !keepLab) {
                step("removing the bench lab");
                runQuiet(List.of(root.resolve("sysfleet").toString(), "lab", "down", "--dir", labDir.toString()),
                        work.resolve("logs").resolve("lab-down.log"), Duration.ofMinutes(10));
            }
        }
        String table = writeResults(results, started, loadBefore, loadAverage());
        System.out.println(table);
        System.out.println("raw numbers: " + work.resolve("raw.csv") + "; medians: " + work.resolve("summary.csv"));
        if (results.anyFailed()) {
            log.println("bench: FAILED: some runs did not converge or exited badly (see the table and " + work + ")");
            return 2;
        }
        return 0;
    }

    private void validate() {
        CommandLine.Model.CommandSpec spec = new CommandLine(this).getCommandSpec();
        if (series.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--series needs at least one size");
        }
        for (int i = 0; i < series.size(); i++) {
            int n = series.get(i);
            if (n < 1 || n > LabSpec.MAX_HOSTS || i > 0 && n <= series.get(i - 1)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--series must list sizes from 1 to "
                        + LabSpec.MAX_HOSTS + ", smallest first, got " + series);
            }
        }
        if (repeat < 1 || repeat > 50 || forks != null && (forks < 1 || forks > 500)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--repeat must be 1-50 and --forks 1-500");
        }
        if (baseline != null && !Files.isExecutable(baseline.resolve("sysfleet"))) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--baseline " + baseline
                    + " has no sysfleet launcher");
        }
        for (String o : only) {
            if (!List.of("floor", "sysfleet", "ansible").contains(o)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--only takes floor, sysfleet, ansible");
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ one size

    private void measureSize(int n, Results results) throws IOException {
        step(n + " hosts: sysfleet lab up --hosts " + n + " (kept hosts stay, new ones start in parallel)");
        long t0 = System.nanoTime();
        Path upLog = work.resolve("logs").resolve("lab-up-" + n + ".log");
        int rc = runQuiet(List.of(root.resolve("sysfleet").toString(), "lab", "up", "--hosts", Integer.toString(n),
                "--profiles", "debian12", "--port-base", Integer.toString(portBase), "--dir", labDir.toString(),
                "--wait", "900"), upLog, Duration.ofMinutes(30));
        if (rc != 0) {
            throw new IOException("lab up failed (exit " + rc + "; ports " + portBase + "-" + (portBase + n - 1)
                    + " busy? use --port-base): " + lastLine(upLog));
        }
        log.printf(Locale.ROOT, "bench: lab of %d hosts ready in %.0f s%n", n, (System.nanoTime() - t0) / 1e9);
        Path inventory = labDir.resolve("inventory.yml");
        Map<String, Integer> ports = labPorts(inventory, n);
        BenchHosts hosts = BenchHosts.find(labDir, ports);
        if (!hosts.cpuReadable()) {
            log.println("bench: the containers' cgroups (cgroup v1 cpuacct) cannot be read: hosts' CPU is n/a");
        }
        Path portsFile = work.resolve("ports-" + n + ".txt");
        Files.writeString(portsFile, String.join("\n", hosts.hosts().stream().map(h -> Integer.toString(h.port()))
                .toList()) + "\n");
        Path stateDir = work.resolve("state-" + n);
        Map<String, String> start = hosts.inspect(true);
        String driftSha = null;
        for (Map.Entry<String, String> e : start.entrySet()) {
            Convergence.Observed o = Convergence.parse(e.getValue());
            List<String> why = Convergence.notDrifted(o.resetLive(), o.resetSha256(), driftSha);
            if (!why.isEmpty()) {
                throw new IOException(e.getKey() + ": the reset did not work: " + why);
            }
            driftSha = o.resetSha256();
        }
        int f = forks != null ? forks : n;
        Ctx ctx = new Ctx(n, f, inventory, portsFile, stateDir, hosts, driftSha);
        List<Group> groups = new ArrayList<>();
        if (only.contains("floor")) {
            groups.add(Group.FLOOR);
        }
        if (only.contains("sysfleet")) {
            groups.add(Group.SYSFLEET);
        }
        if (only.contains("ansible") && n <= ansibleUpTo) {
            groups.add(Group.ANSIBLE);
        }
        if (baseline != null) {
            groups.add(Group.BASELINE);
        }
        for (int rep = 1; rep <= repeat; rep++) {
            List<Group> order = new ArrayList<>(groups);
            Collections.rotate(order, -(rep - 1));
            step(n + " hosts, repetition " + rep + " of " + repeat + ": " + order);
            for (Group g : order) {
                switch (g) {
                    case FLOOR -> results.add(floor(ctx, rep));
                    case SYSFLEET -> sysfleet(ctx, rep, results, false);
                    case BASELINE -> sysfleet(ctx, rep, results, true);
                    case ANSIBLE -> results.add(ansible(ctx, rep));
                }
            }
        }
    }

    /** What the measurements of one size share. */
    private record Ctx(int n, int forks, Path inventory, Path ports, Path stateDir, BenchHosts hosts,
                       String driftSha) {
    }

    private Map<String, Integer> labPorts(Path inventory, int n) throws IOException {
        Inventory inv = InventoryLoader.load(inventory);
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (Host h : inv.hosts()) {
            if (!LabSpec.ADDRESS.equals(h.address()) || h.port() == null
                    || h.port() < portBase || h.port() >= portBase + n) {
                throw new IOException(inventory + ": host " + h.name() + " is " + h.address() + ":" + h.port()
                        + ", not a lab port on " + LabSpec.ADDRESS + "; refusing to run");
            }
            ports.put(h.name(), h.port());
        }
        if (ports.size() != n) {
            throw new IOException(inventory + " has " + ports.size() + " hosts, expected " + n);
        }
        return ports;
    }

    // ------------------------------------------------------------------------------------------------ the tools

    private Results.Sample floor(Ctx c, int rep) throws IOException {
        List<String> argv = List.of("xargs", "-P", Integer.toString(c.forks()), "-I{}", "ssh", "-i",
                labDir.resolve("id_ed25519").toString(), "-o", "IdentitiesOnly=yes", "-o",
                "UserKnownHostsFile=" + labDir.resolve("known_hosts"), "-o", "StrictHostKeyChecking=yes", "-o",
                "BatchMode=yes", "-o", "LogLevel=ERROR", "-p", "{}", "sysfleet@" + LabSpec.ADDRESS,
                Convergence.floorCommand());
        Measured m = measure(c, rep, Results.Scenario.FLOOR, argv, Map.of(), c.ports());
        List<String> problems = new ArrayList<>();
        if (m.usage.exit() != 0) {
            problems.add("xargs exited " + m.usage.exit() + " (an ssh failed): " + lastLine(m.log));
        }
        problems.addAll(afterConverge(c, true));
        return m.sample(problems);
    }

    private void sysfleet(Ctx c, int rep, Results results, boolean base) throws IOException {
        boolean record = jfr && rep == repeat && !base;
        Measured check = measure(c, rep, base ? Results.Scenario.BASE_CHECK : Results.Scenario.CHECK,
                sysfleetArgs(c, "check", base), jfrEnv(c, "check", record), null);
        List<String> p = expectReport(check, 7, "changed");
        p.addAll(stillDrifted(c, false));
        results.add(check.sample(p));

        Measured run = measure(c, rep, base ? Results.Scenario.BASE_RUN : Results.Scenario.RUN,
                sysfleetArgs(c, "run", base), jfrEnv(c, "run", record), null);
        p = expectReport(run, 0, "changed");
        p.addAll(afterConverge(c, false));
        results.add(run.sample(p));

        Measured rerun = measure(c, rep, base ? Results.Scenario.BASE_RERUN : Results.Scenario.RERUN,
                sysfleetArgs(c, "run", base), Map.of(), null);
        p = expectReport(rerun, 0, "ok");
        p.addAll(afterConverge(c, false));
        results.add(rerun.sample(p));

        Measured rollback = measure(c, rep, base ? Results.Scenario.BASE_ROLLBACK : Results.Scenario.ROLLBACK,
                sysfleetArgs(c, "rollback", base), Map.of(), null);
        p = expectReport(rollback, 0, "changed");
        p.addAll(stillDrifted(c, true));
        results.add(rollback.sample(p));
    }

    private List<String> sysfleetArgs(Ctx c, String command, boolean base) {
        Path launcher = (base ? baseline.toAbsolutePath() : root).resolve("sysfleet");
        List<String> argv = new ArrayList<>(List.of(launcher.toString(), command));
        if (!command.equals("rollback")) {
            argv.add(root.resolve(PLAYBOOK).toString());
        } else {
            argv.add("--last");
        }
        argv.addAll(List.of("-i", c.inventory().toString(), "--known-hosts", labDir.resolve("known_hosts").toString(),
                "--forks", Integer.toString(c.forks()), "--progress", "never", "--timeout", "120",
                "--report-json", "REPORT.json", "--report-junit", "REPORT.xml"));
        if (!command.equals("check")) {
            argv.addAll(List.of("--state-dir", c.stateDir().resolve(base ? "baseline" : "this").toString()));
        }
        return argv;
    }

    private Map<String, String> jfrEnv(Ctx c, String what, boolean record) {
        if (!record) {
            return Map.of();
        }
        Path f = work.resolve("jfr").resolve(c.n() + "-hosts-" + what + ".jfr");
        return Map.of("SYSFLEET_JAVA_OPTS", "-XX:StartFlightRecording=filename=" + f + ",settings=profile");
    }

    private Results.Sample ansible(Ctx c, int rep) throws IOException {
        Path home = work.resolve("ansible-home-" + (runNo + 1));
        Files.createDirectories(home);
        Path vars = work.resolve("ansible-vars.json");
        Files.writeString(vars, json.writeValueAsString(Map.of(
                "ansible_python_interpreter", "/usr/bin/python3",
                "ansible_ssh_common_args", "-o UserKnownHostsFile=" + labDir.resolve("known_hosts")
                        + " -o StrictHostKeyChecking=yes")));
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        env.put("HOME", home.toString());
        env.put("LC_ALL", "C.UTF-8");
        env.put("LANG", "C.UTF-8");
        env.put("ANSIBLE_CONFIG", home.resolve("none.cfg").toString());
        env.put("ANSIBLE_HOST_KEY_CHECKING", "True");
        env.put("ANSIBLE_NOCOLOR", "1");
        List<String> argv = List.of("ansible-playbook", "-i", c.inventory().toString(), PLAYBOOK, "-f",
                Integer.toString(c.forks()), "-e", "@" + vars);
        Measured m = measure(c, rep, Results.Scenario.ANSIBLE, argv, env, null, true, home);
        List<String> problems = new ArrayList<>();
        if (m.usage.exit() != 0) {
            problems.add("ansible-playbook exited " + m.usage.exit() + ": " + lastLine(m.log));
        }
        problems.addAll(ansibleRecap(m.log, c));
        problems.addAll(afterConverge(c, true));
        return m.sample(problems);
    }

    private static final Pattern RECAP = Pattern.compile(
            "^(\\S+)\\s+: ok=(\\d+)\\s+changed=(\\d+)\\s+unreachable=(\\d+)\\s+failed=(\\d+)", Pattern.MULTILINE);

    private static List<String> ansibleRecap(Path log, Ctx c) throws IOException {
        Map<String, int[]> recap = new LinkedHashMap<>();
        Matcher m = RECAP.matcher(Files.readString(log, StandardCharsets.UTF_8));
        while (m.find()) {
            recap.put(m.group(1), new int[] {Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)),
                    Integer.parseInt(m.group(5))});
        }
        List<String> problems = new ArrayList<>();
        for (BenchHosts.Host h : c.hosts().hosts()) {
            int[] r = recap.get(h.name());
            if (r == null) {
                problems.add(h.name() + ": not in the PLAY RECAP");
            } else if (r[0] == 0 || r[1] != 0 || r[2] != 0) {
                problems.add(h.name() + ": changed=" + r[0] + " unreachable=" + r[1] + " failed=" + r[2]);
            }
        }
        return problems;
    }

    /** The sysfleet run's exit code and JSON report: every host has {@code status}. */
    private List<String> expectReport(Measured m, int exit, String status) throws IOException {
        List<String> problems = new ArrayList<>();
        if (m.usage.exit() != exit) {
            problems.add("exit " + m.usage.exit() + ", expected " + exit + ": " + lastLine(m.log));
        }
        Path report = m.report;
        if (report == null || !Files.isRegularFile(report)) {
            problems.add("no JSON report");
            return problems;
        }
        JsonNode r = json.readTree(report.toFile());
        Map<String, String> statuses = new LinkedHashMap<>();
        for (JsonNode play : r.path("plays")) {
            for (JsonNode h : play.path("hosts")) {
                statuses.put(h.path("name").asText(), h.path("status").asText());
            }
        }
        for (BenchHosts.Host h : m.ctx.hosts().hosts()) {
            if (!status.equals(statuses.get(h.name()))) {
                problems.add(h.name() + " is " + statuses.get(h.name()) + " in the report, expected " + status);
            }
        }
        return problems;
    }

    // ------------------------------------------------------------------------------------------------ checks

    /** Every host converged; with {@code reset}, then put back into the starting state for the next tool. */
    private List<String> afterConverge(Ctx c, boolean reset) throws IOException {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, String> e : c.hosts().inspect(reset).entrySet()) {
            Convergence.Observed o = Convergence.parse(e.getValue());
            Convergence.notConverged(o).forEach(w -> problems.add(e.getKey() + ": " + w));
            if (reset) {
                Convergence.notDrifted(o.resetLive(), o.resetSha256(), c.driftSha())
                        .forEach(w -> problems.add(e.getKey() + ": after the reset: " + w));
            }
        }
        return problems;
    }

    /**
     * Every host is still (check) or again (rollback: the file's bytes and every live value as before the run) in
     * the starting state; with {@code reset}, then reset (removes the backups the run left).
     */
    private List<String> stillDrifted(Ctx c, boolean reset) throws IOException {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, String> e : c.hosts().inspect(reset).entrySet()) {
            Convergence.Observed o = Convergence.parse(e.getValue());
            Convergence.notDrifted(o.live(), o.sha256(), c.driftSha()).forEach(w -> problems.add(e.getKey() + ": " + w));
        }
        return problems;
    }

    // ------------------------------------------------------------------------------------------------ measuring

    /** One measured command, not yet judged. */
    private record Measured(Ctx ctx, int rep, Results.Scenario scenario, Meter.Usage usage, BenchHosts.Cpu hostsCpu,
                            double load1, Path log, Path report) {
        Results.Sample sample(List<String> problems) {
            String note = problems.isEmpty() ? "" : problems.size() + " problem(s): " + String.join("; ",
                    problems.subList(0, Math.min(3, problems.size())));
            return new Results.Sample(ctx.n(), rep, scenario, usage, hostsCpu, load1, problems.isEmpty(), note);
        }
    }

    private Measured measure(Ctx c, int rep, Results.Scenario sc, List<String> argv, Map<String, String> env,
                             Path stdin) throws IOException {
        return measure(c, rep, sc, argv, env, stdin, false, null);
    }

    private Measured measure(Ctx c, int rep, Results.Scenario sc, List<String> argv, Map<String, String> env,
                             Path stdin, boolean cleanEnv, Path ansibleHome) throws IOException {
        runNo++;
        String base = String.format(Locale.ROOT, "%03d-%d-hosts-r%d-%s-%s", runNo, c.n(), rep, sc.tool, sc.scenario);
        Path logFile = work.resolve("logs").resolve(base + ".log");
        Path report = work.resolve("logs").resolve(base + ".json");
        List<String> cmd = argv.stream().map(a -> a.replace("REPORT.json", report.toString())
                .replace("REPORT.xml", work.resolve("logs").resolve(base + ".xml").toString())).toList();
        if (env.containsKey("SYSFLEET_JAVA_OPTS")) {
            Files.createDirectories(work.resolve("jfr"));
        }
        double load1 = load1();
        BenchHosts.Cpu before = c.hosts().cpu();
        Meter.Usage u = Meter.run(cmd, env, cleanEnv, stdin, logFile, Duration.ofSeconds(300 + 5L * c.n()), root);
        BenchHosts.Cpu used = c.hosts().cpu().minus(before);
        if (ansibleHome != null) {
            u = withSshMasters(u, ansibleHome);
        }
        log.printf(Locale.ROOT, "bench: %3d hosts r%d %-17s wall %7.2f s  controller CPU %7.2f s (sys %6.2f)  "
                        + "RSS %5.0f MB  hosts CPU %7.2f s  exit %d%n", c.n(), rep, sc.title, u.wallSeconds(),
                u.cpuSeconds(), u.systemSeconds(), u.peakRssKb() / 1024.0, used.total(), u.exit());
        return new Measured(c, rep, sc, u, used, load1, logFile, Files.exists(report) ? report : null);
    }

    /**
     * Ansible's ControlPersist ssh masters detach from ansible-playbook, so GNU time misses their CPU: add it (they
     * are found by their control sockets below this run's HOME), then end them by their pids.
     */
    private Meter.Usage withSshMasters(Meter.Usage u, Path home) {
        String marker = home.resolve(".ansible").resolve("cp").toString();
        List<ProcessHandle> masters = ProcessHandle.allProcesses().filter(p -> {
            String cmd = p.info().command().orElse("");
            String[] args = p.info().arguments().orElse(new String[0]);
            return cmd.endsWith("/ssh") && String.join(" ", args).contains(marker);
        }).toList();
        double cpu = 0;
        for (ProcessHandle p : masters) {
            cpu += Meter.processCpuSeconds(p.pid(), 100);
        }
        // the masters' user/system split is not known: count them as user time
        for (ProcessHandle p : masters) {
            p.destroy();
        }
        return new Meter.Usage(u.wallSeconds(), u.userSeconds() + cpu, u.systemSeconds(), u.maxRssKb(),
                u.treeRssKb(), u.exit());
    }

    // ------------------------------------------------------------------------------------------------ start-up

    private void probeStartup() throws IOException {
        int samples = Math.max(1, startupSamples);
        step("start to first SSH packet (" + samples + " starts each)");
        String launcher = root.resolve("sysfleet").toString();
        List<String> sysfleetArgv = List.of(launcher, "check", PLAYBOOK, "-i", "INVENTORY", "--known-hosts",
                "KNOWN_HOSTS", "--connect-timeout", "5", "--progress", "never");
        List<StartupProbe.Variant> variants = List.of(
                new StartupProbe.Variant("sysfleet", sysfleetArgv, Map.of()),
                new StartupProbe.Variant("sysfleet without AppCDS", sysfleetArgv, Map.of("SYSFLEET_APPCDS", "off")),
                new StartupProbe.Variant("OpenSSH ssh", List.of("ssh", "-o", "BatchMode=yes", "-o",
                        "UserKnownHostsFile=KNOWN_HOSTS", "-o", "StrictHostKeyChecking=yes", "-p", "PORT",
                        "sysfleet@127.0.0.1", "true"), Map.of()));
        // one start before measuring, so the launcher has built the jar and the page cache is warm
        StartupProbe.measure(variants.get(0), 1, root, work, work.resolve("logs").resolve("startup.log"));
        for (StartupProbe.Variant v : variants) {
            double[] ms = StartupProbe.measure(v, samples, root, work, work.resolve("logs").resolve("startup.log"));
            String s = String.format(Locale.ROOT, "%.0f ms", Results.median(ms));
            startup.put(v.name(), s);
            log.println("bench: start to first SSH packet, " + v.name() + ": median " + s + " (load "
                    + String.format(Locale.ROOT, "%.1f", load1()) + ")");
        }
    }

    // ------------------------------------------------------------------------------------------------ output

    private String writeResults(Results r, String started, String loadBefore, String loadAfter) throws IOException {
        Files.writeString(work.resolve("raw.csv"), r.rawCsv());
        Files.writeString(work.resolve("summary.csv"), r.summaryCsv());
        Files.writeString(work.resolve("chart.csv"), r.chartCsv());
        StringBuilder h = new StringBuilder();
        h.append("sysfleet benchmark, ").append(started).append(": ").append(PLAYBOOK)
                .append(" (six keys) on N local debian12 sshd containers; every tool with forks = ")
                .append(forks == null ? "N" : forks.toString()).append("; median of ").append(repeat)
                .append(" interleaved repetition(s), each from the same reset state, every apply verified inside the "
                        + "containers.\n\n");
        h.append("Machine: ").append(machine()).append(". Load average (1, 5, 15 min) before: ").append(loadBefore)
                .append("; after: ").append(loadAfter).append(".");
        if (!startup.isEmpty()) {
            h.append(" Start to first SSH packet (median): ");
            h.append(String.join(", ", startup.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).toList()));
            h.append(".");
        }
        String md = r.markdown(h.toString());
        Files.writeString(work.resolve("table.md"), md);
        return md;
    }

    private static String machine() {
        String cpu = "unknown CPU";
        long memKb = 0;
        try {
            for (String l : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (l.startsWith("model name")) {
                    cpu = l.substring(l.indexOf(':') + 1).strip();
                    break;
                }
            }
            for (String l : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (l.startsWith("MemTotal:")) {
                    memKb = Long.parseLong(l.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // described as unknown
        }
        return String.format(Locale.ROOT, "%d x %s, %.0f GB RAM, Linux %s, Java %s, %s, %s",
                Runtime.getRuntime().availableProcessors(), cpu, memKb / 1048576.0, System.getProperty("os.version"),
                System.getProperty("java.version"), firstLine("ansible-playbook", "--version"),
                firstLine("ssh", "-V"));
    }

    private static String firstLine(String... argv) {
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            String l = out.strip().split("\n")[0].strip();
            return l.replace(",", "");
        } catch (IOException e) {
            return argv[0] + " missing";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return argv[0];
        }
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + ", " + f[1] + ", " + f[2];
        } catch (IOException e) {
            return "n/a";
        }
    }

    private static double load1() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | NumberFormatException e) {
            return Double.NaN;
        }
    }

    private int runQuiet(List<String> argv, Path logFile, Duration timeout) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(argv).directory(root.toFile()).redirectErrorStream(true)
                .redirectOutput(logFile.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = pb.start();
        try {
            if (!p.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IOException(argv.get(1) + " " + argv.get(2) + " did not finish in " + timeout.toMinutes()
                        + " min; log: " + logFile);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted", e);
        }
        return p.exitValue();
    }

    private static String lastLine(Path f) {
        try {
            List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).toList();
            return lines.isEmpty() ? "(no output)" : lines.get(lines.size() - 1).strip();
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private void step(String s) {
        log.println();
        log.println("==> " + s);
    }
}
