package io.sysfleet.cli;

import io.sysfleet.core.ExitCode;
import io.sysfleet.testing.Cli;
import io.sysfleet.testing.TestFleet;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line keeps its promises: help everywhere, no picocli warnings, enum options, one exit-code table. */
class CliPromisesTest {

    /** Every command path: {@code run}, {@code runs list}, {@code lab up}, ... (the help command itself left out). */
    private static List<String> commandPaths() {
        List<String> out = new ArrayList<>();
        collect(Main.newCommandLine(), "", out);
        return out;
    }

    private static void collect(CommandLine cl, String prefix, List<String> out) {
        for (Map.Entry<String, CommandLine> e : cl.getSubcommands().entrySet()) {
            if (e.getKey().equals("help")) {
                continue;
            }
            String path = (prefix + " " + e.getKey()).strip();
            out.add(path);
            collect(e.getValue(), path, out);
        }
    }

    /** Runs the command line with System.err captured too: picocli prints its own warnings there. */
    private static String[] runCapturingStderr(String... args) {
        PrintStream saved = System.err;
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        System.setErr(new PrintStream(raw, true, StandardCharsets.UTF_8));
        try {
            Cli.Result r = Cli.run(args);
            return new String[] {Integer.toString(r.exit()), r.out(), r.err() + raw.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setErr(saved);
        }
    }

    @Test
    void everySubcommandAndSubSubcommandHasHelpWithTheExitCodes() {
        List<String> paths = commandPaths();
        assertTrue(paths.containsAll(List.of("run", "check", "rollback", "runs", "runs list", "runs show",
                "runs prune", "lab", "lab up", "lab down", "lab status", "inventory", "lint")), paths.toString());
        for (String path : paths) {
            for (String flag : List.of("--help", "-h")) {
                List<String> args = new ArrayList<>(List.of(path.split(" ")));
                args.add(flag);
                String[] r = runCapturingStderr(args.toArray(String[]::new));
                assertEquals("0", r[0], path + " " + flag + ": " + r[2]);
                assertTrue(r[1].startsWith("Usage: sysfleet " + path), path + ": " + r[1]);
                assertEquals("", r[2], path + " " + flag + " prints nothing on stderr");
                assertTrue(r[1].contains("\nExit codes:\n"), path + ": " + r[1]);
                for (ExitCode e : ExitCode.values()) {
                    assertTrue(r[1].matches("(?s).*\\n  " + e.code() + " +"
                            + java.util.regex.Pattern.quote(e.plainMeaning().split(" ")[0]) + ".*"), path + ": " + e);
                }
            }
        }
        String[] run = runCapturingStderr("run", "--help");
        assertTrue(run[1].contains("--rollback-on-abort") && run[1].contains("--offline"), "run --help shows run's "
                + "options: " + run[1]);
    }

    @Test
    void helpOfEveryCommandPrintsNoPicocliWarnings() {
        for (String path : commandPaths().stream().filter(p -> !p.contains(" ")).toList()) {
            List<String> args = new ArrayList<>(List.of("help"));
            args.addAll(List.of(path.split(" ")));
            String[] r = runCapturingStderr(args.toArray(String[]::new));
            assertEquals("0", r[0], "help " + path + ": " + r[2]);
            assertEquals("", r[2], "help " + path);
            assertTrue(r[1].startsWith("Usage: sysfleet " + path), r[1]);
        }
        assertTrue(runCapturingStderr("help", "run")[1].contains("1,25% = one host, then 25% at a time"));
    }

    @Test
    void optionsWithAFixedSetOfValuesAreEnumsWithCompletionCandidates() {
        CommandLine run = Main.newCommandLine().getSubcommands().get("run");
        assertEquals(List.of("strict", "accept-new"), candidates(run, "--host-key-policy"));
        assertEquals(List.of("auto", "always", "never"), candidates(run, "--progress"));
        CommandLine up = Main.newCommandLine().getSubcommands().get("lab").getSubcommands().get("up");
        assertEquals(List.of("debian12", "centos7", "centos6", "centos5"), candidates(up, "--profiles"));
        String[] help = runCapturingStderr("run", "--help");
        assertTrue(help[1].contains("One of strict, accept-new."), help[1]);
        assertTrue(help[1].contains("auto, always, never"), help[1]);
        String[] bad = runCapturingStderr("run", "p.yml", "-i", "i.yml", "--progress", "sometimes");
        assertEquals("5", bad[0]);
        assertTrue(bad[2].startsWith("sysfleet: Invalid value for option '--progress': expected one of auto, always, "
                + "never, got 'sometimes'"), bad[2]);
        assertEquals("5", runCapturingStderr("check", "p.yml", "-i", "i.yml", "--host-key-policy", "STRICT")[0],
                "the words, not the Java names");
    }

    private static List<String> candidates(CommandLine cl, String option) {
        List<String> out = new ArrayList<>();
        cl.getCommandSpec().findOption(option).completionCandidates().forEach(out::add);
        return out;
    }

    @Test
    void theReadmesExitCodeTableIsTheCodes() throws IOException {
        String readme = Files.readString(TestFleet.projectRoot().resolve("README.md"));
        int start = readme.indexOf("## Exit codes\n\n");
        assertTrue(start >= 0, "README has an Exit codes section");
        String section = readme.substring(start + "## Exit codes\n\n".length());
        String table = section.substring(0, section.indexOf("\n\n") + 1);
        assertEquals(ExitCode.markdownTable(), table, "README.md's exit codes must be ExitCode's (paste this table)");
        // and what the code returns is in the table: every documented name is an ExitCode
        for (ExitCode e : ExitCode.values()) {
            assertTrue(e.meaning().length() > 10, e.name());
        }
    }
}
