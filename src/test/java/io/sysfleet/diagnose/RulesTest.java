package io.sysfleet.diagnose;

import io.sysfleet.core.ConfigException;
import io.sysfleet.core.ExitCode;
import io.sysfleet.inventory.Host;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The finding rules and the remedy check, on samples in the collector's format. */
class RulesTest {
    private static final Diagnoser.Context CTX = Diagnoser.Context.of(Thresholds.DEFAULT, Duration.ofSeconds(5));

    @TempDir
    Path tmp;

    static List<Finding> findings(HostSample s, Thresholds t) {
        return Diagnoser.settle(new Host("web1", Map.of()), s, Rules.evaluate("web1", s, t),
                new Diagnoser.Context(t, Collector.Limits.DEFAULT, Duration.ofSeconds(5), CTX.catalog(), CTX.playbooks()));
    }

    static Finding only(List<Finding> fs, FindingCode c) {
        List<Finding> m = fs.stream().filter(f -> f.code() == c).toList();
        assertEquals(1, m.size(), c + " in " + fs);
        return m.get(0);
    }

    @Test
    void aHealthyHostHasNoFindings() {
        assertEquals(List.of(), findings(new SampleText().sample(), Thresholds.DEFAULT));
    }

    @Test
    void natTimestampRiskNeedsRecycleAndTimestamps() {
        HostSample risky = new SampleText().centos5().key("net.ipv4.tcp_tw_recycle", "1").sample();
        Finding f = only(findings(risky, Thresholds.DEFAULT), FindingCode.NAT_TIMESTAMP_RISK);
        assertEquals(Severity.CRITICAL, f.severity());
        assertEquals(8, f.row());
        assertEquals("08-nat-syn-dropped.yml", f.remedy().playbook());
        assertTrue(f.evidence().stream().anyMatch(e -> e.contains("net.ipv4.tcp_tw_recycle 1 -> 0")), f.evidence().toString());
        assertEquals(List.of(), findings(new SampleText().centos5().key("net.ipv4.tcp_tw_recycle", "1")
                .key("net.ipv4.tcp_timestamps", "0").sample(), Thresholds.DEFAULT));
        assertEquals(List.of(), findings(new SampleText().centos5().key("net.ipv4.tcp_tw_recycle", "0").sample(),
                Thresholds.DEFAULT));
    }

    @Test
    void natRiskOnAKernelWhoseRowPlaybookSkipsTheKeySaysSo() {
        // A modern kernel with tcp_tw_recycle present (as only the centos5 test double makes it): 08 skips the task.
        Finding f = only(findings(new SampleText().key("net.ipv4.tcp_tw_recycle", "1").sample(), Thresholds.DEFAULT),
                FindingCode.NAT_TIMESTAMP_RISK);
        assertEquals(Severity.CRITICAL, f.severity());
        assertTrue(!f.remedy().hasPlaybook() && f.remedy().advice().contains("by hand"), f.remedy().advice());
    }

    @Test
    void finTimeoutOutsideItsRange() {
        Finding f = only(findings(new SampleText().key("net.ipv4.tcp_fin_timeout", "600").sample(), Thresholds.DEFAULT),
                FindingCode.FIN_TIMEOUT_CHANGED);
        assertEquals(2, f.row());
        assertEquals("02-fin-timeout.yml", f.remedy().playbook());
        assertEquals(List.of(), findings(new SampleText().key("net.ipv4.tcp_fin_timeout", "30").sample(), Thresholds.DEFAULT));
        assertEquals(1, findings(new SampleText().key("net.ipv4.tcp_fin_timeout", "5").sample(), Thresholds.DEFAULT).size());
    }

    @Test
    void closeWaitNamesProcessesPortsAndTheApplicationFix() throws IOException {
        HostSample s = new SampleText().tcp4(ParsersTest.fixture("proc-net-tcp.txt"))
                .ss(ParsersTest.fixture("ss-close-wait.txt")).sample();
        Finding f = only(findings(s, Thresholds.DEFAULT.with("close_wait_high", 50)), FindingCode.CLOSE_WAIT_LEAK);
        assertEquals(4, f.row());
        assertNull(f.remedy().playbook());
        assertTrue(f.remedy().advice().contains("leaky-app (pid 75)"), f.remedy().advice());
        assertTrue(f.remedy().advice().contains("read() returning -1"));
        assertTrue(f.summary().contains("port 9401 (80)"), f.summary());
        assertEquals(List.of(), findings(s, Thresholds.DEFAULT.with("close_wait_high", 81)).stream()
                .filter(x -> x.code() == FindingCode.CLOSE_WAIT_LEAK).toList());
    }

    @Test
    void timeWaitAtTheBucketLimitIsAnOverflowAndTheRemedyIsSized() {
        HostSample s = new SampleText().key("net.ipv4.tcp_max_tw_buckets", "300")
                .sockstat("TCP: inuse 3 orphan 0 tw 300 alloc 3 mem 1\n")
                .netstat("TcpExt: TW TCPTimeWaitOverflow\nTcpExt: 5 36\n").sample();
        Finding f = only(findings(s, Thresholds.DEFAULT), FindingCode.TW_BUCKET_OVERFLOW);
        assertEquals(Severity.CRITICAL, f.severity());
        assertEquals(6, f.row());
        assertEquals(262_144L, f.remedy().vars().get("max_tw_buckets"));
        assertTrue(f.evidence().stream().anyMatch(e -> e.contains("TCPTimeWaitOverflow 36")));
        // a larger host gets twice its limit, never less than it has
        HostSample big = new SampleText().key("net.ipv4.tcp_max_tw_buckets", "400000")
                .sockstat("TCP: inuse 3 orphan 0 tw 400000 alloc 3 mem 1\n").sample();
        assertEquals(800_000L, only(findings(big, Thresholds.DEFAULT), FindingCode.TW_BUCKET_OVERFLOW).remedy().vars()
                .get("max_tw_buckets"));
        HostSample near = new SampleText().key("net.ipv4.tcp_max_tw_buckets", "1000")
                .sockstat("TCP: inuse 3 orphan 0 tw 850 alloc 3 mem 1\n").sample();
        assertEquals(Severity.WARNING, only(findings(near, Thresholds.DEFAULT), FindingCode.TIME_WAIT_NEAR_LIMIT).severity());
    }

    @Test
    void overflowHistoryWithTheLimitRaisedIsOnlyInformation() {
        HostSample s = new SampleText().key("net.ipv4.tcp_max_tw_buckets", "262144")
                .netstat("TcpExt: TW TCPTimeWaitOverflow\nTcpExt: 5 36\n")
                .log("/var/log/messages", 0, 4, "tw_overflow Jan  2 09:59:00 h kernel: TCP: time wait bucket table overflow")
                .sample();
        Finding f = only(findings(s, Thresholds.DEFAULT), FindingCode.TW_BUCKET_OVERFLOW);
        assertEquals(Severity.INFO, f.severity());
        assertNull(f.remedy());
        assertTrue(f.evidence().get(f.evidence().size() - 1).contains("already in place"));
        // the same history with a low limit is critical while the line is recent, a warning when it is old
        HostSample low = new SampleText().key("net.ipv4.tcp_max_tw_buckets", "5000")
                .log("/var/log/messages", 0, 4, "tw_overflow Jan  2 09:59:00 h kernel: TCP: time wait bucket table overflow")
                .sample();
        assertEquals(Severity.CRITICAL, only(findings(low, Thresholds.DEFAULT), FindingCode.TW_BUCKET_OVERFLOW).severity());
        HostSample old = new SampleText().key("net.ipv4.tcp_max_tw_buckets", "5000")
                .log("/var/log/messages", 0, 4, "tw_overflow Dec 20 09:59:00 h kernel: TCP: time wait bucket table overflow")
                .sample();
        assertEquals(Severity.WARNING, only(findings(old, Thresholds.DEFAULT), FindingCode.TW_BUCKET_OVERFLOW).severity());
    }

    @Test
    void conntrackFullFromTheLogOrTheCountersBothNamings() {
        HostSample log = new SampleText().log("/var/log/kern.log", 7, 0,
                "conntrack_full 2026-01-02T09:00:00+00:00 h kernel: nf_conntrack: table full, dropping packet").sample();
        Finding f = only(findings(log, Thresholds.DEFAULT), FindingCode.CONNTRACK_TABLE_FULL);
        assertEquals(Severity.CRITICAL, f.severity());
        assertEquals(7, f.row());
        assertEquals("07-conntrack-table-full.yml", f.remedy().playbook());
        assertTrue(f.evidence().stream().anyMatch(e -> e.contains("/var/log/kern.log: 7")), f.evidence().toString());
        HostSample near = new SampleText().key("net.netfilter.nf_conntrack_count", "230000").sample();
        assertEquals(Severity.WARNING, only(findings(near, Thresholds.DEFAULT), FindingCode.CONNTRACK_NEAR_FULL).severity());
        // CentOS 5 names (ip_conntrack_*): the count and max are read under them
        HostSample c5 = new SampleText().centos5().key("net.netfilter.nf_conntrack_max", null)
                .key("net.netfilter.nf_conntrack_count", null)
                .key("net.netfilter.nf_conntrack_tcp_timeout_established", null)
                .key("net.ipv4.netfilter.ip_conntrack_max", "65536").key("net.ipv4.netfilter.ip_conntrack_count", "65536")
                .key("net.ipv4.netfilter.ip_conntrack_tcp_timeout_established", "432000").sample();
        Finding full = only(findings(c5, Thresholds.DEFAULT), FindingCode.CONNTRACK_TABLE_FULL);
        assertTrue(full.evidence().stream().anyMatch(e -> e.contains("changes net.ipv4.netfilter.ip_conntrack_max 65536 -> 655350")),
                full.evidence().toString());
    }

    @Test
    void rowFiveKeepsRowSixsLimit() {
        HostSample s = new SampleText().key("net.ipv4.tcp_max_tw_buckets", "64")
                .sockstat("TCP: inuse 3 orphan 0 tw 64 alloc 3 mem 1\n")
                .tcp4(SampleText.sockets(60, "05", 9401)).sample();
        List<Finding> fs = findings(s, Thresholds.DEFAULT.with("fin_wait2_high", 50));
        assertEquals(262_144L, only(fs, FindingCode.FIN_WAIT2_HIGH).remedy().vars().get("max_tw_buckets"));
        HostSample alone = new SampleText().tcp4(SampleText.sockets(60, "05", 9401)).sample();
        assertEquals(5_000L, only(findings(alone, Thresholds.DEFAULT.with("fin_wait2_high", 50)),
                FindingCode.FIN_WAIT2_HIGH).remedy().vars().get("max_tw_buckets"));
    }

    @Test
    void timeWaitHighWithRowThreesSettingsInPlaceIsInformation() {
        HostSample s = new SampleText().key("net.ipv4.tcp_tw_reuse", "1").key("net.ipv4.tcp_fin_timeout", "30")
                .sockstat("TCP: inuse 3 orphan 0 tw 20000 alloc 3 mem 1\n").sample();
        Finding f = only(findings(s, Thresholds.DEFAULT), FindingCode.TIME_WAIT_HIGH);
        assertEquals(Severity.INFO, f.severity());
        HostSample unfixed = new SampleText().sockstat("TCP: inuse 3 orphan 0 tw 20000 alloc 3 mem 1\n").sample();
        Finding g = only(findings(unfixed, Thresholds.DEFAULT), FindingCode.TIME_WAIT_HIGH);
        assertEquals(Severity.WARNING, g.severity());
        assertEquals("03-time-wait.yml", g.remedy().playbook());
    }

    @Test
    void thresholdsFromYamlWithFileLineErrors() throws IOException {
        Path good = tmp.resolve("t.yml");
        Files.writeString(good, "close_wait_high: 500\ntw_buckets_warn_ratio: 0.5\n");
        Thresholds t = Thresholds.DEFAULT.load(good);
        assertEquals(500, t.closeWaitHigh());
        assertEquals(0.5, t.twBucketsWarnRatio());
        Path bad = tmp.resolve("bad.yml");
        Files.writeString(bad, "close_wait_high: 500\ntime_wait_hihg: 3\nconntrack_warn_ratio: 2\nfin_wait2_high: lots\n");
        ConfigException e = assertThrows(ConfigException.class, () -> Thresholds.DEFAULT.load(bad));
        assertEquals(3, e.problems().size(), e.getMessage());
        assertTrue(e.getMessage().contains("bad.yml:2:1: unknown threshold 'time_wait_hihg'"), e.getMessage());
        assertTrue(e.getMessage().contains("bad.yml:3:23: conntrack_warn_ratio must be a ratio"), e.getMessage());
        assertTrue(e.getMessage().contains("bad.yml:4:17: threshold 'fin_wait2_high' must be a number"), e.getMessage());
        assertEquals(ExitCode.CONFIG, e.exitCode());
        assertThrows(IllegalArgumentException.class, () -> Thresholds.DEFAULT.with("fin_timeout_min", "90"));
        assertThrows(IllegalArgumentException.class, () -> Thresholds.DEFAULT.with("close_wait_high", "-1"));
    }

    @Test
    void exitCodeByFailOnAndHostProblemsFirst() {
        Finding warn = new Finding(FindingCode.CLOSE_WAIT_LEAK, Severity.WARNING, "a", "s", List.of(), null);
        HostDiagnosis a = new HostDiagnosis("a", HostDiagnosis.Status.DIAGNOSED, null, null, null, List.of(warn), Duration.ZERO);
        FleetDiagnosis d = new FleetDiagnosis(Instant.EPOCH, Instant.EPOCH, Thresholds.DEFAULT, List.of(a));
        assertEquals(ExitCode.FINDINGS, d.exitCode(Severity.WARNING));
        assertEquals(ExitCode.FINDINGS, d.exitCode(Severity.INFO));
        assertEquals(ExitCode.OK, d.exitCode(Severity.CRITICAL));
        assertEquals(ExitCode.OK, d.exitCode(null));
        FleetDiagnosis down = new FleetDiagnosis(Instant.EPOCH, Instant.EPOCH, Thresholds.DEFAULT, List.of(a,
                HostDiagnosis.failure("b", HostDiagnosis.Status.UNREACHABLE, io.sysfleet.result.Phase.CONNECT, "refused")));
        assertEquals(ExitCode.UNREACHABLE, down.exitCode(Severity.WARNING));
        assertNotNull(ExitCode.valueOf("FINDINGS"));
        assertEquals(8, ExitCode.FINDINGS.code());
    }
}
