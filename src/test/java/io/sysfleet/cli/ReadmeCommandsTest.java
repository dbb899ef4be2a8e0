package io.sysfleet.cli;

import io.sysfleet.testing.Cli;
import io.sysfleet.testing.TestFleet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every {@code sysfleet} command the README shows, read out of its code blocks: each one parses with the real
 * command line (an option renamed or removed fails here), and each one that needs no host is run, in a temporary
 * state directory, with the exit code the README promises. The commands that need hosts run against real
 * containers: {@code lab up|status|down} and {@code run} on the lab's inventory in LabIT, {@code check}/{@code run}
 * of playbooks/site.yml in ApplyIT, {@code rollback --last} in RollbackIT and (retried) in RollbackRetryTest,
 * {@code run --check --offline} in OfflineTest.
 */
class ReadmeCommandsTest {
    private static final Path ROOT = TestFleet.projectRoot();

    /** The README's commands, placeholders filled in (INVENTORY, ID, HOST, GROUP, $FLEET, [optional] parts). */
    static List<List<String>> commands() throws IOException {
        List<String> lines = Files.readAllLines(ROOT.resolve("README.md"));
        String fleet = null;
        for (String l : lines) {
            if (l.strip().startsWith("FLEET: ")) {
                fleet = l.strip().substring("FLEET: ".length());
            }
        }
        Set<String> seen = new LinkedHashSet<>();
        boolean fenced = false;
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            if (l.startsWith("```")) {
                fenced = !fenced;
                continue;
            }
            boolean indented = l.startsWith("    ") && (i == 0 || lines.get(i - 1).isBlank() || lines.get(i - 1).startsWith("    "));
            if (!fenced && !indented) {
                continue;
            }
            String s = l.strip();
            if (s.startsWith("run: ")) {
                s = s.substring("run: ".length());
            }
            if (!s.startsWith("./sysfleet ") && !s.startsWith("sysfleet ")) {
                continue;
            }
            // a folded YAML scalar continues on the next, equally indented line
            // Continued on the next line: an option line below, or a shell line ending in a backslash.
            while (i + 1 < lines.size() && (lines.get(i + 1).strip().startsWith("--") || s.endsWith("\\"))) {
                s = (s.endsWith("\\") ? s.substring(0, s.length() - 1).strip() : s) + " " + lines.get(++i).strip();
            }
            s = s.substring(s.indexOf("sysfleet ") + "sysfleet ".length());
            s = s.replaceAll("\\s+#.*$", "").replace("(all take --state-dir)", "").strip();
            String[] alternatives = s.split(" \\| ");
            String first = alternatives[0].split(" ")[0];
            for (String alt : alternatives) {
                String cmd = alt.strip();
                if (!cmd.startsWith(first + " ") && !cmd.equals(first) && !List.of("runs", "lab").contains(cmd.split(" ")[0])) {
                    cmd = first + " " + cmd; // "lab up | status | down"
                }
                cmd = cmd.replace("$FLEET", fleet == null ? "$FLEET" : fleet);
                seen.add(cmd);
            }
        }
        List<List<String>> out = new ArrayList<>();
        for (String cmd : seen) {
            out.add(words(cmd));
        }
        return out;
    }

    private static List<String> words(String cmd) throws IOException {
        String filled = cmd.replaceAll("\\[([^\\]]*)\\]", "$1")
                .replace("INVENTORY", "inventory.example.yml").replace(" ID", " 20261125T163000Z-ab12cd")
                .replace(" HOST", " deb12-a").replace(" GROUP", " all").replace("--limit P", "--limit all")
                .replace("--forks N", "--forks 2").replace("--serial N", "--serial 1").replace("--keep N", "--keep 2");
        List<String> words = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        boolean quoted = false;
        for (char c : filled.toCharArray()) {
            if (c == '\'') {
                quoted = !quoted;
            } else if (c == ' ' && !quoted) {
                if (w.length() > 0) {
                    words.add(w.toString());
                    w.setLength(0);
                }
            } else {
                w.append(c);
            }
        }
        if (w.length() > 0) {
            words.add(w.toString());
        }
        List<String> expanded = new ArrayList<>();
        for (String word : words) {
            if (word.contains("*.yml")) {
                try (Stream<Path> s = Files.list(ROOT.resolve(word.substring(0, word.indexOf("*"))))) {
                    s.filter(p -> p.toString().endsWith(".yml")).sorted().forEach(p -> expanded.add(p.toString()));
                }
            } else if (word.startsWith("playbooks/") || word.equals("inventory.example.yml")) {
                expanded.add(ROOT.resolve(word).toString());
            } else {
                expanded.add(word);
            }
        }
        return expanded;
    }

    @Test
    void theReadmeShowsTheCommandsItShould() throws IOException {
        List<String> heads = commands().stream().map(c -> c.get(0) + (c.size() > 1 && !c.get(1).startsWith("-")
                && !c.get(1).startsWith("/") ? " " + c.get(1) : "")).toList();
        for (String expected : List.of("inventory", "lint", "check", "run", "rollback", "runs list", "runs show",
                "runs prune", "lab up", "lab status", "lab down")) {
            assertTrue(heads.stream().anyMatch(h -> h.startsWith(expected)), expected + " in " + heads);
        }
        assertTrue(commands().size() >= 20, "the README's commands: " + commands().size());
    }

    @Test
    void everyCommandInTheReadmeParses() throws IOException {
        for (List<String> cmd : commands()) {
            try {
                Main.newCommandLine().parseArgs(cmd.toArray(String[]::new));
            } catch (CommandLine.ParameterException e) {
                fail("the README shows `sysfleet " + String.join(" ", cmd) + "`, which does not parse: " + e.getMessage());
            }
        }
    }

    @Test
    void everyCommandInTheReadmeThatNeedsNoHostRuns(@TempDir Path state) throws IOException {
        int ran = 0;
        for (List<String> cmd : commands()) {
            String head = cmd.get(0);
            boolean offline = cmd.contains("--offline");
            if (!head.equals("inventory") && !head.equals("lint") && !offline
                    && !(head.equals("runs") && !cmd.get(1).equals("show"))) {
                continue;
            }
            List<String> args = new ArrayList<>(cmd);
            if (head.equals("runs") || offline) {
                args.addAll(List.of("--state-dir", state.toString()));
            }
            Cli.Result r = Cli.run(args);
            assertEquals(0, r.exit(), "sysfleet " + String.join(" ", cmd) + "\n" + r.out() + r.err());
            ran++;
        }
        assertTrue(ran >= 9, "inventory x5, lint, the offline run, runs list and prune: " + ran);
    }
}
