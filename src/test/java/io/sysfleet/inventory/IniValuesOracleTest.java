package io.sysfleet.inventory;

import io.sysfleet.testing.AnsibleInventory;
import io.sysfleet.testing.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * INI host lines and {@code :vars} lines against the real ansible-inventory: hundreds of generated lines whose
 * values mix shell quoting (single, double, escapes, adjacent quoted parts, {@code #} comments inside and
 * outside quotes, {@code =} in values) with Python literals (numbers, True/None, lists, dicts, quoted text),
 * in one INI file and one ansible-inventory call; {@code --list} must be byte-equal.
 * Seed: {@code -Dsysfleet.ini.seed}, lines: {@code -Dsysfleet.ini.lines}.
 */
class IniValuesOracleTest {
    @TempDir
    Path tmp;

    private static final List<String> WORDS = List.of("web", "8080", "0", "007", "0x1F", "1e3", "2.50", "-7", "True",
            "False", "None", "yes", "no", "on", "[1, 2]", "['a', 'b']", "{'k': 1}", "{'k': [True, None]}", "(1, 2)",
            "'quoted'", "\"dq\"", "a b", "x=y", "#", "a#b", "é", "☃", "{{ var }}", "/etc/app.conf", "10.0.0.1",
            "u'x'", "r'raw'", "1_000", ",", "\\", "''", "\"\"");

    @Test
    void hostLineAndVarsLineValuesAsAnsibleReadsThem() throws Exception {
        long seed = Long.getLong("sysfleet.ini.seed", 42L);
        int lines = Integer.getInteger("sysfleet.ini.lines", 400);
        Random rnd = new Random(seed);
        StringBuilder ini = new StringBuilder("[g]\n");
        for (int i = 0; i < lines; i++) {
            ini.append("h").append(i);
            int n = 1 + rnd.nextInt(4);
            for (int k = 0; k < n; k++) {
                ini.append(' ').append("k").append(k).append('=').append(token(rnd));
            }
            if (rnd.nextInt(8) == 0) {
                ini.append("  # trailing comment k9=1");
            }
            ini.append('\n');
        }
        ini.append("[g:vars]\n");
        for (int i = 0; i < lines / 4; i++) {
            ini.append("v").append(i).append(rnd.nextBoolean() ? "=" : " = ").append(rawValue(rnd)).append('\n');
        }
        Path file = tmp.resolve("hosts");
        Files.writeString(file, ini.toString());
        AnsibleInventory ansible = new AnsibleInventory(tmp.resolve("ansible"));
        String theirs = ansible.inventory(List.of(file), "--list");
        Cli.Result ours = Cli.run("inventory", "-i", file.toString(), "--list");
        assertEquals(0, ours.exit(), ours.err());
        AnsibleInventory.assertSameText(theirs, ours.out(), "--list of " + lines + " generated INI lines (seed "
                + seed + ")");
    }

    /** A host-line value: words joined in one shell word, each part bare, quoted or escaped. */
    private static String token(Random r) {
        StringBuilder sb = new StringBuilder();
        int parts = 1 + r.nextInt(3);
        for (int i = 0; i < parts; i++) {
            String w = WORDS.get(r.nextInt(WORDS.size()));
            switch (r.nextInt(5)) {
                case 0 -> sb.append('"').append(w.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
                case 1 -> sb.append('\'').append(w.replace("'", "")).append('\'');
                case 2 -> {
                    for (char c : w.toCharArray()) {
                        sb.append(c == ' ' || c == '\'' || c == '"' || c == '\\' || c == '#' ? "\\" + c : String.valueOf(c));
                    }
                }
                default -> sb.append(w.replaceAll("[ '\"\\\\]", "_"));
            }
        }
        return sb.toString();
    }

    /** A :vars value: the rest of the line, stripped, typed as a Python literal (no shell quoting). */
    private static String rawValue(Random r) {
        String v = WORDS.get(r.nextInt(WORDS.size()));
        return r.nextInt(5) == 0 ? v + "  # after" : v;
    }
}
