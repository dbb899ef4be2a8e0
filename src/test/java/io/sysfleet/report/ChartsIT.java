package io.sysfleet.report;

import io.sysfleet.testing.TestFleet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's chart command, run as the benchmark harness runs it: the shaded jar in a JVM of its own. */
class ChartsIT {
    @TempDir
    Path tmp;

    @Test
    void theShadedJarDrawsTheChart() throws Exception {
        Path jar = TestFleet.projectRoot().resolve("target/sysfleet.jar");
        assertTrue(Files.isRegularFile(jar), "mvn package builds the jar before integration tests");
        Path csv = tmp.resolve("bench.csv");
        Files.writeString(csv, ChartsTest.CSV);
        Path png = tmp.resolve("wall-time.png");
        Process p = new ProcessBuilder("java", "-cp", jar.toString(), "io.sysfleet.report.Charts", csv.toString(),
                png.toString()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(2, TimeUnit.MINUTES));
        assertEquals(0, p.exitValue(), out);
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(Charts.WIDTH, img.getWidth());
        assertTrue(ChartsTest.pixelsNear(img, Charts.TOOL_COLOURS.get("sysfleet")) > 1000, "sysfleet's line");

        Process bad = new ProcessBuilder("java", "-cp", jar.toString(), "io.sysfleet.report.Charts",
                tmp.resolve("missing.csv").toString(), png.toString()).redirectErrorStream(true).start();
        bad.getOutputStream().close();
        String err = new String(bad.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(bad.waitFor(2, TimeUnit.MINUTES));
        assertEquals(4, bad.exitValue(), err);
        assertTrue(err.startsWith("charts: cannot read "), err);
        assertTrue(!err.contains("Exception"), "one line, no stack trace: " + err);
    }
}
