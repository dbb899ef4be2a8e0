package io.sysfleet.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * What every subcommand shares: output streams that tests can capture, {@code --verbose}, and {@code -h/--help}
 * (so every subcommand and sub-subcommand has it; {@code Main} adds the exit-code table to each one's help).
 */
public abstract class BaseCommand implements Callable<Integer> {

    @Spec
    protected CommandSpec spec;

    @Option(names = "--verbose", description = "Print stack traces for errors.")
    boolean verbose;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    protected PrintWriter out() {
        return spec.commandLine().getOut();
    }

    protected PrintWriter err() {
        return spec.commandLine().getErr();
    }

    public boolean verbose() {
        return verbose;
    }
}
