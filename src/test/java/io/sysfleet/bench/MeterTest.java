package io.sysfleet.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The meter runs real commands under GNU time (installed by scripts/setup.sh). */
class MeterTest {
    @TempDir
    Path tmp;

    @Test
    void exitCodeOutputAndCpuOfTheCommandAndItsChildren() throws IOException {
        Path log = tmp.resolve("a.log");
        // a child burns CPU for a moment; the shell waits for it, so its CPU counts
        Meter.Usage u = Meter.run(List.of("sh", "-c", "sh -c 'i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done';"
                + " echo hello; exit 3"), Map.of(), false, null, log, Duration.ofMinutes(2), null);
        assertEquals(3, u.exit());
        assertEquals("hello\n", Files.readString(log));
        assertTrue(u.cpuSeconds() > 0.05, "CPU of the child: " + u);
        assertTrue(u.wallSeconds() >= u.cpuSeconds() * 0.5, u.toString());
        assertTrue(u.maxRssKb() > 0, u.toString());
    }

    @Test
    void treeRssSumsTheProcessesThatRunAtOnce() throws IOException {
        Meter.Usage u = Meter.run(List.of("sh", "-c", "sleep 1 & sleep 1 & sleep 1 & wait"), Map.of(), false, null,
                tmp.resolve("b.log"), Duration.ofMinutes(1), null);
        assertEquals(0, u.exit());
        assertTrue(u.treeRssKb() > u.maxRssKb(), "three sleeps and a shell together outweigh one: " + u);
    }

    @Test
    void aCommandThatOutlivesItsTimeoutIsKilled() {
        IOException e = assertThrows(IOException.class, () -> Meter.run(List.of("sleep", "30"), Map.of(), false,
                null, tmp.resolve("c.log"), Duration.ofSeconds(1), null));
        assertTrue(e.getMessage().contains("did not finish within 1 s"), e.getMessage());
    }

    @Test
    void timeOutputIsParsedFromItsLastLine() throws IOException {
        Meter.Usage u = Meter.parseTime("Command exited with non-zero status 2\n1.50 0.25 12345 2", 3.0, 20000);
        assertEquals(1.75, u.cpuSeconds(), 1e-9);
        assertEquals(20000, u.peakRssKb());
        assertEquals(2, u.exit());
        assertThrows(IOException.class, () -> Meter.parseTime("garbage", 1, 0));
    }
}
