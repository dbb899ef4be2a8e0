package io.sysfleet.facts;

import io.sysfleet.testing.Shells;
import io.sysfleet.transport.RemoteShell;
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
 * The facts probe and the boot files listing encode short ASCII strings with shell builtins
 * ({@link RemoteShell#HEX}) instead of an {@code od | tr} pipeline each: about 90 processes fewer per host. Their
 * output must stay byte for byte what the previous scripts (kept here, from the history, as the oracle) printed,
 * for plain values and for everything the fast path must hand to {@code od}: non-ASCII, quotes, newlines, tabs,
 * empty values, odd file names. Run by this machine's /bin/sh (dash on Debian) and, where installed, by bash
 * (CentOS 5's /bin/sh).
 */
class LeanProbeTest {
    /** The probe as it was before RemoteShell.HEX (main before the merge, git history): one od | tr pipeline per string. */
    static final String OLD_FACTS = RemoteShell.PROC + """
            hex() { od -An -tx1 -v | tr -d ' \\n'; }
            opt() {
              if [ -f "$2" ] && [ -r "$2" ]; then printf '%s 1 x%s\\n' "$1" "$(hex < "$2")"
              else printf '%s 0\\n' "$1"; fi
            }
            f=$1; max=$2; shift 2
            fh=$(printf '%s' "$f" | hex)
            echo 'sysfleet-facts 1'
            opt os-release /etc/os-release
            opt redhat-release /etc/redhat-release
            printf 'kernel x%s\\n' "$(uname -r | hex)"
            mt=$(sed -n 's/^MemTotal:[[:space:]]*\\([0-9][0-9]*\\) kB$/\\1/p' /proc/meminfo 2>/dev/null | head -n 1)
            printf 'memtotal %s\\n' "${mt:--}"
            tw=$(sed -n 's/^TCP:.* tw \\([0-9][0-9]*\\).*$/\\1/p' /proc/net/sockstat 2>/dev/null | head -n 1)
            printf 'timewait %s\\n' "${tw:--}"
            ct=
            if [ -r /proc/1/environ ]; then ct=$(tr '\\000' '\\n' < /proc/1/environ 2>/dev/null | sed -n 's/^container=//p' | head -n 1); fi
            if [ -z "$ct" ] && [ -e /.dockerenv ]; then ct=docker; fi
            if [ -z "$ct" ] && [ -e /run/.containerenv ]; then ct=podman; fi
            printf 'container x%s\\n' "$(printf '%s' "$ct" | hex)"
            if [ -e "$proc/net/core/netdev_max_backlog" ]; then ns=initial; elif [ -d "$proc/net/core" ]; then ns=other; else ns=-; fi
            printf 'netns %s\\n' "$ns"
            if [ -r /proc/modules ] || [ -e "$proc/kernel/modprobe" ]; then ms=1; else ms=0; fi
            if command -v modprobe >/dev/null 2>&1; then mp=1; else mp=0; fi
            printf 'modules %s %s\\n' "$ms" "$mp"
            builtin=/lib/modules/$(uname -r)/modules.builtin
            if [ -e "$f" ]; then
              m=$(stat -L -c '%a' -- "$f")
              o=$(stat -L -c '%U' -- "$f" | tr -d '\\n' | hex)
              g=$(stat -L -c '%G' -- "$f" | tr -d '\\n' | hex)
              if [ ! -f "$f" ]; then
                printf 'file x%s 4 %s x%s x%s\\n' "$fh" "$m" "$o" "$g"
              elif [ -r "$f" ] && [ "$(stat -L -c '%s' -- "$f")" -gt "$max" ]; then
                printf 'file x%s 3 %s x%s x%s %s\\n' "$fh" "$m" "$o" "$g" "$(stat -L -c '%s' -- "$f")"
              elif [ -r "$f" ]; then
                if command -v sha256sum >/dev/null 2>&1; then s=$(sha256sum < "$f" | cut -d' ' -f1); else s=-; fi
                printf 'file x%s 1 %s x%s x%s %s x%s\\n' "$fh" "$m" "$o" "$g" "$s" "$(hex < "$f")"
              else
                printf 'file x%s 2 %s x%s x%s\\n' "$fh" "$m" "$o" "$g"
              fi
            else
              printf 'file x%s 0\\n' "$fh"
            fi
            while IFS= read -r key; do
              k=$(printf '%s' "$key" | hex)
              case "$key" in
                module=*)
                  m=${key#module=}; mu=$(printf '%s' "$m" | tr - _)
                  if [ -r /proc/modules ] && grep -q -e "^$mu " /proc/modules; then st=loaded
                  elif [ -r "$builtin" ] && { grep -q -e "/$m\\.ko\\$" "$builtin" || grep -q -e "/$mu\\.ko\\$" "$builtin"; }; then st=builtin
                  elif [ -d "/sys/module/$mu" ]; then st=loaded
                  else st=absent; fi
                  printf 'module x%s %s\\n' "$(printf '%s' "$m" | hex)" "$st"; continue ;;
              esac
              p=$proc/$key
              case "$p/" in
                */../*|*/./*|*//*) printf 'live x%s invalid\\n' "$k"; continue ;;
              esac
              if [ -d "$p" ]; then st=dir
              elif [ -e "$p" ]; then
                if v=$(cat -- "$p" 2>/dev/null); then
                  printf 'live x%s present x%s\\n' "$k" "$(printf '%s' "$v" | hex)"
                  case "$(stat -L -c %a -- "$p" 2>/dev/null)" in [2367]??) ;; *) printf 'ro x%s\\n' "$k" ;; esac
                  continue
                fi
                st=unreadable
              else st=absent; fi
              printf 'live x%s %s\\n' "$k" "$st"
            done
            echo end
            """;

    /** The boot files listing as it was before RemoteShell.HEX. */
    static final String OLD_BOOT = """
            hex() { od -An -tx1 -v | tr -d ' \\n'; }
            h() { printf '%s' "$1" | hex; }
            cap=$1; main=$2; shift 2; total=0
            one() {
              p=$2; l=-; c=-
              if [ -L "$p" ]; then
                l=x$(h "$(readlink -- "$p")")
                r=$(readlink -f -- "$p") && c=x$(h "$r")
              fi
              if [ ! -e "$p" ]; then st=missing
              elif [ ! -f "$p" ]; then st=other
              elif [ ! -r "$p" ]; then st=unreadable
              else
                n=$(wc -c < "$p") || n=0
                if [ $((total + n)) -gt "$cap" ]; then st=skipped
                else total=$((total + n)); st="file x$(hex < "$p")"; fi
              fi
              printf '%s %s %s %s\\n' "$1" "$l" "$c" "$st"
            }
            echo 'sysfleet-bootfiles 1'
            for d in "$@"; do
              dh=$(h "$d")
              if [ -d "$d" ]; then
                printf 'dir x%s 1\\n' "$dh"
                for f in "$d"/*.conf; do
                  [ -e "$f" ] || [ -L "$f" ] || continue
                  one "entry x$dh x$(h "${f##*/}")" "$f"
                done
              else
                printf 'dir x%s 0\\n' "$dh"
              fi
            done
            one "main x$(h "$main")" "$main"
            echo end
            """;


    @TempDir
    Path dir;

    private static String run(String shell, String script, List<String> args, Path proc) throws Exception {
        return run(shell, script, args, proc, "");
    }

    private static String run(String shell, String script, List<String> args, Path proc, String stdin)
            throws Exception {
        // stdout only: the parser reads nothing else (the old probe also leaked a shell error to stderr where
        // /proc/1/environ is not readable)
        byte[] out = Shells.run(shell, script, args, proc, stdin).stdout();
        // TIME_WAIT sockets are counted live: they may change between two runs of the probe
        return new String(out, StandardCharsets.ISO_8859_1).replaceAll("(?m)^timewait [0-9-]+$", "timewait N");
    }

    private static List<String> shells() {
        return Shells.available();
    }

    private Path proc() throws Exception {
        Path proc = Files.createDirectories(dir.resolve("proc"));
        String[][] values = {{"net/ipv4/tcp_fin_timeout", "30\n"}, {"net/ipv4/tcp_rmem", "4096\t131072\t6291456\n"},
                {"odd/quote", "it's \"x\"\n"}, {"odd/utf8", "caf\u00e9 \u2603\n"}, {"odd/empty", ""},
                {"odd/newlines", "a\n\nb\n\n\n"}, {"odd/spaces", "  lead and trail  \n"},
                {"odd/glob", "*[?]\\\n"}, {"odd/dollar", "$HOME `x` $(y)\n"}};
        for (String[] v : values) {
            Path p = proc.resolve(v[0]);
            Files.createDirectories(p.getParent());
            Files.writeString(p, v[1], StandardCharsets.UTF_8);
        }
        Files.createDirectories(proc.resolve("odd/dir"));
        Path ro = Files.writeString(proc.resolve("odd/readonly"), "1\n");
        Files.setPosixFilePermissions(ro, java.nio.file.attribute.PosixFilePermissions.fromString("r--r--r--"));
        return proc;
    }

    /**
     * The old probe's output with its read-only marks moved, in their order, to just before {@code end}: the probe
     * now stats every present key once, after the loop (the parser needs a mark after its key's live line only).
     */
    static String roMarksLast(String out) {
        List<String> lines = new ArrayList<>(List.of(out.split("\n", -1)));
        List<String> ro = lines.stream().filter(l -> l.startsWith("ro ")).toList();
        lines.removeIf(l -> l.startsWith("ro "));
        int end = lines.lastIndexOf("end");
        lines.addAll(end, ro);
        return String.join("\n", lines);
    }

    @Test
    void theFactsProbePrintsWhatThePreviousProbePrinted() throws Exception {
        Path proc = proc();
        List<String> keys = List.of("net/ipv4/tcp_fin_timeout", "net/ipv4/tcp_rmem", "odd/quote", "odd/utf8",
                "odd/empty", "odd/newlines", "odd/spaces", "odd/glob", "odd/dollar", "odd/dir", "odd/absent",
                "../etc/passwd", "odd//x", "odd/readonly", "module=nf_conntrack", "module=sysfleet_no_such_module",
                "module=it's");
        List<Path> files = new ArrayList<>();
        files.add(Files.write(dir.resolve("sysctl.conf"), "net.ipv4.tcp_fin_timeout = 30\n# caf\u00e9\n\u0000\u00ff"
                .getBytes(StandardCharsets.UTF_8)));
        files.add(Files.writeString(dir.resolve("with space, it's \u00e9\t.conf"), "x = 1\n"));
        files.add(Files.createDirectories(dir.resolve("a-directory")));
        files.add(dir.resolve("missing.conf"));
        files.add(Files.writeString(dir.resolve("big.conf"), "x".repeat(100)));
        // past 64 KiB the file goes through od | tr, below it through od and the printf builtin
        byte[] large = new byte[70_000];
        for (int i = 0; i < large.length; i++) {
            large[i] = (byte) (i * 31);
        }
        files.add(Files.write(dir.resolve("large.conf"), large));
        String stdin = String.join("\n", keys) + "\n";
        for (String shell : shells()) {
            for (Path f : files) {
                for (String max : List.of("4194304", "50")) {
                    List<String> args = List.of(f.toString(), max);
                    String before = roMarksLast(run(shell, OLD_FACTS, args, proc, stdin));
                    assertTrue(before.startsWith("sysfleet-facts 1\n") && before.endsWith("end\n"), before);
                    assertEquals(before, run(shell, FactsProbe.SCRIPT, args, proc, stdin), shell + " " + f + " " + max);
                }
            }
        }
    }

    @Test
    void theBootFilesListingPrintsWhatThePreviousListingPrinted() throws Exception {
        Path etc = Files.createDirectories(dir.resolve("etc"));
        Path d = Files.createDirectories(etc.resolve("sysctl.d"));
        Path main = Files.writeString(etc.resolve("sysctl.conf"), "net.ipv4.tcp_fin_timeout = 30\n");
        Files.createSymbolicLink(d.resolve("99-sysctl.conf"), Path.of("../sysctl.conf"));
        Files.writeString(d.resolve("10 caf\u00e9's.conf"), "a = 1\n", StandardCharsets.UTF_8);
        Files.createSymbolicLink(d.resolve("50-dangling.conf"), Path.of("/nonexistent/x"));
        Files.createDirectories(d.resolve("60-dir.conf"));
        Files.write(d.resolve("80-binary.conf"), new byte[]{0, (byte) 0xff, '\n', '\n'});
        Files.writeString(d.resolve("90-empty.conf"), "");
        // with it the files read come to more than 64 KiB (od | tr); the capped cases below stay under (printf)
        Files.write(d.resolve("85-large.conf"), "# padding\n".repeat(7_000).getBytes(StandardCharsets.UTF_8));
        List<String> args = List.of(Long.toString(BootFiles.MAX_BYTES), main.toString(), d.toString(),
                dir.resolve("run/sysctl.d").toString());
        for (String shell : shells()) {
            // a name with a newline goes inline and counts against the cap before the queued files, so the cap can
            // leave out another file than before: the capped cases run without it
            Path newline = d.resolve("70-new\nline.conf");
            Files.writeString(newline, "b = 2\n");
            compareBoot(shell, args);
            Files.delete(newline);
            for (long cap : new long[]{6, 5, 0}) {
                compareBoot(shell, capped(args, cap));
            }
        }
    }

    private void compareBoot(String shell, List<String> a) throws Exception {
        String before = run(shell, OLD_BOOT, a, dir);
        assertTrue(before.startsWith("sysfleet-bootfiles 1\n") && before.endsWith("end\n"), before);
        String now = run(shell, BootFiles.SCRIPT, a, dir);
        assertEquals(described(BootFiles.parse(before.getBytes(StandardCharsets.ISO_8859_1))),
                described(BootFiles.parse(now.getBytes(StandardCharsets.ISO_8859_1))), shell + " " + a.get(0));
    }

    /** The listing's arguments with another content cap. */
    private static List<String> capped(List<String> args, long cap) {
        List<String> out = new ArrayList<>(args);
        out.set(0, Long.toString(cap));
        return out;
    }

    /**
     * A parsed listing as text, content included: the listing now prints a readable file's bytes at the end, cut
     * by size on the controller (one {@code stat} and one {@code od} for all), so its output is no longer the old
     * script's byte for byte; what it means must be.
     */
    private static String described(BootFiles.Listing l) {
        StringBuilder sb = new StringBuilder(l.dirs().toString()).append('\n');
        List<BootFiles.Entry> all = new ArrayList<>(l.entries());
        all.add(l.sysctlConf());
        for (BootFiles.Entry e : all) {
            sb.append(e.dir()).append(" | ").append(e.name()).append(" | ").append(e.symlinkTarget()).append(" | ")
                    .append(e.resolved()).append(" | ").append(e.state()).append(" | ")
                    .append(e.content() == null ? "-" : new String(e.content(), StandardCharsets.ISO_8859_1))
                    .append('\n');
        }
        return sb.toString();
    }
}
