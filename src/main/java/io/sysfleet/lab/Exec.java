package io.sysfleet.lab;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a local program from an argument list (never through a shell), with a timeout, capturing its output.
 * Extra environment variables are passed to the child only (used for values that should not show in argv).
 */
final class Exec {
    /** A finished program: exit status and output. */
    record Result(List<String> argv, int exit, String out, String err) {
        boolean ok() {
            return exit == 0;
        }

        /** The last non-blank line of stderr (or stdout), for one-line error messages. */
        String lastErrorLine() {
            for (String text : List.of(err, out)) {
                String[] lines = text.strip().split("\n");
                String last = lines[lines.length - 1].strip();
                if (!last.isEmpty()) {
                    return last;
                }
            }
            return "exit status " + exit;
        }
    }

    /** The program could not be started (not installed) or did not finish in time. */
    static final class ExecException extends Exception {
        ExecException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private Exec() {
    }

    static Result run(List<String> argv, Path cwd, Map<String, String> extraEnv, Duration timeout)
            throws ExecException {
        File out = null;
        File err = null;
        try {
            out = File.createTempFile("sysfleet-lab", ".out");
            err = File.createTempFile("sysfleet-lab", ".err");
            ProcessBuilder pb = new ProcessBuilder(argv).redirectOutput(out).redirectError(err);
            if (cwd != null) {
                pb.directory(cwd.toFile());
            }
            pb.environment().putAll(extraEnv);
            Process p;
            try {
                p = pb.start();
            } catch (IOException e) {
                throw new ExecException("cannot run " + argv.get(0) + ": " + e.getMessage(), e);
            }
            p.getOutputStream().close();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
                throw new ExecException(String.join(" ", argv.subList(0, Math.min(3, argv.size())))
                        + " did not finish within " + timeout.toSeconds() + "s", null);
            }
            return new Result(List.copyOf(argv), p.exitValue(), Files.readString(out.toPath(), StandardCharsets.UTF_8),
                    Files.readString(err.toPath(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ExecException("cannot run " + argv.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ExecException("interrupted while running " + argv.get(0), e);
        } finally {
            if (out != null) {
                out.delete();
            }
            if (err != null) {
                err.delete();
            }
        }
    }
}
