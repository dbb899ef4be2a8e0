package io.sysfleet.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sysfleet.apply.Applier;
import io.sysfleet.apply.ApplyOutput;
import io.sysfleet.apply.RemoteScripts;
import io.sysfleet.facts.FactsProbe;
import io.sysfleet.facts.FileFact;
import io.sysfleet.result.Phase;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link Transport} must have, and the remote scripts production runs through it: the facts
 * probe and the one file writer inside the apply and undo scripts (symlinks, modes, missing files, hash
 * mismatches, read-only directories, SELinux contexts). Subclasses provide a connected transport and a scratch
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

    /**
     * A new directory on the host holding {@code name} with {@code content}, in which the transport's user cannot
     * create, rename or remove files (the subclass says how); returns its path.
     */
    protected abstract String readOnlyDirWith(String name, String content);

    /** The log of the spy chcon first on the transport's PATH: one line of arguments per call. */
    protected abstract String chconSpyLog();

    /** The spy chcon script, logging to {@code log} and running the real chcon. */
    protected static String chconSpy(String log) {
        return "#!/bin/sh\n# TEST SPY (TransportContract): records each chcon call, then runs the real chcon.\n"
                + "printf '%s\\n' \"$*\" >> '" + log + "'\nexec /usr/bin/chcon \"$@\"\n";
    }

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

    // ------------------------------------------------------------------------------------------------------
    // The one remote writer: the production apply and undo scripts (RemoteScripts, whose files are written only by
    // RemoteShell's put), run through this transport, exactly as the apply step runs them: the file's facts come
    // from the production facts probe and become the scripts' arguments. reload 0 and no live values: nothing
    // here reaches a kernel.

    private String me() {
        return sh("id -un").strip();
    }

    private String myGroup() {
        return sh("id -gn").strip();
    }

    private FileFact fact(String path) {
        return FactsProbe.gather(transport(), path, List.of(), T).sysctlFile();
    }

    /** The apply script writing {@code bytes} to {@code path}, announcing {@code sha}; arguments from the facts. */
    private ApplyOutput apply(String path, byte[] bytes, String sha) {
        FileFact f = fact(path);
        List<String> args = List.of(path, f.exists() ? f.sha256() : "absent", path + ".sysfleet-contract.bak",
                f.exists() ? f.mode() : "0644", f.exists() ? f.owner() : me(), f.exists() ? f.group() : myGroup(),
                "1", "0", "0", sha, "0");
        ExecResult r = transport().exec(Command.script(RemoteScripts.APPLY, args).withStdin(bytes), T);
        return ApplyOutput.parse(r.stdoutText());
    }

    private ApplyOutput apply(String path, byte[] bytes) {
        return apply(path, bytes, Applier.sha256(bytes));
    }

    /** The undo script putting {@code original} back (or removing a file that did not exist). */
    private ApplyOutput undo(String path, FileFact before, byte[] original) {
        List<String> args = List.of(path, before.exists() ? "1" : "0", before.exists() ? before.mode() : "0644",
                before.exists() ? before.owner() : me(), before.exists() ? before.group() : myGroup(),
                before.exists() ? before.sha256() : "absent");
        ExecResult r = transport().exec(Command.script(RemoteScripts.UNDO, args).withStdin(original), T);
        return ApplyOutput.parse(r.stdoutText());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private String text(String path) {
        return new String(fact(path).content(), StandardCharsets.UTF_8);
    }

    /** Names in {@code dir} containing ".sysfleet." (the writer's temporary files). */
    private String temps(String dir) {
        return sh("ls -A \"$1\" | grep -F .sysfleet. || true", dir);
    }

    @Test
    void writingThroughASymlinkEditsItsTargetAndKeepsTheLink() {
        // Debian's shape: /etc/sysctl.d/99-sysctl.conf -> ../sysctl.conf (relative), and a fleet that links
        // /etc/sysctl.conf itself to a managed file elsewhere (absolute)
        String etc = scratchDir() + "/link-etc";
        sh("mkdir -p \"$1/sysctl.d\" \"$1/managed\" && printf 'a = 1\\n' > \"$1/sysctl.conf\" && chmod 0640 \"$1/sysctl.conf\""
                + " && ln -s ../sysctl.conf \"$1/sysctl.d/99-sysctl.conf\" && printf 'b = 1\\n' > \"$1/managed/real.conf\""
                + " && ln -s \"$1/managed/real.conf\" \"$1/linked.conf\"", etc);
        String link = etc + "/sysctl.d/99-sysctl.conf";
        FileFact before = fact(link);
        ApplyOutput out = apply(link, bytes("a = 2\n"));
        assertEquals(null, out.error(), String.valueOf(out));
        assertEquals("a = 2\n", text(etc + "/sysctl.conf"), "the file the link points to is edited");
        assertEquals("../sysctl.conf\n", sh("readlink \"$1\"", link), "the link stays the same link");
        assertEquals("640\n", sh("stat -c %a \"$1\"", etc + "/sysctl.conf"), "the target keeps its mode");
        assertEquals("a = 1\n", text(link + ".sysfleet-contract.bak"), "the backup has the original bytes");
        assertEquals("", temps(etc) + temps(etc + "/sysctl.d"));
        ApplyOutput back = undo(link, before, bytes("a = 1\n"));
        assertEquals(before.sha256(), back.restored(), String.valueOf(back));
        assertEquals("a = 1\n", text(etc + "/sysctl.conf"));
        assertEquals("../sysctl.conf\n", sh("readlink \"$1\"", link));

        String abs = etc + "/linked.conf";
        assertEquals(null, apply(abs, bytes("b = 2\n")).error());
        assertEquals("b = 2\n", text(etc + "/managed/real.conf"));
        assertEquals(etc + "/managed/real.conf\n", sh("readlink \"$1\"", abs));
        assertEquals("", temps(etc) + temps(etc + "/managed"));
    }

    @Test
    void modeAndOwnerAreKeptAndANewFileIs0644() {
        String f = scratchDir() + "/secret.conf";
        sh("printf 'old\\n' > \"$1\" && chmod 0600 \"$1\"", f);
        String owner = sh("stat -c '%U:%G' \"$1\"", f);
        assertEquals(null, apply(f, bytes("new\n")).error());
        assertEquals("new\n", text(f));
        assertEquals("600 " + owner, sh("stat -c '%a %U:%G' \"$1\"", f));
        String g = scratchDir() + "/keep.conf";
        sh("printf 'old\\n' > \"$1\" && chmod 0640 \"$1\"", g);
        assertEquals(null, apply(g, bytes("newer\n")).error());
        assertEquals("640\n", sh("stat -c '%a' \"$1\"", g));
        assertEquals("", temps(scratchDir()));
    }

    @Test
    void aMissingFileIsCreated0644AndAnUndoRemovesItAgain() {
        String f = scratchDir() + "/fresh.conf";
        FileFact before = fact(f);
        assertFalse(before.exists(), "the probe reports a missing file as missing");
        ApplyOutput out = apply(f, bytes("x = 1\n"));
        assertEquals(null, out.error(), String.valueOf(out));
        assertEquals("x = 1\n", text(f));
        assertEquals("644\n", sh("stat -c '%a' \"$1\"", f));
        assertEquals("absent", undo(f, before, new byte[0]).restored());
        assertFalse(fact(f).exists());
        ApplyOutput noDir = apply(scratchDir() + "/no/such/dir/f.conf", bytes("x\n"));
        assertTrue(noDir.error().startsWith("write: "), String.valueOf(noDir));
    }

    @Test
    void bytesThatAreNotTheBytesAnnouncedAreNeverInstalled() {
        // what a controller killed while sending leaves: fewer bytes than the sha256 it announced
        String f = scratchDir() + "/torn.conf";
        sh("printf 'keep\\n' > \"$1\"", f);
        byte[] full = bytes("net.ipv4.tcp_fin_timeout = 30\n");
        ApplyOutput out = apply(f, Arrays.copyOf(full, 10), Applier.sha256(full));
        assertTrue(out.error().startsWith("write: "), String.valueOf(out));
        assertEquals(null, out.written());
        assertEquals("keep\n", text(f));
        assertEquals("", temps(scratchDir()));
        // and a file that changed since its facts were read is not touched at all
        FileFact seen = fact(f);
        sh("printf 'edited\\n' > \"$1\"", f);
        List<String> args = List.of(f, seen.sha256(), f + ".bak2", seen.mode(), seen.owner(), seen.group(), "1", "0",
                "0", Applier.sha256(full), "0");
        ApplyOutput conflict = ApplyOutput.parse(transport().exec(Command.script(RemoteScripts.APPLY, args)
                .withStdin(full), T).stdoutText());
        assertTrue(conflict.conflict() != null, String.valueOf(conflict));
        assertEquals("edited\n", text(f));
    }

    @Test
    void aBadOwnerFailsTheWriteAndLeavesFileAndDirectoryAsTheyWere() {
        String f = scratchDir() + "/untouched.conf";
        sh("printf 'keep\\n' > \"$1\"", f);
        FileFact ff = fact(f);
        List<String> args = List.of(f, ff.sha256(), f + ".bak3", ff.mode(), "no-such-user-sysfleet", ff.group(), "1",
                "0", "0", Applier.sha256(bytes("lost\n")), "0");
        ApplyOutput out = ApplyOutput.parse(transport().exec(Command.script(RemoteScripts.APPLY, args)
                .withStdin(bytes("lost\n")), T).stdoutText());
        assertTrue(out.error().startsWith("write: "), String.valueOf(out));
        assertEquals("keep\n", text(f));
        assertEquals("", temps(scratchDir()));
    }

    @Test
    void aDirectoryTheUserCannotWriteIsAnErrorAndChangesNothing() {
        String f = readOnlyDirWith("ro.conf", "keep\n") + "/ro.conf";
        ApplyOutput out = apply(f, bytes("lost\n"));
        assertTrue(out.error() != null, String.valueOf(out));
        assertEquals("keep\n", text(f));
        String dir = f.substring(0, f.lastIndexOf('/'));
        assertEquals("ro.conf\n", sh("ls -A \"$1\"", dir), "no backup, no temporary file");
        FileFact before = fact(f);
        ApplyOutput u = undo(f, before, bytes("other\n"));
        assertTrue(u.error() != null, String.valueOf(u));
        assertEquals("keep\n", text(f));
    }

    @Test
    void theWriterCopiesTheSelinuxContextWithChconReference() {
        // There is no SELinux on these kernels: a spy chcon (first on the transport's PATH, it records its
        // arguments and runs the real chcon) shows the writer asks for the target's context on the new file.
        String f = scratchDir() + "/labelled.conf";
        sh("printf 'a = 1\\n' > \"$1\"", f);
        assertEquals(null, apply(f, bytes("a = 2\n")).error());
        String calls = sh("cat \"$1\"", chconSpyLog());
        assertTrue(calls.lines().anyMatch(l -> l.startsWith("--reference=" + f + " " + scratchDir()
                + "/.labelled.conf.sysfleet.")), calls);
        assertEquals("a = 2\n", text(f), "no context to copy on this kernel: the write goes on");
    }

    @Test
    void binaryFilesRoundTrip() {
        byte[] data = new byte[70_000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31);
        }
        String f = scratchDir() + "/binary file 'x'.bin";
        sh("printf x > \"$1\" && chmod 0600 \"$1\"", f);
        assertEquals(null, apply(f, data).error());
        assertArrayEquals(data, fact(f).content());
        assertEquals(null, apply(f, new byte[0]).error());
        assertArrayEquals(new byte[0], fact(f).content());
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
