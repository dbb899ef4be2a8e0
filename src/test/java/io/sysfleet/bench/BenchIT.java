package io.sysfleet.bench;

import io.sysfleet.lab.LabFiles;
import io.sysfleet.lab.SshProbe;
import io.sysfleet.testing.TestFleet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's benchmark commands, run for real at a size CI can afford: {@code scripts/bench} (quick mode, two
 * lab hosts, one repetition: every tool, every scenario, every apply verified inside the containers) and
 * {@code scripts/bench-controller} (the real engine against 200 benchmark-double hosts). Checks what the README
 * promises: exit 0, the tables and CSVs with every scenario, no failed run, and the lab removed at the end.
 */
class BenchIT {
    private static Path root;
    private static Path tmp;
    private static Path labDir;

    @BeforeAll
    static void setUp() throws IOException {
        root = TestFleet.projectRoot();
        TestFleet.run(root, Duration.ofMinutes(3), "bash", "scripts/start-docker.sh");
        TestFleet.run(root, Duration.ofMinutes(10), "bash", "scripts/build-test-image.sh");
        tmp = Files.createTempDirectory("sysfleet-benchit");
        labDir = tmp.resolve("lab");
    }

    @AfterAll
    static void cleanUp() {
        if (labDir != null) {
            String ids = TestFleet.run(root, Duration.ofMinutes(1), "docker", "ps", "-aq", "--filter",
                    "label=io.sysfleet.lab=" + LabFiles.labId(labDir)).strip();
            if (!ids.isEmpty()) {
                List<String> argv = new java.util.ArrayList<>(List.of("docker", "rm", "-f"));
                argv.addAll(Arrays.asList(ids.split("\\s+")));
                TestFleet.run(root, Duration.ofMinutes(2), argv.toArray(String[]::new));
            }
        }
    }

    private static int freePorts(int n) {
        for (int i = 0; i < 50; i++) {
            int p = ThreadLocalRandom.current().nextInt(30000, 39000);
            boolean free = true;
            for (int j = 0; j < n && free; j++) {
                free = SshProbe.portFree(p + j);
            }
            if (free) {
                return p;
            }
        }
        throw new IllegalStateException("no " + n + " free consecutive ports found");
    }

    private static String run(Duration timeout, String... argv) throws Exception {
        Path log = Files.createTempFile(tmp, "run", ".log");
        Process p = new ProcessBuilder(argv).directory(root.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError(argv[0] + " did not finish in " + timeout + ": " + Files.readString(log));
        }
        String out = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), argv[0] + " failed:\n" + out);
        return out;
    }

    @Test
    void quickModeMeasuresAndVerifiesEveryToolAndScenario() throws Exception {
        Path out = tmp.resolve("bench");
        int base = freePorts(2);
        String log = run(Duration.ofMinutes(15), "scripts/bench", "--series", "2", "--repeat", "1",
                "--startup-samples", "1", "--port-base", Integer.toString(base), "--lab-dir", labDir.toString(),
                "--out", out.toString());
        String md = Files.readString(out.resolve("table.md"));
        assertTrue(md.contains("| hosts | ssh loop (floor) | sysfleet run | no-change rerun | check | rollback --last"
                + " | ansible-playbook |"), md);
        assertTrue(md.matches("(?s).*\\| 2 \\| 1\\.0 \\|( [0-9.]+x \\|){5} [0-9.]+ \\|.*"), "wall ratios: " + md);
        assertTrue(md.contains("Start to first SSH packet (median): sysfleet "), md);
        assertTrue(log.contains(md.substring(0, 40)), "the table is printed");

        List<String> raw = Files.readAllLines(out.resolve("raw.csv"));
        assertEquals(Results.RAW_HEADER, raw.get(0));
        assertEquals(7, raw.size(), "six measurements: " + raw);
        for (String line : raw.subList(1, raw.size())) {
            String[] f = line.split(",", -1);
            assertEquals("true", f[15], "verified: " + line);
            assertTrue(Double.parseDouble(f[4]) > 0 && Double.parseDouble(f[10]) > 0, "wall and hosts' CPU: " + line);
        }
        String summary = Files.readString(out.resolve("summary.csv"));
        for (String s : List.of("apply,ssh-loop,2,", "apply,sysfleet,2,", "rerun,sysfleet,2,", "check,sysfleet,2,",
                "rollback,sysfleet,2,", "apply,ansible-playbook,2,")) {
            assertTrue(summary.contains(s), s + " in " + summary);
        }
        String containers = TestFleet.run(root, Duration.ofMinutes(1), "docker", "ps", "-aq", "--filter",
                "label=io.sysfleet.lab=" + LabFiles.labId(labDir)).strip();
        assertEquals("", containers, "the benchmark removes its lab");
    }

    @Test
    void controllerBenchmarkVerifiesEveryPhase() throws Exception {
        Path out = tmp.resolve("controller");
        run(Duration.ofMinutes(10), "scripts/bench-controller", "--hosts", "200", "--out", out.toString());
        String md = Files.readString(out.resolve("controller.md"));
        for (String phase : List.of("check", "run", "rerun", "rollback")) {
            assertTrue(md.matches("(?s).*\\| 200 \\| " + phase + " \\| [0-9.]+ ms \\|.*\\| yes \\|.*"), phase + ": " + md);
        }
        List<String> csv = Files.readAllLines(out.resolve("controller.csv"));
        assertEquals(5, csv.size(), csv.toString());
    }
}
