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
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class JournalTest {
    @TempDir
    Path state;

    private static RunRecord record(String id) {
        return new RunRecord(id, "run", null, "2026-11-25T10:00:00Z", null, "alice", "ctl", "/p/site.yml",
                "/p/inv.yml", false, "running", null, Map.of());
    }

    private static Intent intent(String host, String before, String after, Map<String, String> live) {
        return new Intent(host, "/etc/sysctl.conf", true, "0644", "root", "root", before, after,
                "/etc/sysctl.conf.sysfleet-r.bak", host + "/x.orig", true, "root", live, "2026-11-25T10:00:01Z");
    }

    @Test
    void recordsAreReadBackInOrderWithNullLiveValuesAndModes0600And0700() throws IOException {
        Journal j = Journal.create(state, record("r1"));
        Map<String, String> live = new HashMap<>();
        live.put("net/ipv4/tcp_fin_timeout", "60");
        live.put("net/ipv4/tcp_tw_recycle", null);
        j.intent(intent("web1", "aaa", "bbb", live));
        j.outcome(new Outcome("web1", "/etc/sysctl.conf", "applied", "bbb", Map.of("net/ipv4/tcp_fin_timeout", "30"),
                null, "2026-11-25T10:00:02Z"));
        j.finish(j.record().finished("2026-11-25T10:00:03Z", "finished", 0, Map.of("web1", "changed")));

        JournalView v = Journal.read(state, "r1");
        assertEquals("finished", v.record().status());
        assertEquals(0, v.record().exitCode());
        assertEquals(Map.of("web1", "changed"), v.record().hosts());
        assertEquals(1, v.intents().size());
        assertEquals("60", v.intents().get(0).live().get("net/ipv4/tcp_fin_timeout"));
        assertNull(v.intents().get(0).live().get("net/ipv4/tcp_tw_recycle"));
        assertEquals(true, v.intents().get(0).live().containsKey("net/ipv4/tcp_tw_recycle"));
        assertEquals("applied", v.outcomes().get(0).status());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(v.dir())));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(v.dir().resolve(Journal.LOG))));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(v.dir().resolve(Journal.HEADER))));
    }

    @Test
    void aLineTornByACrashIsIgnoredAndTheRestIsRead() throws IOException {
        Journal j = Journal.create(state, record("r2"));
        j.intent(intent("web1", "a", "b", Map.of()));
        Files.writeString(j.dir().resolve(Journal.LOG), "{\"type\":\"intent\",\"host\":\"we", StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);
        JournalView v = Journal.read(state, "r2");
        assertEquals(1, v.intents().size());
        assertEquals("running", v.record().status(), "a killed run keeps its header as it started");
    }

    @Test
    void listIsOldestFirstAndUnknownOrBadIdsAreClearErrors() {
        Journal.create(state, record("20261125T100000Z-bbbbbb"));
        Journal.create(state, record("20261125T090000Z-aaaaaa"));
        assertEquals(List.of("20261125T090000Z-aaaaaa", "20261125T100000Z-bbbbbb"),
                Journal.list(state).stream().map(RunRecord::id).toList());
        SysfleetException missing = assertThrows(SysfleetException.class, () -> Journal.read(state, "nope"));
        assertEquals(5, missing.exitCode().code());
        SysfleetException bad = assertThrows(SysfleetException.class, () -> Journal.read(state, "../etc"));
        assertEquals("invalid run id '../etc'", bad.getMessage());
        assertThrows(SysfleetException.class, () -> Journal.create(state, record("20261125T090000Z-aaaaaa")),
                "a run id is never reused");
    }

    @Test
    void runsStartedInOneSecondAreListedInTheOrderTheyStarted() {
        // ids carry the time to the second only: their random part must not decide which run is newer
        Journal.create(state, new RunRecord("20261125T100000Z-ffffff", "run", null, "2026-11-25T10:00:00.100Z", null,
                "alice", "ctl", "/p/site.yml", "/p/inv.yml", false, "running", null, Map.of()));
        Journal.create(state, new RunRecord("20261125T100000Z-000000", "rollback", "20261125T100000Z-ffffff",
                "2026-11-25T10:00:00.900Z", null, "alice", "ctl", null, "/p/inv.yml", false, "running", null, Map.of()));
        assertEquals(List.of("20261125T100000Z-ffffff", "20261125T100000Z-000000"),
                Journal.list(state).stream().map(RunRecord::id).toList());
    }
}
