package io.sysfleet.report;

import io.sysfleet.core.SysfleetException;
import io.sysfleet.testing.TestFleet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChartsTest {
    static final String CSV = """
            # wall time of converging playbooks/site.yml from drift, median of 3
            tool,hosts,median_wall_s,forks
            ssh-loop,10,4.1,10
            sysfleet,10,2.2,10
            ansible-playbook,10,12.9,10
            ssh-loop,50,19.8,25
            sysfleet,50,6.0,25
            ansible-playbook,50,48.5,25
            ssh-loop,100,40.2,25
            sysfleet,100,11.3,25
            ansible-playbook,100,95.0,25
            """;

    @TempDir
    Path tmp;

    private Path csv(String text) throws Exception {
        Path p = tmp.resolve("bench-" + text.hashCode() + ".csv");
        Files.writeString(p, text);
        return p;
    }

    /** Pixels within a small distance of {@code c} (anti-aliased lines blend at their edges). */
    static int pixelsNear(BufferedImage img, Color c) {
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                Color p = new Color(img.getRGB(x, y));
                int d = Math.abs(p.getRed() - c.getRed()) + Math.abs(p.getGreen() - c.getGreen())
                        + Math.abs(p.getBlue() - c.getBlue());
                if (d < 40) {
                    n++;
                }
            }
        }
        return n;
    }

    private BufferedImage draw(String text) throws Exception {
        Path png = tmp.resolve("out/chart.png");
        Charts.write(Charts.read(csv(text), null), "Converge from drift", png);
        BufferedImage img = ImageIO.read(png.toFile());
        assertTrue(img != null, "a PNG ImageIO decodes");
        return img;
    }

    @Test
    void drawsOneLinePerToolOnAWhiteChart() throws Exception {
        BufferedImage img = draw(CSV);
        assertEquals(Charts.WIDTH, img.getWidth());
        assertEquals(Charts.HEIGHT, img.getHeight());
        Set<Integer> colours = new HashSet<>();
        int white = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                colours.add(img.getRGB(x, y));
                white += img.getRGB(x, y) == Color.WHITE.getRGB() ? 1 : 0;
            }
        }
        assertTrue(colours.size() > 50, "not blank: " + colours.size() + " colours");
        assertTrue(white < img.getWidth() * img.getHeight() * 0.97, "something drawn on the white background");
        for (String tool : List.of("ssh-loop", "sysfleet", "ansible-playbook")) {
            int n = pixelsNear(img, Charts.TOOL_COLOURS.get(tool));
            assertTrue(n > 1000, tool + "'s line is drawn: " + n + " pixels of its colour");
        }
    }

    @Test
    void aMissingToolLeavesNoLine() throws Exception {
        BufferedImage img = draw(CSV.lines().filter(l -> !l.startsWith("ansible")).reduce("", (a, b) -> a + b + "\n"));
        int red = pixelsNear(img, Charts.TOOL_COLOURS.get("ansible-playbook"));
        assertTrue(red < 50, "no ansible line: " + red);
        assertTrue(pixelsNear(img, Charts.TOOL_COLOURS.get("sysfleet")) > 1000);
    }

    @Test
    void readsColumnsByNameAndPicksAScenario() throws Exception {
        String two = "scenario,median_wall_s,hosts,tool\nconverge,2.5,10,sysfleet\nno-op,1.5,10,sysfleet\n";
        assertEquals(List.of(new Charts.Point("sysfleet", 10, 1.5)), Charts.read(csv(two), "no-op"));
        SysfleetException e = assertThrows(SysfleetException.class, () -> Charts.read(csv(two), null));
        assertTrue(e.getMessage().contains("several scenarios [converge, no-op]"), e.getMessage());
    }

    @Test
    void badInputNamesFileAndLine() throws Exception {
        Path bad = csv("tool,hosts,median_wall_s\nsysfleet,10,1.0\nsysfleet,ten,2.0\n");
        SysfleetException e = assertThrows(SysfleetException.class, () -> Charts.read(bad, null));
        assertEquals(bad + ":3: hosts must be a positive integer, got 'ten'", e.getMessage());
        for (String[] c : List.of(
                new String[] {"tool,hosts\nx,1\n", ":1: no column 'median_wall_s'"},
                new String[] {"tool,hosts,median_wall_s\nx,1,NaN\n", ":2: median_wall_s must be a number"},
                new String[] {"tool,hosts,median_wall_s\nx,1,-2\n", ":2: median_wall_s must be a number"},
                new String[] {"tool,hosts,median_wall_s\nx,1,2,3\n", ":2: expected 3 fields, got 4"},
                new String[] {"tool,hosts,median_wall_s\nx,1,2\nx,1,3\n", ":3: x at 1 hosts is already measured"},
                new String[] {"# nothing\n", ": empty"},
                new String[] {"tool,hosts,median_wall_s\n", ": no measurements"})) {
            SysfleetException x = assertThrows(SysfleetException.class, () -> Charts.read(csv(c[0]), null), c[0]);
            assertTrue(x.getMessage().contains(c[1]), x.getMessage());
            assertEquals(4, x.exitCode().code());
        }
    }

    @Test
    void commandLineExitCodes() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(err, true, StandardCharsets.UTF_8);
        Path png = tmp.resolve("cli.png");
        assertEquals(0, Charts.run(new String[] {"--title", "T", csv(CSV).toString(), png.toString()}, ps));
        assertTrue(Files.size(png) > 1000);
        assertEquals(5, Charts.run(new String[] {csv(CSV).toString()}, ps));
        assertEquals(5, Charts.run(new String[] {"--bogus", "a", "b"}, ps));
        assertEquals(4, Charts.run(new String[] {tmp.resolve("missing.csv").toString(), png.toString()}, ps));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("charts: cannot read"), err.toString());
    }

    /**
     * A check run from the command line that writes the HTML and Markdown reports, in a JVM of its own with class
     * loading logged: the reports carry who ran what, and the charting library (and AWT) is never loaded.
     */
    @Test
    void chartLibraryStaysOffTheRunPath() throws Exception {
        Path root = TestFleet.projectRoot();
        Path inv = tmp.resolve("inv.yml");
        Files.writeString(inv, "all:\n  hosts:\n    web1:\n      ansible_host: 127.0.0.1\n");
        Process p = new ProcessBuilder("java", "-verbose:class", "-cp", System.getProperty("java.class.path"),
                "io.sysfleet.cli.Main", "check", root.resolve("playbooks/site.yml").toString(), "-i", inv.toString(),
                "--offline", "--report-html", tmp.resolve("r.html").toString(),
                "--report-markdown", tmp.resolve("r.md").toString())
                .redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(2, TimeUnit.MINUTES));
        String html = Files.readString(tmp.resolve("r.html"));
        assertTrue(html.contains("data-name=\"web1\""), out);
        assertTrue(html.contains("<h1>sysfleet check "), "the command");
        assertTrue(html.contains(">" + root.resolve("playbooks/site.yml") + "<") && html.contains(">" + inv + "<"),
                "playbook and inventory as given");
        assertTrue(html.contains("id=\"who\">" + System.getProperty("user.name") + " on ")
                || html.contains("id=\"who\">" + System.getenv("USER") + " on "), "who ran it");
        assertFalse(html.contains("id=\"undo\""), "check mode changes nothing");
        assertTrue(Files.readString(tmp.resolve("r.md")).contains("sysfleet check"), "the Markdown summary too");
        assertTrue(out.contains("io.sysfleet.report.HtmlReport"), "the path did render the report");
        assertFalse(out.contains("org.knowm.xchart"), "xchart is not loaded");
        assertFalse(out.contains("java.awt.image.BufferedImage"), "AWT is not loaded");
    }
}
