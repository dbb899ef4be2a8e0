package io.sysfleet.facts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sysfleet.facts.BootFiles.Entry;
import io.sysfleet.facts.BootFiles.Listing;
import io.sysfleet.facts.BootFiles.State;
import io.sysfleet.plan.BootOrder;
import io.sysfleet.transport.ExecResult;
import io.sysfleet.transport.LocalTransport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The listing script run for real on this machine through {@link LocalTransport} (read-only, no Docker). */
class BootFilesProbeTest {
    private static final Duration T = Duration.ofSeconds(30);

    private static void sh(Path cwd, String script) throws Exception {
        Process p = new ProcessBuilder("sh", "-c", script).directory(cwd.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
    }

    private static Listing run(LocalTransport t, List<String> dirs, String main, long cap) {
        ExecResult r = t.exec(BootFiles.command(dirs, main, cap), T);
        assertEquals(0, r.exitCode(), r.stderrText());
        return BootFiles.parse(r.stdout());
    }

    /** A scratch tree with every kind of entry (names relative to {@code root}). */
    private static void tree(Path root) throws Exception {
        sh(root, String.join("\n",
                "mkdir -p etc/sysctl.d run/sysctl.d usr/lib/sysctl.d/dir.conf empty",
                "printf 'a.b = 30\\n' > etc/sysctl.conf",
                "ln -s ../sysctl.conf etc/sysctl.d/99-sysctl.conf",
                "printf 'a.b = 60\\n' > etc/sysctl.d/99-zz.conf",
                "ln -s /dev/null etc/sysctl.d/50-masked.conf",
                "printf 'c.d = 1\\n' > usr/lib/sysctl.d/50-masked.conf",
                "printf 'e.f = 2\\n' > run/sysctl.d/60-same.conf",
                "printf 'e.f = 3\\n' > usr/lib/sysctl.d/60-same.conf",
                "printf '# caf\\351\\nx.y = \\377\\n' > \"$(printf 'etc/sysctl.d/70-caf\\351.conf')\"",
                "printf 'x\\n' > etc/sysctl.d/notes.txt",
                "printf 'hidden = 1\\n' > etc/sysctl.d/.hidden.conf",
                "ln -s ../nowhere.conf etc/sysctl.d/80-dangling.conf",
                "printf 'g.h = 1\\n' > \"etc/sysctl.d/81 it's \\$(id).conf\""));
    }

    @Test
    void listsAScratchTreeWithLinksMasksAndOddNames(@TempDir Path root) throws Exception {
        tree(root);
        String r = root.toRealPath().toString();
        List<String> dirs = List.of(r + "/etc/sysctl.d", r + "/run/sysctl.d", r + "/usr/local/lib/sysctl.d",
                r + "/usr/lib/sysctl.d", r + "/empty");
        try (LocalTransport t = new LocalTransport()) {
            Listing l = run(t, dirs, r + "/etc/sysctl.conf", BootFiles.MAX_BYTES);
            assertEquals(List.of(true, true, false, true, true), l.dirs().stream().map(BootFiles.Dir::exists).toList());
            assertTrue(l.entriesIn(r + "/empty").isEmpty());
            List<String> etc = l.entriesIn(r + "/etc/sysctl.d").stream().map(Entry::name).sorted().toList();
            assertEquals(List.of("50-masked.conf", "70-caf\uFFFD.conf", "80-dangling.conf", "81 it's $(id).conf",
                    "99-sysctl.conf", "99-zz.conf"), etc, "no .hidden.conf, no notes.txt");
            Entry cafe = l.entriesIn(r + "/etc/sysctl.d").stream().filter(e -> e.name().startsWith("70-")).findFirst()
                    .orElseThrow();
            assertArrayEquals(new byte[] {'#', ' ', 'c', 'a', 'f', (byte) 0xe9, '\n', 'x', '.', 'y', ' ', '=', ' ',
                (byte) 0xff, '\n'}, cafe.content());
            Entry dir = l.entriesIn(r + "/usr/lib/sysctl.d").stream().filter(e -> e.name().equals("dir.conf"))
                    .findFirst().orElseThrow();
            assertEquals(State.OTHER, dir.state());
            assertEquals(r + "/etc/sysctl.conf", l.sysctlConf().path());
            assertNull(l.sysctlConf().symlinkTarget());

            // the order as the model sees it: the main file at 99-sysctl.conf, mask and same-name rules applied
            assertEquals(BootOrder.Reader.SYSTEMD_SYSCTL, BootOrder.reader(l));
            List<String> order = BootOrder.order(l).stream().map(s -> s.path()).toList();
            assertEquals(List.of(r + "/run/sysctl.d/60-same.conf", r + "/etc/sysctl.d/70-caf\uFFFD.conf",
                    r + "/etc/sysctl.d/81 it's $(id).conf", r + "/etc/sysctl.conf", r + "/etc/sysctl.d/99-zz.conf"),
                    order);
            assertEquals("60", BootOrder.effective(BootOrder.order(l)).get("a.b").value());
            assertEquals("\uFFFD", BootOrder.effective(BootOrder.order(l)).get("x.y").value());
        }
    }

    @Test
    void theSizeCapLeavesLaterFilesOutWithAMarker(@TempDir Path root) throws Exception {
        sh(root, "mkdir d && head -c 600 /dev/zero | tr '\\0' '#' > d/10-a.conf"
                + " && head -c 600 /dev/zero | tr '\\0' '#' > d/20-b.conf && printf 'a.b = 1\\n' > main.conf");
        String r = root.toRealPath().toString();
        try (LocalTransport t = new LocalTransport()) {
            Listing l = run(t, List.of(r + "/d"), r + "/main.conf", 1000);
            assertTrue(l.truncated());
            assertEquals(List.of(State.FILE, State.SKIPPED), l.entries().stream().map(Entry::state).toList());
            assertEquals(600, l.entries().get(0).content().length);
            assertEquals(State.FILE, l.sysctlConf().state(), "8 more bytes still fit");
            assertEquals(r + "/d/20-b.conf", BootFiles.firstSkipped(l).orElseThrow().path());

            Listing all = run(t, List.of(r + "/d"), r + "/main.conf", 1208);
            assertFalse(all.truncated());
        }
    }

    @Test
    void listsThisMachinesBootFiles() {
        try (LocalTransport t = new LocalTransport()) {
            Listing l = BootFiles.gather(t, T);
            assertEquals(BootFiles.DIRS, l.dirs().stream().map(BootFiles.Dir::path).toList());
            for (BootFiles.Dir d : l.dirs()) {
                assertEquals(Files.isDirectory(Path.of(d.path())), d.exists(), d.path());
            }
            assertEquals(Files.exists(Path.of(BootFiles.SYSCTL_CONF)), l.sysctlConf().state() != State.MISSING);
            for (Entry e : l.entries()) {
                assertTrue(e.name().endsWith(".conf"), e.name());
                assertEquals(Files.isSymbolicLink(Path.of(e.path())), e.symlink(), e.path());
            }
        }
    }

    private static final Pattern HEADER = Pattern.compile("^# (/\\S+\\.conf)$", Pattern.MULTILINE);

    /**
     * systemd's own order as the oracle: {@code systemd-sysctl --cat-config} prints each file it would apply
     * behind a {@code # /path} line, read-only. Runs where systemd-sysctl is installed (this is a property of the
     * machine, not of sysfleet); the container image has no systemd, so BootPersistenceIT uses procps there.
     */
    @Test
    void matchesSystemdSysctlCatConfigOnThisMachine() throws IOException, InterruptedException {
        Path bin = Files.isExecutable(Path.of("/usr/lib/systemd/systemd-sysctl"))
                ? Path.of("/usr/lib/systemd/systemd-sysctl") : Path.of("/lib/systemd/systemd-sysctl");
        assumeTrue(Files.isExecutable(bin), "systemd-sysctl is not installed here");
        Process p = new ProcessBuilder(bin.toString(), "--cat-config", "--no-pager").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        List<String> systemd = new ArrayList<>();
        Matcher m = HEADER.matcher(out);
        while (m.find()) {
            systemd.add(m.group(1));
        }
        try (LocalTransport t = new LocalTransport()) {
            Listing l = BootFiles.gather(t, T);
            List<String> ours = BootOrder.order(l, BootOrder.Reader.SYSTEMD_SYSCTL).stream()
                    .map(s -> s.via() != null ? s.via() : s.path()).toList();
            assertFalse(systemd.isEmpty(), out);
            assertEquals(systemd, ours);
        }
    }
}
