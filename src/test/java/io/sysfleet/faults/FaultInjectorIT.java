package io.sysfleet.faults;

import io.sysfleet.testing.Faults;
import io.sysfleet.testing.TestFleet;
import io.sysfleet.transport.Command;
import io.sysfleet.transport.ExecResult;
import io.sysfleet.transport.SshTransport;
import io.sysfleet.transport.Transport;
import io.sysfleet.transport.TransportException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fault injector of the test image does what the fault tests rely on, over a real SSH connection with sudo:
 * each action fires at the step its conditions name and only there, and leaves the evidence the tests count. If
 * it did not, a fault test could pass without its fault ever happening.
 */
class FaultInjectorIT {
    /** A stand-in for a remote script: its text carries a marker the rules select it by. */
    private static final String SCRIPT = "# sysfleet-injector-probe\n"
            + "echo start > /tmp/probe; sysctl -n net.ipv4.tcp_fin_timeout; sysctl -n net.ipv4.tcp_syncookies; "
            + "echo after >> /tmp/probe\n";
    private static TestFleet fleet;
    private static TestFleet.Host host;

    @BeforeAll
    static void start() {
        fleet = TestFleet.startForFaults("debian12");
        host = fleet.host(0);
    }

    @AfterAll
    static void stop() {
        if (fleet != null) {
            fleet.close();
        }
    }

    @BeforeEach
    void reset() {
        Faults.reset(host);
        Faults.sh(host, "rm -f /tmp/probe /tmp/side-effect");
    }

    private Transport connect() {
        return SshTransport.connect(host.name(), fleet.options(host, TestFleet.USER).withBecome(io.sysfleet.transport.Become.root()),
                fleet.env(), Clock.systemUTC());
    }

    private static ExecResult probe(Transport t, Duration timeout) {
        return t.exec(Command.script(SCRIPT, List.of()), timeout);
    }

    @Test
    void failFiresOnTheNthMatchingCallOnly() {
        Faults.arm(host, "second", "sysctl", "fail:3", "script:sysfleet-injector-probe", "nth:2");
        Faults.arm(host, "other-script", "sysctl", "fail:4", "script:no-such-script");
        Faults.arm(host, "other-args", "sysctl", "fail:5", "args:no-such-key");
        try (Transport t = connect()) {
            ExecResult r = t.exec(Command.script("# sysfleet-injector-probe\nsysctl -n net.ipv4.tcp_fin_timeout; "
                    + "echo rc=$?; sysctl -n net.ipv4.tcp_fin_timeout; echo rc=$?; sysctl -n net.ipv4.tcp_fin_timeout; "
                    + "echo rc=$?\n", List.of()), Duration.ofSeconds(20));
            List<String> rcs = r.stdoutText().lines().filter(l -> l.startsWith("rc=")).toList();
            assertEquals(List.of("rc=0", "rc=3", "rc=0"), rcs, r.stdoutText());
        }
        assertEquals(List.of("second"), Faults.fired(host).stream().map(l -> l.split(" ")[0]).toList());
    }

    @Test
    void afterWaitsForAnotherRuleAndRunHasItsSideEffect() {
        Faults.arm(host, "mark", "sysctl", "delay:0", "args:tcp_syncookies");
        Faults.arm(host, "edit", "sysctl", "run:echo edited > /tmp/side-effect", "after:mark");
        try (Transport t = connect()) {
            assertEquals(0, probe(t, Duration.ofSeconds(20)).exitCode());
        }
        assertEquals(1, Faults.fired(host, "mark"));
        assertEquals(0, Faults.fired(host, "edit"), "edit is armed after mark fired, and no sysctl call came after it");
        try (Transport t = connect()) {
            assertEquals(0, probe(t, Duration.ofSeconds(20)).exitCode());
        }
        assertEquals(2, Faults.fired(host, "edit"));
        assertEquals("edited\n", Faults.sh(host, "cat /tmp/side-effect"));
    }

    @Test
    void hangOutlivesTheTimeoutAndGoesOnWhenReleased() throws Exception {
        Faults.arm(host, "stuck", "sysctl", "hang", "args:tcp_syncookies");
        try (Transport t = connect()) {
            TransportException e = assertThrows(TransportException.class, () -> probe(t, Duration.ofSeconds(3)));
            assertTrue(e.getMessage().contains("timed out"), e.getMessage());
        }
        assertEquals(1, Faults.fired(host, "stuck"));
        // What the controller's kill leaves on the host is the subject of the timeout tests; here: release works.
        Faults.release(host);
        Thread.sleep(500);
        assertEquals(0, Faults.hung(host));
    }

    @Test
    void killSessionDropsTheConnectionWhileTheScriptGoesOn() throws Exception {
        Faults.arm(host, "drop", "sysctl", "kill-session", "args:tcp_syncookies");
        try (Transport t = connect()) {
            TransportException e = assertThrows(TransportException.class, () -> probe(t, Duration.ofSeconds(20)));
            assertTrue(e.getMessage().contains("lost") || e.getMessage().contains("connect"), e.getMessage());
        }
        assertEquals(1, Faults.fired(host, "drop"));
        Thread.sleep(1000);
        assertEquals("start\nafter\n", Faults.sh(host, "cat /tmp/probe"), "the script ran to its end");
        try (Transport t = connect()) {
            assertEquals(0, t.exec(Command.of("true"), Duration.ofSeconds(10)).exitCode(), "sshd takes new sessions");
        }
    }

    @Test
    void killScriptEndsTheScriptAtThatStep() throws Exception {
        Faults.arm(host, "die", "sysctl", "kill-script", "args:tcp_syncookies");
        try (Transport t = connect()) {
            ExecResult r = probe(t, Duration.ofSeconds(20));
            assertTrue(r.exitCode() != 0, "killed: " + r.exitCode());
            assertEquals(1, r.stdoutText().lines().count(), "only the first sysctl printed: " + r.stdoutText());
        }
        assertEquals("start\n", Faults.sh(host, "cat /tmp/probe"), "nothing after the step ran");
        assertEquals(List.of(), Faults.leftovers(host));
    }

    @Test
    void sshdDownCutsTheHostOffUntilSshdUp() throws Exception {
        Faults.arm(host, "down", "sysctl", "sshd-down", "args:tcp_syncookies");
        try (Transport t = connect()) {
            assertThrows(TransportException.class, () -> probe(t, Duration.ofSeconds(20)));
        }
        Thread.sleep(1000);
        assertEquals("start\nafter\n", Faults.sh(host, "cat /tmp/probe"), "the script ran to its end");
        TransportException refused = assertThrows(TransportException.class, this::connect);
        assertFalse(refused.getMessage().isBlank());
        Faults.sshdUp(host);
        try (Transport t = connect()) {
            assertEquals(0, t.exec(Command.of("true"), Duration.ofSeconds(10)).exitCode());
        }
    }
}
