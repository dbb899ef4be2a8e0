package io.sysfleet.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sysfleet.catalog.Platform;
import io.sysfleet.inventory.Host;
import io.sysfleet.inventory.Inventory;
import io.sysfleet.inventory.InventoryLoader;
import io.sysfleet.catalog.KeyCatalog;
import io.sysfleet.plan.expand.RunSettings;
import io.sysfleet.plan.expand.SysctlCall;
import io.sysfleet.plan.expand.TaskRecord;
import io.sysfleet.playbook.Play;
import io.sysfleet.playbook.Playbook;
import io.sysfleet.playbook.PlaybookLoader;
import io.sysfleet.sysctl.SysctlKey;
import io.sysfleet.template.Unsafe;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The real ansible-playbook (ansible-core 2.14) is the oracle for sysfleet's playbook semantics. Every case of
 * {@code src/test/resources/playbook-corpus} runs through ansible-playbook against its inventory, every host
 * with {@code ansible_connection: local} on this machine, with two test doubles (see
 * {@code src/test/resources/oracle}): a stand-in {@code ansible.posix.sysctl} collection that records the
 * arguments it receives and decides changed/ok with the module's own rule on a per-host state file (the real
 * module would edit this machine's /etc/sysctl.conf and run sysctl -p), and stand-ins for every other module
 * (they must not install packages or load modules here) that report ok, plus facts per host from the case's
 * host-state.yml. sysfleet runs the same case with {@link HostRun} over the same host states, and the test
 * compares per host, in order: each sysctl task and loop item, its key, value, state, reload, sysctl_set,
 * ignoreerrors and sysctl_file, whether it was skipped, changed or failed, whether it ran as a handler, and the
 * item's {@code loop_control.label}. Fails (never skips) without ansible-playbook: CI installs ansible-core.
 */
class PlaybookOracleTest {
    static final Path CORPUS = Path.of("src/test/resources/playbook-corpus").toAbsolutePath();
    static final Path ORACLE = Path.of("src/test/resources/oracle").toAbsolutePath();
    static final Map<String, Platform> PLATFORMS = Map.of(
            "debian12", new Platform("debian", "12", "6.1.0-18-amd64"),
            "ubuntu22", new Platform("ubuntu", "22.04", "5.15.0-91-generic"),
            "centos7", new Platform("centos", "7.9.2009", "3.10.0-1160.el7.x86_64"),
            "centos6", new Platform("centos", "6.10", "2.6.32-754.el6.x86_64"),
            "centos5", new Platform("centos", "5.11", "2.6.18-398.el5"),
            "rocky9", new Platform("rocky", "9.3", "5.14.0-362.8.1.el9_3.x86_64"));
    /** The live value a key has when host-state.yml gives none (the stand-in module uses the same). */
    static final String DEFAULT_LIVE = "0";
    static final ObjectMapper JSON = new ObjectMapper();

    record HostState(Platform platform, Map<String, String> files, Map<String, String> live) {
    }

    record Case(String name, Path dir, Path inventory, List<String> flags, Set<String> shapes,
                Map<String, HostState> hosts) {
        boolean check() {
            return flags.contains("--check");
        }

        Set<String> tagOption(String option) {
            Set<String> out = new LinkedHashSet<>();
            for (int i = 0; i < flags.size() - 1; i++) {
                if (flags.get(i).equals(option)) {
                    out.addAll(List.of(flags.get(i + 1).split(",")));
                }
            }
            return out;
        }
    }

    static List<Case> cases;
    /** Where each case's ansible-playbook run kept its events and the stand-in's host states. */
    static Path RUNS;
    static final Map<String, List<JsonNode>> oracle = new TreeMap<>();

    @BeforeAll
    static void runAnsible(@TempDir Path tmp) throws Exception {
        RUNS = tmp;
        cases = new ArrayList<>();
        // -Doracle.case=NAME runs one case (while working on it); the full corpus runs otherwise
        String only = System.getProperty("oracle.case");
        try (Stream<Path> dirs = Files.list(CORPUS)) {
            for (Path d : dirs.sorted().toList()) {
                if (only == null || only.isBlank() || d.getFileName().toString().equals(only)) {
                    cases.add(readCase(d));
                }
            }
        }
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        Map<String, Future<List<JsonNode>>> runs = new TreeMap<>();
        for (Case c : cases) {
            runs.put(c.name(), pool.submit(() -> ansible(c, tmp.resolve(c.name()))));
        }
        for (Map.Entry<String, Future<List<JsonNode>>> e : runs.entrySet()) {
            oracle.put(e.getKey(), e.getValue().get(10, TimeUnit.MINUTES));
        }
        pool.shutdown();
        System.out.printf("ansible-playbook ran %d corpus cases in %.1f s%n", cases.size(),
                (System.nanoTime() - start) / 1e9);
    }

    @SuppressWarnings("unchecked")
    static Case readCase(Path dir) throws IOException {
        Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
        Map<String, Object> state = yaml.load(Files.readString(dir.resolve("host-state.yml")));
        Map<String, HostState> hosts = new LinkedHashMap<>();
        ((Map<String, Map<String, Object>>) state.get("hosts")).forEach((h, s) -> {
            Map<String, String> files = new LinkedHashMap<>();
            ((Map<String, Object>) s.getOrDefault("files", Map.of())).forEach((k, v) -> files.put(k, String.valueOf(v)));
            Map<String, String> live = new LinkedHashMap<>();
            ((Map<String, Object>) s.getOrDefault("live", Map.of())).forEach((k, v) -> live.put(k, String.valueOf(v)));
            Platform p = PLATFORMS.get(String.valueOf(s.getOrDefault("platform", "debian12")));
            hosts.put(h, new HostState(p, files, live));
        });
        List<String> flags = new ArrayList<>();
        Set<String> shapes = new LinkedHashSet<>();
        for (String line : Files.readAllLines(dir.resolve("CASE.md"))) {
            if (line.startsWith("flags:")) {
                flags.addAll(List.of(line.substring(6).strip().split("\\s+")));
            } else if (line.startsWith("shapes:")) {
                for (String s : line.substring(7).split(",")) {
                    shapes.add(s.strip());
                }
            }
        }
        Path inv = Files.exists(dir.resolve("inventory.yml")) ? dir.resolve("inventory.yml") : dir.resolve("inventory");
        return new Case(dir.getFileName().toString(), dir, inv, flags, shapes, hosts);
    }

    /** Runs one case through ansible-playbook with the test doubles; returns the recorded events in order. */
    static List<JsonNode> ansible(Case c, Path out) throws Exception {
        Files.createDirectories(out.resolve("state"));
        Map<String, Object> facts = new LinkedHashMap<>();
        for (Map.Entry<String, HostState> h : c.hosts().entrySet()) {
            Object f = FactVars.of(h.getValue().platform()).get("ansible_facts");
            facts.put(h.getKey(), f instanceof Unsafe u ? u.value() : f);
            Map<String, Object> st = new LinkedHashMap<>();
            st.put("files", h.getValue().files());
            st.put("live", h.getValue().live());
            Files.writeString(out.resolve("state").resolve(h.getKey() + ".json"), JSON.writeValueAsString(st));
        }
        Files.writeString(out.resolve("facts.json"), JSON.writeValueAsString(facts));
        List<String> cmd = new ArrayList<>(List.of("ansible-playbook", "-i", c.inventory().toString(),
                c.dir().resolve("site.yml").toString()));
        c.flags().stream().filter(f -> !f.equals("--sysctl-only")).forEach(cmd::add);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        Map<String, String> env = pb.environment();
        env.put("SYSFLEET_ORACLE_DIR", out.toString());
        env.put("ANSIBLE_COLLECTIONS_PATH", ORACLE.resolve("collections").toString());
        env.put("ANSIBLE_CALLBACK_PLUGINS", ORACLE.resolve("callback_plugins").toString());
        env.put("ANSIBLE_CALLBACKS_ENABLED", "sysfleet_oracle");
        env.put("ANSIBLE_RETRY_FILES_ENABLED", "False");
        env.put("ANSIBLE_PYTHON_INTERPRETER", "/usr/bin/python3");
        env.put("ANSIBLE_LOCAL_TEMP", out.resolve("tmp").toString());
        env.put("ANSIBLE_HOME", out.resolve("home").toString());
        env.put("ANSIBLE_NOCOLOR", "1");
        env.remove("ANSIBLE_CONFIG");
        pb.redirectErrorStream(true);
        pb.redirectOutput(out.resolve("ansible.log").toFile());
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            fail("ansible-playbook is the oracle for playbooks (install ansible-core): " + e.getMessage());
            return List.of();
        }
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(c.name() + ": ansible-playbook did not finish in 300 s");
        }
        int rc = p.exitValue();
        Path events = out.resolve("events.jsonl");
        assertTrue(rc == 0 || rc == 2 && Files.exists(events), c.name() + ": ansible-playbook exit " + rc + "\n"
                + Files.readString(out.resolve("ansible.log")));
        List<JsonNode> list = new ArrayList<>();
        for (String line : Files.readAllLines(events)) {
            list.add(JSON.readTree(line));
        }
        return list;
    }

    /** Ansible's sysctl events per host, one line each, in order; a looped task's summary is left out. */
    static Map<String, List<String>> oracleLines(Case c, Map<String, List<String>> labels) {
        Map<String, List<String>> out = new TreeMap<>();
        Map<String, String> lastItemPath = new LinkedHashMap<>();
        for (JsonNode e : oracle.get(c.name())) {
            String host = e.path("host").asText();
            if (!e.path("action").asText().equals("ansible.posix.sysctl")) {
                lastItemPath.remove(host);
                continue;
            }
            String path = e.path("path").asText();
            boolean item = e.path("kind").asText().equals("item");
            if (!item && path.equals(lastItemPath.get(host))) {
                lastItemPath.remove(host);
                continue;
            }
            if (item) {
                lastItemPath.put(host, path);
            }
            JsonNode a = e.path("args");
            String args = a.isMissingNode() || a.isNull() ? "" : args(a.path("name").asText(),
                    a.path("value").isNull() ? null : a.path("value").asText(), a.path("state").asText(),
                    a.path("reload").asBoolean(), a.path("sysctl_set").asBoolean(), a.path("ignoreerrors").asBoolean(),
                    a.path("sysctl_file").asText());
            out.computeIfAbsent(host, h -> new ArrayList<>()).add(line(c, path, e.path("handler").asBoolean(),
                    item ? e.path("index").asInt() : null, e.path("status").asText(), args));
            labels.computeIfAbsent(host, h -> new ArrayList<>()).add(item ? e.path("label").asText() : null);
        }
        return out;
    }

    static String line(Case c, String path, boolean handler, Integer index, String status, String args) {
        String rel = path.startsWith(c.dir().toString()) ? path.substring(c.dir().toString().length() + 1) : path;
        return rel + (handler ? " handler" : "") + (index == null ? "" : " #" + index) + " " + status
                + (args.isEmpty() ? "" : " " + args);
    }

    static String args(String key, String value, String state, boolean reload, boolean set, boolean ignore,
                       String file) {
        return key + "=" + value + " state=" + state + " reload=" + reload + " sysctl_set=" + set
                + " ignoreerrors=" + ignore + " file=" + file;
    }

    static final KeyCatalog CATALOG = KeyCatalog.load();

    /** What sysfleet did with one case: per host its sysctl task lines, labels, and the files at the end. */
    record Ours(Map<String, List<String>> lines, Map<String, List<String>> labels,
                Map<String, Map<String, String>> files, Set<String> failed) {
    }

    /**
     * sysfleet's run of the same case, through the code a run uses: the playbook loader, the static check (every
     * case is accepted, mixed-module ones with --sysctl-only), and per play and host the {@link Planner}'s plan
     * over the host's state. The state then takes the plan's file edits and live values, as an apply would, for
     * the next play. A host whose plan fails takes no part in later plays (as in a run).
     */
    static Ours sysfleet(Case c) {
        Inventory inv = InventoryLoader.load(c.inventory());
        Playbook playbook = PlaybookLoader.load(c.dir().resolve("site.yml"), List.of());
        Planner planner = new Planner(CATALOG, inv, new RunSettings(c.tagOption("--tags"),
                c.tagOption("--skip-tags"), c.check()));
        StaticCheck.check(playbook, inv, null, planner, c.flags().contains("--sysctl-only"));
        Map<String, Map<String, String>> files = new TreeMap<>();
        Map<String, LiveWithDefault> live = new TreeMap<>();
        Set<String> failedHosts = new LinkedHashSet<>();
        Map<String, List<String>> out = new TreeMap<>();
        Map<String, List<String>> labels = new TreeMap<>();
        for (Play play : playbook.plays()) {
            for (Host host : inv.select(play.hosts())) {
                if (failedHosts.contains(host.name())) {
                    continue;
                }
                HostState st = c.hosts().get(host.name());
                Map<String, String> hostFiles = files.computeIfAbsent(host.name(), h -> new TreeMap<>(st.files()));
                LiveWithDefault hostLive = live.computeIfAbsent(host.name(), h -> {
                    LiveWithDefault l = new LiveWithDefault();
                    st.live().forEach((k, v) -> l.put(SysctlKey.of(k), v));
                    return l;
                });
                Map<String, String> texts = new java.util.HashMap<>();
                for (String f : planner.files(play, host)) {
                    texts.put(f, hostFiles.get(f));
                }
                hostFiles.forEach(texts::put);
                // every key the play touches exists on the pretend host: "0" unless host-state.yml says otherwise
                // (as in the stand-in module); the keys are known once the play is expanded with the facts
                // The oracle's modprobe is a stand-in that reports ok, not changed: the module is taken to be
                // loaded already on the pretend host (a test double: the kernel here cannot load modules).
                Map<String, io.sysfleet.facts.RuntimeFacts.ModuleState> mods = new java.util.HashMap<>();
                for (String m : planner.probeModules(play, host)) {
                    mods.put(m, io.sysfleet.facts.RuntimeFacts.ModuleState.LOADED);
                }
                io.sysfleet.facts.RuntimeFacts rt = new io.sysfleet.facts.RuntimeFacts(null, null, "", true, true, true,
                        mods, Set.of());
                HostPlan plan = planner.plan(host, play, new io.sysfleet.plan.HostState(st.platform(), texts,
                        hostLive, rt));
                for (SysctlKey k : planner.keysOf(plan.tasks())) {
                    hostLive.putIfAbsent(k, "0");
                }
                for (String f : planner.filesOf(plan.tasks())) {
                    texts.putIfAbsent(f, hostFiles.get(f));
                }
                plan = planner.plan(host, play, new io.sysfleet.plan.HostState(st.platform(), texts, hostLive, rt));
                for (TaskRecord r : plan.tasks()) {
                    if (!r.sysctl()) {
                        continue;
                    }
                    String status = switch (r.status()) {
                        case OK -> "ok";
                        case CHANGED -> "changed";
                        case SKIPPED -> "skipped";
                        case FAILED -> "failed";
                        case LEFT_FOR_ANSIBLE -> "left";
                        case UNKNOWN -> "unknown";
                    };
                    SysctlCall a = r.call();
                    String args = a == null ? "" : args(a.key(), a.value(), a.state(), a.reload(), a.sysctlSet(),
                            a.ignoreErrors(), a.sysctlFile());
                    String file = Path.of(r.location().file()).toAbsolutePath().normalize().toString();
                    out.computeIfAbsent(host.name(), x -> new ArrayList<>()).add(line(c, file + ":"
                            + r.location().line(), r.handler(), r.index(), status, args));
                    labels.computeIfAbsent(host.name(), x -> new ArrayList<>()).add(r.label());
                }
                if (plan.failed()) {
                    System.out.println(c.name() + ": " + host.name() + " fails in sysfleet: " + plan.error());
                    failedHosts.add(host.name());
                    continue;
                }
                if (!c.check()) {
                    for (FilePlan f : plan.files()) {
                        hostFiles.put(f.path(), f.newText());
                    }
                    for (KeyPlan k : plan.keys()) {
                        if (k.task() != null && k.desired() != null && k.key() != null
                                && (k.outcome() == KeyPlan.Outcome.CHANGE || k.outcome() == KeyPlan.Outcome.OK)
                                && (k.task().reload() || k.task().sysctlSet())) {
                            hostLive.put(k.key(), k.desired());
                        }
                    }
                }
            }
        }
        return new Ours(out, labels, files, new java.util.TreeSet<>(failedHosts));
    }

    /** The live values of a pretend host. */
    static final class LiveWithDefault extends java.util.HashMap<SysctlKey, String> {
    }

    /** The values a sysctl file sets, the last line for a key winning (as the module and sysctl -p read it). */
    static Map<String, String> values(String text) {
        Map<String, String> out = new TreeMap<>();
        if (text == null) {
            return out;
        }
        for (String line : text.split("\n")) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#") || l.startsWith(";") || !l.contains("=")) {
                continue;
            }
            int eq = l.indexOf('=');
            out.put(SysctlKey.of(l.substring(0, eq).strip()).dotted(), l.substring(eq + 1).strip());
        }
        return out;
    }

    /** The hosts ansible-playbook's recap counts as failed (failed=N, N > 0). */
    static Set<String> theirFailed(Case c) throws IOException {
        Set<String> out = new java.util.TreeSet<>();
        boolean recap = false;
        for (String line : Files.readAllLines(RUNS.resolve(c.name()).resolve("ansible.log"))) {
            if (line.startsWith("PLAY RECAP")) {
                recap = true;
            } else if (recap) {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("^(\\S+)\\s*:.*\\bfailed=(\\d+)").matcher(line);
                if (m.find() && Integer.parseInt(m.group(2)) > 0) {
                    out.add(m.group(1));
                }
            }
        }
        return out;
    }

    /** The stand-in's sysctl files of each host at the end of the ansible-playbook run. */
    static Map<String, Map<String, String>> theirFiles(Case c) throws IOException {
        Map<String, Map<String, String>> out = new TreeMap<>();
        for (String host : c.hosts().keySet()) {
            Path f = RUNS.resolve(c.name()).resolve("state").resolve(host + ".json");
            Map<String, String> files = new TreeMap<>();
            JSON.readTree(f.toFile()).path("files").fields()
                    .forEachRemaining(e -> files.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().asText()));
            out.put(host, files);
        }
        return out;
    }

    /** Cases where sysfleet knowingly differs from ansible-playbook; the test fails if this list goes stale. */
    static final Set<String> KNOWN_DIFFERENCES = Set.of();

    @Test
    void everyCorpusCaseMeansTheSameToSysfleetAndAnsible() throws IOException {
        List<String> disagree = new ArrayList<>();
        Map<String, int[]> byShape = new TreeMap<>();
        int items = 0;
        for (Case c : cases) {
            Map<String, List<String>> theirLabels = new TreeMap<>();
            Map<String, List<String>> ourLabels = new TreeMap<>();
            Map<String, List<String>> theirs = oracleLines(c, theirLabels);
            String problem = null;
            Map<String, List<String>> ours = Map.of();
            Ours run = null;
            try {
                run = sysfleet(c);
                ours = run.lines();
                ourLabels = run.labels();
            } catch (RuntimeException e) {
                problem = "sysfleet: " + e;
            }
            if (problem == null && !theirs.equals(ours)) {
                problem = diff(theirs, ours);
            }
            if (problem == null) {
                problem = fileDifference(c, run);
            }
            if (problem == null && !theirFailed(c).equals(run.failed())) {
                problem = "hosts that fail: ansible " + theirFailed(c) + ", sysfleet " + run.failed();
            }
            if (problem == null) {
                for (String host : ours.keySet()) {
                    List<String> ol = ourLabels.get(host);
                    List<String> tl = theirLabels.get(host);
                    for (int i = 0; i < ol.size(); i++) {
                        if (ol.get(i) != null && !ol.get(i).equals(tl.get(i))) {
                            problem = host + ": label " + ol.get(i) + " vs ansible " + tl.get(i) + " at " + ours.get(host).get(i);
                        }
                    }
                }
            }
            items += theirs.values().stream().mapToInt(List::size).sum();
            for (String s : c.shapes()) {
                int[] n = byShape.computeIfAbsent(s, x -> new int[2]);
                n[1]++;
                if (problem == null) {
                    n[0]++;
                }
            }
            if (problem != null) {
                disagree.add(c.name());
                System.out.println("DIFFERS " + c.name() + ": " + problem);
            }
        }
        System.out.printf("playbook oracle: %d/%d corpus cases agree with ansible-playbook (%d sysctl task results "
                + "compared)%n", cases.size() - disagree.size(), cases.size(), items);
        byShape.forEach((s, n) -> System.out.printf("  %-40s %d/%d%n", s, n[0], n[1]));
        if (System.getProperty("oracle.case") == null || System.getProperty("oracle.case").isBlank()) {
            assertTrue(cases.size() >= 30, "a corpus of at least 30 cases: " + cases.size());
            assertTrue(items > 200, "the corpus exercises many sysctl task results: " + items);
        }
        assertEquals(KNOWN_DIFFERENCES, Set.copyOf(disagree));
    }

    /**
     * Where the sysctl files sysfleet would leave differ from the stand-in's at the end of the ansible-playbook
     * run, by the values they set (sysfleet keeps the file's format, the module rewrites it; what the kernel reads
     * is the same). Hosts whose plan failed are left out: Ansible applied the tasks before the failure, sysfleet
     * applies nothing on a host whose plan fails (the line comparison covers those hosts).
     */
    static String fileDifference(Case c, Ours run) throws IOException {
        Map<String, Map<String, String>> theirs = theirFiles(c);
        for (String host : c.hosts().keySet()) {
            if (run.failed().contains(host) || !run.files().containsKey(host)) {
                continue;
            }
            Set<String> paths = new java.util.TreeSet<>(theirs.get(host).keySet());
            paths.addAll(run.files().get(host).keySet());
            for (String p : paths) {
                Map<String, String> t = values(theirs.get(host).get(p));
                Map<String, String> o = values(run.files().get(host).get(p));
                if (!t.equals(o)) {
                    return "\n    " + host + " " + p + "\n      ansible:  " + t + "\n      sysfleet: " + o;
                }
            }
        }
        return null;
    }

    static String diff(Map<String, List<String>> theirs, Map<String, List<String>> ours) {
        StringBuilder sb = new StringBuilder();
        Set<String> hosts = new LinkedHashSet<>(theirs.keySet());
        hosts.addAll(ours.keySet());
        for (String h : hosts) {
            List<String> t = theirs.getOrDefault(h, List.of());
            List<String> o = ours.getOrDefault(h, List.of());
            if (t.equals(o)) {
                continue;
            }
            int n = Math.max(t.size(), o.size());
            for (int i = 0; i < n; i++) {
                String a = i < t.size() ? t.get(i) : "-";
                String b = i < o.size() ? o.get(i) : "-";
                if (!a.equals(b)) {
                    sb.append("\n    ").append(h).append(" #").append(i).append("\n      ansible:  ").append(a)
                            .append("\n      sysfleet: ").append(b);
                    break;
                }
            }
        }
        return sb.toString();
    }
}
