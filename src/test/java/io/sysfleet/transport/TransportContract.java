package io.sysfleet.transport;

import io.sysfleet.result.Phase;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link Transport} must have. Subclasses provide a connected transport and a scratch
 * directory on its host that the login user may write to.
 */
public abstract class TransportContract {
    protected static final Duration T = Duration.ofSeconds(20);

    /** A connected transport without a default become. */
    protected abstract Transport transport();

    /** An absolute directory on the host, writable by the login user, private to this test class. */
    protected abstract String scratchDir();

    /** A user to become with {@code sudo -n}, or null when sudo cannot be tested here (the subclass says why). */
    protected abstract String becomeUser();

    private static final List<String> NASTY = List.of(
            "a b", "it's", "\"dq\"", "$(touch /tmp/sysfleet-pwned)", "`id`", "line1\nline2", "*", "",
            "-n", "back\\slash", "$HOME", "ünïcødé", ";rm -rf /tmp/x;", "trailing newline\n", "'", "%s%d");

    private String sh(String script, String... args) {
        ExecResult r = transport().exec(Command.script(script, List.of(args)), T);
        assertEquals(0, r.exitCode(), () -> "script failed: " + r.stderrText());
        return r.stdoutText();
    }

    @Test
    void argvArrivesLiterally() {
        List<String> argv = new ArrayList<>(List.of("printf", "%s\\0"));
        argv.addAll(NASTY);
        ExecResult r = transport().exec(Command.of(argv), T);
        assertEquals(0, r.exitCode(), r.stderrText());
        List<String> got = Arrays.asList(r.stdoutText().split("\0", -1));
        assertEquals(NASTY, got.subList(0, got.size() - 1));
        assertEquals("no\n", sh("if [ -e /tmp/sysfleet-pwned ]; then echo yes; else echo no; fi"));
    }

    @Test
    void scriptArgsArriveLiterallyAsPositionalParameters() {
        String out = sh("printf '%s|' \"$#\"; for a in \"$@\"; do printf '[%s]' \"$a\"; done",
                NASTY.toArray(new String[0]));
        StringBuilder want = new StringBuilder(NASTY.size() + "|");
        NASTY.forEach(a -> want.append('[').append(a).append(']'));
        assertEquals(want.toString(), out);
    }

    @Test
    void stdinIsPassedByteForByte() {
        byte[] in = new byte[300_000];
        ThreadLocalRandom.current().nextBytes(in);
        ExecResult r = transport().exec(Command.of("cat").withStdin(in), T);
        assertEquals(0, r.exitCode());
        assertArrayEquals(in, r.stdout());
    }

    @Test
    void exitCodesAndStderrAreReported() {
        ExecResult r = transport().exec(Command.script("echo out; echo err >&2; exit 42", List.of()), T);
        assertEquals(42, r.exitCode());
        assertEquals("out\n", r.stdoutText());
        assertEquals("err\n", r.stderrText());
        assertEquals(1, transport().exec(Command.of("false"), T).exitCode());
        assertEquals(0, transport().exec(Command.of("true"), T).exitCode());
        assertEquals(127, transport().exec(Command.of("no-such-command-sysfleet"), T).exitCode());
    }

    @Test
    void timeoutKillsTheCommand() {
        String secs = "3" + ThreadLocalRandom.current().nextInt(100, 999) + ".5";
        long t0 = System.nanoTime();
        TransportException e = assertThrows(TransportException.class,
                () -> transport().exec(Command.of("sleep", secs), Duration.ofMillis(700)));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(Phase.EXEC, e.phase());
        assertTrue(e.getMessage().contains("timed out"), e.getMessage());
        assertTrue(ms < 5000, "took " + ms + " ms");
        assertNoProcess("sleep " + secs);
    }

    /** Polls a moment for the process to disappear: the kill is asynchronous. */
    protected void assertNoProcess(String args) {
        String count = "";
        for (int i = 0; i < 30; i++) {
            count = sh("ps -eo args | grep -c -x -F -e \"$1\" || true", args).strip();
            if (count.equals("0")) {
                return;
            }
            sleep(100);
        }
        throw new AssertionError("process still running after timeout: " + args + " (" + count + ")");
    }

    @Test
    void binaryFilesRoundTrip() {
        byte[] data = new byte[70_000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31);
        }
        String f = scratchDir() + "/binary file 'x'.bin";
        transport().writeFileAtomic(f, data, "0600", null, null);
        assertArrayEquals(data, transport().readFile(f));
        transport().writeFileAtomic(f, new byte[0], null, null, null);
        assertArrayEquals(new byte[0], transport().readFile(f));
    }

    @Test
    void atomicWriteKeepsModeAndOwnerAndLeavesNoTempFile() {
        String f = scratchDir() + "/keep.conf";
        sh("printf 'old\\n' > \"$1\" && chmod 0640 \"$1\"", f);
        String owner = sh("stat -c '%U:%G' \"$1\"", f);
        transport().writeFileAtomic(f, "new\n".getBytes(StandardCharsets.UTF_8), null, null, null);
        assertEquals("new\n", new String(transport().readFile(f), StandardCharsets.UTF_8));
        assertEquals("640 " + owner, sh("stat -c '%a %U:%G' \"$1\"", f));
        transport().writeFileAtomic(f, "newer\n".getBytes(StandardCharsets.UTF_8), "0604", null, null);
        assertEquals("604\n", sh("stat -c '%a' \"$1\"", f));
        String fresh = scratchDir() + "/fresh.conf";
        transport().writeFileAtomic(fresh, "x".getBytes(StandardCharsets.UTF_8), null, null, null);
        assertEquals("644\n", sh("stat -c '%a' \"$1\"", fresh));
        assertEquals("", sh("ls -A \"$1\" | grep sysfleet || true", scratchDir()));
    }

    @Test
    void failedWriteLeavesTargetAndDirectoryUntouched() {
        String f = scratchDir() + "/untouched.conf";
        transport().writeFileAtomic(f, "keep\n".getBytes(StandardCharsets.UTF_8), null, null, null);
        TransportException e = assertThrows(TransportException.class, () -> transport().writeFileAtomic(f,
                "lost\n".getBytes(StandardCharsets.UTF_8), null, "no-such-user-sysfleet", null));
        assertEquals(Phase.WRITE, e.phase());
        assertEquals("keep\n", new String(transport().readFile(f), StandardCharsets.UTF_8));
        assertEquals("", sh("ls -A \"$1\" | grep sysfleet || true", scratchDir()));
        TransportException noDir = assertThrows(TransportException.class, () -> transport().writeFileAtomic(
                scratchDir() + "/no/such/dir/f", new byte[1], null, null, null));
        assertTrue(noDir.getMessage().contains("directory does not exist"), noDir.getMessage());
    }

    @Test
    void readingAMissingFileIsAReadError() {
        TransportException e = assertThrows(TransportException.class,
                () -> transport().readFile(scratchDir() + "/missing"));
        assertEquals(Phase.READ, e.phase());
        assertEquals(transport().host(), e.host());
        assertTrue(e.getMessage().contains("no such file"), e.getMessage());
    }

    @Test
    void becomeRunsTheCommandAsAnotherUserWithStdin() {
        assumeTrue(becomeUser() != null, "sudo cannot be tested with this transport here");
        Become b = new Become(becomeUser(), null);
        ExecResult r = transport().exec(Command.of("id", "-un").become(b), T);
        assertEquals(0, r.exitCode(), r.stderrText());
        assertEquals(becomeUser() + "\n", r.stdoutText());
        ExecResult cat = transport().exec(Command.script("cat; printf '%s' \"$1\"", List.of("$(id) 'q'"))
                .withStdin("in|".getBytes(StandardCharsets.UTF_8)).become(b), T);
        assertEquals("in|$(id) 'q'", cat.stdoutText());
    }

    @Test
    void timeoutKillsACommandRunThroughSudo() {
        assumeTrue(becomeUser() != null, "sudo cannot be tested with this transport here");
        String secs = "4" + ThreadLocalRandom.current().nextInt(100, 999) + ".5";
        assertThrows(TransportException.class, () -> transport().exec(
                Command.of("sleep", secs).become(new Become(becomeUser(), null)), Duration.ofMillis(700)));
        assertNoProcess("sleep " + secs);
    }

    @Test
    void secretsNeverAppearInToStringOrTheCommandLine() {
        Command c = Command.of("id").become(new Become("root", Secret.of("$SYSFLEET_BECOME_PASSWORD", "hunter2")));
        assertFalse(c.toString().contains("hunter2"), c.toString());
        assertFalse(c.toShell().contains("hunter2"), c.toShell());
        assertTrue(new String(c.wireStdin(), StandardCharsets.UTF_8).startsWith("hunter2\n"));
        assertFalse(c.becomeSpec().toString().contains("hunter2"));
    }

    protected static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
