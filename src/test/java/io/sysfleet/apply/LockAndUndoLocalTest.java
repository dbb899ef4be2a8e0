package io.sysfleet.apply;

import io.sysfleet.transport.Command;
import io.sysfleet.transport.ExecResult;
import io.sysfleet.transport.LocalTransport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The per-file lock and the compare-and-swap undo, run for real through {@link LocalTransport} on files in a temp
 * directory (reload off: nothing here writes to this machine's kernel). The container tests (FaultsIT) run the same
 * scripts on real hosts with two runs at once and a killed run.
 */
class LockAndUndoLocalTest {
    private static final Duration T = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private ApplyOutput apply(LocalTransport t, Path conf, String runId, String text) throws IOException {
        String owner = Files.getOwner(conf).getName();
        ExecResult r = t.exec(Command.script(RemoteScripts.APPLY, List.of(conf.toString(),
                Applier.sha256(Files.readAllBytes(conf)), conf + ".sysfleet-" + runId + ".bak", "0644", owner, owner,
                "1", "0", "0", Applier.sha256(b(text)), "0")).withStdin(b(text)), T);
        return ApplyOutput.parse(r.stdoutText());
    }

    private void plantLock(Path conf, String run, String pid, String bootId) throws IOException {
        Path lk = Files.createDirectory(Path.of(conf + ".sysfleet-lock"));
        Files.writeString(lk.resolve("owner"), run + " other-host 2026-01-01T00:00:00Z " + pid + " " + bootId + "\n");
    }

    private static String bootId() throws IOException {
        return Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).strip();
    }

    @Test
    void theLockRecordsRunHostTimePidAndBootIdUnderEachShell() throws Exception {
        // the lock reads the host name and boot id with the read builtin: the same words uname -n and cat give
        String host = new String(new ProcessBuilder("uname", "-n").start().getInputStream().readAllBytes(),
                StandardCharsets.UTF_8).strip();
        for (String shell : io.sysfleet.testing.Shells.available()) {
            Path conf = Files.writeString(dir.resolve("owner-" + shell.replace('/', '-') + ".conf"), "a = 1\n");
            String script = io.sysfleet.transport.RemoteShell.LIB
                    + "lock \"$1\" run-7 || exit 1\ncat \"$1.sysfleet-lock/owner\"\n";
            io.sysfleet.testing.Shells.Result r = io.sysfleet.testing.Shells.run(shell, script,
                    List.of(conf.toString()), dir, "");
            String[] owner = new String(r.stdout(), StandardCharsets.UTF_8).strip().split(" ");
            assertEquals(6, owner.length, shell + ": " + String.join(" ", owner));
            assertEquals("run-7", owner[0], shell);
            assertEquals(host, owner[1], shell);
            assertTrue(owner[2].matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"), shell + ": " + owner[2]);
            assertTrue(owner[3].matches("[0-9]+"), shell + ": " + owner[3]);
            assertEquals(bootId(), owner[4], shell);
            assertEquals("-", owner[5], shell);
            assertFalse(Files.exists(Path.of(conf + ".sysfleet-lock")), shell + ": the lock goes when the script exits");
        }
    }

    @Test
    void theApplyHoldsTheLockOnlyWhileItRuns() throws IOException {
        Path conf = Files.writeString(dir.resolve("a.conf"), "net.ipv4.tcp_fin_timeout = 60\n");
        try (LocalTransport t = new LocalTransport()) {
            ApplyOutput out = apply(t, conf, "r1", "net.ipv4.tcp_fin_timeout = 30\n");
            assertNull(out.lock(), out.toString());
            assertTrue(out.complete() && out.written() != null, out.toString());
        }
        assertFalse(Files.exists(Path.of(conf + ".sysfleet-lock")), "the lock goes when the script ends");
    }

    @Test
    void aLiveLockOfAnotherRunRefusesTheApplyAndNamesItsOwner() throws IOException {
        Path conf = Files.writeString(dir.resolve("b.conf"), "keep\n");
        // a pid that runs: this test's own JVM; same boot
        plantLock(conf, "run-other", String.valueOf(ProcessHandle.current().pid()), bootId());
        try (LocalTransport t = new LocalTransport()) {
            ApplyOutput out = apply(t, conf, "r2", "lost\n");
            assertTrue(out.lock() != null && out.lock().startsWith("locked run-other other-host "), out.toString());
            assertNull(out.written());
            assertTrue(Applier.lockMessage(conf.toString(), out.lock()).contains("locked by another sysfleet script (run "
                    + "run-other on other-host"), Applier.lockMessage(conf.toString(), out.lock()));
        }
        assertEquals("keep\n", Files.readString(conf));
        assertTrue(Files.exists(Path.of(conf + ".sysfleet-lock", "owner")), "another run's lock is never removed");
    }

    @Test
    void aStaleLockIsReportedNeverBrokenButItsOwnRunTakesItOver() throws IOException {
        Path conf = Files.writeString(dir.resolve("c.conf"), "keep\n");
        plantLock(conf, "run-killed", "999999999", bootId()); // no such pid
        try (LocalTransport t = new LocalTransport()) {
            ApplyOutput out = apply(t, conf, "r3", "lost\n");
            assertTrue(out.lock() != null && out.lock().startsWith("stale run-killed "), out.toString());
            assertTrue(Applier.lockMessage(conf.toString(), out.lock()).contains("STALE lock of run run-killed"));
            assertEquals("keep\n", Files.readString(conf));
            assertTrue(Files.exists(Path.of(conf + ".sysfleet-lock", "owner")), "reported, not broken");
            // a lock from another boot is stale too, whatever its pid
            Files.writeString(Path.of(conf + ".sysfleet-lock", "owner"), "run-killed h t "
                    + ProcessHandle.current().pid() + " 00000000-0000-0000-0000-000000000000\n");
            assertTrue(apply(t, conf, "r3", "lost\n").lock().startsWith("stale "));
            // the run that left it takes it over (its undo after its own apply was killed)
            ApplyOutput own = apply(t, conf, "run-killed", "mine\n");
            assertNull(own.lock(), own.toString());
            assertEquals("mine\n", Files.readString(conf));
        }
        assertFalse(Files.exists(Path.of(conf + ".sysfleet-lock")));
    }

    @Test
    void undoNeverOverwritesAFileSomeoneElseChangedSinceTheRunWroteIt() throws IOException {
        Path conf = dir.resolve("d.conf");
        byte[] original = b("original\n");
        byte[] written = b("written by the run\n");
        Files.write(conf, b("someone else's edit\n"));
        String owner = Files.getOwner(conf).getName();
        try (LocalTransport t = new LocalTransport()) {
            List<String> args = List.of(conf.toString(), "1", "0644", owner, owner, Applier.sha256(original), "0",
                    Applier.sha256(written), "r4");
            ApplyOutput u = ApplyOutput.parse(t.exec(Command.script(RemoteScripts.UNDO, args).withStdin(original), T)
                    .stdoutText());
            assertEquals(Applier.sha256(b("someone else's edit\n")), u.conflict(), u.toString());
            assertEquals("someone else's edit\n", Files.readString(conf), "their edit is kept");
            // the file as the run wrote it is put back
            Files.write(conf, written);
            u = ApplyOutput.parse(t.exec(Command.script(RemoteScripts.UNDO, args).withStdin(original), T).stdoutText());
            assertNull(u.conflict(), u.toString());
            assertEquals(Applier.sha256(original), u.restored());
            assertEquals("original\n", Files.readString(conf));
        }
    }

    @Test
    void theReadBackWaitsForALiveLockReportsItBusyAndDoesNotWaitForAStaleOne() throws IOException {
        Path conf = Files.writeString(dir.resolve("e.conf"), "x\n");
        plantLock(conf, "run-live", String.valueOf(ProcessHandle.current().pid()), bootId());
        try (LocalTransport t = new LocalTransport()) {
            long start = System.nanoTime();
            ApplyOutput out = ApplyOutput.parse(t.exec(Command.script(RemoteScripts.READBACK, List.of(conf.toString(),
                    "2")).withStdin(b("net/ipv4/tcp_fin_timeout\n")), T).stdoutText());
            assertTrue(System.nanoTime() - start >= 2_000_000_000L, "waited for the live lock");
            assertTrue(out.busy() != null && out.busy().startsWith("run-live "), out.toString());
            assertEquals(Applier.sha256(b("x\n")), out.restored());
            assertTrue(out.after().containsKey("net/ipv4/tcp_fin_timeout") && out.complete(), out.toString());

            Files.writeString(Path.of(conf + ".sysfleet-lock", "owner"), "run-dead h t 999999999 " + bootId() + "\n");
            start = System.nanoTime();
            out = ApplyOutput.parse(t.exec(Command.script(RemoteScripts.READBACK, List.of(conf.toString(), "30"))
                    .withStdin(b("net/ipv4/tcp_fin_timeout\n")), T).stdoutText());
            assertTrue(System.nanoTime() - start < 10_000_000_000L, "a stale lock is not waited for");
            assertNull(out.busy(), out.toString());
        }
    }

    @Test
    void theRollbackOfARunTakesOverThatRunsStaleLockAndNoOtherOne() throws IOException {
        Path conf = Files.writeString(dir.resolve("f.conf"), "written by run-a\n");
        String owner = Files.getOwner(conf).getName();
        byte[] original = b("original\n");
        plantLock(conf, "run-b", "999999999", bootId());
        try (LocalTransport t = new LocalTransport()) {
            // FILE EXPECT_SHA NEW_BACKUP SOURCE WANT_SHA EXISTED HAVE_LOCAL MODE OWNER GROUP N
            List<String> args = List.of(conf.toString(), "any", conf + ".sysfleet-rb1.bak", conf + ".sysfleet-run-a.bak",
                    Applier.sha256(original), "1", "1", "0644", owner, owner, "0");
            ApplyOutput out = ApplyOutput.parse(t.exec(Command.script(RemoteScripts.RESTORE, args).withStdin(original), T)
                    .stdoutText());
            assertTrue(out.lock() != null && out.lock().startsWith("stale run-b "), "another run's stale lock: " + out);
            assertEquals("written by run-a\n", Files.readString(conf));
            Files.writeString(Path.of(conf + ".sysfleet-lock", "owner"), "run-a h t 999999999 " + bootId() + "\n");
            out = ApplyOutput.parse(t.exec(Command.script(RemoteScripts.RESTORE, args).withStdin(original), T).stdoutText());
            assertNull(out.lock(), out.toString());
            assertEquals(Applier.sha256(original), out.restored());
            assertEquals("original\n", Files.readString(conf));
        }
        assertFalse(Files.exists(Path.of(conf + ".sysfleet-lock")));
    }
}
