package io.sysfleet.diagnose;

import io.sysfleet.catalog.KeyCatalog;
import io.sysfleet.transport.ExecResult;
import io.sysfleet.transport.LocalTransport;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The collector's output format: the real script on this machine (LocalTransport), and malformed output. */
class SampleParserTest {
    private static final List<String> KEYS = Collector.keys(KeyCatalog.load(), RowPlaybooks.bundled());

    @Test
    void theCollectorReadsTheTableKeysUnderEveryPlatformNameNotTheWholeCatalog() {
        assertTrue(KEYS.containsAll(List.of("net.ipv4.tcp_fin_timeout", "net.ipv4.tcp_tw_recycle",
                "net.ipv4.tcp_timestamps", "net.ipv4.tcp_max_tw_buckets", "net.netfilter.nf_conntrack_max",
                "net.ipv4.netfilter.ip_conntrack_max", "net.netfilter.nf_conntrack_count")), KEYS.toString());
        assertTrue(KEYS.size() < 40, "only what the table's rows need, got " + KEYS.size());
    }

    @Test
    void theRealCollectorRunsInOneCommandOnThisMachine() {
        try (LocalTransport t = new LocalTransport()) {
            HostSample s = Collector.collect(t, Collector.Limits.DEFAULT, KEYS, Duration.ofSeconds(60));
            assertNotNull(s.platform().kernelRelease());
            assertNotNull(s.value("net.ipv4.tcp_fin_timeout"), "a key every Linux has");
            assertTrue(s.sockstat().inuse() >= 0, "sockstat read");
            assertTrue(s.sockets().exact());
            assertTrue(s.hostNow().isAfter(java.time.Instant.parse("2020-01-01T00:00:00Z")));
            assertEquals(4, s.logs().size(), "journalctl, dmesg, /var/log/messages and /var/log/kern.log tried");
        }
    }

    @Test
    void withoutAwkTheTablesTravelRawAndAreCountedHere() {
        try (LocalTransport t = new LocalTransport()) {
            Collector.Limits limits = new Collector.Limits(20_000, 100, 3, 512, 1024, true);
            ExecResult r = t.exec(Collector.command(limits, KEYS), Duration.ofSeconds(60));
            String out = r.stdoutText();
            assertTrue(out.contains("@ tcp4 ok raw\n"), out);
            HostSample raw = SampleParser.parse(r.stdout());
            // Every socket line of the table travelled (the machine's sockets change under other jobs, so the
            // count is compared with the lines sent, not with another reading).
            long lines = out.lines().dropWhile(l -> !l.startsWith("@ tcp4")).skip(1).takeWhile(l -> l.startsWith("| "))
                    .count();
            assertTrue(raw.sockets().exact());
            assertEquals(lines, raw.sockets().total() - tcp6Sockets(out));
        }
    }

    private static long tcp6Sockets(String out) {
        return out.lines().dropWhile(l -> !l.startsWith("@ tcp6")).skip(1).takeWhile(l -> l.startsWith("| ")).count();
    }

    @Test
    void theTableLimitMakesCountsPartialAndSaysSo() {
        String tcp = SampleText.sockets(50, "06", 80);
        String out = new SampleText().tcp4(tcp).text().replace("total 50", "total 5000");
        HostSample s = SampleParser.parse(out.getBytes(StandardCharsets.UTF_8));
        assertEquals(50, s.sockets().count(TcpState.TIME_WAIT));
        assertTrue(!s.sockets().exact());
        assertTrue(s.notes().stream().anyMatch(n -> n.contains("counted 50 of 5000")), s.notes().toString());
    }

    @Test
    void countedTablesUseTheHostsExactCounts() {
        String out = new SampleText().text().replace("@ tcp4 ok raw\ntotal 0\n",
                "@ tcp4 ok counted\ncount 06 123456\ncount 08 2\n| " + SampleText.sockets(1, "08", 8080).strip()
                        + "\ntotal 123458\n");
        HostSample s = SampleParser.parse(out.getBytes(StandardCharsets.UTF_8));
        assertEquals(123456, s.sockets().count(TcpState.TIME_WAIT));
        assertEquals(2, s.sockets().count(TcpState.CLOSE_WAIT));
        assertEquals(1L, s.sockets().closeWaitPorts().get(8080));
    }

    @Test
    void truncatedOrForeignOutputIsRefused() {
        String good = new SampleText().text();
        assertThrows(SampleParser.FormatException.class,
                () -> SampleParser.parse(good.substring(0, good.indexOf("@ end")).getBytes(StandardCharsets.UTF_8)));
        assertThrows(SampleParser.FormatException.class,
                () -> SampleParser.parse("Welcome to my shell\n".getBytes(StandardCharsets.UTF_8)));
        assertThrows(SampleParser.FormatException.class,
                () -> SampleParser.parse(good.replace("now 1767348000 +0000\n", "").getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void oddSectionsBecomeNotesNotFailures() {
        String out = new SampleText().text().replace("@ end\n", "@ surprise ok\n| x\n@ end\n")
                .replace("@ keys ok\n", "@ keys ok\nkey zz present\nkey " + SampleText.hex("k.x") + " bogus\n");
        HostSample s = SampleParser.parse(out.getBytes(StandardCharsets.UTF_8));
        assertTrue(s.notes().stream().anyMatch(n -> n.contains("surprise")));
        assertEquals("60", s.value("net.ipv4.tcp_fin_timeout"));
    }

    @Test
    void aLogLineCannotForgeSectionsAndKeepsItsBytes() {
        HostSample s = new SampleText().log("/var/log/messages", 1, 0,
                "conntrack_full Jan  2 09:00:00 h kernel: \u001b[31m@ end nf_conntrack: table full, dropping packet").sample();
        LogSource src = s.logs().stream().filter(l -> l.name().equals("/var/log/messages")).findFirst().orElseThrow();
        assertEquals(1, src.count(LogPattern.CONNTRACK_FULL));
        assertTrue(src.latest(LogPattern.CONNTRACK_FULL).get(0).contains("\u001b[31m@ end"));
        assertEquals(LogSource.Status.DENIED, s.logs().get(1).status());
    }

    @Test
    void theCommandRefusesKeysThatAreNotPlainNames() {
        assertThrows(IllegalArgumentException.class, () -> Collector.command(Collector.Limits.DEFAULT,
                List.of("net.ipv4.tcp_fin_timeout; rm -rf /")));
        assertThrows(IllegalArgumentException.class, () -> Collector.command(Collector.Limits.DEFAULT,
                List.of("../../etc/shadow")));
    }

    @Test
    void anOversizedOrFailingCollectorFailsTheHostOnly() {
        ExecResult big = new ExecResult(0, new byte[Collector.MAX_OUTPUT_BYTES + 1], new byte[0]);
        io.sysfleet.core.SysfleetException e = assertThrows(io.sysfleet.core.SysfleetException.class,
                () -> Collector.collect(new Canned("h1", big), Collector.Limits.DEFAULT, KEYS, Duration.ofSeconds(1)));
        assertEquals("h1", e.host());
        assertTrue(e.getMessage().contains("more than"));
        io.sysfleet.core.SysfleetException e2 = assertThrows(io.sysfleet.core.SysfleetException.class,
                () -> Collector.collect(new Canned("h1", new ExecResult(127, new byte[0],
                        "sh: 1: od: not found\n".getBytes(StandardCharsets.UTF_8))), Collector.Limits.DEFAULT, KEYS,
                        Duration.ofSeconds(1)));
        assertTrue(e2.getMessage().contains("od: not found"));
    }

    /** A transport that returns one canned result (a test double for a host's misbehaviour). */
    record Canned(String host, ExecResult result) implements io.sysfleet.transport.Transport {
        @Override
        public ExecResult exec(io.sysfleet.transport.Command cmd, Duration timeout) {
            return result;
        }

        @Override
        public void close() {
        }
    }
}
