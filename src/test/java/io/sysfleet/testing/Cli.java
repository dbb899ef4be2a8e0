package io.sysfleet.testing;

import io.sysfleet.cli.Main;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

/** Runs the {@code sysfleet} command line in-process, as a user would, capturing what it prints. */
public final class Cli {
    private Cli() {
    }

    /** Exit code, standard output and standard error of one run. */
    public record Result(int exit, String out, String err) {
    }

    public static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.newCommandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int rc = cl.execute(args);
        return new Result(rc, out.toString(), err.toString());
    }

    public static Result run(List<String> args) {
        return run(args.toArray(String[]::new));
    }

    /** Like {@link #run}, with standard error interleaved into {@code out} as a terminal would show it. */
    public static Result runMerged(String... args) {
        StringWriter both = new StringWriter();
        CommandLine cl = Main.newCommandLine();
        cl.setOut(new PrintWriter(both, true));
        cl.setErr(new PrintWriter(both, true));
        int rc = cl.execute(args);
        return new Result(rc, both.toString(), "");
    }

    public static Result runMerged(List<String> args) {
        return runMerged(args.toArray(String[]::new));
    }
}
