package io.sysfleet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sysfleet.engine.Engine;
import io.sysfleet.engine.InventorySources;
import io.sysfleet.engine.Shard;
import io.sysfleet.report.TextReport;
import io.sysfleet.testing.Cli;
import io.sysfleet.testing.LocalFleet;
import io.sysfleet.testing.TestFleet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sharding examples ({@code examples/sharding/}): a Kubernetes Indexed Job and a GitHub Actions matrix. Neither
 * a cluster nor GitHub runs here, so this test takes each example's own command lines out of its YAML, expands
 * them as the engine would (the pod's shell with each {@code JOB_COMPLETION_INDEX}, the matrix's values), and
 * checks that the N shard commands parse to shards 1/N..N/N with their own report and state paths; then it runs
 * the shards on a {@link LocalFleet} (the engine, its kernel replaced as described there) with exactly those paths
 * and runs the example's merge command, as written, with the real CLI: it must find every shard's journal and
 * merge the whole fleet.
 */
class ShardingExamplesTest {
    private static final Path EXAMPLES = TestFleet.projectRoot().resolve("examples/sharding");
    private static final List<String> HOSTS = List.of("web1", "web2", "db1", "db2", "cache1", "lb1", "lb2");

    @TempDir
    Path tmp;

    /** The words {@code sh} makes of {@code command} with {@code env}: the command as the pod would run it. */
    private static List<String> shellWords(String command, Map<String, String> env) throws Exception {
        String printing = command.strip().replaceFirst("^exec sysfleet ", "printf '%s\\\\n' ");
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", printing);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), printing);
        return List.of(out.split("\n"));
    }

    private static FleetOptions parsedRun(List<String> argv) {
        CommandLine cl = Main.newCommandLine();
        CommandLine.ParseResult pr = cl.parseArgs(argv.toArray(String[]::new));
        RunCommand run = (RunCommand) pr.subcommand().commandSpec().userObject();
        return run.fleet;
    }

    /** Runs shard {@code shard} on the local fleet with the state and report paths the example's command names. */
    private void runShard(LocalFleet fleet, Shard shard, Path state, Path json) {
        Engine.Outcome o = fleet.engine(state, 100 + shard.index()).run(new Engine.RunRequest(
                fleet.playbook("site.yml", "- hosts: all\n  gather_facts: false\n  tasks:\n"
                        + "    - sysctl: {name: net.ipv4.tcp_fin_timeout, value: '30', sysctl_file: '{{ conf }}'}\n"),
                InventorySources.of(fleet.inventory("")), null, false, false, 3, List.of(), null,
                Duration.ofSeconds(20), false, new Engine.Reports(json, null), fleet.sysctlPaths(), shard),
                new TextReport(new PrintWriter(new StringWriter()), false, 0));
        assertEquals(0, o.exitCode());
    }

    private static Set<String> mergedHosts(Path json) throws Exception {
        Set<String> out = new TreeSet<>();
        for (JsonNode h : new ObjectMapper().readTree(Files.readAllBytes(json)).get("plays").get(0).get("hosts")) {
            out.add(h.get("name").asText());
        }
        return out;
    }

    private static Path under(Path tmp, String path) {
        return tmp.resolve(path.replaceFirst("^/", ""));
    }

    @Test
    @SuppressWarnings("unchecked")
    void theKubernetesIndexedJobRunsShardOneToNAndItsMergeJobMergesThem() throws Exception {
        List<Object> docs = new ArrayList<>();
        new Yaml().loadAll(Files.readString(EXAMPLES.resolve("k8s-indexed-job.yaml"))).forEach(docs::add);
        assertEquals(2, docs.size());
        Map<String, Object> job = (Map<String, Object>) ((Map<String, Object>) docs.get(0)).get("spec");
        assertEquals("Indexed", job.get("completionMode"));
        int n = (Integer) job.get("completions");
        assertEquals(n, job.get("parallelism"));
        String shardCommand = container(job).get(0);

        LocalFleet fleet = new LocalFleet(tmp.resolve("fleet"), Map.of("net/ipv4/tcp_fin_timeout", "60"),
                HOSTS.toArray(String[]::new));
        Set<String> stateDirs = new HashSet<>();
        for (int i = 0; i < n; i++) {
            List<String> argv = shellWords(shardCommand, Map.of("JOB_COMPLETION_INDEX", Integer.toString(i)));
            FleetOptions o = parsedRun(argv);
            assertEquals(new Shard(i + 1, n), o.shard, String.join(" ", argv));
            assertTrue(stateDirs.add(o.stateDir.toString()), "each pod has its own state directory");
            runShard(fleet, o.shard, under(tmp, o.stateDir.toString()), under(tmp, o.reportJson.toString()));
        }

        Map<String, Object> merge = (Map<String, Object>) ((Map<String, Object>) docs.get(1)).get("spec");
        List<String> argv = new ArrayList<>();
        for (String w : shellWords(container(merge).get(0), Map.of())) {
            argv.add(w.startsWith("/shards/") ? under(tmp, w).toString()
                    : w.equals("inventory.yml") ? fleet.inventory("").toString() : w);
        }
        Cli.Result r = Cli.run(argv);
        assertEquals(0, r.exit(), r.out() + r.err());
        assertEquals(new TreeSet<>(HOSTS), mergedHosts(under(tmp, "/shards/merged/report.json")));
        assertTrue(Files.isDirectory(under(tmp, "/shards/merged/state/runs")), "the merged run is journaled");
    }

    @SuppressWarnings("unchecked")
    private static List<String> container(Map<String, Object> jobSpec) {
        Map<String, Object> pod = (Map<String, Object>) ((Map<String, Object>) jobSpec.get("template")).get("spec");
        Map<String, Object> c = ((List<Map<String, Object>>) pod.get("containers")).get(0);
        assertEquals(List.of("/bin/sh", "-c"), c.get("command"));
        return (List<String>) c.get("args");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theGitHubActionsMatrixRunsShardOneToNAndTheMergeJobMergesTheArtifacts() throws Exception {
        Map<String, Object> wf = new Yaml().load(Files.readString(EXAMPLES.resolve("github-actions.yml")));
        Map<String, Object> jobs = (Map<String, Object>) wf.get("jobs");
        Map<String, Object> shardJob = (Map<String, Object>) jobs.get("shard");
        List<Integer> matrix = (List<Integer>) ((Map<String, Object>) ((Map<String, Object>) shardJob.get("strategy"))
                .get("matrix")).get("shard");
        int n = matrix.size();
        assertEquals(java.util.stream.IntStream.rangeClosed(1, n).boxed().toList(), matrix);
        String run = step(shardJob, "sysfleet run");
        Map<String, Object> upload = ((List<Map<String, Object>>) shardJob.get("steps")).stream()
                .filter(s -> "actions/upload-artifact@v4".equals(s.get("uses"))).findFirst().orElseThrow();
        String artifact = (String) ((Map<String, Object>) upload.get("with")).get("name");
        assertEquals("out/", ((Map<String, Object>) upload.get("with")).get("path"));

        LocalFleet fleet = new LocalFleet(tmp.resolve("fleet"), Map.of("net/ipv4/tcp_fin_timeout", "60"),
                HOSTS.toArray(String[]::new));
        Map<String, Object> mergeJob = (Map<String, Object>) jobs.get("merge");
        assertEquals("shard", mergeJob.get("needs"));
        Map<String, Object> download = ((List<Map<String, Object>>) mergeJob.get("steps")).stream()
                .filter(s -> "actions/download-artifact@v4".equals(s.get("uses"))).findFirst().orElseThrow();
        String into = (String) ((Map<String, Object>) download.get("with")).get("path");
        for (int k : matrix) {
            List<String> argv = words(run.replace("${{ matrix.shard }}", Integer.toString(k)));
            FleetOptions o = parsedRun(argv);
            assertEquals(new Shard(k, n), o.shard);
            // download-artifact with a pattern puts each artifact in PATH/NAME/, holding what was under out/
            Path artifactDir = tmp.resolve(into).resolve(artifact.replace("${{ matrix.shard }}", Integer.toString(k)));
            runShard(fleet, o.shard, artifactDir.resolve(Path.of("out").relativize(o.stateDir)),
                    artifactDir.resolve(Path.of("out").relativize(o.reportJson)));
        }

        List<String> argv = new ArrayList<>();
        for (String w : words(step(mergeJob, "sysfleet report merge"))) {
            if (w.contains("*")) {
                try (var s = Files.newDirectoryStream(tmp.resolve(into), w.split("/")[1])) {
                    List<String> found = new ArrayList<>();
                    s.forEach(d -> found.add(d.resolve(w.substring(w.lastIndexOf('/') + 1)).toString()));
                    found.sort(null);
                    argv.addAll(found);
                }
            } else {
                argv.add(w.startsWith("merged/") ? tmp.resolve(w).toString()
                        : w.equals("inventory.yml") ? fleet.inventory("").toString() : w);
            }
        }
        assertEquals(n + 2, argv.indexOf("-i"), "report merge, then every shard's report: " + argv);
        Cli.Result r = Cli.run(argv);
        assertEquals(0, r.exit(), r.out() + r.err());
        assertEquals(new TreeSet<>(HOSTS), mergedHosts(tmp.resolve("merged/report.json")));
        assertTrue(Files.isDirectory(tmp.resolve("merged/state/runs")), "the merged run is journaled");
    }

    @SuppressWarnings("unchecked")
    private static String step(Map<String, Object> job, String containing) {
        return ((List<Map<String, Object>>) job.get("steps")).stream().map(s -> (String) s.get("run"))
                .filter(r -> r != null && r.contains(containing)).findFirst().orElseThrow();
    }

    /** A step's one-line command (folded YAML, no quotes in these examples) as words after {@code ./sysfleet}. */
    private static List<String> words(String line) {
        String s = line.strip();
        assertTrue(s.startsWith("./sysfleet "), s);
        return List.of(s.substring("./sysfleet ".length()).split("\\s+"));
    }
}
