package io.sysfleet.cli;

import io.sysfleet.core.ExitCode;
import io.sysfleet.core.SysfleetException;
import picocli.CommandLine.Command;

/** Work in progress: replaced as the subcommand is built. */
@Command(name = "inventory", description = "(not built yet)")
public final class InventoryCommand extends BaseCommand {
    @Override
    public Integer call() {
        throw new SysfleetException(ExitCode.USAGE, "'inventory' is not built yet");
    }
}
