package io.sysfleet.cli;

import io.sysfleet.catalog.KeyCatalog;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * The launcher builds only the subcommand it runs ({@link Main#newCommandLine(String)}), to start faster: each
 * command line it builds must be the full tree's for that command, help and exit-code table included, and
 * anything that is not a subcommand's name gets the full tree.
 */
class MainStartupTest {
    @Test
    void aSubcommandAloneIsTheSameCommandAsInTheFullTree() {
        CommandLine full = Main.newCommandLine();
        List<String> names = List.copyOf(full.getSubcommands().keySet());
        assertEquals(List.of("inventory", "lint", "run", "check", "diagnose", "rollback", "runs", "report", "lab",
                "help"), names);
        for (String name : names) {
            CommandLine one = Main.newCommandLine(name);
            if (name.equals("help")) {
                assertEquals(full.getSubcommands().keySet(), one.getSubcommands().keySet(), "help lists them all");
                continue;
            }
            assertEquals(Set.of(name), one.getSubcommands().keySet(), name);
            assertEquals(full.getSubcommands().get(name).getUsageMessage(),
                    one.getSubcommands().get(name).getUsageMessage(), name);
            assertEquals(full.getSubcommands().get(name).getSubcommands().keySet(),
                    one.getSubcommands().get(name).getSubcommands().keySet(), name);
        }
        for (String other : new String[]{"--help", "-V", "rnu", "", "RUN"}) {
            assertEquals(full.getSubcommands().keySet(), Main.newCommandLine(other).getSubcommands().keySet(), other);
            assertEquals(full.getUsageMessage(), Main.newCommandLine(other).getUsageMessage(), other);
        }
    }

    @Test
    void theBundledCatalogIsParsedOnce() {
        KeyCatalog.preload();
        assertSame(KeyCatalog.load(), KeyCatalog.load());
        assertEquals(KeyCatalog.load().keys().size(), KeyCatalog.parse(new String(readBundled(),
                java.nio.charset.StandardCharsets.UTF_8), "keys.yml").keys().size());
    }

    private static byte[] readBundled() {
        try (var in = KeyCatalog.class.getResourceAsStream("/io/sysfleet/catalog/keys.yml")) {
            return in.readAllBytes();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
