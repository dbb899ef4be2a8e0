package io.sysfleet.testing;

import io.sysfleet.transport.RemoteShell;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a remote script on this machine the way a host's shell would ({@code SHELL -c SCRIPT sysfleet ARGS...}),
 * with {@code /proc/sys} pointed at a scratch tree ({@link RemoteShell#PROC_SYS_ENV}): for the tests that compare
 * a script with the one it replaced, under each shell a host may have.
 */
public final class Shells {
    private Shells() {
    }

    /** What a script printed and its exit code. */
    public record Result(int exit, byte[] stdout) {
    }

    /** This machine's /bin/sh (dash on Debian) and, where installed, bash (CentOS 5's /bin/sh). */
    public static List<String> available() {
        List<String> out = new ArrayList<>(List.of("/bin/sh"));
        if (Files.isExecutable(Path.of("/bin/bash"))) {
            out.add("/bin/bash");
        }
        return out;
    }

    /** Runs {@code script} with {@code args} and {@code stdin}; stderr is dropped (the parsers read stdout only). */
    public static Result run(String shell, String script, List<String> args, Path proc, String stdin)
            throws Exception {
        List<String> argv = new ArrayList<>(List.of(shell, "-c", script, "sysfleet"));
        argv.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put(RemoteShell.PROC_SYS_ENV, proc.toString());
        Process p = pb.start();
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(shell + " did not finish in 30 s");
        }
        return new Result(p.exitValue(), out);
    }
}
