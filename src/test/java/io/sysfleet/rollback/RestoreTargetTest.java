package io.sysfleet.rollback;

import io.sysfleet.journal.Intent;
import io.sysfleet.journal.JournalView;
import io.sysfleet.journal.Outcome;
import io.sysfleet.journal.RunRecord;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RestoreTargetTest {

    private static Intent intent(String host, String file, String before, String after, Map<String, String> live) {
        return new Intent(host, file, true, "0644", "root", "root", before, after, file + ".bak-" + before,
                host + "/" + before, false, null, live, "t");
    }

    @Test
    void theFirstIntentGivesTheOriginalTheLastWhatWasWrittenAndLiveValuesAreFirstSeen() {
        JournalView v = new JournalView(Path.of("/state/runs/r"), new RunRecord("r", "run", null, "t", null, "u", "c",
                "p", "i", false, "finished", 0, Map.of()), List.of(
                intent("web1", "/etc/sysctl.conf", "s0", "s1", Map.of("net/ipv4/tcp_fin_timeout", "60")),
                intent("web2", "/etc/sysctl.conf", "t0", "t1", Map.of()),
                intent("web1", "/etc/sysctl.conf", "s1", "s2", Map.of("net/ipv4/tcp_fin_timeout", "30",
                        "net/ipv4/tcp_syncookies", "0"))), List.of());
        Map<String, List<RestoreTarget>> t = RestoreTarget.of(v);
        assertEquals(List.of("web1", "web2"), List.copyOf(t.keySet()));
        RestoreTarget web1 = t.get("web1").get(0);
        assertEquals("s0", web1.shaOriginal(), "the file as it was before the run");
        assertEquals("s2", web1.shaWritten(), "what the run's last play wrote");
        assertEquals("/etc/sysctl.conf.bak-s0", web1.remoteBackup());
        assertEquals("web1/s0", web1.localCopy());
        assertEquals(Map.of("net/ipv4/tcp_fin_timeout", "60", "net/ipv4/tcp_syncookies", "0"), web1.live(),
                "a value seen by a later play is the value after an earlier play: the first one counts");
    }

    @Test
    void aChangeWhoseOutcomeSaysNothingWasDoneIsNoTargetEvenWithForce() {
        // issue 12: rollback --force reverted a host the run never changed (its apply hit a conflict)
        JournalView v = new JournalView(Path.of("/state/runs/r"), new RunRecord("r", "run", null, "t", null, "u", "c",
                "p", "i", false, "finished", 2, Map.of()), List.of(
                intent("web1", "/etc/sysctl.conf", "s0", "s1", Map.of()),
                intent("web2", "/etc/sysctl.conf", "t0", "t1", Map.of()),
                intent("web3", "/etc/sysctl.conf", "u0", "u1", Map.of()),
                intent("web4", "/etc/sysctl.conf", "v0", "v1", Map.of()),
                intent("web4", "/etc/sysctl.conf", "v1", "v2", Map.of())), List.of(
                new Outcome("web1", "/etc/sysctl.conf", "conflict", null, Map.of(), "changed since", "t"),
                new Outcome("web2", "/etc/sysctl.conf", "locked", null, Map.of(), "locked", "t"),
                new Outcome("web4", "/etc/sysctl.conf", "applied", "v1", Map.of(), null, "t"),
                new Outcome("web4", "/etc/sysctl.conf", "conflict", null, Map.of(), "changed since", "t")));
        Map<String, List<RestoreTarget>> t = RestoreTarget.of(v);
        assertEquals(List.of("web3", "web4"), List.copyOf(t.keySet()), "web3 has no outcome: it may have been changed");
        assertEquals("v0", t.get("web4").get(0).shaOriginal());
        assertEquals("v1", t.get("web4").get(0).shaWritten(), "the second play did nothing: the first one's text counts");
    }
}
