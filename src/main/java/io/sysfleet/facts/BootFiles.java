package io.sysfleet.facts;

import io.sysfleet.core.ExitCode;
import io.sysfleet.core.SysfleetException;
import io.sysfleet.result.Phase;
import io.sysfleet.transport.Command;
import io.sysfleet.transport.ExecResult;
import io.sysfleet.transport.Transport;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Fact: the sysctl files a host reads at boot. {@link #command()} lists, for each sysctl.d directory in
 * systemd's precedence order ({@link #DIRS}), whether it exists and its {@code *.conf} entries (name, symlink
 * target as {@code readlink} prints it, the fully resolved path from {@code readlink -f}, the content of
 * readable regular files), then the same for /etc/sysctl.conf. {@link #parse} reads that output; the boot
 * order itself is computed by {@code io.sysfleet.plan.BootOrder}.
 *
 * <p>Like {@link FactsProbe}, the script needs only POSIX sh, {@code od}, {@code tr}, {@code wc} and
 * {@code readlink} (coreutils, also on CentOS 5), and hex-encodes every name and content so any bytes survive.
 * Hidden files ({@code .x.conf}) are not listed: the shell glob skips them and so does systemd-sysctl.
 * Content is capped at {@link #MAX_BYTES} in total: a file that would pass the cap is listed with state
 * {@link State#SKIPPED} instead of its content, and {@link Listing#truncated()} says so.
 */
public final class BootFiles {
    /** The sysctl.d directories, highest precedence first (systemd's sysctl.d(5) and procps 4 sysctl). */
    public static final List<String> DIRS = List.of("/etc/sysctl.d", "/run/sysctl.d", "/usr/local/lib/sysctl.d",
            "/usr/lib/sysctl.d", "/lib/sysctl.d");
    /** The classic file, read last by procps {@code sysctl --system} and alone by CentOS 5/6 rc.sysinit. */
    public static final String SYSCTL_CONF = "/etc/sysctl.conf";
    /** Most file content the listing carries (1 MiB). */
    public static final long MAX_BYTES = 1L << 20;

    static final String HEADER = "sysfleet-bootfiles 1";

    /**
     * Arguments: $1 content cap in bytes, $2 the main file, then the directories. All of them are constants of
     * this class (tests point them at a scratch tree); no user data reaches this script.
     *
     * <p>Each entry's line is printed as the listing goes, with shell builtins only (names through
     * {@link io.sysfleet.transport.RemoteShell#HEX}'s {@code ahex}); a readable file gets the state {@code read} and
     * waits in a queue. At the end one {@code stat} gives the queued files' sizes ({@code sizes} line: a size, or
     * {@code -} for a file the cap leaves out) and one {@code od} their bytes, one after the other ({@code blob}
     * line); the parser cuts the blob by the sizes. A file that changes between the two shows as a length that does
     * not add up, and the listing is refused. It used to be a {@code wc} and an {@code od} per file and a subshell
     * per name: 20 processes on a Debian 12 host, where it is now 4.
     */
    static final String SCRIPT = io.sysfleet.transport.RemoteShell.HEX + """
            cap=$1; main=$2; shift 2; total=0; q=; nl='
            '
            one() { # the rest of PATH's line: link, resolved path, state
              p=$1
              if [ -L "$p" ]; then
                printf ' x'; ahex "$(readlink -- "$p")"
                if r=$(readlink -f -- "$p"); then printf ' x'; ahex "$r"; else printf ' -'; fi
              else printf ' - -'; fi
              if [ ! -e "$p" ]; then echo ' missing'
              elif [ ! -f "$p" ]; then echo ' other'
              elif [ ! -r "$p" ]; then echo ' unreadable'
              else
                case "$p" in
                  *"$nl"*) # a name with a newline cannot wait in the queue: its bytes go inline (and count
                    # against the cap before the queued files')
                    n=$(wc -c < "$p") || n=0
                    if [ $((total + n)) -gt "$cap" ]; then echo ' skipped'
                    else total=$((total + n)); printf ' file x'; hex < "$p"; echo; fi ;;
                  *) echo ' read'; q=$q$p$nl ;;
                esac
              fi
            }
            echo 'sysfleet-bootfiles 1'
            for d in "$@"; do
              if [ -d "$d" ]; then
                printf 'dir x'; ahex "$d"; echo ' 1'
                for f in "$d"/*.conf; do
                  [ -e "$f" ] || [ -L "$f" ] || continue
                  printf 'entry x'; ahex "$d"; printf ' x'; ahex "${f##*/}"; one "$f"
                done
              else
                printf 'dir x'; ahex "$d"; echo ' 0'
              fi
            done
            printf 'main x'; ahex "$main"; one "$main"
            if [ -n "$q" ]; then (
              set -f; IFS=$nl
              sizes=$(stat -L -c %s -- $q 2>/dev/null); take=
              set -- $q; printf 'sizes'
              for n in $sizes; do
                [ $# -gt 0 ] || break
                case "$n" in ''|*[!0-9]*) n=0 ;; esac
                if [ $((total + n)) -gt "$cap" ]; then printf ' -'; else total=$((total + n)); take=$take$1$nl; printf ' %s' "$n"; fi
                shift
              done
              echo
              printf 'blob x'; if [ -n "$take" ]; then set -- $take; shex "$total" "$@"; fi; echo
            ) fi
            echo end
            """;

    private BootFiles() {
    }

    /** What the listing found at one path. */
    public enum State {
        /** A readable regular file (after following symlinks); {@link Entry#content()} holds its bytes. */
        FILE,
        /** Nothing there, or a dangling symlink. */
        MISSING,
        /** Not a regular file (a directory, or a symlink to /dev/null or a directory). */
        OTHER,
        /** A regular file the probe could not read. */
        UNREADABLE,
        /** A regular file left out because the listing reached {@link #MAX_BYTES}. */
        SKIPPED
    }

    /** One directory and whether it exists. */
    public record Dir(String path, boolean exists) {
    }

    /**
     * One listed file.
     *
     * @param dir the directory it was listed in ({@code /etc} for /etc/sysctl.conf)
     * @param name its file name
     * @param path dir + "/" + name
     * @param symlinkTarget the link text as readlink prints it (e.g. {@code ../sysctl.conf}), or null if not a link
     * @param resolved the fully resolved path ({@code readlink -f}) for a symlink, or null
     * @param state what is there
     * @param content the bytes for {@link State#FILE}, else null
     */
    public record Entry(String dir, String name, String path, String symlinkTarget, String resolved, State state,
                        byte[] content) {
        public boolean symlink() {
            return symlinkTarget != null;
        }

        /** A symlink to /dev/null: masks same-named files in later directories and is itself empty. */
        public boolean masked() {
            return symlink() && "/dev/null".equals(resolved);
        }

        /** The real file behind this entry: {@link #resolved()} for a symlink, else {@link #path()}. */
        public String realPath() {
            return symlink() && resolved != null ? resolved : path;
        }

        @Override
        public String toString() {
            return "Entry[" + path + (symlink() ? " -> " + symlinkTarget : "") + ", " + state
                    + (content != null ? ", " + content.length + " bytes" : "") + "]";
        }
    }

    /**
     * The parsed listing.
     *
     * @param dirs every directory of {@link #DIRS}, in that order
     * @param entries the {@code *.conf} entries, directory by directory, in the order listed
     * @param sysctlConf /etc/sysctl.conf
     */
    public record Listing(List<Dir> dirs, List<Entry> entries, Entry sysctlConf) {
        public Listing {
            dirs = List.copyOf(dirs);
            entries = List.copyOf(entries);
        }

        /** True when at least one file was left out because of the size cap. */
        public boolean truncated() {
            return sysctlConf.state() == State.SKIPPED
                    || entries.stream().anyMatch(e -> e.state() == State.SKIPPED);
        }

        /** True when none of the sysctl.d directories exists (CentOS 5/6: only /etc/sysctl.conf is read). */
        public boolean noSysctlD() {
            return dirs.stream().noneMatch(Dir::exists);
        }

        /** The entries listed in {@code dir}. */
        public List<Entry> entriesIn(String dir) {
            return entries.stream().filter(e -> e.dir().equals(dir)).toList();
        }
    }

    /** Thrown for output that is not a complete, well-formed listing. */
    public static final class FormatException extends RuntimeException {
        public FormatException(String message) {
            super(message);
        }
    }

    /**
     * Where a host keeps the files it reads at boot: {@link #STANDARD} on every real host; unit tests of the engine
     * point it at a scratch tree.
     *
     * @param sysctlConf the classic file
     * @param dirs the sysctl.d directories, highest precedence first
     */
    public record Layout(String sysctlConf, List<String> dirs) {
        public Layout {
            dirs = List.copyOf(dirs);
        }
    }

    /** {@link #SYSCTL_CONF} and {@link #DIRS}. */
    public static final Layout STANDARD = new Layout(SYSCTL_CONF, DIRS);

    /** The listing command for the standard directories and /etc/sysctl.conf, content capped at 1 MiB. */
    public static Command command() {
        return command(STANDARD);
    }

    /** The listing command for {@code layout}, content capped at 1 MiB. */
    public static Command command(Layout layout) {
        return command(layout.dirs(), layout.sysctlConf(), MAX_BYTES);
    }

    /** The listing command for other directories (tests use a scratch tree). Paths must be absolute. */
    static Command command(List<String> dirs, String mainFile, long capBytes) {
        List<String> args = new ArrayList<>();
        args.add(Long.toString(capBytes));
        args.add(absolute(mainFile));
        dirs.forEach(d -> args.add(absolute(d)));
        return Command.script(SCRIPT, args);
    }

    private static String absolute(String p) {
        if (p == null || !p.startsWith("/") || p.endsWith("/") && p.length() > 1) {
            throw new IllegalArgumentException("need an absolute path without trailing '/': '" + p + "'");
        }
        return p;
    }

    /**
     * Runs {@link #command()} on {@code t} and parses the output.
     *
     * @throws SysfleetException (phase "facts", HOST_FAILED) when the command fails or its output is malformed
     */
    public static Listing gather(Transport t, Duration timeout) {
        return gather(t, STANDARD, timeout);
    }

    /** As {@link #gather(Transport, Duration)} for the files of {@code layout}. */
    public static Listing gather(Transport t, Layout layout, Duration timeout) {
        ExecResult r = t.exec(command(layout), timeout);
        if (!r.ok()) {
            throw new SysfleetException(ExitCode.HOST_FAILED, Phase.FACTS, t.host(),
                    "boot files listing failed with exit code " + r.exitCode() + ": " + r.stderrText().strip(), null);
        }
        try {
            return parse(r.stdout());
        } catch (FormatException e) {
            throw new SysfleetException(ExitCode.HOST_FAILED, Phase.FACTS, t.host(), e.getMessage(), e);
        }
    }

    /** Parses the output of {@link #command()}; pure. */
    public static Listing parse(byte[] stdout) {
        String text = new String(stdout, StandardCharsets.US_ASCII);
        if (text.endsWith("\n")) {
            text = text.substring(0, text.length() - 1);
        }
        String[] lines = text.split("\n", -1);
        if (!lines[0].equals(HEADER)) {
            throw bad(1, "expected '" + HEADER + "', got '" + shorten(lines[0])
                    + "' (is /bin/sh a POSIX shell with od, tr, wc and readlink?)");
        }
        List<Dir> dirs = new ArrayList<>();
        List<Entry> entries = new ArrayList<>();
        Entry main = null;
        boolean end = false;
        List<Long> sizes = null;
        byte[] blob = null;
        for (int i = 1; i < lines.length; i++) {
            int no = i + 1;
            if (end) {
                throw bad(no, "unexpected output after 'end'");
            }
            String[] f = lines[i].split(" ", -1);
            switch (f[0]) {
                case "dir" -> {
                    if (main != null) {
                        throw bad(no, "directory after the main file");
                    }
                    fields(f, 3, 3, no);
                    if (!f[2].equals("0") && !f[2].equals("1")) {
                        throw bad(no, "bad directory state '" + shorten(f[2]) + "'");
                    }
                    dirs.add(new Dir(text(f[1], no), f[2].equals("1")));
                }
                case "entry" -> {
                    if (dirs.isEmpty() || !dirs.get(dirs.size() - 1).exists()) {
                        throw bad(no, "entry outside an existing directory");
                    }
                    String dir = dirs.get(dirs.size() - 1).path();
                    if (!text(f.length > 1 ? f[1] : "", no).equals(dir)) {
                        throw bad(no, "entry of another directory than " + dir);
                    }
                    if (f.length < 3) {
                        throw bad(no, "malformed entry line");
                    }
                    String name = text(f[2], no);
                    if (name.isEmpty() || name.contains("/")) {
                        throw bad(no, "bad file name '" + shorten(name) + "'");
                    }
                    entries.add(entry(dir, name, dir + "/" + name, f, 3, no));
                }
                case "main" -> {
                    if (main != null || f.length < 2) {
                        throw bad(no, main != null ? "main file reported twice" : "malformed main line");
                    }
                    String path = text(f[1], no);
                    int slash = path.lastIndexOf('/');
                    if (slash < 0) {
                        throw bad(no, "main file path is not absolute");
                    }
                    main = entry(slash == 0 ? "/" : path.substring(0, slash), path.substring(slash + 1), path, f, 2,
                            no);
                }
                case "sizes" -> {
                    if (sizes != null || main == null) {
                        throw bad(no, sizes != null ? "sizes reported twice" : "sizes before the main file");
                    }
                    sizes = new ArrayList<>();
                    for (int k = 1; k < f.length; k++) {
                        if (f[k].equals("-")) {
                            sizes.add(-1L);
                        } else if (f[k].matches("[0-9]{1,12}")) {
                            sizes.add(Long.parseLong(f[k]));
                        } else {
                            throw bad(no, "bad size '" + shorten(f[k]) + "'");
                        }
                    }
                }
                case "blob" -> {
                    if (sizes == null || blob != null) {
                        throw bad(no, sizes == null ? "blob without sizes" : "blob reported twice");
                    }
                    fields(f, 2, 2, no);
                    blob = hex(f[1], no);
                }
                case "end" -> {
                    fields(f, 1, 1, no);
                    end = true;
                }
                default -> throw bad(no, "unexpected line '" + shorten(lines[i]) + "'");
            }
        }
        if (!end) {
            throw new FormatException("boot files output is truncated: no 'end' line");
        }
        if (main == null) {
            throw new FormatException("boot files output is incomplete: no main file line");
        }
        // the queued files (state 'read', in listing order) take their bytes from the blob, cut by the sizes
        List<Entry> all = new ArrayList<>(entries);
        all.add(main);
        int queued = (int) all.stream().filter(e -> e.state() == null).count();
        if (queued > 0 && (sizes == null || blob == null)) {
            throw new FormatException("boot files output is incomplete: no sizes or blob for the files read");
        }
        if (sizes != null && sizes.size() != queued) {
            throw new FormatException("boot files output: " + queued + " files read but " + sizes.size()
                    + " sizes (a file went away while it was read?)");
        }
        long sum = sizes == null ? 0 : sizes.stream().mapToLong(n -> Math.max(n, 0)).sum();
        if (blob != null && blob.length != sum) {
            throw new FormatException("boot files output: the files read hold " + blob.length + " bytes, not the "
                    + sum + " their sizes add up to (a file changed while it was read?)");
        }
        int next = 0;
        int at = 0;
        for (int k = 0; k < all.size(); k++) {
            Entry e = all.get(k);
            if (e.state() == null) {
                long n = sizes.get(next++);
                all.set(k, n < 0 ? withState(e, State.SKIPPED, null)
                        : withState(e, State.FILE, Arrays.copyOfRange(blob, at, at + (int) n)));
                at += (int) Math.max(n, 0);
            }
        }
        return new Listing(dirs, all.subList(0, all.size() - 1), all.get(all.size() - 1));
    }

    private static Entry withState(Entry e, State st, byte[] content) {
        return new Entry(e.dir(), e.name(), e.path(), e.symlinkTarget(), e.resolved(), st, content);
    }

    /** Fields from {@code at}: link, resolved, state, [content]. */
    private static Entry entry(String dir, String name, String path, String[] f, int at, int no) {
        if (f.length < at + 3) {
            throw bad(no, "malformed " + f[0] + " line");
        }
        String link = f[at].equals("-") ? null : text(f[at], no);
        String resolved = f[at + 1].equals("-") ? null : text(f[at + 1], no);
        if (link == null && resolved != null) {
            throw bad(no, "resolved path for a file that is not a symlink");
        }
        String st = f[at + 2];
        State state = switch (st) {
            case "file" -> State.FILE;
            case "missing" -> State.MISSING;
            case "other" -> State.OTHER;
            case "unreadable" -> State.UNREADABLE;
            case "skipped" -> State.SKIPPED;
            case "read" -> null; // its bytes come in the blob: parse() decides FILE or SKIPPED
            default -> throw bad(no, "unknown file state '" + shorten(st) + "'");
        };
        int n = state == State.FILE ? at + 4 : at + 3;
        fields(f, n, n, no);
        byte[] content = state == State.FILE ? hex(f[at + 3], no) : null;
        return new Entry(dir, name, path, link, resolved, state, content);
    }

    private static void fields(String[] f, int min, int max, int no) {
        if (f.length < min || f.length > max) {
            throw bad(no, "expected " + min + " fields in '" + shorten(f[0]) + "' line, got " + f.length);
        }
    }

    private static String text(String field, int no) {
        return new String(hex(field, no), StandardCharsets.UTF_8);
    }

    private static byte[] hex(String field, int no) {
        byte[] bytes = HexField.decode(field);
        if (bytes == null) {
            throw bad(no, "bad hex field '" + shorten(field) + "'");
        }
        return bytes;
    }

    private static FormatException bad(int line, String msg) {
        return new FormatException("boot files output line " + line + ": " + msg);
    }

    private static String shorten(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }

    /** For messages: the first entry left out by the size cap, if any. */
    public static Optional<Entry> firstSkipped(Listing l) {
        return l.entries().stream().filter(e -> e.state() == State.SKIPPED).findFirst()
                .or(() -> l.sysctlConf().state() == State.SKIPPED ? Optional.of(l.sysctlConf()) : Optional.empty());
    }
}
