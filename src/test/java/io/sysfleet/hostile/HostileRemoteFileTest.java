package io.sysfleet.hostile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sysfleet.facts.FactsProbe;
import io.sysfleet.journal.Journal;
import io.sysfleet.journal.RunRecord;
import io.sysfleet.sysctl.UnifiedDiff;
import io.sysfleet.testing.Cli;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A hostile sysctl.conf on the host side, through the real command line and the real remote scripts, on hosts with
 * {@code ansible_connection: local} whose files live in a temp directory ({@code reload: false}: this machine's
 * kernel is only read). Huge and binary files are refused at facts time without a byte of them shown; very long
 * lines and bytes that are not UTF-8 are handled byte for byte. The same on a real sshd container:
 * {@code HostileHostIT}.
 */
class HostileRemoteFileTest {
    private static final AtomicLong TRIED = new AtomicLong();
    private static final AtomicLong REJECTED = new AtomicLong();
    private static final AtomicLong HANDLED = new AtomicLong();
    private static final String SECRET = "root:$6$hash-that-must-never-be-printed";

    @TempDir
    Path dir;

    @AfterAll
    static void figures() {
        Figures.write("HostileRemoteFileTest", "hostile-host", TRIED.get(), REJECTED.get(), HANDLED.get(), 0);
    }

    private Cli.Result sysfleet(String command, String hosts, String... more) throws Exception {
        Path pb = dir.resolve("p.yml");
        Files.writeString(pb, """
                - hosts: all
                  gather_facts: false
                  tasks:
                    - name: Shorter FIN timeout
                      ansible.posix.sysctl:
                        name: net.ipv4.tcp_fin_timeout
                        value: "31"
                        sysctl_file: "{{ conf }}"
                        reload: false
                """);
        Path inv = dir.resolve("inv.yml");
        Files.writeString(inv, "all:\n  hosts:\n" + hosts);
        List<String> args = new ArrayList<>(List.of(command, pb.toString(), "-i", inv.toString(), "--state-dir",
                dir.resolve("state").toString(), "--allow-sysctl-path", dir + "/", "-D", "--progress", "never"));
        args.addAll(List.of(more));
        return Cli.run(args);
    }

    private static String host(String name, Path conf) {
        return "    " + name + ":\n      ansible_connection: local\n      conf: " + conf + "\n";
    }

    private void refused(String name, byte[] content, String error) throws Exception {
        Path conf = dir.resolve(name + ".conf");
        Files.write(conf, content);
        for (String command : List.of("check", "run")) {
            TRIED.incrementAndGet();
            Cli.Result r = sysfleet(command, host(name, conf));
            assertEquals(2, r.exit(), r.out() + r.err());
            assertTrue(r.out().contains("failed: [" + name + "] facts: " + conf + " " + error), r.out());
            assertFalse(r.out().contains("hash-that-must") || r.err().contains("hash-that-must"), "content shown: " + r.out());
            assertArrayEquals(content, Files.readAllBytes(conf), "the file is untouched");
            REJECTED.incrementAndGet();
        }
    }

    @Test
    void aHugeFileIsRefusedByItsSize() throws Exception {
        byte[] line = (SECRET + "\n").getBytes(StandardCharsets.US_ASCII);
        byte[] huge = new byte[(int) FactsProbe.MAX_FILE_BYTES + line.length];
        for (int i = 0; i + line.length <= huge.length; i += line.length) {
            System.arraycopy(line, 0, huge, i, line.length);
        }
        refused("huge", huge, "is " + huge.length + " bytes, larger than the 4194304 bytes of a sysctl file");
    }

    @Test
    void aBinaryFileIsRefused() throws Exception {
        refused("binary", (SECRET + "\n\0\0\u0001\u00ff net.ipv4.tcp_fin_timeout = 60\n").getBytes(StandardCharsets.ISO_8859_1),
                "contains NUL bytes: it is not a sysctl file");
    }

    @Test
    void veryLongLinesAndBytesThatAreNotUtf8AreKeptByteForByte() throws Exception {
        Path conf = dir.resolve("odd.conf");
        byte[] longComment = ("# " + "x".repeat(1_000_000) + "\n").getBytes(StandardCharsets.US_ASCII);
        byte[] notUtf8 = "# caf\u00e9 \u00ff\u00fe\nnet.core.somaxconn = 1024 \u00e9\nnet.ipv4.tcp_fin_timeout = 60\n"
                .getBytes(StandardCharsets.ISO_8859_1);
        byte[] content = concat(longComment, notUtf8);
        Files.write(conf, content);
        TRIED.incrementAndGet();
        Cli.Result r = sysfleet("run", host("odd", conf));
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("changed: [odd]"), r.out());
        byte[] want = concat(longComment, "# caf\u00e9 \u00ff\u00fe\nnet.core.somaxconn = 1024 \u00e9\nnet.ipv4.tcp_fin_timeout = 31\n"
                .getBytes(StandardCharsets.ISO_8859_1));
        assertArrayEquals(want, Files.readAllBytes(conf), "only the managed line changed");
        assertTrue(r.out().contains("\ufffd"), "bytes that are not UTF-8 are shown as U+FFFD in the diff");
        Cli.Result again = sysfleet("run", host("odd", conf));
        assertTrue(again.out().contains("ok: [odd]"), again.out());
        assertArrayEquals(want, Files.readAllBytes(conf));
        HANDLED.incrementAndGet();
    }

    @Test
    void aMegabyteFileWithManyChangesOnOneHostLeavesTheOthersTheRecapReportAndJournalWhole() throws Exception {
        // 20,000 earlier lines for the key with other values: all are commented out, so the diff is ~2 MB.
        StringBuilder sb = new StringBuilder();
        for (int i = 0; sb.length() < 1_000_000; i++) {
            sb.append("net.ipv4.tcp_fin_timeout = ").append(40 + i % 50).append("  # line ").append(i).append('\n');
        }
        Path big = dir.resolve("big.conf");
        Files.writeString(big, sb.toString());
        Path small = dir.resolve("small.conf");
        Files.writeString(small, "net.ipv4.tcp_fin_timeout = 60\n");
        Path report = dir.resolve("report.json");
        TRIED.incrementAndGet();
        Cli.Result r = sysfleet("run", host("big", big) + host("small", small), "--report-json", report.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("changed: [big]") && r.out().contains("changed: [small]"), r.out());
        assertTrue(r.out().contains("PLAY RECAP") && r.out().contains(UnifiedDiff.TRUNCATED), "recap, cut diff");
        assertEquals("net.ipv4.tcp_fin_timeout = 31\n", Files.readString(small));
        assertEquals("31", io.sysfleet.sysctl.SysctlFile.parse(Files.readString(big)).effectiveValues()
                .get("net.ipv4.tcp_fin_timeout"), "the big file converged");
        JsonNode json = new ObjectMapper().readTree(report.toFile());
        JsonNode hosts = json.get("plays").get(0).get("hosts");
        assertEquals(2, hosts.size());
        String diff = hosts.get(0).get("diffs").get(0).asText();
        assertTrue(diff.length() <= UnifiedDiff.DEFAULT_MAX_CHARS + 200 && diff.contains(UnifiedDiff.TRUNCATED));
        RunRecord rec = Journal.list(dir.resolve("state")).get(0);
        assertEquals("finished", rec.status());
        assertEquals(2, rec.hosts().size());
        HANDLED.incrementAndGet();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
