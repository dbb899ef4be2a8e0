package io.sysfleet.facts;

import io.sysfleet.sysctl.SysctlKey;
import io.sysfleet.transport.Become;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sysfleet.testing.TestFleet;
import io.sysfleet.transport.Command;
import io.sysfleet.transport.ExecResult;
import io.sysfleet.transport.SshTransport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Facts from the four host profiles over SSH. Release files differ per profile; the kernel is the real one
 * everywhere, so live values come from the real kernel (each container's own network namespace). The only
 * exception, and a TEST DOUBLE: on the centos5 profile the net.ipv4.netfilter.ip_conntrack_* keys are emulated
 * by the image's sysctl-legacy-double (src/image/usr/local/sbin/), because the modern kernel has no such keys.
 */
class FactsIT {
    private static final Duration T = Duration.ofSeconds(30);
    private static final String FIN = "net.ipv4.tcp_fin_timeout";
    private static final String RECYCLE = "net.ipv4.tcp_tw_recycle";
    private static final String CT_MAX = "net.ipv4.netfilter.ip_conntrack_max";
    private static final String CT_EST = "net.ipv4.netfilter.ip_conntrack_tcp_timeout_established";
    private static final String NF_EST = "net.netfilter.nf_conntrack_tcp_timeout_established";
    private static final List<String> KEYS = List.of(FIN, RECYCLE, CT_MAX, CT_EST, NF_EST);

    private static TestFleet fleet;
    private static final Map<String, SshTransport> ssh = new ConcurrentHashMap<>();

    @BeforeAll
    static void setUp() {
        fleet = TestFleet.start("debian12", "centos7", "centos6", "centos5");
        for (TestFleet.Host h : fleet.hosts()) {
            ssh.put(h.profile(), SshTransport.connect(h.name(),
                    fleet.options(h, TestFleet.USER).withBecome(Become.root()), fleet.env(), Clock.systemUTC()));
        }
    }

    @AfterAll
    static void tearDown() {
        ssh.values().forEach(SshTransport::close);
        if (fleet != null) {
            fleet.close();
        }
    }

    private static HostFacts facts(String profile) {
        return FactsProbe.gather(ssh.get(profile), "/etc/sysctl.conf", KEYS.stream().map(SysctlKey::of).toList(), T);
    }

    private static String controllerKernel() throws IOException {
        try (var in = Files.newInputStream(Path.of("/proc/sys/kernel/osrelease"))) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip();
        }
    }

    @Test
    void releaseFilesDifferPerProfileAndTheKernelIsTheRealOne() throws IOException {
        HostFacts debian = facts("debian12");
        assertTrue(debian.osRelease().contains("PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\""), debian.osRelease());
        assertNull(debian.redhatRelease());
        HostFacts c7 = facts("centos7");
        assertEquals("CentOS Linux release 7.9.2009 (Core)\n", c7.redhatRelease());
        assertTrue(c7.osRelease().contains("VERSION_ID=\"7\""), c7.osRelease());
        HostFacts c6 = facts("centos6");
        assertEquals("CentOS release 6.10 (Final)\n", c6.redhatRelease());
        assertNull(c6.osRelease());
        HostFacts c5 = facts("centos5");
        assertEquals("CentOS release 5.11 (Final)\n", c5.redhatRelease());
        assertNull(c5.osRelease());
        for (HostFacts f : List.of(debian, c7, c6, c5)) {
            assertEquals(controllerKernel(), f.kernelRelease());
            FileFact file = f.sysctlFile();
            assertTrue(file.exists() && file.readable(), file.toString());
            assertEquals("root", file.owner());
            assertEquals(FactsParser.sha256(file.content()), file.sha256());
        }
    }

    @Test
    void liveValuesComeFromTheRealKernel() throws Exception {
        for (TestFleet.Host h : fleet.hosts()) {
            HostFacts f = facts(h.profile());
            String inContainer = h.container().execInContainer("cat", "/proc/sys/net/ipv4/tcp_fin_timeout")
                    .getStdout().strip();
            assertEquals(new LiveValue(LiveValue.State.PRESENT, inContainer), f.live(SysctlKey.of(FIN)), h.profile());
            // removed in Linux 4.12: absent on every profile, the old release files do not bring it back
            assertEquals(LiveValue.State.ABSENT, f.live(SysctlKey.of(RECYCLE)).state(), h.profile());
            assertTrue(f.live(SysctlKey.of(NF_EST)).present(), h.profile());
        }
        assertEquals(LiveValue.State.ABSENT, facts("debian12").live(SysctlKey.of(CT_MAX)).state());
        assertEquals(LiveValue.State.ABSENT, facts("centos6").live(SysctlKey.of(CT_MAX)).state());
    }

    @Test
    void sysctlWriteGoesToTheContainersKernel() throws IOException {
        SshTransport t = ssh.get("debian12");
        String controllerBefore = readProc("net/ipv4/tcp_fin_timeout");
        ExecResult w = t.exec(Command.of("sysctl", "-w", FIN + "=33"), T);
        assertEquals(0, w.exitCode(), w.stderrText());
        assertEquals("net.ipv4.tcp_fin_timeout = 33\n", w.stdoutText());
        assertEquals("33\n", t.exec(Command.of("cat", "/proc/sys/net/ipv4/tcp_fin_timeout"), T).stdoutText());
        assertEquals("33", facts("debian12").live(SysctlKey.of(FIN)).value());
        assertEquals(controllerBefore, readProc("net/ipv4/tcp_fin_timeout"), "the controller's kernel is untouched");
        // the absent key fails for real, as on any kernel >= 4.12
        ExecResult r = t.exec(Command.of("sysctl", "-w", RECYCLE + "=0"), T);
        assertEquals(1, r.exitCode());
        assertTrue(r.stderrText().contains("cannot stat /proc/sys/net/ipv4/tcp_tw_recycle"), r.stderrText());
    }

    /** TEST DOUBLE (sysctl-legacy-double): CentOS 5 key names, emulated because this kernel lacks them. */
    @Test
    void centos5LegacyConntrackKeysFromTheTestDoubleAreReadableAndWritable() {
        SshTransport t = ssh.get("centos5");
        HostFacts before = facts("centos5");
        assertEquals("65536", before.live(SysctlKey.of(CT_MAX)).value());
        assertEquals("432000", before.live(SysctlKey.of(CT_EST)).value());
        ExecResult w = t.exec(Command.of("sysctl", "-w", CT_MAX + "=655350", CT_EST + "=1200", FIN + "=31"), T);
        assertEquals(0, w.exitCode(), w.stderrText());
        assertEquals("", w.stderrText());
        HostFacts after = facts("centos5");
        assertEquals("655350", after.live(SysctlKey.of(CT_MAX)).value());
        assertEquals("1200", after.live(SysctlKey.of(CT_EST)).value());
        // keys the kernel has still hit the real kernel on this profile
        assertEquals("31", after.live(SysctlKey.of(FIN)).value());
        assertEquals(LiveValue.State.ABSENT, after.live(SysctlKey.of(RECYCLE)).state());
        ExecResult n = t.exec(Command.of("sysctl", "-n", CT_MAX), T);
        assertEquals("655350\n", n.stdoutText());
        assertFalse(facts("centos7").live(SysctlKey.of(CT_MAX)).present(), "the double exists only on centos5");
    }

    private static String readProc(String path) throws IOException {
        try (var in = Files.newInputStream(Path.of("/proc/sys", path))) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip();
        }
    }
}
