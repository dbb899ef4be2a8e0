package io.sysfleet.bench;

import io.sysfleet.apply.Applier;
import io.sysfleet.apply.RemoteScripts;
import io.sysfleet.facts.BootFiles;
import io.sysfleet.facts.FactsProbe;
import io.sysfleet.result.Phase;
import io.sysfleet.sysctl.SysctlFile;
import io.sysfleet.sysctl.SysctlKey;
import io.sysfleet.transport.Command;
import io.sysfleet.transport.ExecResult;
import io.sysfleet.transport.Transport;
import io.sysfleet.transport.TransportException;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A BENCHMARK DOUBLE of a host, not a transport for real use: it answers the remote scripts the engine runs (facts,
 * boot files, snapshot, apply, undo, restore) the way a Linux host would, from an in-memory /etc/sysctl.conf and
 * /proc/sys, with no network, no sshd and no shell. It exists because the controller's cost at 1,000 and 10,000
 * hosts cannot be measured with containers on a 2-core machine ({@code scripts/bench-controller}); the lab
 * benchmark ({@code scripts/bench}) and the integration tests use real sshd hosts.
 *
 * <p>It receives exactly what SSH would carry, the command's one shell line ({@link Command#toShell()}) and its
 * stdin, takes the script and its arguments out of the line, recognises the script by its text (the production
 * constants) and answers in the script's output protocol, following the script's rules: a conflict when the file's
 * sha256 is not the expected one, a backup once per run, the file replaced only when the bytes received have the
 * sha256 sent, {@code sysctl -p} setting every key the file names that this kernel has (and the kernel's words
 * for the rest). An unknown script is a failed command, so a change of protocol shows up as failed hosts in the
 * benchmark's test rather than as numbers for work that was not done.
 *
 * <p>The time it spends answering (its thread's CPU) is added to {@link HostDoubles#doubleCpuNanos()}, so the
 * benchmark reports the controller's CPU without it.
 */
final class HostDouble implements Transport {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final HexFormat HEX = HexFormat.of();
    static final String FACTS = scriptOf(FactsProbe.command("/etc/sysctl.conf", List.of()));
    static final String BOOT_FILES = scriptOf(BootFiles.command());
    /** The facts probe with the boot files listing in the same command ({@link FactsProbe#command(String,
     * java.util.Collection, BootFiles.Layout)}): the listing runs as a function, its arguments quoted in. */
    private static final String FACTS_WITH_BOOT = FACTS + "bootfiles() {\n" + BOOT_FILES + "}\nbootfiles ";

    /** A file on the double: its bytes (shared between hosts with the same content) and metadata. */
    record File(byte[] content, String sha256, String mode, String owner, String group) {
    }

    private final String name;
    private final HostDoubles fleet;
    private final Map<String, File> files;
    private final Map<String, String> live;
    private final Duration roundTrip;
    private final AtomicLong execs;

    HostDouble(String name, HostDoubles fleet, Map<String, File> files, Map<String, String> live, Duration roundTrip,
               AtomicLong execs) {
        this.name = name;
        this.fleet = fleet;
        this.files = files;
        this.live = live;
        this.roundTrip = roundTrip;
        this.execs = execs;
    }

    @Override
    public String host() {
        return name;
    }

    @Override
    public ExecResult exec(Command cmd, Duration timeout) {
        if (!roundTrip.isZero()) {
            try {
                Thread.sleep(roundTrip.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TransportException(Phase.EXEC, name, "interrupted");
            }
        }
        long t0 = THREADS.getCurrentThreadCpuTime();
        try {
            execs.incrementAndGet();
            List<String> words = words(cmd.toShell());
            if (words.size() >= 5 && words.get(0).equals("sudo") && words.get(1).equals("-n")) {
                words = words.subList(5, words.size()); // sudo -n -u USER --
            }
            if (words.size() < 4 || !words.get(0).equals("sh") || !words.get(1).equals("-c")) {
                return fail("not a script: " + words.subList(0, Math.min(3, words.size())));
            }
            String script = words.get(2);
            List<String> args = words.subList(4, words.size());
            byte[] stdin = cmd.stdin();
            synchronized (this) {
                if (script.equals(FACTS)) {
                    return ok(facts(args, stdin));
                } else if (script.startsWith(FACTS_WITH_BOOT) && script.endsWith("\n")) {
                    List<String> boot = words(script.substring(FACTS_WITH_BOOT.length(), script.length() - 1));
                    return ok(facts(args, stdin) + bootFiles(boot));
                } else if (script.equals(BOOT_FILES)) {
                    return ok(bootFiles(args));
                } else if (script.equals(RemoteScripts.SNAPSHOT)) {
                    return ok(snapshot("before", Split.of(stdin, Integer.MAX_VALUE).lines()) + "done\n");
                } else if (script.equals(RemoteScripts.APPLY)) {
                    return ok(apply(args, stdin));
                } else if (script.equals(RemoteScripts.UNDO)) {
                    return ok(undo(args, stdin));
                } else if (script.equals(RemoteScripts.RESTORE)) {
                    return ok(restore(args, stdin));
                }
            }
            return fail("the benchmark double does not know this script: " + firstLine(script));
        } finally {
            fleet.addDoubleCpu(THREADS.getCurrentThreadCpuTime() - t0);
        }
    }

    // ------------------------------------------------------------------------------------------------ scripts

    /** $1 the file, $2 its size cap; the keys' paths on stdin, one a line. */
    private String facts(List<String> args, byte[] stdin) {
        StringBuilder sb = new StringBuilder("sysfleet-facts 1\n");
        sb.append("os-release 1 x").append(fleet.hex(HostDoubles.OS_RELEASE)).append('\n');
        sb.append("redhat-release 0\n");
        sb.append("kernel x").append(HEX.formatHex(HostDoubles.KERNEL.getBytes(StandardCharsets.UTF_8))).append('\n');
        String path = args.get(0);
        String ph = HEX.formatHex(path.getBytes(StandardCharsets.UTF_8));
        File f = files.get(path);
        if (f == null) {
            sb.append("file x").append(ph).append(" 0\n");
        } else {
            sb.append("file x").append(ph).append(" 1 ").append(f.mode()).append(" x").append(hex(f.owner())).append(" x")
                    .append(hex(f.group())).append(' ').append(f.sha256()).append(" x").append(fleet.hex(f))
                    .append('\n');
        }
        String keyLines = stdin == null ? "" : new String(stdin, StandardCharsets.UTF_8);
        for (String key : keyLines.isEmpty() ? List.<String>of() : List.of(keyLines.split("\n"))) {
            String k = hex(key);
            if (("/" + key + "/").contains("/../") || ("/" + key + "/").contains("/./") || key.contains("//")) {
                sb.append("live x").append(k).append(" invalid\n");
            } else if (live.containsKey(key)) {
                sb.append("live x").append(k).append(" present x").append(hex(live.get(key))).append('\n');
            } else {
                sb.append("live x").append(k).append(" absent\n");
            }
        }
        return sb.append("end\n").toString();
    }

    /** $1 cap, $2 main file, then the directories: each exists (/etc/sysctl.d) or not, none has a *.conf file. */
    private String bootFiles(List<String> args) {
        StringBuilder sb = new StringBuilder("sysfleet-bootfiles 1\n");
        for (String d : args.subList(2, args.size())) {
            sb.append("dir x").append(hex(d)).append(d.equals("/etc/sysctl.d") ? " 1\n" : " 0\n");
        }
        String main = args.get(1);
        File f = files.get(main);
        sb.append("main x").append(hex(main)).append(" - - ");
        sb.append(f == null ? "missing" : "file x" + fleet.hex(f)).append('\n');
        return sb.append("end\n").toString();
    }

    private String snapshot(String tag, List<String> paths) {
        StringBuilder sb = new StringBuilder();
        for (String p : paths) {
            String v = live.get(p);
            if (v != null) {
                sb.append(tag).append('\t').append(p).append('\t').append(v).append('\n');
            } else {
                sb.append(tag).append("-absent\t").append(p).append('\n');
            }
        }
        return sb.toString();
    }

    /** The first {@code n} lines of a script's stdin (its list) and the bytes after them, as readlist splits them. */
    private record Split(List<String> lines, byte[] rest) {
        static Split of(byte[] stdin, int n) {
            List<String> lines = new ArrayList<>();
            int at = 0;
            while (lines.size() < n && at < stdin.length) {
                int nl = at;
                while (nl < stdin.length && stdin[nl] != '\n') {
                    nl++;
                }
                lines.add(new String(stdin, at, nl - at, java.nio.charset.StandardCharsets.UTF_8));
                at = Math.min(stdin.length, nl + 1);
            }
            return new Split(lines, java.util.Arrays.copyOfRange(stdin, at, stdin.length));
        }

        /** PROC_PATH TAB VALUE lines as path, value, path, value, ... */
        List<String> pairs() {
            List<String> out = new ArrayList<>();
            for (String l : lines) {
                int tab = l.indexOf('\t');
                out.add(tab < 0 ? l : l.substring(0, tab));
                out.add(tab < 0 ? "" : l.substring(tab + 1));
            }
            return out;
        }
    }

    /** FILE WANT_SHA BACKUP MODE OWNER GROUP WRITE RELOAD IGNORE NEW_SHA N [KEY VALUE]*, stdin = N paths, content. */
    private String apply(List<String> a, byte[] input) {
        String f = a.get(0);
        String want = a.get(1);
        String bak = a.get(2);
        boolean write = a.get(6).equals("1");
        boolean reload = a.get(7).equals("1");
        boolean ignore = a.get(8).equals("1");
        String newSha = a.get(9);
        int n = Integer.parseInt(a.get(10));
        Split in = Split.of(input, n);
        List<String> paths = in.lines();
        byte[] stdin = in.rest();
        List<String> pairs = a.subList(11, a.size());
        StringBuilder sb = new StringBuilder();
        String cur = sha(f);
        if (!cur.equals(want)) {
            return "conflict\t" + cur + "\n";
        }
        sb.append(snapshot("before", paths));
        if (write) {
            File old = files.get(f);
            if (old != null && !files.containsKey(bak)) {
                files.put(bak, new File(old.content(), old.sha256(), "600", old.owner(), old.group()));
                sb.append("backup\t").append(bak).append('\n');
            }
            String got = Applier.sha256(stdin);
            if (!got.equals(newSha)) {
                return sb + "error\twrite\tcannot write " + f + " (or the bytes received were not the bytes sent)\n";
            }
            files.put(f, fleet.file(stdin, got, a.get(3), a.get(4), a.get(5)));
            sb.append("written\t").append(sha(f)).append('\n');
        }
        if (reload) {
            List<String> err = new ArrayList<>();
            int rc = sysctlP(f, ignore, err);
            sb.append("sysctl\t").append(rc).append('\n');
            err.forEach(l -> sb.append("stderr\t").append(l).append('\n'));
        }
        for (int i = 0; i + 1 < pairs.size(); i += 2) {
            List<String> err = new ArrayList<>();
            int rc = sysctlW(pairs.get(i), pairs.get(i + 1), err);
            sb.append("set\t").append(pairs.get(i)).append('\t').append(rc).append('\n');
            err.forEach(l -> sb.append("stderr\t").append(l).append('\n'));
        }
        sb.append(snapshot("after", paths));
        return sb.append("done\n").toString();
    }

    /** FILE ORIG_EXISTS MODE OWNER GROUP ORIG_SHA N, stdin = N lines PROC_PATH TAB VALUE, the original bytes. */
    private String undo(List<String> a, byte[] input) {
        Split in = Split.of(input, Integer.parseInt(a.get(6)));
        byte[] stdin = in.rest();
        List<String> pv = in.pairs();
        String f = a.get(0);
        StringBuilder sb = new StringBuilder();
        if (a.get(1).equals("1")) {
            String got = Applier.sha256(stdin);
            if (got.equals(a.get(5))) {
                files.put(f, fleet.file(stdin, got, a.get(2), a.get(3), a.get(4)));
            } else {
                sb.append("error\trestore\tcannot write ").append(f).append('\n');
            }
        } else {
            files.remove(f);
        }
        sb.append("restored\t").append(sha(f)).append('\n');
        for (int i = 0; i + 1 < pv.size(); i += 2) {
            String p = pv.get(i);
            if (live.containsKey(p)) {
                live.put(p, fleet.value(pv.get(i + 1)));
                sb.append("after\t").append(p).append('\t').append(live.get(p)).append('\n');
            } else {
                sb.append("error\tlive\tcannot write back /proc/sys/").append(p).append('\n');
                sb.append("after-absent\t").append(p).append('\n');
            }
        }
        return sb.append("done\n").toString();
    }

    /** FILE EXPECT_SHA NEW_BACKUP SOURCE WANT_SHA EXISTED HAVE_LOCAL MODE OWNER GROUP N, stdin = pairs, bytes. */
    private String restore(List<String> a, byte[] input) {
        Split in = Split.of(input, Integer.parseInt(a.get(10)));
        byte[] stdin = in.rest();
        List<String> pv = in.pairs();
        String f = a.get(0);
        String expect = a.get(1);
        String newBak = a.get(2);
        String src = a.get(3);
        String want = a.get(4);
        StringBuilder sb = new StringBuilder();
        String cur = sha(f);
        if (!expect.equals("any") && !cur.equals(expect)) {
            return "conflict\t" + cur + "\n";
        }
        File now = files.get(f);
        if (now != null && !files.containsKey(newBak)) {
            files.put(newBak, new File(now.content(), now.sha256(), "600", now.owner(), now.group()));
            sb.append("backup\t").append(newBak).append('\n');
        }
        if (!cur.equals(want)) {
            File backup = files.get(src);
            if (a.get(5).equals("0")) {
                files.remove(f);
            } else if (!src.equals("-") && backup != null && backup.sha256().equals(want)) {
                files.put(f, fleet.file(backup.content(), want, a.get(7), a.get(8), a.get(9)));
                sb.append("source\tremote\n");
            } else if (a.get(6).equals("1") && Applier.sha256(stdin).equals(want)) {
                files.put(f, fleet.file(stdin, want, a.get(7), a.get(8), a.get(9)));
                sb.append("source\tlocal\n");
            } else {
                sb.append("error\trestore\tno backup of ").append(f).append(" left\n");
            }
        }
        sb.append("restored\t").append(sha(f)).append('\n');
        for (int i = 0; i + 1 < pv.size(); i += 2) {
            if (live.containsKey(pv.get(i))) {
                live.put(pv.get(i), fleet.value(pv.get(i + 1)));
            } else {
                sb.append("error\tlive\tcannot write back /proc/sys/").append(pv.get(i)).append('\n');
            }
        }
        return sb.append("done\n").toString();
    }

    /** procps {@code sysctl -p FILE}: every setting line, in order; unknown keys are errors unless {@code -e}. */
    private int sysctlP(String file, boolean ignoreUnknown, List<String> err) {
        File f = files.get(file);
        if (f == null) {
            err.add("sysctl: cannot open \"" + file + "\": No such file or directory");
            return 255;
        }
        int rc = 0;
        for (Map.Entry<String, String> e : SysctlFile.parse(new String(f.content(), StandardCharsets.ISO_8859_1))
                .effectiveValues().entrySet()) {
            Optional<SysctlKey> k = SysctlKey.parse(e.getKey());
            if (k.isEmpty() || !live.containsKey(k.get().path())) {
                if (!ignoreUnknown) {
                    err.add("sysctl: cannot stat /proc/sys/" + (k.isPresent() ? k.get().path() : e.getKey())
                            + ": No such file or directory");
                    rc = 255;
                }
                continue;
            }
            live.put(k.get().path(), fleet.value(e.getValue()));
        }
        return rc;
    }

    private int sysctlW(String key, String value, List<String> err) {
        Optional<SysctlKey> k = SysctlKey.parse(key);
        if (k.isEmpty() || !live.containsKey(k.get().path())) {
            err.add("sysctl: cannot stat /proc/sys/" + (k.isPresent() ? k.get().path() : key)
                    + ": No such file or directory");
            return 255;
        }
        live.put(k.get().path(), fleet.value(value));
        return 0;
    }

    private String sha(String path) {
        File f = files.get(path);
        return f == null ? "absent" : f.sha256();
    }

    // ------------------------------------------------------------------------------------------------ plumbing

    @Override
    public void close() {
        // nothing to release: the host's state stays in the fleet for the next run
    }

    /** The live value of {@code path} (tests). */
    synchronized String live(String path) {
        return live.get(path);
    }

    /** The file at {@code path}, or null (tests). */
    synchronized File file(String path) {
        return files.get(path);
    }

    private static ExecResult ok(String out) {
        return new ExecResult(0, out.getBytes(StandardCharsets.UTF_8), new byte[0]);
    }

    private static ExecResult fail(String why) {
        return new ExecResult(127, new byte[0], ("sysfleet benchmark double: " + why + "\n")
                .getBytes(StandardCharsets.UTF_8));
    }

    private static String hex(String s) {
        return HEX.formatHex(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String firstLine(String s) {
        String t = s.strip();
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl);
    }

    /** The script text of a {@code sh -c SCRIPT sysfleet ARGS...} command. */
    static String scriptOf(Command c) {
        return words(c.toShell()).get(2);
    }

    /** The words of a shell line made by {@link Command#toShell()}: single-quoted words, {@code '\''} for a quote. */
    static List<String> words(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        int i = 0;
        int n = line.length();
        while (i < n) {
            char c = line.charAt(i);
            if (c == ' ') {
                i++;
                continue;
            }
            if (c != '\'') {
                throw new IllegalArgumentException("not a quoted word at " + i + ": " + line);
            }
            w.setLength(0);
            while (true) {
                int close = line.indexOf('\'', i + 1);
                if (close < 0) {
                    throw new IllegalArgumentException("unterminated quote: " + line);
                }
                w.append(line, i + 1, close);
                i = close + 1;
                if (line.startsWith("\\''", i)) {
                    w.append('\'');
                    i += 2; // now at the opening quote of the next part
                } else {
                    break;
                }
            }
            out.add(w.toString());
        }
        return out;
    }

    /** The files of a new host: only /etc/sysctl.conf. */
    static Map<String, File> newFiles(File sysctlConf) {
        Map<String, File> m = new LinkedHashMap<>();
        m.put("/etc/sysctl.conf", sysctlConf);
        return m;
    }
}
