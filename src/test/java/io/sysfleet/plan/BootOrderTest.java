package io.sysfleet.plan;

import io.sysfleet.sysctl.SysctlKey;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sysfleet.facts.BootFiles.Entry;
import io.sysfleet.facts.BootFiles.Listing;
import io.sysfleet.facts.BootFiles.State;
import io.sysfleet.facts.BootFiles;
import io.sysfleet.plan.BootOrder.Reader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The boot-order rule of {@link BootOrder}: masking, sorting by name, where /etc/sysctl.conf is read. */
class BootOrderTest {

    /** A listing built by hand: directories exist when they have entries or are named in {@code dirs}. */
    private static final class L {
        final List<String> dirs = new ArrayList<>();
        final List<Entry> entries = new ArrayList<>();
        Entry main = new Entry("/etc", "sysctl.conf", "/etc/sysctl.conf", null, null, State.MISSING, null);

        L dir(String d) {
            dirs.add(d);
            return this;
        }

        L file(String path, String content) {
            entries.add(entry(path, null, null, State.FILE, content));
            return this;
        }

        L link(String path, String target, String resolved, State state, String content) {
            entries.add(entry(path, target, resolved, state, content));
            return this;
        }

        L state(String path, State state) {
            entries.add(entry(path, null, null, state, null));
            return this;
        }

        L main(String content) {
            main = new Entry("/etc", "sysctl.conf", "/etc/sysctl.conf", null, null, State.FILE, bytes(content));
            return this;
        }

        Listing build() {
            List<BootFiles.Dir> ds = new ArrayList<>();
            List<Entry> ordered = new ArrayList<>();
            for (String d : BootFiles.DIRS) {
                List<Entry> in = entries.stream().filter(e -> e.dir().equals(d)).toList();
                ds.add(new BootFiles.Dir(d, !in.isEmpty() || dirs.contains(d)));
                ordered.addAll(in);
            }
            return new Listing(ds, ordered, main);
        }

        private static Entry entry(String path, String target, String resolved, State st, String content) {
            int slash = path.lastIndexOf('/');
            return new Entry(path.substring(0, slash), path.substring(slash + 1), path, target, resolved, st,
                    content == null ? null : bytes(content));
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> paths(List<BootOrder.Source> s) {
        return s.stream().map(BootOrder.Source::toString).toList();
    }

    private static final String FIN = "net.ipv4.tcp_fin_timeout";

    @Test
    void capturedDebianLayoutFollowsSystemdOrder() throws IOException {
        byte[] out;
        try (InputStream in = getClass().getResourceAsStream("/boot/debian12-layout.out")) {
            out = in.readAllBytes();
        }
        Listing l = BootFiles.parse(out);
        assertEquals(Reader.SYSTEMD_SYSCTL, BootOrder.reader(l));
        List<BootOrder.Source> order = BootOrder.order(l);
        // 50-pid-max masked by /dev/null in /etc; 60-run from /run masks /usr/lib and /lib; empty.conf is a
        // directory; 80-dangling cannot be read; /etc/sysctl.conf read once, at 99-sysctl.conf; no trailing read
        assertEquals(List.of("/run/sysctl.d/60-run.conf", "/etc/sysctl.d/70-caf\uFFFD.conf",
                "/usr/lib/sysctl.d/99-protect-links.conf", "/etc/sysctl.conf (via /etc/sysctl.d/99-sysctl.conf)",
                "/etc/sysctl.d/99-zz-override.conf"), paths(order));
        Map<String, BootSetting> eff = BootOrder.effective(order);
        assertEquals(new BootSetting(FIN, "60", "/etc/sysctl.d/99-zz-override.conf", 1), eff.get(FIN));
        assertEquals("1024", eff.get("net.core.somaxconn").value());
        assertEquals("600", eff.get("net.ipv4.tcp_keepalive_time").value(), "non-UTF-8 comment does not matter");
        assertEquals(null, eff.get("kernel.pid_max"), "masked file is not read");
        assertEquals(Optional.of("will not survive a reboot: /etc/sysctl.d/99-zz-override.conf:1 sets "
                + FIN + " = 60 after /etc/sysctl.conf"), BootOrder.shadowed(eff, SysctlKey.of(FIN), "30", "/etc/sysctl.conf"));

        // procps sysctl --system on the same files: /etc/sysctl.conf again, last
        List<BootOrder.Source> procps = BootOrder.order(l, Reader.PROCPS_SYSTEM);
        assertEquals("/etc/sysctl.conf", paths(procps).get(procps.size() - 1));
        assertEquals("30", BootOrder.effective(procps).get(FIN).value());
    }

    record Case(String name, L listing, Reader reader, List<String> order, String winner) {
    }

    @Test
    void orderTable() {
        List<Case> cases = List.of(
                new Case("no sysctl.d at all (CentOS 5/6): sysctl.conf alone",
                        new L().main(FIN + " = 30\n"), Reader.SYSCTL_CONF_ONLY,
                        List.of("/etc/sysctl.conf"), "/etc/sysctl.conf:1"),
                new Case("no link to sysctl.conf: procps --system reads it last",
                        new L().main(FIN + " = 30\n").file("/etc/sysctl.d/99-zz.conf", FIN + "=60\n"),
                        Reader.PROCPS_SYSTEM, List.of("/etc/sysctl.d/99-zz.conf", "/etc/sysctl.conf"),
                        "/etc/sysctl.conf:1"),
                new Case("empty /etc/sysctl.d exists: still procps order, sysctl.conf last",
                        new L().dir("/etc/sysctl.d").main(FIN + " = 30\n"), Reader.PROCPS_SYSTEM,
                        List.of("/etc/sysctl.conf"), "/etc/sysctl.conf:1"),
                new Case("99-sysctl.conf link: sysctl.conf read at 99-sysctl.conf, 99-t wins",
                        new L().main("x.y = 1\n" + FIN + " = 30\n")
                                .link("/etc/sysctl.d/99-sysctl.conf", "../sysctl.conf", "/etc/sysctl.conf",
                                        State.FILE, "ignored: content is the main file's")
                                .file("/etc/sysctl.d/99-tuning.conf", "a.b = 1\n\n" + FIN + " = 60\n")
                                .file("/usr/lib/sysctl.d/10-early.conf", FIN + " = 45\n"),
                        Reader.SYSTEMD_SYSCTL, List.of("/usr/lib/sysctl.d/10-early.conf",
                                "/etc/sysctl.conf (via /etc/sysctl.d/99-sysctl.conf)", "/etc/sysctl.d/99-tuning.conf"),
                        "/etc/sysctl.d/99-tuning.conf:3"),
                new Case("99-sysctl.conf link: an earlier file loses to sysctl.conf",
                        new L().main(FIN + " = 30\n")
                                .link("/etc/sysctl.d/99-sysctl.conf", "../sysctl.conf", "/etc/sysctl.conf",
                                        State.FILE, "")
                                .file("/etc/sysctl.d/10-early.conf", FIN + " = 45\n"),
                        Reader.SYSTEMD_SYSCTL, List.of("/etc/sysctl.d/10-early.conf",
                                "/etc/sysctl.conf (via /etc/sysctl.d/99-sysctl.conf)"), "/etc/sysctl.conf:1"),
                new Case("same name: /etc beats /run beats /usr/lib, regardless of content",
                        new L().file("/usr/lib/sysctl.d/50-x.conf", FIN + " = 1\n")
                                .file("/run/sysctl.d/50-x.conf", FIN + " = 2\n")
                                .file("/etc/sysctl.d/50-x.conf", FIN + " = 3\n"),
                        Reader.PROCPS_SYSTEM, List.of("/etc/sysctl.d/50-x.conf"), "/etc/sysctl.d/50-x.conf:1"),
                new Case("sorted by name across directories, not by directory",
                        new L().file("/etc/sysctl.d/90-b.conf", FIN + " = 1\n")
                                .file("/usr/lib/sysctl.d/95-a.conf", FIN + " = 2\n")
                                .file("/lib/sysctl.d/05-z.conf", FIN + " = 3\n"),
                        Reader.PROCPS_SYSTEM, List.of("/lib/sysctl.d/05-z.conf", "/etc/sysctl.d/90-b.conf",
                                "/usr/lib/sysctl.d/95-a.conf"), "/usr/lib/sysctl.d/95-a.conf:1"),
                new Case("/dev/null link masks the same name later and is not read",
                        new L().link("/etc/sysctl.d/95-a.conf", "/dev/null", "/dev/null", State.OTHER, null)
                                .file("/usr/lib/sysctl.d/95-a.conf", FIN + " = 2\n")
                                .file("/usr/lib/sysctl.d/10-b.conf", FIN + " = 1\n"),
                        Reader.PROCPS_SYSTEM, List.of("/usr/lib/sysctl.d/10-b.conf"), "/usr/lib/sysctl.d/10-b.conf:1"),
                new Case("a directory named x.conf masks nothing; a dangling link is skipped",
                        new L().state("/etc/sysctl.d/95-a.conf", State.OTHER)
                                .link("/etc/sysctl.d/96-gone.conf", "/nowhere", "/nowhere", State.MISSING, null)
                                .file("/usr/lib/sysctl.d/95-a.conf", FIN + " = 2\n"),
                        Reader.PROCPS_SYSTEM, List.of("/usr/lib/sysctl.d/95-a.conf"), "/usr/lib/sysctl.d/95-a.conf:1"),
                new Case("ASCII byte order: uppercase and digits before lowercase, '-' before '_'",
                        new L().file("/etc/sysctl.d/a.conf", FIN + " = 3\n")
                                .file("/etc/sysctl.d/B.conf", FIN + " = 2\n")
                                .file("/etc/sysctl.d/9-x.conf", FIN + " = 1\n")
                                .file("/etc/sysctl.d/9_x.conf", FIN + " = 4\n"),
                        Reader.PROCPS_SYSTEM, List.of("/etc/sysctl.d/9-x.conf", "/etc/sysctl.d/9_x.conf",
                                "/etc/sysctl.d/B.conf", "/etc/sysctl.d/a.conf"), "/etc/sysctl.d/a.conf:1"),
                new Case("slash keys, '-' prefix, last line in a file, globs ignored",
                        new L().main("net/ipv4/tcp_fin_timeout = 7\n-" + FIN + " = 8\nnet.ipv4.*.x = 1\n"),
                        Reader.SYSCTL_CONF_ONLY, List.of("/etc/sysctl.conf"), "/etc/sysctl.conf:2"));
        for (Case c : cases) {
            Listing l = c.listing().build();
            assertEquals(c.reader(), BootOrder.reader(l), c.name());
            List<BootOrder.Source> order = BootOrder.order(l);
            assertEquals(c.order(), paths(order), c.name());
            Map<String, BootSetting> eff = BootOrder.effective(order);
            assertEquals(c.winner(), eff.get(FIN).location(), c.name());
            assertTrue(eff.keySet().stream().noneMatch(k -> k.contains("*")), c.name());
        }
    }

    @Test
    void shadowedTable() {
        Map<String, BootSetting> eff = Map.of(
                FIN, new BootSetting(FIN, "60", "/etc/sysctl.d/99-tuning.conf", 3),
                "net.ipv4.ip_local_port_range", new BootSetting("net.ipv4.ip_local_port_range", "1024\t65000",
                        "/etc/sysctl.d/99-tuning.conf", 4),
                "net.core.somaxconn", new BootSetting("net.core.somaxconn", "1024", "/etc/sysctl.conf", 9));
        String managed = "/etc/sysctl.conf";
        assertEquals(Optional.of("will not survive a reboot: /etc/sysctl.d/99-tuning.conf:3 sets " + FIN
                + " = 60 after /etc/sysctl.conf"), BootOrder.shadowed(eff, SysctlKey.of(FIN), "30", managed));
        assertEquals(Optional.of("will not survive a reboot: /etc/sysctl.d/99-tuning.conf:3 sets " + FIN
                + " = 60 after /etc/sysctl.conf"), BootOrder.shadowed(eff, SysctlKey.of("net/ipv4/tcp_fin_timeout"), "30", managed),
                "slash form of the key");
        assertEquals(Optional.empty(), BootOrder.shadowed(eff, SysctlKey.of(FIN), "60", managed), "same value elsewhere survives");
        assertEquals(Optional.empty(), BootOrder.shadowed(eff, SysctlKey.of("net.ipv4.ip_local_port_range"), "1024 65000", managed),
                "values compared whitespace-normalised");
        assertEquals(Optional.empty(), BootOrder.shadowed(eff, SysctlKey.of("net.core.somaxconn"), "4096", managed),
                "managed file wins (its own value is the drift check's business)");
        assertEquals(Optional.empty(), BootOrder.shadowed(eff, SysctlKey.of("net.ipv4.tcp_syncookies"), "1", managed),
                "nobody else sets it");
        assertTrue(BootOrder.shadowed(eff, SysctlKey.of(FIN), "30", "/etc/sysctl.d/99-tuning.conf").isEmpty());
    }

    @Test
    void shadowedAfterApplySimulatesTheEdit() {
        L early = new L().main("# no fin timeout yet\n")
                .link("/etc/sysctl.d/99-sysctl.conf", "../sysctl.conf", "/etc/sysctl.conf", State.FILE, "")
                .file("/etc/sysctl.d/10-early.conf", FIN + " = 45\n");
        // today 10-early.conf wins (sysctl.conf does not set the key), but after the edit sysctl.conf is later
        assertTrue(BootOrder.shadowed(BootOrder.effective(BootOrder.order(early.build())), SysctlKey.of(FIN), "30",
                "/etc/sysctl.conf").isPresent());
        assertEquals(Optional.empty(), BootOrder.shadowedAfterApply(early.build(), SysctlKey.of(FIN), "30", "/etc/sysctl.conf"));

        L late = new L().main(FIN + " = 30\n")
                .link("/etc/sysctl.d/99-sysctl.conf", "../sysctl.conf", "/etc/sysctl.conf", State.FILE, "")
                .file("/etc/sysctl.d/99-zz-override.conf", FIN + " = 60\n");
        assertEquals(Optional.of("will not survive a reboot: /etc/sysctl.d/99-zz-override.conf:1 sets " + FIN
                + " = 60 after /etc/sysctl.conf"), BootOrder.shadowedAfterApply(late.build(), SysctlKey.of(FIN), "30",
                "/etc/sysctl.conf"));
        assertEquals(Optional.empty(), BootOrder.shadowedAfterApply(late.build(), SysctlKey.of(FIN), "60", "/etc/sysctl.conf"));

        // sysctl.conf missing today but linked: it will be read at 99-sysctl.conf once written
        L created = new L().link("/etc/sysctl.d/99-sysctl.conf", "../sysctl.conf", "/etc/sysctl.conf",
                State.MISSING, null).file("/etc/sysctl.d/99-zz.conf", FIN + " = 60\n");
        assertEquals(Optional.of("will not survive a reboot: /etc/sysctl.d/99-zz.conf:1 sets " + FIN
                + " = 60 after /etc/sysctl.conf"), BootOrder.shadowedAfterApply(created.build(), SysctlKey.of(FIN), "30",
                "/etc/sysctl.conf"));

        // a managed sysctl.d file masked by the same name in /etc is never read
        L masked = new L().link("/etc/sysctl.d/60-sysfleet.conf", "/dev/null", "/dev/null", State.OTHER, null)
                .file("/usr/lib/sysctl.d/60-sysfleet.conf", "");
        assertEquals(Optional.of("will not survive a reboot: /usr/lib/sysctl.d/60-sysfleet.conf is not read at boot"),
                BootOrder.shadowedAfterApply(masked.build(), SysctlKey.of(FIN), "30", "/usr/lib/sysctl.d/60-sysfleet.conf"));
        // a new file in /etc/sysctl.d is read at its name's position
        L fresh = new L().dir("/etc/sysctl.d").file("/usr/lib/sysctl.d/70-x.conf", FIN + " = 9\n");
        assertEquals(Optional.of("will not survive a reboot: /usr/lib/sysctl.d/70-x.conf:1 sets " + FIN
                + " = 9 after /etc/sysctl.d/60-sysfleet.conf"), BootOrder.shadowedAfterApply(fresh.build(), SysctlKey.of(FIN), "30",
                "/etc/sysctl.d/60-sysfleet.conf"));
        assertEquals(Optional.empty(), BootOrder.shadowedAfterApply(fresh.build(), SysctlKey.of(FIN), "30",
                "/etc/sysctl.d/80-sysfleet.conf"));
    }

    @Test
    void unreadableOrCutFilesMakeTheAnswerIncomplete() {
        Listing unreadable = new L().main("").state("/etc/sysctl.d/10-secret.conf", State.UNREADABLE).build();
        BootOrder.IncompleteException e = assertThrows(BootOrder.IncompleteException.class,
                () -> BootOrder.order(unreadable));
        assertEquals("cannot tell the boot value: /etc/sysctl.d/10-secret.conf is not readable", e.getMessage());
        Listing cut = new L().main("").state("/usr/lib/sysctl.d/10-big.conf", State.SKIPPED).build();
        e = assertThrows(BootOrder.IncompleteException.class, () -> BootOrder.order(cut));
        assertTrue(e.getMessage().contains("exceed 1048576 bytes, /usr/lib/sysctl.d/10-big.conf was not read"),
                e.getMessage());
        // a cut file that is masked anyway does not matter
        Listing maskedCut = new L().main("")
                .link("/etc/sysctl.d/10-big.conf", "/dev/null", "/dev/null", State.OTHER, null)
                .state("/usr/lib/sysctl.d/10-big.conf", State.SKIPPED).build();
        assertEquals(List.of("/etc/sysctl.conf"), paths(BootOrder.order(maskedCut)));
    }
}
