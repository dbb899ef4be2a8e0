package io.sysfleet.facts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sysfleet.facts.BootFiles.Entry;
import io.sysfleet.facts.BootFiles.Listing;
import io.sysfleet.facts.BootFiles.State;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link BootFiles#parse} on output captured in the test image (see src/test/resources/boot/README.md). */
class BootFilesParserTest {

    static byte[] resource(String name) {
        try (InputStream in = BootFilesParserTest.class.getResourceAsStream("/boot/" + name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void parsesTheCapturedDebianLayout() {
        Listing l = BootFiles.parse(resource("debian12-layout.out"));
        assertEquals(BootFiles.DIRS, l.dirs().stream().map(BootFiles.Dir::path).toList());
        assertTrue(l.dirs().stream().allMatch(BootFiles.Dir::exists));
        assertFalse(l.noSysctlD());
        assertFalse(l.truncated());

        List<String> etc = l.entriesIn("/etc/sysctl.d").stream().map(Entry::name).toList();
        // notes.txt is not *.conf; the latin-1 byte of "café" arrives as U+FFFD in the name
        assertEquals(List.of("50-pid-max.conf", "70-caf\uFFFD.conf", "80-dangling.conf", "99-sysctl.conf",
                "99-zz-override.conf"), etc);

        Entry mask = l.entriesIn("/etc/sysctl.d").get(0);
        assertTrue(mask.symlink());
        assertTrue(mask.masked());
        assertEquals(State.OTHER, mask.state());
        assertNull(mask.content());

        Entry cafe = l.entriesIn("/etc/sysctl.d").get(1);
        assertEquals(State.FILE, cafe.state());
        byte[] expected = "# caf\u00e9 latin-1\nnet.ipv4.tcp_keepalive_time = 600\n".getBytes(StandardCharsets.ISO_8859_1);
        assertArrayEquals(expected, cafe.content(), "non-UTF-8 bytes survive unchanged");

        Entry dangling = l.entriesIn("/etc/sysctl.d").get(2);
        assertEquals("/nonexistent.conf", dangling.symlinkTarget());
        assertEquals(State.MISSING, dangling.state());
        assertFalse(dangling.masked());

        Entry link = l.entriesIn("/etc/sysctl.d").get(3);
        assertEquals("/etc/sysctl.d/99-sysctl.conf", link.path());
        assertEquals("../sysctl.conf", link.symlinkTarget());
        assertEquals("/etc/sysctl.conf", link.resolved());
        assertEquals("/etc/sysctl.conf", link.realPath());
        assertEquals("net.ipv4.tcp_fin_timeout = 30\n", utf8(link.content()));

        Entry dirNamedConf = l.entriesIn("/usr/local/lib/sysctl.d").get(0);
        assertEquals("empty.conf", dirNamedConf.name());
        assertEquals(State.OTHER, dirNamedConf.state());
        assertFalse(dirNamedConf.symlink());

        assertEquals(List.of("50-pid-max.conf", "60-run.conf", "99-protect-links.conf"),
                l.entriesIn("/usr/lib/sysctl.d").stream().map(Entry::name).toList());
        assertEquals(l.entriesIn("/usr/lib/sysctl.d").stream().map(Entry::name).toList(),
                l.entriesIn("/lib/sysctl.d").stream().map(Entry::name).toList(), "/lib -> usr/lib in the image");
        assertEquals("net.core.somaxconn = 1024\n", utf8(l.entriesIn("/run/sysctl.d").get(0).content()));

        Entry main = l.sysctlConf();
        assertEquals("/etc/sysctl.conf", main.path());
        assertEquals("/etc", main.dir());
        assertEquals("sysctl.conf", main.name());
        assertFalse(main.symlink());
        assertEquals("net.ipv4.tcp_fin_timeout = 30\n", utf8(main.content()));
    }

    @Test
    void missingDirectoriesHaveNoEntries() {
        Listing l = BootFiles.parse(resource("no-sysctl-d.out"));
        assertTrue(l.noSysctlD());
        assertTrue(l.entries().isEmpty());
        assertEquals(5, l.dirs().size());
        assertEquals(State.FILE, l.sysctlConf().state());
    }

    static String hex(String s) {
        StringBuilder sb = new StringBuilder("x");
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            sb.append(String.format("%02x", b & 0xff));
        }
        return sb.toString();
    }

    private static Listing parse(String text) {
        return BootFiles.parse(text.getBytes(StandardCharsets.US_ASCII));
    }

    private static final String D = "dir " + hex("/etc/sysctl.d") + " 1\n";
    private static final String MAIN = "main " + hex("/etc/sysctl.conf") + " - - missing\n";

    @Test
    void emptyDirectoryAndSkippedFilesAreReported() {
        Listing empty = parse("sysfleet-bootfiles 1\n" + D + MAIN + "end\n");
        assertTrue(empty.entries().isEmpty());
        assertFalse(empty.noSysctlD());
        assertEquals(State.MISSING, empty.sysctlConf().state());

        Listing cut = parse("sysfleet-bootfiles 1\n" + D + "entry " + hex("/etc/sysctl.d") + " " + hex("a.conf")
                + " - - skipped\n" + MAIN + "end\n");
        assertTrue(cut.truncated());
        assertEquals("/etc/sysctl.d/a.conf", BootFiles.firstSkipped(cut).orElseThrow().path());
    }

    @Test
    void queuedFilesAreCutFromTheBlobBySize() {
        String e = "entry " + hex("/etc/sysctl.d") + " ";
        Listing l = parse("sysfleet-bootfiles 1\n" + D + e + hex("a.conf") + " - - read\n" + e + hex("b.conf")
                + " - - read\n" + e + hex("c.conf") + " - - read\n" + "main " + hex("/etc/sysctl.conf")
                + " - - read\nsizes 3 - 0 2\nblob " + hex("a=1xy") + "\nend\n");
        assertEquals(List.of(State.FILE, State.SKIPPED, State.FILE), l.entries().stream().map(Entry::state).toList());
        assertArrayEquals("a=1".getBytes(StandardCharsets.UTF_8), l.entries().get(0).content());
        assertNull(l.entries().get(1).content());
        assertArrayEquals(new byte[0], l.entries().get(2).content());
        assertEquals(State.FILE, l.sysctlConf().state());
        assertArrayEquals("xy".getBytes(StandardCharsets.UTF_8), l.sysctlConf().content());
        assertTrue(l.truncated());
    }

    @Test
    void aBlobThatDoesNotAddUpIsRefused() {
        String m = "main " + hex("/etc/sysctl.conf") + " - - read\n";
        for (String[] c : new String[][]{
                {m + "sizes 3\nblob " + hex("a=12") + "\nend\n", "hold 4 bytes, not the 3"},
                {m + "sizes 3 4\nblob " + hex("a=1") + "\nend\n", "1 files read but 2 sizes"},
                {m + "sizes\nblob x\nend\n", "1 files read but 0 sizes"},
                {m + "end\n", "no sizes or blob"},
                {m + "sizes 3\nend\n", "no sizes or blob"},
                {m + "sizes x3\nblob x\nend\n", "bad size 'x3'"},
                {m + "blob x\nend\n", "blob without sizes"}}) {
            BootFiles.FormatException ex = assertThrows(BootFiles.FormatException.class,
                    () -> parse("sysfleet-bootfiles 1\n" + D + c[0]), c[0]);
            assertTrue(ex.getMessage().contains(c[1]), ex.getMessage() + " should contain " + c[1]);
        }
    }

    @Test
    void malformedOutputIsAClearError() {
        String ok = "sysfleet-bootfiles 1\n" + D + MAIN + "end\n";
        assertEquals(1, parse(ok).dirs().size());
        record Case(String text, String message) {
        }
        String e = "entry " + hex("/etc/sysctl.d") + " " + hex("a.conf") + " ";
        for (Case c : List.of(
                new Case("", "line 1: expected 'sysfleet-bootfiles 1'"),
                new Case("sh: od: not found\n", "line 1: expected"),
                new Case("sysfleet-bootfiles 1\n" + D + MAIN, "truncated: no 'end' line"),
                new Case("sysfleet-bootfiles 1\n" + D + "end\n", "no main file line"),
                new Case("sysfleet-bootfiles 1\n" + D + MAIN + "end\nextra\n", "line 5: unexpected output after 'end'"),
                new Case("sysfleet-bootfiles 1\n" + D + e + "- - file xzz\n" + MAIN + "end\n", "line 3: bad hex field"),
                new Case("sysfleet-bootfiles 1\n" + D + e + "- - file x616\n" + MAIN + "end\n", "line 3: bad hex field"),
                new Case("sysfleet-bootfiles 1\n" + D + e + "- - file\n" + MAIN + "end\n", "line 3: expected 7 fields"),
                new Case("sysfleet-bootfiles 1\n" + D + e + "- - weird\n" + MAIN + "end\n", "line 3: unknown file state"),
                new Case("sysfleet-bootfiles 1\n" + D + e + "- " + hex("/x") + " file x\n" + MAIN + "end\n",
                        "line 3: resolved path for a file that is not a symlink"),
                new Case("sysfleet-bootfiles 1\ndir " + hex("/etc/sysctl.d") + " 0\n" + e + "- - missing\n" + MAIN
                        + "end\n", "line 3: entry outside an existing directory"),
                new Case("sysfleet-bootfiles 1\n" + D + "entry " + hex("/run/sysctl.d") + " " + hex("a.conf")
                        + " - - missing\n" + MAIN + "end\n", "line 3: entry of another directory"),
                new Case("sysfleet-bootfiles 1\n" + D + "entry " + hex("/etc/sysctl.d") + " " + hex("../a.conf")
                        + " - - missing\n" + MAIN + "end\n", "line 3: bad file name"),
                new Case("sysfleet-bootfiles 1\n" + D + MAIN + MAIN + "end\n", "line 4: main file reported twice"),
                new Case("sysfleet-bootfiles 1\ndir " + hex("/x") + " 2\n" + MAIN + "end\n", "line 2: bad directory state"))) {
            BootFiles.FormatException ex = assertThrows(BootFiles.FormatException.class, () -> parse(c.text()),
                    c.text());
            assertTrue(ex.getMessage().contains(c.message()), ex.getMessage() + " should contain " + c.message());
            assertFalse(ex.getMessage().contains("\n"), "one line");
        }
    }
}
