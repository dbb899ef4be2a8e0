package io.sysfleet.inventory;

import io.sysfleet.testing.AnsibleInventory;
import io.sysfleet.testing.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every {@code ./sysfleet inventory ...} command the README's Inventory section shows is run as written (from the
 * repository root) and gives the same output as {@code ansible-inventory} with the same arguments (but
 * {@code --limit}, which ansible-inventory 2.14 lacks); where the
 * output holds values from a vault-encrypted file, which sysfleet masks, only the masked variables may differ.
 */
class ReadmeInventoryExamplesTest {
    @TempDir
    Path tmp;

    @Test
    void inventoryCommandsOfTheReadmeWorkAndMatchAnsible() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        String section = readme.substring(readme.indexOf("## Inventory\n"), readme.indexOf("## Playbooks\n"));
        List<List<String>> commands = new ArrayList<>();
        for (String line : section.lines().toList()) {
            String l = line.strip();
            if (l.startsWith("./sysfleet inventory ")) {
                commands.add(Shlex.split(l)); // Shlex drops the trailing # comment
            }
        }
        assertTrue(commands.size() >= 6, "the Inventory section shows " + commands.size() + " commands");
        AnsibleInventory ansible = new AnsibleInventory(tmp);
        for (List<String> cmd : commands) {
            List<String> args = cmd.subList(1, cmd.size());
            Cli.Result ours = Cli.run(args);
            assertEquals(0, ours.exit(), String.join(" ", cmd) + ": " + ours.err());
            assertEquals("", ours.err(), String.join(" ", cmd));
            if (args.contains("--limit")) {
                continue; // ansible-inventory 2.14 has no --limit; InventoryCommandTest checks what it selects
            }
            List<String> theirs = new ArrayList<>(List.of("ansible-inventory"));
            for (int i = 1; i < args.size(); i++) {
                String a = args.get(i);
                boolean isPath = i > 1 && List.of("-i", "--vault-password-file").contains(args.get(i - 1));
                theirs.add(isPath ? Path.of(a).toAbsolutePath().toString() : a);
            }
            String expected = ansible.run(theirs.toArray(String[]::new));
            if (ours.out().contains("\"****(vault ")) {
                expected = expected.replaceAll("\"(vault_[a-z_]+)\": \"[^\"]*\"", "\"$1\": \"MASKED\"");
                String actual = ours.out().replaceAll("\"(vault_[a-z_]+)\": \"\\*\\*\\*\\*\\(vault [^\"]*\\)\"",
                        "\"$1\": \"MASKED\"");
                AnsibleInventory.assertSameText(expected, actual, String.join(" ", cmd));
            } else {
                AnsibleInventory.assertSameText(expected, ours.out(), String.join(" ", cmd));
            }
        }
    }
}
