package io.sysfleet.facts;

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
    void filesThatAreNoSysctlFilesAreReportedNotSent(@TempDir Path dir) throws Exception {
        Path big = dir.resolve("big.conf");
        byte[] line = "net.core.somaxconn = 1024\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        try (var out = Files.newOutputStream(big)) {
            for (long n = 0; n <= FactsProbe.MAX_FILE_BYTES / line.length; n++) {
                out.write(line);
            }
        }
        Path fifo = dir.resolve("fifo.conf");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        Path binary = dir.resolve("binary.conf");
        Files.write(binary, new byte[] {'a', '=', '1', '\n', 0, 1, 2});
        Path text = dir.resolve("ok.conf");
        Files.write(text, "# caf\u00e9\nnet.core.somaxconn = 1024\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        try (LocalTransport t = new LocalTransport()) {
            FileFact b = FactsProbe.gather(t, big.toString(), List.of(), T).sysctlFile();
            assertTrue(b.problem().startsWith("is " + Files.size(big) + " bytes, larger than the 4194304 bytes"), b.problem());
            assertEquals(null, b.content(), "the content of a too large file is not sent");
            assertTrue(FactsProbe.gather(t, fifo.toString(), List.of(), T).sysctlFile().problem()
                    .startsWith("is not a regular file"));
            assertTrue(FactsProbe.gather(t, dir.toString(), List.of(), T).sysctlFile().problem()
                    .startsWith("is not a regular file"));
            assertTrue(FactsProbe.gather(t, binary.toString(), List.of(), T).sysctlFile().problem()
                    .startsWith("contains NUL bytes"));
            FileFact ok = FactsProbe.gather(t, text.toString(), List.of(), T).sysctlFile();
            assertEquals(null, ok.problem(), "Latin-1 bytes (not UTF-8) are a sysctl file: handled byte for byte");
            assertArrayEquals(Files.readAllBytes(text), ok.content());
        }
    }

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
            HostFacts facts = FactsProbe.gather(t, f.toString(),
                    List.of("net.ipv4.tcp_fin_timeout", "net.ipv4.tcp_tw_recycle", "kernel.osrelease",
                            "net.ipv4.conf.lo.forwarding", "net/ipv4/tcp_syncookies", "net/ipv4/conf/lo/forwarding",
                            "net.ipv4.conf.lo/x.forwarding"), T);
            assertEquals(proc("kernel/osrelease"),
                    facts.kernelRelease());
            assertEquals(Files.exists(Path.of("/etc/os-release")), facts.osRelease() != null);
            FileFact ff = facts.sysctlFile();
            assertArrayEquals(content, ff.content());
            assertEquals("640", ff.mode());
            assertEquals(FactsParser.sha256(content), ff.sha256());
            assertEquals(proc("net/ipv4/tcp_fin_timeout"),
                    facts.live().get("net.ipv4.tcp_fin_timeout").value());
            assertEquals(facts.kernelRelease(), facts.live().get("kernel.osrelease").value());
            assertEquals(LiveValue.State.ABSENT, facts.live().get("net.ipv4.tcp_tw_recycle").state());
            assertTrue(facts.live().get("net.ipv4.conf.lo.forwarding").present());
            // a key written with slashes means the same path (sysctl accepts both separators)
            assertTrue(facts.live().get("net/ipv4/tcp_syncookies").present());
            assertTrue(facts.live().get("net/ipv4/conf/lo/forwarding").present());
            // slash inside a dotted key is a dot in the path: interface "lo.x" does not exist
            assertEquals(LiveValue.State.ABSENT, facts.live().get("net.ipv4.conf.lo/x.forwarding").state());

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
    void keyToPathFollowsSysctlsRule() {
        assertEquals("net/ipv4/tcp_fin_timeout", FactsProbe.procPath("net.ipv4.tcp_fin_timeout"));
        assertEquals("net/ipv4/conf/eth0.100/rp_filter", FactsProbe.procPath("net.ipv4.conf.eth0/100.rp_filter"));
        assertEquals("net/ipv4/conf/eth0.100/rp_filter", FactsProbe.procPath("net/ipv4/conf/eth0.100/rp_filter"));
    }

    @Test
    void keysThatCouldLeaveProcSysOrInjectAreRefused() {
        for (String bad : List.of("net.//.x", "net..x", "", "a b", "$(id)", "-n", "net.ipv4.*", "x.", "../etc",
                "net.ipv4.tcp_fin_timeout;id", "net./.x")) {
            assertThrows(IllegalArgumentException.class, () -> FactsProbe.command("/etc/sysctl.conf", List.of(bad)),
                    bad);
        }
        assertThrows(IllegalArgumentException.class, () -> FactsProbe.command("etc/sysctl.conf", List.of()));
        // user data is never part of the script text
        String key = "net.ipv4.tcp_fin_timeout";
        assertFalse(FactsProbe.SCRIPT.contains(key));
        assertTrue(FactsProbe.command("/etc/sysctl.conf", List.of(key)).toShell().endsWith("'" + key + "'"));
    }
}
