package io.sysfleet.transport;

import io.sysfleet.result.Phase;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sysfleet.core.ExitCode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The shell line a {@link Command} becomes, and how secrets stay out of it (pure; no shell runs here). */
class CommandTest {

    @Test
    void quotesEveryWordOnce() {
        assertEquals("'it'\\''s'", Command.quote("it's"));
        assertEquals("'sysctl' '-n' 'net.ipv4.tcp_fin_timeout'",
                Command.of("sysctl", "-n", "net.ipv4.tcp_fin_timeout").toShell());
        assertEquals("'sh' '-c' 'echo \"$1\"' 'sysfleet' '$(id)'",
                Command.script("echo \"$1\"", List.of("$(id)")).toShell());
        assertThrows(IllegalArgumentException.class, () -> Command.of(List.of()));
    }

    @Test
    void becomeWithoutPasswordUsesSudoNonInteractive() {
        Command c = Command.of("id", "-un").become(Become.root());
        assertEquals("'sudo' '-n' '-u' 'root' '--' 'id' '-un'", c.toShell());
        assertEquals(0, c.wireStdin().length);
        assertThrows(IllegalArgumentException.class, () -> new Become("root; id", null));
        assertThrows(IllegalArgumentException.class, () -> new Become("-u", null));
    }

    @Test
    void becomePasswordTravelsOnStdinOnlyAndIsMasked() {
        Secret pw = Secret.fromEnv(Map.of("SYSFLEET_BECOME_PASSWORD", "s3cr3t 'x'"), "SYSFLEET_BECOME_PASSWORD");
        Command c = Command.of("cat").withStdin("body".getBytes(StandardCharsets.UTF_8)).become(new Become("root", pw));
        assertFalse(c.toShell().contains("s3cr3t"));
        assertTrue(c.toShell().contains("sudo -k -A"), c.toShell());
        assertEquals("s3cr3t 'x'\nbody", new String(c.wireStdin(), StandardCharsets.UTF_8));
        assertEquals("body", new String(c.stdin(), StandardCharsets.UTF_8));
        assertEquals("Command[sudo -u root (password ****($SYSFLEET_BECOME_PASSWORD)): cat, stdin 4 bytes]",
                c.toString());
        assertEquals(null, Secret.fromEnv(Map.of(), "SYSFLEET_BECOME_PASSWORD"));
        assertEquals(null, Secret.fromEnv(Map.of("X", ""), "X"));
    }

    @Test
    void connectAuthAndHostKeyFailuresAreUnreachable() {
        for (Phase p : TransportException.PHASES) {
            TransportException e = new TransportException(p, "web1", "boom");
            boolean unreachable = p == Phase.CONNECT || p == Phase.AUTH
                    || p == Phase.HOSTKEY;
            assertEquals(unreachable ? ExitCode.UNREACHABLE : ExitCode.HOST_FAILED, e.exitCode(), p.toString());
            assertEquals("web1: " + p.label() + ": boom", e.oneLine());
        }
    }
}
