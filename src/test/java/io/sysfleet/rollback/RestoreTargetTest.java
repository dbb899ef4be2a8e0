package io.sysfleet.rollback;

import io.sysfleet.journal.Intent;
import io.sysfleet.journal.JournalView;
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
}
