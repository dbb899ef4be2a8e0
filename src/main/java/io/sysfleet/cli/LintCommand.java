package io.sysfleet.cli;

import io.sysfleet.core.ExitCode;
import io.sysfleet.core.SysfleetException;
import picocli.CommandLine.Command;

/** Work in progress: replaced as the subcommand is built. */
@Command(name = "lint", description = "(not built yet)")
public final class LintCommand extends BaseCommand {
    @Override
    public Integer call() {
        throw new SysfleetException(ExitCode.USAGE, "'lint' is not built yet");
    }
}
