package io.sysfleet.bench;

import io.sysfleet.apply.RemoteScripts;
import io.sysfleet.inventory.Host;
import io.sysfleet.transport.Become;
import io.sysfleet.transport.Command;
import io.sysfleet.transport.ExecResult;
import io.sysfleet.transport.Transport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The controller benchmark's BENCHMARK DOUBLE (a host answered in-process; a real host needs an sshd container,
 * which cannot be had by the thousand here). The real engine runs check, run, rerun and rollback against it and
 * every phase must verify: the report's statuses and the double's own file and live values. The double must also
 * refuse what it does not know, so a protocol change cannot turn into numbers for work not done.
 */
class HostDoubleTest {
    @TempDir
    Path tmp;

    @Test
    void theRealEngineConvergesAndRollsBackDoubledHosts() throws Exception {
        ControllerBench bench = new ControllerBench();
        bench.out = tmp;
        bench.forks = 3;
        List<ControllerBench.Row> rows = bench.measure(7);
        assertEquals(4, rows.size());
        for (ControllerBench.Row r : rows) {
            assertTrue(r.verified(), r.phase() + ": " + r.note());
            assertTrue(r.controllerCpuSeconds() > 0, r.toString());
        }
        // check: facts with the boot files (one command); run: facts + apply (the facts' live values cover every
        // key of the doubled file, so no snapshot command); rerun: facts; rollback: facts + snapshot + restore + snapshot
        assertEquals(List.of(1L, 2L, 1L, 4L), rows.stream().map(r -> r.execs() / 7).toList());
        ControllerBench.Row run = rows.get(1);
        assertTrue(run.journalBytes() > 7 * 500, "a journal record per host: " + run);
        assertEquals(7L * HostDoubles.START_FILE.length, run.backupBytes(), "one local backup of the file per host");
    }

    @Test
    void verificationFailsWhenAHostWasNotChanged() throws Exception {
        // a run whose hosts all end unchanged: the doubles are still drifted, so "run" must not verify
        HostDoubles doubles = new HostDoubles(Duration.ZERO);
        Host h = new Host("h1", Map.of());
        doubles.open(h, null);
        io.sysfleet.result.RunReport report = new io.sysfleet.result.RunReport("r", false, java.time.Instant.now(),
                java.time.Instant.now(), List.of(new io.sysfleet.result.PlayResult("p", List.of(
                        io.sysfleet.result.HostResult.failure("h1", io.sysfleet.result.HostResult.Status.CHANGED,
                                null, null)), null)));
        List<String> problems = ControllerBench.verify(report, ControllerBench.Phase.RUN, doubles, 1);
        assertEquals(List.of("h1 is not converged after run"), problems);
    }

    @Test
    void anUnknownScriptIsAFailedCommandNotAnAnswer() {
        Transport t = new HostDoubles(Duration.ZERO).open(new Host("h1", Map.of()), null);
        ExecResult r = t.exec(Command.script("echo hello", List.of()), Duration.ofSeconds(1));
        assertEquals(127, r.exitCode());
        assertTrue(r.stderrText().contains("does not know this script"), r.stderrText());
        ExecResult argv = t.exec(Command.of("uname", "-r"), Duration.ofSeconds(1));
        assertEquals(127, argv.exitCode());
    }

    @Test
    void applyRefusesAFileThatChangedAndBytesThatWereNotTheBytesSent() {
        Transport t = new HostDoubles(Duration.ZERO).open(new Host("h1", Map.of()), new Become("root", null));
        List<String> conflict = List.of("/etc/sysctl.conf", "0".repeat(64), "/etc/sysctl.conf.bak", "0644", "root",
                "root", "1", "1", "0", "1".repeat(64), "0");
        ExecResult r = t.exec(Command.script(RemoteScripts.APPLY, conflict).withStdin(new byte[] {'x'})
                .become(new Become("root", null)), Duration.ofSeconds(1));
        assertTrue(r.stdoutText().startsWith("conflict\t"), r.stdoutText());

        String sha = io.sysfleet.apply.Applier.sha256(HostDoubles.START_FILE);
        List<String> torn = List.of("/etc/sysctl.conf", sha, "/etc/sysctl.conf.bak", "0644", "root", "root", "1", "1",
                "0", "1".repeat(64), "0");
        r = t.exec(Command.script(RemoteScripts.APPLY, torn).withStdin("x".getBytes(StandardCharsets.UTF_8)),
                Duration.ofSeconds(1));
        assertTrue(r.stdoutText().contains("error\twrite\t"), r.stdoutText());
        assertEquals(sha, ((HostDouble) t).file("/etc/sysctl.conf").sha256(), "the file is untouched");
    }

    @Test
    void theControllerBenchmarkStartsItsJvmsLikeTheLauncher() throws Exception {
        String launcher = java.nio.file.Files.readString(Path.of("sysfleet"));
        String opts = ControllerBench.LAUNCHER_JVM_OPTS;
        assertTrue(launcher.contains("jvm=(" + opts + ")"), "./sysfleet must run with " + opts);
    }

    @Test
    void wordsUndoTheOneQuotingFunction() {
        List<String> words = List.of("sh", "-c", "it's a \"script\" with $HOME and\nnewlines", "", "'", "a'b'");
        String line = String.join(" ", words.stream().map(Command::quote).toList());
        assertEquals(words, HostDouble.words(line));
    }
}
