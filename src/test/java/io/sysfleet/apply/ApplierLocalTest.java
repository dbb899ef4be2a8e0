package io.sysfleet.apply;

import io.sysfleet.catalog.KeyCatalog;
import io.sysfleet.catalog.Platform;
import io.sysfleet.facts.FactsProbe;
import io.sysfleet.facts.FileFact;
import io.sysfleet.facts.HostFacts;
import io.sysfleet.inventory.Host;
import io.sysfleet.journal.Intent;
import io.sysfleet.journal.Journal;
import io.sysfleet.journal.JournalView;
import io.sysfleet.journal.RunRecord;
import io.sysfleet.plan.HostPlan;
import io.sysfleet.plan.HostState;
import io.sysfleet.plan.Planner;
import io.sysfleet.playbook.PlaybookLoader;
import io.sysfleet.result.HostResult;
import io.sysfleet.sysctl.SysctlKey;
import io.sysfleet.transport.Command;
import io.sysfleet.transport.ExecResult;
import io.sysfleet.transport.LocalTransport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The apply and undo scripts run for real through {@link LocalTransport} on a file in a temp directory.
 * The tasks use {@code reload: false}, so nothing here writes to this machine's kernel: live values are
 * only read. Kernel writes are covered by the container tests ({@code ApplyIT}).
 */
class ApplierLocalTest {
    private static final Duration T = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private HostPlan plan(Path conf, String value, LocalTransport t) throws IOException {
        Path pb = dir.resolve("p.yml");
        Files.writeString(pb, "- hosts: all\n  gather_facts: false\n  tasks:\n"
                + "    - ansible.posix.sysctl:\n        name: net.ipv4.tcp_fin_timeout\n        value: '" + value + "'\n"
                + "        sysctl_file: " + conf + "\n        reload: false\n");
        SysctlKey fin = SysctlKey.of("net.ipv4.tcp_fin_timeout");
        HostFacts f = FactsProbe.gather(t, conf.toString(), List.of(fin), T);
        Map<String, String> files = new HashMap<>();
        files.put(conf.toString(), f.sysctlFile().exists() ? Applier.text(f.sysctlFile().content()) : null);
        Map<SysctlKey, String> live = new HashMap<>();
        live.put(fin, f.live(fin).value());
        return new Planner(KeyCatalog.load()).plan(new Host("local", Map.of()),
                PlaybookLoader.load(pb).plays().get(0), new HostState(Platform.unknown(), files, live));
    }

    private static Applier applier(Path state, String runId) {
        Journal journal = Journal.create(state, new RunRecord(runId, "run", null, "2026-01-01T00:00:00Z", null, "u",
                "c", "p.yml", "i.yml", false, "running", null, Map.of()));
        return new Applier(runId, new LocalBackups(state, runId), T, journal, Clock.systemUTC());
    }

    private Map<String, FileFact> facts(LocalTransport t, Path conf) {
        return Map.of(conf.toString(), FactsProbe.gather(t, conf.toString(), List.of(), T).sysctlFile());
    }

    @Test
    void writesAtomicallyKeepsModeAndEveryOtherByteAndBacksUpTwice() throws IOException {
        Path conf = dir.resolve("sysctl.conf");
        byte[] original = "# caf\u00e9 latin-1 bytes\r\nnet.ipv4.tcp_fin_timeout\t=\t60\r\n".getBytes(StandardCharsets.ISO_8859_1);
        Files.write(conf, original);
        Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rw-r-----"));
        Path state = dir.resolve("state");
        try (LocalTransport t = new LocalTransport()) {
            HostPlan plan = plan(conf, "30", t);
            HostResult r = applier(state, "run1").apply(t, plan, facts(t, conf), null /* no become */);
            assertEquals(HostResult.Status.CHANGED, r.status(), String.valueOf(r));
            assertNull(r.error());
        }
        byte[] expected = "# caf\u00e9 latin-1 bytes\r\nnet.ipv4.tcp_fin_timeout\t=\t30\r\n".getBytes(StandardCharsets.ISO_8859_1);
        assertArrayEquals(expected, Files.readAllBytes(conf));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(conf)));
        Path remoteBackup = dir.resolve("sysctl.conf.sysfleet-run1.bak");
        assertArrayEquals(original, Files.readAllBytes(remoteBackup));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(remoteBackup)));
        Path local = state.resolve("runs/run1/local").resolve(LocalBackups.safe(conf.toString()) + ".orig");
        assertArrayEquals(original, Files.readAllBytes(local));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(local)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(local.getParent())));
        try (Stream<Path> s = Files.list(dir)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().contains(".sysfleet.")), "no temp file left");
        }
        JournalView j = Journal.read(state, "run1");
        assertEquals(1, j.intents().size());
        Intent in = j.intents().get(0);
        assertEquals(conf.toString(), in.file());
        assertEquals(Applier.sha256(original), in.shaBefore());
        assertEquals(Applier.sha256(expected), in.shaAfter());
        assertEquals(remoteBackup.toString(), in.remoteBackup());
        assertArrayEquals(original, Files.readAllBytes(j.dir().resolve(in.localCopy())));
        String liveNow;
        try (var r = Files.newBufferedReader(Path.of("/proc/sys/net/ipv4/tcp_fin_timeout"))) {
            liveNow = r.readLine().strip(); // procfs files report odd sizes: read a line, not "the whole file"
        }
        assertEquals(liveNow,
                in.live().get("net/ipv4/tcp_fin_timeout"), "the live value before the change is journaled");
        assertEquals("applied", j.outcomes().get(0).status());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(j.dir().resolve("journal.jsonl"))));
    }

    @Test
    void secondRunChangesNothing() throws IOException {
        Path conf = dir.resolve("sysctl.conf");
        Files.writeString(conf, "net.ipv4.tcp_fin_timeout = 31\n");
        try (LocalTransport t = new LocalTransport()) {
            Applier a = applier(dir.resolve("s"), "r");
            assertEquals(HostResult.Status.CHANGED, a.apply(t, plan(conf, "32", t), facts(t, conf), null /* no become */).status());
            byte[] after = Files.readAllBytes(conf);
            HostResult again = a.apply(t, plan(conf, "32", t), facts(t, conf), null /* no become */);
            assertEquals(HostResult.Status.OK, again.status());
            assertEquals(0, again.changedKeys());
            assertArrayEquals(after, Files.readAllBytes(conf));
        }
    }

    @Test
    void aFileChangedSinceTheFactsIsNotTouched() throws IOException {
        Path conf = dir.resolve("sysctl.conf");
        Files.writeString(conf, "net.ipv4.tcp_fin_timeout = 60\n");
        try (LocalTransport t = new LocalTransport()) {
            HostPlan plan = plan(conf, "30", t);
            Map<String, FileFact> facts = facts(t, conf);
            Files.writeString(conf, "net.ipv4.tcp_fin_timeout = 61\n"); // someone else edits it meanwhile
            HostResult r = applier(dir.resolve("s"), "r").apply(t, plan, facts, null /* no become */);
            assertEquals(HostResult.Status.FAILED, r.status());
            assertTrue(r.error().contains("changed on the host since its facts were read"), r.error());
        }
        assertEquals("net.ipv4.tcp_fin_timeout = 61\n", Files.readString(conf));
        assertTrue(Files.notExists(dir.resolve("sysctl.conf.sysfleet-r.bak")));
    }

    @Test
    void aMissingFileIsCreatedWithMode0644() throws IOException {
        Path conf = dir.resolve("new.conf");
        try (LocalTransport t = new LocalTransport()) {
            HostResult r = applier(dir.resolve("s"), "r")
                    .apply(t, plan(conf, "30", t), facts(t, conf), null /* no become */);
            assertEquals(HostResult.Status.CHANGED, r.status(), String.valueOf(r));
        }
        assertEquals("# Added by sysfleet\nnet.ipv4.tcp_fin_timeout = 30\n", Files.readString(conf));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(conf)));
    }

    @Test
    void undoScriptRestoresTheOriginalBytesOrRemovesACreatedFile() throws IOException {
        Path conf = dir.resolve("sysctl.conf");
        Files.writeString(conf, "changed\n");
        Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rw-r-----"));
        String owner = Files.getOwner(conf).getName();
        try (LocalTransport t = new LocalTransport()) {
            byte[] original = "original\n".getBytes(StandardCharsets.UTF_8);
            ExecResult r = t.exec(Command.script(RemoteScripts.UNDO, List.of(conf.toString(), "1", "0640", owner, owner,
                    Applier.sha256(original))).withStdin(original), T);
            ApplyOutput out = ApplyOutput.parse(r.stdoutText());
            assertTrue(out.complete(), r.stderrText());
            assertEquals("original\n", Files.readString(conf));
            assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(conf)));
            r = t.exec(Command.script(RemoteScripts.UNDO, List.of(conf.toString(), "0", "0644", owner, owner, "absent")), T);
            assertEquals("absent", ApplyOutput.parse(r.stdoutText()).restored());
            assertTrue(Files.notExists(conf));
        }
    }

    @Test
    void aSecondPlayOfTheSameRunKeepsTheBackupFromBeforeTheRun() throws IOException {
        Path conf = dir.resolve("sysctl.conf");
        Files.writeString(conf, "net.ipv4.tcp_fin_timeout = 60\n");
        Path state = dir.resolve("s");
        try (LocalTransport t = new LocalTransport()) {
            Applier a = applier(state, "r");
            assertEquals(HostResult.Status.CHANGED, a.apply(t, plan(conf, "40", t), facts(t, conf), null /* no become */).status());
            assertEquals(HostResult.Status.CHANGED, a.apply(t, plan(conf, "30", t), facts(t, conf), null /* no become */).status());
        }
        assertEquals("net.ipv4.tcp_fin_timeout = 60\n", Files.readString(dir.resolve("sysctl.conf.sysfleet-r.bak")));
        assertEquals("net.ipv4.tcp_fin_timeout = 60\n",
                Files.readString(state.resolve("runs/r/local").resolve(LocalBackups.safe(conf.toString()) + ".orig")));
    }

    @Test
    void bytesThatArriveTornAreNeverInstalled() throws IOException {
        // What a controller killed while sending the new text leaves: fewer bytes than the hash it announced.
        Path conf = dir.resolve("sysctl.conf");
        Files.writeString(conf, "net.ipv4.tcp_fin_timeout = 60\n");
        String owner = Files.getOwner(conf).getName();
        byte[] full = "net.ipv4.tcp_fin_timeout = 30\n".getBytes(StandardCharsets.UTF_8);
        try (LocalTransport t = new LocalTransport()) {
            ExecResult r = t.exec(Command.script(RemoteScripts.APPLY, List.of(conf.toString(),
                    Applier.sha256(Files.readAllBytes(conf)), dir.resolve("bak").toString(), "0644", owner, owner,
                    "1", "0", "0", Applier.sha256(full), "0")).withStdin(java.util.Arrays.copyOf(full, 10)), T);
            ApplyOutput out = ApplyOutput.parse(r.stdoutText());
            assertTrue(out.error().startsWith("write: "), r.stdoutText());
            assertNull(out.written());
        }
        assertEquals("net.ipv4.tcp_fin_timeout = 60\n", Files.readString(conf));
        try (Stream<Path> s = Files.list(dir)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().contains(".sysfleet.")), "no temp file left");
        }
    }

    @Test
    void writingThroughDebiansSymlinkEditsTheTargetAndKeepsTheLink() throws IOException {
        // /etc/sysctl.d/99-sysctl.conf -> ../sysctl.conf, as Debian ships it
        Path etc = Files.createDirectories(dir.resolve("etc/sysctl.d"));
        Path conf = Files.writeString(dir.resolve("etc/sysctl.conf"), "net.ipv4.tcp_fin_timeout = 60\n");
        Path link = Files.createSymbolicLink(etc.resolve("99-sysctl.conf"), Path.of("../sysctl.conf"));
        String owner = Files.getOwner(conf).getName();
        byte[] next = "net.ipv4.tcp_fin_timeout = 30\n".getBytes(StandardCharsets.UTF_8);
        try (LocalTransport t = new LocalTransport()) {
            ExecResult r = t.exec(Command.script(RemoteScripts.APPLY, List.of(link.toString(),
                    Applier.sha256(Files.readAllBytes(conf)), link + ".bak", "0644", owner, owner, "1", "0", "0",
                    Applier.sha256(next), "0")).withStdin(next), T);
            ApplyOutput out = ApplyOutput.parse(r.stdoutText());
            assertNull(out.error(), r.stdoutText() + r.stderrText());
        }
        assertTrue(Files.isSymbolicLink(link), "the link is still a link");
        assertEquals(Path.of("../sysctl.conf"), Files.readSymbolicLink(link));
        assertEquals("net.ipv4.tcp_fin_timeout = 30\n", Files.readString(conf), "the file it points to is edited");
    }
}
