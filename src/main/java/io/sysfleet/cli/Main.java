package io.sysfleet.cli;

import io.sysfleet.core.ExitCode;
import io.sysfleet.core.SysfleetException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

import java.io.PrintWriter;
import java.io.StringWriter;

/** The {@code sysfleet} command: subcommands, and the one place that maps errors to exit codes and messages. */
@Command(name = "sysfleet",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Fix Linux TCP and conntrack kernel settings across a fleet: Ansible-compatible, safe, with undo.",
        subcommands = {
                InventoryCommand.class,
                LintCommand.class,
                RunCommand.class,
                CheckCommand.class,
                DiagnoseCommand.class,
                RollbackCommand.class,
                RunsCommand.class,
                LabCommand.class,
                CommandLine.HelpCommand.class
        })
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing subcommand");
    }

    public static void main(String[] args) {
        System.exit(newCommandLine().execute(args));
    }

    /** A configured command line; tests call {@code execute} on it with their own writers. */
    public static CommandLine newCommandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler(new ErrorHandler());
        cl.setParameterExceptionHandler(new UsageHandler());
        cl.setExitCodeExceptionMapper(t -> ExitCode.ERROR.code());
        withExitCodes(cl);
        return cl;
    }

    /** Every command's help ends with the one exit-code table ({@link ExitCode}). */
    private static void withExitCodes(CommandLine cl) {
        cl.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(ExitCode.helpList());
        cl.getSubcommands().values().forEach(Main::withExitCodes);
    }

    /** Maps every exception to one line on stderr and its documented exit code. */
    static final class ErrorHandler implements IExecutionExceptionHandler {
        @Override
        public int handleExecutionException(Exception ex, CommandLine cl, ParseResult parseResult) {
            PrintWriter err = cl.getErr();
            boolean verbose = cl.getCommand() instanceof BaseCommand b && b.verbose();
            if (verbose) {
                StringWriter sw = new StringWriter();
                ex.printStackTrace(new PrintWriter(sw));
                err.print(sw);
            }
            if (ex instanceof SysfleetException se) {
                err.println("sysfleet: " + se.oneLine());
                err.flush();
                return se.exitCode().code();
            }
            String msg = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
            err.println("sysfleet: internal error: " + msg.replaceAll("\\s*\\n\\s*", " ")
                    + (verbose ? "" : " (run with --verbose for details)"));
            err.flush();
            return ExitCode.ERROR.code();
        }
    }

    /** Bad arguments: the message and a pointer to --help, exit 5. */
    static final class UsageHandler implements IParameterExceptionHandler {
        @Override
        public int handleParseException(ParameterException ex, String[] args) {
            CommandLine cl = ex.getCommandLine();
            PrintWriter err = cl.getErr();
            err.println("sysfleet: " + ex.getMessage());
            err.println("Try '" + cl.getCommandSpec().qualifiedName() + " --help' for more information.");
            err.flush();
            return ExitCode.USAGE.code();
        }
    }

    /** The version from the jar manifest (set by Maven). */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"sysfleet " + (v == null ? "development build" : v)};
        }
    }
}
