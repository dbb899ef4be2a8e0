package io.sysfleet.diagnose;

import io.sysfleet.catalog.KeyCatalog;
import io.sysfleet.transport.ExecResult;
import io.sysfleet.transport.LocalTransport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * History before the last log rotation: the real collector script, run on this machine through the local
 * transport with its log directory pointed at a temporary one (the only thing changed: it reads this machine's
 * /proc and journal as it would a host's), reads {@code messages.1}, {@code messages.N.gz} and dated
 * {@code kern.log-YYYYMMDD} files, newest first and at most {@link Collector.Limits#rotatedFiles} per log; a
 * rotated file's lines add to its log's count. And what could not be read is said, never taken for a clean log.
 */
class RotatedLogsTest {
    private static final List<String> KEYS = Collector.keys(KeyCatalog.load(), RowPlaybooks.bundled());
    private static final String FULL = " h kernel: nf_conntrack: table full, dropping packet\n";
    private static final String TW = " h kernel: TCP: time wait bucket table overflow\n";

    @TempDir
    Path logs;

    private static String lines(String stamp, String what, int n) {
        return (stamp + what).repeat(n);
    }

    private static void gz(Path file, String text) throws Exception {
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(file))) {
            o.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }

    private HostSample collect(Collector.Limits limits) {
        try (LocalTransport t = new LocalTransport()) {
            ExecResult r = t.exec(Collector.command(limits, KEYS, logs.toString()), Duration.ofSeconds(60));
            assertEquals(0, r.exitCode(), r.stderrText());
            return SampleParser.parse(r.stdout());
        }
    }

    @Test
    void rotatedFilesAreReadNewestFirstBoundedAndCountWithTheirLog() throws Exception {
        Files.writeString(logs.resolve("messages"), "Dec  1 09:00:00 h systemd: nothing to see\n"
                + lines("Dec  1 09:10:00", FULL, 1));
        Files.writeString(logs.resolve("messages.1"), lines("Nov 29 08:00:00", FULL, 2));
        gz(logs.resolve("messages.2.gz"), lines("Nov 22 08:00:00", FULL, 3));
        gz(logs.resolve("messages.3.gz"), lines("Nov 15 08:00:00", FULL, 4));
        Files.writeString(logs.resolve("messages-20261101"), lines("Nov  1 08:00:00", FULL, 100)); // a 4th: not read
        Files.writeString(logs.resolve("kern.log-20261120"), lines("Nov 20 07:00:00", TW, 5));
        Files.writeString(logs.resolve("kern.log-20261127"), lines("Nov 27 07:00:00", TW, 6));
        Files.writeString(logs.resolve("kern.log-2026 evil"), lines("Nov 28 07:00:00", TW, 7)); // not a plain name

        HostSample s = collect(Collector.Limits.DEFAULT);
        Map<String, LogSource> byName = s.logs().stream().collect(Collectors.toMap(
                l -> l.name().startsWith(logs.toString()) ? l.name().substring(logs.toString().length() + 1) : l.name(),
                Function.identity()));
        assertEquals(List.of("messages", "messages.1", "messages.2.gz", "messages.3.gz", "kern.log",
                        "kern.log-20261127", "kern.log-20261120"),
                s.logs().stream().map(LogSource::name).filter(n -> n.startsWith(logs.toString()))
                        .map(n -> n.substring(logs.toString().length() + 1)).toList(), "newest first, 3 per log");
        assertEquals(1, byName.get("messages").count(LogPattern.CONNTRACK_FULL));
        assertEquals(2, byName.get("messages.1").count(LogPattern.CONNTRACK_FULL));
        assertEquals(3, byName.get("messages.2.gz").count(LogPattern.CONNTRACK_FULL), "decompressed");
        assertEquals(4, byName.get("messages.3.gz").count(LogPattern.CONNTRACK_FULL));
        assertEquals(logs.resolve("messages").toString(), byName.get("messages.2.gz").family());
        assertTrue(byName.get("messages.1").rotated());
        assertFalse(byName.get("messages").rotated());
        assertEquals(LogSource.Status.ABSENT, byName.get("kern.log").status());
        assertEquals(6, byName.get("kern.log-20261127").count(LogPattern.TW_OVERFLOW));
        assertEquals(5, byName.get("kern.log-20261120").count(LogPattern.TW_OVERFLOW));

        // One log's files add up (they hold different days); the latest line is the current file's.
        Rules.LogEvidence full = Rules.LogEvidence.of(s, LogPattern.CONNTRACK_FULL);
        assertTrue(full.count() >= 10, "1 + 2 + 3 + 4 over messages and its rotations, got " + full.count());
        assertTrue(full.latestLine().startsWith("Dec  1 09:10:00"), full.latestLine());
        assertTrue(full.perSource().contains(logs.resolve("messages.2.gz") + ": 3"), full.perSource().toString());
        Rules.LogEvidence tw = Rules.LogEvidence.of(s, LogPattern.TW_OVERFLOW);
        assertTrue(tw.count() >= 11, "kern.log's two dated files, got " + tw.count());

        // The bound: with one rotated file per log only messages.1 and the newest dated kern.log are read.
        HostSample one = collect(new Collector.Limits(20_000, 2_000, 3, 512, 16L * 1024 * 1024, false, 1, 1000));
        assertEquals(List.of("messages", "messages.1", "kern.log", "kern.log-20261127"),
                one.logs().stream().map(LogSource::name).filter(n -> n.startsWith(logs.toString()))
                        .map(n -> n.substring(logs.toString().length() + 1)).toList());
    }

    @Test
    void aRotatedGzipFileIsDecompressedOnlyUpToTheScanLimit() throws Exception {
        // 40 KiB of other lines, then the table's line: with a 16 KiB scan limit the decompression stops before it
        gz(logs.resolve("messages.1.gz"), "Nov 29 08:00:00 h app: x\n".repeat(1700) + lines("Nov 29 09:00:00", FULL, 1));
        HostSample s = collect(new Collector.Limits(20_000, 2_000, 3, 512, 16 * 1024, false, 3, 1000));
        LogSource gz = s.logs().stream().filter(l -> l.name().endsWith("messages.1.gz")).findFirst().orElseThrow();
        assertEquals(LogSource.Status.OK, gz.status());
        assertTrue(gz.truncated(), "said to be scanned in part");
        assertEquals(0, gz.count(LogPattern.CONNTRACK_FULL));
    }

    @Test
    void whenNoLogSourceCanBeReadTheHistoryIsUnknownNotClean() {
        // SampleText's host: dmesg denied, no /var/log files; here the journal is there but not readable either.
        HostSample s = SampleParser.parse(new SampleText().text()
                .replace("@ log journalctl absent\n", "@ log journalctl denied\n").getBytes(StandardCharsets.UTF_8));
        assertFalse(s.logsRead());
        String note = s.notes().stream().filter(n -> n.startsWith("kernel log history unknown")).findFirst()
                .orElseThrow(() -> new AssertionError(s.notes().toString()));
        assertTrue(note.contains("journalctl: permission denied") && note.contains("dmesg: permission denied"), note);
        assertTrue(note.endsWith("connect as root (--become) to read them"), note);

        HostSample partly = new SampleText().log("/var/log/kern.log", 0, 0).sample();
        assertTrue(partly.logsRead());
        assertTrue(partly.notes().contains("kernel log sources not read: dmesg: permission denied; connect as root "
                + "(--become) to read them"), partly.notes().toString());
    }
}
