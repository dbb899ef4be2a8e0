package io.sysfleet.plan;

import io.sysfleet.sysctl.SysctlKey;
import io.sysfleet.transport.Become;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sysfleet.facts.BootFiles.Listing;
import io.sysfleet.facts.BootFiles;
import io.sysfleet.plan.BootOrder.Reader;
import io.sysfleet.testing.TestFleet;
import io.sysfleet.transport.SshTransport;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.Container;

/**
 * The boot-order model against a real debian12 host: the listing runs over SSH with sudo, and procps' own
 * {@code sysctl --system} (what /etc/init.d/procps runs on a host without systemd, as this image is) is the
 * oracle: after it runs, the live value must be the one {@link BootOrder#effective} predicted. The image has no
 * systemd, so systemd-sysctl cannot run here; its order is checked against {@code systemd-sysctl --cat-config}
 * in BootFilesProbeTest, and here we check that the model picks it (and flags the override) for the layout
 * systemd ships (/etc/sysctl.d/99-sysctl.conf -> ../sysctl.conf).
 */
class BootPersistenceIT {
    private static final Duration T = Duration.ofSeconds(30);
    private static final String FIN = "net.ipv4.tcp_fin_timeout";
    private static TestFleet fleet;

    @BeforeAll
    static void start() {
        fleet = TestFleet.start("debian12");
    }

    @AfterAll
    static void stop() {
        if (fleet != null) {
            fleet.close();
        }
    }

    private static String sh(String script) throws Exception {
        Container.ExecResult r = fleet.host(0).container().execInContainer("sh", "-c", script);
        assertEquals(0, r.getExitCode(), script + ": " + r.getStderr());
        return r.getStdout();
    }

    private static Listing listing() {
        try (SshTransport t = SshTransport.connect("boot", fleet.options(fleet.host(0), TestFleet.USER)
                .withBecome(Become.root()), fleet.env(), Clock.systemUTC())) {
            return BootFiles.gather(t, T);
        }
    }

    /** Runs procps' sysctl --system after moving the live value away, returns the live value. */
    private static String liveAfterSysctlSystem(String key) throws Exception {
        sh("sysctl -q -w " + key + "=17");
        // --system ignores keys it cannot set (fs.protected_* in a container); the exit code says nothing here
        fleet.host(0).container().execInContainer("sysctl", "-q", "--system");
        return sh("sysctl -n " + key).strip();
    }

    @BeforeEach
    void clean() throws Exception {
        sh("rm -f /etc/sysctl.d/*.conf /run/sysctl.d/*.conf /usr/lib/sysctl.d/[0-9][0-9]-sysfleet-*.conf");
    }

    @Test
    void withoutTheSystemdLinkSysctlConfIsReadLast() throws Exception {
        sh("printf 'net.ipv4.tcp_fin_timeout = 30\\n' > /etc/sysctl.conf"
                + " && printf 'net.ipv4.tcp_fin_timeout = 60\\n' > /etc/sysctl.d/99-zz-override.conf");
        Listing l = listing();
        assertEquals(Reader.PROCPS_SYSTEM, BootOrder.reader(l), "the image ships no 99-sysctl.conf link");
        Map<String, BootSetting> eff = BootOrder.effective(BootOrder.order(l));
        assertEquals(new BootSetting(FIN, "30", "/etc/sysctl.conf", 1), eff.get(FIN));
        assertEquals(Optional.empty(), BootOrder.shadowed(eff, SysctlKey.of(FIN), "30", "/etc/sysctl.conf"));
        assertEquals(Optional.empty(), BootOrder.shadowedAfterApply(l, SysctlKey.of(FIN), "30", "/etc/sysctl.conf"));
        assertEquals("30", liveAfterSysctlSystem(FIN));
    }

    @Test
    void anEarlierSysctlDFileLosesToSysctlConf() throws Exception {
        sh("printf 'net.ipv4.tcp_fin_timeout = 30\\n' > /etc/sysctl.conf"
                + " && printf 'net.ipv4.tcp_fin_timeout = 45\\n' > /etc/sysctl.d/10-early.conf");
        Listing l = listing();
        Map<String, BootSetting> eff = BootOrder.effective(BootOrder.order(l));
        assertEquals("/etc/sysctl.conf:1", eff.get(FIN).location());
        assertEquals("30", liveAfterSysctlSystem(FIN));
        assertEquals(eff.get(FIN).value(), liveAfterSysctlSystem(FIN));
    }

    @Test
    void maskingAndNameOrderAcrossDirectoriesMatchProcps() throws Exception {
        // 60-sysfleet-ka.conf in /usr/lib is masked by a /dev/null link in /etc; 50 in /run applies;
        // 40-... in /usr/lib applies before it; sysctl.conf does not set the key
        sh("printf '# nothing\\n' > /etc/sysctl.conf && mkdir -p /run/sysctl.d"
                + " && printf 'net.ipv4.tcp_keepalive_time = 600\\n' > /usr/lib/sysctl.d/60-sysfleet-ka.conf"
                + " && ln -s /dev/null /etc/sysctl.d/60-sysfleet-ka.conf"
                + " && printf 'net.ipv4.tcp_keepalive_time = 500\\n' > /run/sysctl.d/50-ka.conf"
                + " && printf 'net.ipv4.tcp_keepalive_time = 400\\n' > /usr/lib/sysctl.d/40-sysfleet-ka.conf");
        Listing l = listing();
        BootSetting s = BootOrder.effective(BootOrder.order(l)).get("net.ipv4.tcp_keepalive_time");
        assertEquals("/run/sysctl.d/50-ka.conf:1", s.location());
        assertEquals("500", liveAfterSysctlSystem("net.ipv4.tcp_keepalive_time"));
    }

    @Test
    void withTheSystemdLinkALaterFileShadowsSysctlConf() throws Exception {
        sh("printf 'net.ipv4.tcp_fin_timeout = 30\\n' > /etc/sysctl.conf"
                + " && ln -s ../sysctl.conf /etc/sysctl.d/99-sysctl.conf"
                + " && printf 'net.ipv4.tcp_fin_timeout = 60\\n' > /etc/sysctl.d/99-zz-override.conf");
        Listing l = listing();
        assertEquals(Reader.SYSTEMD_SYSCTL, BootOrder.reader(l));
        Map<String, BootSetting> eff = BootOrder.effective(BootOrder.order(l));
        assertEquals(new BootSetting(FIN, "60", "/etc/sysctl.d/99-zz-override.conf", 1), eff.get(FIN));
        Optional<String> msg = BootOrder.shadowed(eff, SysctlKey.of(FIN), "30", "/etc/sysctl.conf");
        assertTrue(msg.orElseThrow().contains("/etc/sysctl.d/99-zz-override.conf:1"), msg.toString());
        assertEquals(Optional.of("will not survive a reboot: /etc/sysctl.d/99-zz-override.conf:1 sets " + FIN
                + " = 60 after /etc/sysctl.conf"), BootOrder.shadowedAfterApply(l, SysctlKey.of(FIN), "30", "/etc/sysctl.conf"));
        // procps reads the linked sysctl.conf at 99-sysctl.conf AND once more at the end: 30. That is what
        // sysctl --system does on these files; at boot on a systemd host systemd-sysctl reads it once (60).
        String procpsPrediction = BootOrder.effective(BootOrder.order(l, Reader.PROCPS_SYSTEM)).get(FIN).value();
        assertEquals("30", procpsPrediction);
        assertEquals(procpsPrediction, liveAfterSysctlSystem(FIN));
    }
}
