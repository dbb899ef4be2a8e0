package io.sysfleet.journal;

import io.sysfleet.core.SysfleetException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 12: rollback and prune trusted the journal, and a state directory someone else made was used silently.
 * Records carry an HMAC under the state directory's key and a sequence number, the header counts them; a
 * changed, planted, removed or truncated record, and an unsafe directory, each end in one clear line.
 */
class JournalIntegrityTest {
    @TempDir
    Path tmp;

    private Path state() {
        return tmp.resolve("state");
    }

    private static RunRecord record(String id) {
        return new RunRecord(id, "run", null, "2026-11-25T10:00:00Z", null, "alice", "ctl", "/p/site.yml",
                "/p/inv.yml", false, "running", null, Map.of());
    }

    private static Intent intent(String host, String file) {
        return new Intent(host, file, true, "0644", "root", "root", "aaa", "bbb", file + ".sysfleet-r.bak",
                host + "/x.orig", true, "root", Map.of("net/ipv4/tcp_fin_timeout", "60"), "2026-11-25T10:00:01Z");
    }

    private Journal finishedRun(String id) {
        Journal j = Journal.create(state(), record(id));
        j.intent(intent("web1", "/etc/sysctl.conf"));
        j.outcome(new Outcome("web1", "/etc/sysctl.conf", "applied", "bbb", Map.of(), null, "t"));
        j.intent(intent("web2", "/etc/sysctl.conf"));
        j.outcome(new Outcome("web2", "/etc/sysctl.conf", "applied", "bbb", Map.of(), "caf\u00e9 \u6771\u4eac", "t"));
        j.finish(j.record().finished("2026-11-25T10:00:03Z", "finished", 0, Map.of("web1", "changed")));
        return j;
    }

    private static String error(Runnable r) {
        return assertThrows(SysfleetException.class, r::run).getMessage();
    }

    @Test
    void anUntouchedJournalReadsBackAndItsKeyIs0600() throws IOException {
        finishedRun("r1");
        JournalView v = Journal.read(state(), "r1");
        assertEquals(2, v.intents().size());
        assertEquals("caf\u00e9 \u6771\u4eac", v.outcomes().get(1).message());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                state().resolve(StateDir.KEY))));
        assertEquals(1, Journal.list(state()).size());
    }

    @Test
    void aChangedRecordIsRefused() throws IOException {
        Path log = finishedRun("r1").dir().resolve(Journal.LOG);
        // the forged journal of the review: a record pointing rollback at a file outside any managed path
        Files.writeString(log, Files.readString(log).replace("/etc/sysctl.conf", "/etc/shadowsysctl"));
        String e = error(() -> Journal.read(state(), "r1"));
        assertTrue(e.startsWith("run r1: journal.jsonl line 1 fails its HMAC: the journal was changed outside sysfleet"), e);
        assertFalse(e.contains("\n"));
    }

    @Test
    void aPlantedRecordARemovedRecordAndATruncatedJournalAreRefused() throws IOException {
        Path log = finishedRun("r1").dir().resolve(Journal.LOG);
        List<String> lines = new ArrayList<>(Files.readAllLines(log));
        String planted = "{\"host\":\"web9\",\"file\":\"/etc/sysctl.conf\",\"existed\":true,\"type\":\"intent\",\"seq\":5,"
                + "\"mac\":\"" + "0".repeat(64) + "\"}";
        Files.writeString(log, String.join("\n", lines) + "\n" + planted + "\n");
        assertTrue(error(() -> Journal.read(state(), "r1")).contains("line 5 fails its HMAC"));

        List<String> gap = new ArrayList<>(lines);
        gap.remove(1);
        Files.write(log, gap);
        assertTrue(error(() -> Journal.read(state(), "r1")).contains("line 2 is record 3, expected record 2"));

        Files.write(log, lines.subList(0, 2));
        assertTrue(error(() -> Journal.read(state(), "r1")).contains("holds 2 records, its header counts 4 (truncated)"));
    }

    @Test
    void aTornLastLineOfAKilledRunIsStillIgnored() throws IOException {
        Journal j = Journal.create(state(), record("r2"));
        j.intent(intent("web1", "/etc/sysctl.conf"));
        Files.writeString(j.dir().resolve(Journal.LOG), "{\"type\":\"outcome\",\"host\":\"we", StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);
        assertEquals(1, Journal.read(state(), "r2").intents().size());
    }

    @Test
    void aForgedHeaderOrRunIdIsNeitherReadNorListed() throws IOException {
        Path header = finishedRun("r1").dir().resolve(Journal.HEADER);
        // the forged run id of the review: made `runs prune` delete another directory
        Files.writeString(header, Files.readString(header).replace("\"id\" : \"r1\"", "\"id\" : \"../../victim\""));
        assertTrue(error(() -> Journal.read(state(), "r1")).contains("its header " + header + " fails its HMAC"));
        assertEquals(List.of(), Journal.list(state()), "a header that is not authentic is listed by nothing");
        // a header copied from another run keeps its HMAC but names the other run
        finishedRun("r3");
        Files.copy(state().resolve("runs/r3").resolve(Journal.HEADER), header,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertTrue(error(() -> Journal.read(state(), "r1")).contains("its header names run 'r3'"));
    }

    @Test
    void anotherStateDirectorysJournalIsRefused() throws IOException {
        finishedRun("r1");
        Files.delete(state().resolve(StateDir.KEY));
        Journal.create(tmp.resolve("other"), record("x")); // makes a key there
        Files.copy(tmp.resolve("other").resolve(StateDir.KEY), state().resolve(StateDir.KEY));
        assertTrue(error(() -> Journal.read(state(), "r1")).contains("fails its HMAC"));
    }

    @Test
    void aGroupOrWorldWritableStateDirectoryOrASymlinkIsRefusedBeforeUse() throws IOException {
        Files.createDirectories(state());
        Files.setPosixFilePermissions(state(), PosixFilePermissions.fromString("rwxrwxrwx"));
        String e = error(() -> Journal.create(state(), record("r1")));
        assertTrue(e.startsWith("unsafe state directory: " + state() + " is group- or world-writable (mode rwxrwxrwx)"), e);
        assertFalse(Files.exists(state().resolve("runs")), "nothing was made in it");

        Files.setPosixFilePermissions(state(), PosixFilePermissions.fromString("rwx------"));
        finishedRun("r1");
        Files.setPosixFilePermissions(state().resolve("runs"), PosixFilePermissions.fromString("rwxrwx---"));
        assertTrue(error(() -> Journal.read(state(), "r1")).contains(state().resolve("runs") + " is group- or world-writable"));
        Files.setPosixFilePermissions(state().resolve("runs"), PosixFilePermissions.fromString("rwx------"));

        Path link = tmp.resolve("link-state");
        Files.createSymbolicLink(link, state());
        assertTrue(error(() -> Journal.read(link, "r1")).contains(link + " is a symbolic link"));
        Path key = state().resolve(StateDir.KEY);
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-rw-rw-"));
        assertTrue(error(() -> Journal.read(state(), "r1")).contains(key + " is group- or world-writable"));
    }

    @Test
    void aStateDirectoryOwnedBySomeoneElseIsRefused() throws IOException {
        // /tmp is owned by root; the check compares owners by uid. Run as root (CI), root owns everything: use a
        // directory owned by another uid when one can be made, else check the message through the rule itself.
        Path foreign = tmp.resolve("foreign");
        Files.createDirectories(foreign);
        if (StateDir.myUid() == 0) {
            Files.setAttribute(foreign, "unix:uid", 65534);
            Files.setPosixFilePermissions(foreign, PosixFilePermissions.fromString("rwx------"));
            String e = error(() -> Journal.create(foreign, record("r1")));
            assertTrue(e.contains(foreign + " is owned by uid 65534, not by this user (uid 0)"), e);
        } else {
            String e = error(() -> StateDir.check(Path.of("/")));
            assertTrue(e.contains("/ is owned by uid 0, not by this user"), e);
        }
    }
}
