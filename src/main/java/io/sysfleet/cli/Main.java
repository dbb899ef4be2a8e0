package io.sysfleet.cli;

import io.sysfleet.catalog.KeyCatalog;
import io.sysfleet.core.ExitCode;
import io.sysfleet.core.SysfleetException;
import io.sysfleet.core.TerminalText;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

/** The {@code sysfleet} command: subcommands, and the one place that maps errors to exit codes and messages. */
@Command(name = "sysfleet",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Fix Linux TCP and conntrack kernel settings across a fleet: Ansible-compatible, safe, with undo.")
public final class Main implements Runnable {
    /** The subcommands, in the order the help lists them. */
    static final List<Class<?>> SUBCOMMANDS = List.of(InventoryCommand.class, LintCommand.class, RunCommand.class,
            CheckCommand.class, DiagnoseCommand.class, RollbackCommand.class, RunsCommand.class, ReportCommand.class,
            LabCommand.class, CommandLine.HelpCommand.class);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing subcommand");
    }

    public static void main(String[] args) {
        if (args.length > 0 && List.of("run", "check", "lint", "diagnose", "rollback").contains(args[0])) {
            KeyCatalog.preload(); // about 100 ms of YAML, on the other core while the command line is built
        }
        System.exit(newCommandLine(args.length > 0 ? args[0] : null).execute(args));
    }

    /** A configured command line with every subcommand; tests call {@code execute} on it with their own writers. */
    public static CommandLine newCommandLine() {
        return newCommandLine(null);
    }

    /**
     * A configured command line with only the subcommand named {@code first} when it names one (else with all of
     * them, for the top-level help, {@code help} and the message for an unknown command). picocli builds each
     * command's model by reflection when it is added, and a run needs one of ten: this takes about a third of the
     * start-up before the first SSH packet (docs/performance.md).
     */
    static CommandLine newCommandLine(String first) {
        boolean one = first != null && SUBCOMMANDS.stream().anyMatch(c -> named(c, first))
                && !first.equals("help");
        CommandLine cl = new CommandLine(new Main());
        for (Class<?> c : SUBCOMMANDS) {
            if (!one || named(c, first)) {
                cl.addSubcommand(c);
            }
        }
        cl.setExecutionExceptionHandler(new ErrorHandler());
        cl.setParameterExceptionHandler(new UsageHandler());
        cl.setExitCodeExceptionMapper(t -> ExitCode.ERROR.code());
        withExitCodes(cl);
        return cl;
    }

    private static boolean named(Class<?> c, String word) {
        Command a = c.getAnnotation(Command.class);
        return a.name().equals(word) || List.of(a.aliases()).contains(word);
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
            if (ex instanceof io.sysfleet.core.ConfigException ce) {
                // one line per problem, each escaped on its own: a newline inside a value cannot forge a line
                err.println("sysfleet: " + String.join("\n", ce.problems().stream()
                        .map(p -> TerminalText.escape(p.toString())).toList()));
                err.flush();
                return ce.exitCode().code();
            }
            if (ex instanceof SysfleetException se) {
                err.println("sysfleet: " + TerminalText.escape(se.oneLine()));
                err.flush();
                return se.exitCode().code();
            }
            String msg = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
            err.println("sysfleet: internal error: " + TerminalText.escape(msg.replaceAll("\\s*\\n\\s*", " "))
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
            err.println("sysfleet: " + TerminalText.escape(String.valueOf(ex.getMessage())));
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
