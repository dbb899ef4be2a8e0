package io.sysfleet.facts;

import java.util.stream.Stream;
import io.sysfleet.sysctl.SysctlKey;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sysfleet.transport.LocalTransport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The probe script run for real on this machine through {@link LocalTransport} (no Docker needed). */
class FactsProbeTest {
    private static final Duration T = Duration.ofSeconds(20);

    @Test
    void gathersFactsFromThisMachine(@TempDir Path dir) throws IOException {
        byte[] content = new byte[512];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) i; // NUL, newlines, 0xff: every byte must survive
        }
        Path f = dir.resolve("sysctl 'test'.conf");
        Files.write(f, content);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r-----"));
        try (LocalTransport t = new LocalTransport()) {
            HostFacts facts = FactsProbe.gather(t, f.toString(), Stream.of("net.ipv4.tcp_fin_timeout",
                    "net.ipv4.tcp_tw_recycle", "kernel.osrelease", "net.ipv4.conf.lo.forwarding",
                    "net/ipv4/tcp_syncookies", "net/ipv4/conf/lo/forwarding", "net.ipv4.conf.lo/x.forwarding")
                    .map(SysctlKey::of).toList(), T);
            assertEquals(proc("kernel/osrelease"),
                    facts.kernelRelease());
            assertEquals(Files.exists(Path.of("/etc/os-release")), facts.osRelease() != null);
            FileFact ff = facts.sysctlFile();
            assertArrayEquals(content, ff.content());
            assertEquals("640", ff.mode());
            assertEquals(FactsParser.sha256(content), ff.sha256());
            assertEquals(proc("net/ipv4/tcp_fin_timeout"),
                    facts.live(SysctlKey.of("net.ipv4.tcp_fin_timeout")).value());
            assertEquals(facts.kernelRelease(), facts.live(SysctlKey.of("kernel.osrelease")).value());
            assertEquals(LiveValue.State.ABSENT, facts.live(SysctlKey.of("net.ipv4.tcp_tw_recycle")).state());
            assertTrue(facts.live(SysctlKey.of("net.ipv4.conf.lo.forwarding")).present());
            // a key written with slashes means the same path (sysctl accepts both separators)
            assertTrue(facts.live(SysctlKey.of("net/ipv4/tcp_syncookies")).present());
            assertTrue(facts.live(SysctlKey.of("net/ipv4/conf/lo/forwarding")).present());
            // slash inside a dotted key is a dot in the path: interface "lo.x" does not exist
            assertEquals(LiveValue.State.ABSENT, facts.live(SysctlKey.of("net.ipv4.conf.lo/x.forwarding")).state());

            HostFacts none = FactsProbe.gather(t, dir.resolve("missing.conf").toString(), List.of(), T);
            assertFalse(none.sysctlFile().exists());
            assertTrue(none.live().isEmpty());
        }
    }

    /** Reads a /proc/sys file with a stream (Files.readString trusts the size procfs reports, 0). */
    private static String proc(String path) throws IOException {
        try (var in = Files.newInputStream(Path.of("/proc/sys", path))) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
        }
    }

    @Test
    void keysTravelAsTheirPathsByTheOneKeyRule() {
        // the probe is given paths: the key type applied procps's rule (see SysctlKeyTest)
        assertTrue(FactsProbe.command("/etc/sysctl.conf", List.of(SysctlKey.of("net.ipv4.conf.eth0/100.rp_filter")))
                .toShell().endsWith("'net/ipv4/conf/eth0.100/rp_filter'"));
        assertTrue(FactsProbe.command("/etc/sysctl.conf", List.of(SysctlKey.of("net/ipv4/conf/eth0.100/rp_filter")))
                .toShell().endsWith("'net/ipv4/conf/eth0.100/rp_filter'"));
        // two spellings of one key are asked for once
        assertEquals(FactsProbe.command("/f", List.of(SysctlKey.of("net.ipv4.tcp_fin_timeout"))).toShell(),
                FactsProbe.command("/f", List.of(SysctlKey.of("net.ipv4.tcp_fin_timeout"),
                        SysctlKey.of("net/ipv4/tcp_fin_timeout"))).toShell());
    }

    @Test
    void keysThatCouldLeaveProcSysOrInjectAreRefused() {
        // the key type refuses them before any probe can be built
        for (String bad : List.of("net.//.x", "net..x", "", "a b", "$(id)", "-n", "net.ipv4.*", "x.", "../etc",
                "net.ipv4.tcp_fin_timeout;id", "net./.x")) {
            assertThrows(IllegalArgumentException.class, () -> SysctlKey.of(bad), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> FactsProbe.command("etc/sysctl.conf", List.of()));
        // user data is never part of the script text
        SysctlKey key = SysctlKey.of("net.ipv4.tcp_fin_timeout");
        assertFalse(FactsProbe.SCRIPT.contains(key.path()));
        assertTrue(FactsProbe.command("/etc/sysctl.conf", List.of(key)).toShell().endsWith("'" + key.path() + "'"));
    }
}
