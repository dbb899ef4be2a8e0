package io.sysfleet.transport;

import io.sysfleet.testing.Shells;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code snap} ({@link RemoteShell#LIB}) reads every live value of a list with one grep, where the scripts used
 * to run {@code $(cat) | tr} per key (four processes each). Its records must be exactly those of the old per-key
 * reader (kept here as the oracle): trailing newlines dropped, tabs and inner newlines folded to one space each,
 * empty values, directories and missing keys, values holding ':' and shell metacharacters, keys whose path is a
 * prefix of another's. Run by this machine's /bin/sh (dash on Debian) and, where installed, by bash (CentOS 5's
 * /bin/sh).
 */
class SnapTest {
    /** The per-key reader the scripts used before snap (git history): one cat and one tr per key. */
    static final String OLD = RemoteShell.PROC + """
            val() { if [ -r "$proc/$1" ]; then printf '%s' "$(cat "$proc/$1" 2>/dev/null)" | tr '\\t\\n' '  '; return 0; fi; return 1; }
            while IFS= read -r p; do
              if v=$(val "$p"); then printf 'before\\t%s\\t%s\\n' "$p" "$v"; else printf 'before-absent\\t%s\\n' "$p"; fi
            done
            """;

    static final String NEW = RemoteShell.LIB + """
            paths=; while IFS= read -r p; do paths=$paths$p$nl; done
            snap before
            """;

    @TempDir
    Path dir;

    private static String run(String shell, String script, Path proc, String stdin) throws Exception {
        Shells.Result r = Shells.run(shell, script, List.of(), proc, stdin);
        assertEquals(0, r.exit(), script);
        return new String(r.stdout(), StandardCharsets.UTF_8);
    }

    private static List<String> shells() {
        return Shells.available();
    }

    @Test
    void oneGrepReadsWhatTheOldPerKeyReaderRead() throws Exception {
        Path proc = Files.createDirectories(dir.resolve("proc"));
        String[][] values = {{"net/ipv4/tcp_fin_timeout", "30\n"}, {"net/ipv4/tcp_rmem", "4096\t131072\t6291456\n"},
                {"net/ipv4/tcp_fin", "7\n"}, {"net/ipv4/tcp_fin_timeout_x", "8\n"},
                {"odd/tabs", "drive name:\t\tsr0\t\nx\t\t\n"}, {"odd/colon", "a:b::c\n"},
                {"odd/quote", "it's \"x\"\n"}, {"odd/utf8", "caf\u00e9 \u2603\n"}, {"odd/empty", ""},
                {"odd/newline-only", "\n\n"}, {"odd/newlines", "a\n\nb\n\n\n"}, {"odd/lead", "\n\nx\n"},
                {"odd/spaces", "  lead and trail  \n"}, {"odd/no-newline", "12"}, {"odd/glob", "*[?]\\\n"},
                {"odd/dollar", "$HOME `x` $(y) -e\n"}, {"odd/dash", "-n\n"}};
        List<String> paths = new ArrayList<>();
        for (String[] v : values) {
            Path p = proc.resolve(v[0]);
            Files.createDirectories(p.getParent());
            Files.writeString(p, v[1], StandardCharsets.UTF_8);
            paths.add(v[0]);
        }
        Files.createDirectories(proc.resolve("odd/dir"));
        paths.add("odd/dir");
        paths.add("odd/absent");
        paths.add("absent/too");
        // missing keys first, last and between present ones; a path that is a prefix of the next one
        List<List<String>> lists = List.of(paths, List.of("odd/absent", "net/ipv4/tcp_fin", "odd/absent2",
                "net/ipv4/tcp_fin_timeout", "net/ipv4/tcp_fin_timeout_x", "odd/gone"), List.of("odd/absent"),
                List.of("odd/empty"), List.of("odd/dir", "odd/empty", "odd/tabs"));
        for (String shell : shells()) {
            for (List<String> list : lists) {
                String stdin = String.join("\n", list) + "\n";
                String before = run(shell, OLD, proc, stdin);
                assertEquals(list.size(), before.lines().count(), before);
                assertEquals(before, run(shell, NEW, proc, stdin), shell + " " + list);
            }
            assertEquals("", run(shell, NEW, proc, ""), "no paths: no grep (it would read stdin)");
        }
    }

    @Test
    void aThousandKeysWithGapsReadAsBefore() throws Exception {
        Path proc = Files.createDirectories(dir.resolve("proc"));
        StringBuilder stdin = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            Path p = proc.resolve("net/k" + i);
            Files.createDirectories(p.getParent());
            if (i % 7 != 3) {
                Files.writeString(p, i + "\t" + (i * 2) + "\n");
            }
            stdin.append("net/k").append(i).append('\n');
        }
        String out = run("/bin/sh", NEW, proc, stdin.toString());
        assertEquals(run("/bin/sh", OLD, proc, stdin.toString()), out);
        assertTrue(out.contains("before\tnet/k998\t998 1996\n") && out.contains("before-absent\tnet/k997\n"), out);
    }
}
