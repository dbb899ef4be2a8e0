package io.sysfleet.diagnose;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pure parsers on output captured from a test container (src/test/resources/diagnose: /proc/net/tcp with 80
 * CLOSE_WAIT, 80 FIN_WAIT2, 30 TIME_WAIT and 2 listeners, as made by sysfleet-tcp-states; sockstat, netstat, ss),
 * plus malformed and huge input.
 */
class ParsersTest {
    static String fixture(String name) throws IOException {
        return Files.readString(Path.of("src/test/resources/diagnose", name));
    }

    @Test
    void procNetTcpCountsEveryStateAndTheCloseWaitPortsAndOwners() throws IOException {
        SocketTable t = SocketTable.parse(fixture("proc-net-tcp.txt"));
        assertEquals(80, t.count(TcpState.CLOSE_WAIT));
        assertEquals(80, t.count(TcpState.FIN_WAIT2));
        assertEquals(30, t.count(TcpState.TIME_WAIT));
        assertEquals(2, t.count(TcpState.LISTEN));
        assertEquals(192, t.total());
        assertEquals(0, t.malformed());
        assertEquals(80L, t.closeWaitPorts().get(9401));
        assertEquals(1, t.closeWaitPorts().size());
        assertEquals(80L, t.closeWaitUids().get(0));
    }

    @Test
    void procNetTcp6WithItsLongAddresses() throws IOException {
        // The captured tcp6 has the sshd listener; the second line is written in the kernel's tcp6 format
        // (32 hex digits per address) for a TIME_WAIT socket, since the test containers have no IPv6 address.
        String text = fixture("proc-net-tcp6.txt")
                + "   1: 00000000000000000000000001000000:2580 00000000000000000000000001000000:B3F2 06 "
                + "00000000:00000000 03:00001770 00000000     0        0 0 3 0000000000000000\n"
                + "   2: 00000000000000000000000001000000:1F90 00000000000000000000000001000000:B3F4 08 "
                + "00000000:00000001 00:00000000 00000000  1000        0 4242 1 0000000000000000 20 4 0 10 -1\n";
        SocketTable t = SocketTable.parse(text);
        assertEquals(1, t.count(TcpState.LISTEN));
        assertEquals(1, t.count(TcpState.TIME_WAIT));
        assertEquals(1L, t.closeWaitPorts().get(8080));
        assertEquals(1L, t.closeWaitUids().get(1000));
        SocketTable both = SocketTable.parse(fixture("proc-net-tcp.txt")).plus(t);
        assertEquals(81, both.count(TcpState.CLOSE_WAIT));
        assertEquals(2, both.closeWaitPorts().size());
    }

    @Test
    void malformedLinesAreCountedAndSkipped() {
        String text = "  sl  local_address rem_address   st tx_queue\n"
                + "   0: 0100007F:24C9 0100007F:CB4C 08 00000000:00000001 00:00000000 00000000     0 0 1 1\n"
                + "garbage line\n"
                + "   1: 0100007F:24C9 0100007F:CB4C ZZ 00000000:00000001\n"       // bad state
                + "   2: 0100007F:24C9\n"                                           // too short
                + "   3: 0100007F:24C9 0100007F:CB4C 3F 0\n"                        // unknown state code
                + "\u001b[2J   4: 0100007F:24C9 0100007F:CB4C 08\n";                 // control characters
        SocketTable t = SocketTable.parse(text);
        assertEquals(1, t.count(TcpState.CLOSE_WAIT));
        assertEquals(5, t.malformed());
    }

    @Test
    void hugeTablesKeepBoundedDetail() {
        StringBuilder b = new StringBuilder("  sl  local_address rem_address   st\n");
        int n = 150_000;
        for (int i = 0; i < n; i++) {
            // every socket on its own local port: more ports than the parser keeps
            b.append(String.format("%6d: 0100007F:%04X 0100007F:1F90 08 00000000:00000000 00:00000000 00000000 %5d 0 %d 1%n",
                    i, i % 65536, i % 70_001, i));
        }
        SocketTable t = SocketTable.parse(b.toString());
        assertEquals(n, t.count(TcpState.CLOSE_WAIT));
        assertEquals(65536, t.closeWaitPorts().size());
        // 70001 distinct uids: the parser keeps MAX_KEYS of them and stops adding new ones
        assertEquals(SocketTable.MAX_KEYS, t.closeWaitUids().size());
        assertTrue(t.closeWaitUids().values().stream().mapToLong(Long::longValue).sum() < n);
    }

    @Test
    void sockstatGivesTheKernelsOwnTimeWaitCount() throws IOException {
        Sockstat s = Sockstat.parse(fixture("sockstat.txt"));
        assertEquals(30, s.tw());
        assertEquals(162, s.inuse());
        assertEquals(0, s.orphan());
        assertEquals(-1, Sockstat.parse("TCP: inuse x tw 99999999999999999999\n").tw());
        assertEquals(-1, Sockstat.parse("nothing").inuse());
    }

    @Test
    void netstatTcpExtCounters() throws IOException {
        TcpExtCounters c = TcpExtCounters.parse(fixture("netstat.txt"));
        assertEquals(70, c.get(TcpExtCounters.TIME_WAIT_OVERFLOW));
        assertTrue(c.get("TW") >= 0);
        assertEquals(-1, TcpExtCounters.parse("TcpExt: A B\n").get("A"));
    }

    @Test
    void ssNamesTheProcessesHoldingCloseWait() throws IOException {
        CloseWaitOwners o = CloseWaitOwners.parse(fixture("ss-close-wait.txt"));
        assertEquals(80, o.sockets().size());
        assertEquals(0, o.malformed());
        CloseWaitOwners.Process p = o.byProcess().keySet().iterator().next();
        assertEquals("leaky-app", p.name());
        assertEquals(75, p.pid());
        assertEquals(80L, o.byProcess().get(p));
        assertEquals(9401, o.sockets().get(0).localPort());
        assertEquals(0, o.withoutProcess());
    }

    @Test
    void ssOldFormatIpv6AndOtherUsers() {
        String text = "Recv-Q Send-Q Local Address:Port Peer Address:Port\n"
                + "0      0      10.0.0.1:8080    10.0.0.2:51234  users:((\"java\",812,41))\n"
                + "1      0      [::ffff:10.0.0.1]:8443 [::ffff:10.0.0.9]:40000 users:((\"nginx\",pid=9,fd=3),(\"nginx\",pid=10,fd=3))\n"
                + "1      0      10.0.0.1:5432    10.0.0.3:40001\n"
                + "not a socket line\n";
        CloseWaitOwners o = CloseWaitOwners.parse(text);
        assertEquals(3, o.sockets().size());
        assertEquals(1, o.malformed());
        assertEquals(812, o.sockets().get(0).processes().get(0).pid());
        assertEquals(8443, o.sockets().get(1).localPort());
        assertEquals(2, o.sockets().get(1).processes().size());
        assertEquals(1, o.withoutProcess());
    }

    @Test
    void logTimesInEveryFormatTheSourcesWrite() {
        Instant now = Instant.parse("2026-01-02T10:00:00Z");
        Instant boot = Instant.parse("2026-01-01T00:00:00Z");
        assertEquals(Instant.parse("2026-01-02T09:30:00.123456Z"),
                LogTime.of("2026-01-02T10:30:00.123456+01:00 h kernel: x", now, ZoneOffset.UTC, boot));
        assertEquals(Instant.parse("2026-01-02T09:30:00Z"),
                LogTime.of("2026-01-02T10:30:00+0100 h kernel: x", now, ZoneOffset.UTC, boot));
        // syslog stamp: the host's year and offset; late December seen on 2 January is last year
        assertEquals(Instant.parse("2025-12-31T22:00:00Z"),
                LogTime.of("Dec 31 23:00:00 h kernel: x", now, ZoneOffset.ofHours(1), boot));
        assertEquals(Instant.parse("2026-01-02T08:00:00Z"),
                LogTime.of("Jan  2 09:00:00 h kernel: x", now, ZoneOffset.ofHours(1), boot));
        assertEquals(boot.plusSeconds(812), LogTime.of("[  812.123456] nf_conntrack: table full", now, ZoneOffset.UTC, boot));
        assertNull(LogTime.of("nf_conntrack: table full", now, ZoneOffset.UTC, boot));
        assertNull(LogTime.of("Foo 31 23:00:00 h", now, ZoneOffset.UTC, boot));
    }

    @Test
    void textFromHostsIsEscaped() {
        assertEquals("a\\x1b[2Jb\\nc\\td\\u202e", Text.escape("a\u001b[2Jb\nc\td\u202e"));
        assertFalse(Text.oneLine("x\ny", 10).contains("\n"));
    }
}
