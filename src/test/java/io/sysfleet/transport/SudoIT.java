package io.sysfleet.transport;

import io.sysfleet.result.Phase;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sysfleet.apply.Applier;
import io.sysfleet.apply.ApplyOutput;
import io.sysfleet.apply.RemoteScripts;
import io.sysfleet.core.ExitCode;
import io.sysfleet.testing.TestFleet;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * become with real sudo: user sysfleet has passwordless sudo; user sysfleet-pw must give its password, which
 * sysfleet takes from the environment (SYSFLEET_BECOME_PASSWORD, {@link Become#password}).
 */
class SudoIT {
    private static final Duration T = Duration.ofSeconds(20);
    private static TestFleet fleet;

    @BeforeAll
    static void setUp() {
        fleet = TestFleet.start("debian12");
    }

    @AfterAll
    static void tearDown() {
        if (fleet != null) {
            fleet.close();
        }
    }

    /** Connects as {@code user}, becoming root with the password {@code env} holds, if any (as a run does). */
    private static SshTransport connect(String user, Map<String, String> env) {
        return SshTransport.connect("h1", fleet.options(fleet.host(0), user)
                .withBecome(new Become("root", Become.password(env))), env, Clock.systemUTC());
    }

    /** The production apply script writing a new root-owned file through become; its error, or null. */
    private static String put(SshTransport t, String path, byte[] body, String mode) {
        List<String> args = List.of(path, "absent", path + ".bak", mode, "root", "root", "1", "0", "0",
                Applier.sha256(body), "0");
        return ApplyOutput.parse(t.exec(Command.script(RemoteScripts.APPLY, args).withStdin(body), T).stdoutText())
                .error();
    }

    private static Map<String, String> envWithPassword(String pw) {
        Map<String, String> env = fleet.env();
        env.put(Become.PASSWORD_ENV, pw);
        return env;
    }

    @Test
    void passwordlessSudoBecomesRootForCommandsAndFiles() {
        try (SshTransport t = connect(TestFleet.USER, fleet.env())) {
            assertEquals("root\n", t.exec(Command.of("id", "-un"), T).stdoutText());
            assertEquals(null, put(t, "/etc/sysfleet-sudo-test.conf", "a = 1\n".getBytes(StandardCharsets.UTF_8), "0644"));
            assertEquals("644 root root\n", t.exec(Command.of("stat", "-c", "%a %U %G", "/etc/sysfleet-sudo-test.conf"), T)
                    .stdoutText());
        }
    }

    @Test
    void sudoWantingAPasswordIsAClearError() {
        try (SshTransport t = connect(TestFleet.PW_USER, fleet.env())) {
            TransportException e = assertThrows(TransportException.class, () -> t.exec(Command.of("id"), T));
            assertEquals(Phase.BECOME, e.phase());
            assertEquals(ExitCode.HOST_FAILED, e.exitCode());
            assertTrue(e.oneLine().startsWith("h1: become: sudo requires a password to become root"), e.oneLine());
        }
    }

    @Test
    void passwordFromTheEnvironmentIsFedToSudoOnStdin() {
        try (SshTransport t = connect(TestFleet.PW_USER, envWithPassword(fleet.pwUserPassword()))) {
            assertEquals("root\n", t.exec(Command.of("id", "-un"), T).stdoutText());
            // the command's own stdin arrives intact after the password line
            byte[] body = "line1\nline2 'q' $(id)\n".getBytes(StandardCharsets.UTF_8);
            assertEquals(null, put(t, "/etc/sysfleet-pw-test.conf", body, "0600"));
            assertEquals(new String(body, StandardCharsets.UTF_8),
                    t.exec(Command.of("cat", "/etc/sysfleet-pw-test.conf"), T).stdoutText());
            assertEquals("600 root\n", t.exec(Command.of("stat", "-c", "%a %U", "/etc/sysfleet-pw-test.conf"), T)
                    .stdoutText());
            // a timeout still kills the command behind sudo
            assertThrows(TransportException.class, () -> t.exec(Command.of("sleep", "57.25"), Duration.ofMillis(800)));
            String left = "";
            for (int i = 0; i < 30; i++) {
                left = t.exec(Command.script("ps -eo args | grep -c -x -F 'sleep 57.25' || true", List.of()), T)
                        .stdoutText().strip();
                if (left.equals("0")) {
                    break;
                }
                sleep(100);
            }
            assertEquals("0", left, "sleep survived the timeout");
            // no askpass helper is left behind, and the password is in no file of the user's home
            // (looked at from outside: a command run through become has its own askpass helper while it runs)
            String home = inContainer("ls -A /home/sysfleet-pw; grep -rlF -e \"$1\" /home/sysfleet-pw /tmp || true",
                    fleet.pwUserPassword());
            assertFalse(home.contains("askpass"), home);
            assertFalse(home.contains("/home/sysfleet-pw/"), home);
        }
    }

    @Test
    void wrongOrMissingPasswordIsAClearError() {
        try (SshTransport t = connect(TestFleet.PW_USER, envWithPassword("not-the-password"))) {
            TransportException e = assertThrows(TransportException.class, () -> t.exec(Command.of("id"), T));
            assertEquals(Phase.BECOME, e.phase());
            assertTrue(e.getMessage().contains("sudo rejected the become password from $SYSFLEET_BECOME_PASSWORD"),
                    e.getMessage());
            assertFalse(e.getMessage().contains("not-the-password"));
        }
        // without the variable a run uses sudo -n, which says at once that it wants a password
        try (SshTransport t = connect(TestFleet.PW_USER, fleet.env())) {
            TransportException unset = assertThrows(TransportException.class, () -> t.exec(Command.of("id"), T));
            assertTrue(unset.oneLine().startsWith("h1: become: sudo requires a password to become root; set the "
                    + "become password environment variable"), unset.oneLine());
        }
    }

    private static String inContainer(String script, String arg) {
        try {
            return fleet.host(0).container().execInContainer("sh", "-c", script, "sh", arg).getStdout();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
