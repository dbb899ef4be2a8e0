package io.sysfleet.diagnose;

import io.sysfleet.catalog.Platform;
import io.sysfleet.facts.LiveValue;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Pure parser of {@link Collector}'s output: a header, then sections {@code @ NAME STATUS [ARGS]} whose data
 * lines start with {@code "| "}, ending with {@code @ end}. A missing header or end (truncated output) is a
 * {@link FormatException}; a section that cannot be read becomes a note on the sample and the rest is kept, so
 * one odd file does not hide the others.
 */
public final class SampleParser {
    private static final Pattern COUNT = Pattern.compile("count [0-9A-Fa-f]{2} [0-9]{1,18}");
    private static final Pattern TOTAL = Pattern.compile("total -?[0-9]{1,18}");
    private static final Pattern NUMBER = Pattern.compile("[0-9]{1,18}");
    private static final int MAX_NOTES = 20;

    private SampleParser() {
    }

    /** Output that is not a complete collector result. */
    public static final class FormatException extends RuntimeException {
        FormatException(String message) {
            super(message);
        }
    }

    public static HostSample parse(byte[] stdout) {
        String text = new String(stdout, StandardCharsets.UTF_8);
        List<String> lines = List.of(text.split("\n", -1));
        if (lines.isEmpty() || !lines.get(0).equals(Collector.HEADER)) {
            throw new FormatException("collector output does not start with '" + Collector.HEADER + "' but '"
                    + Text.oneLine(lines.isEmpty() ? "" : lines.get(0), 60) + "' (is /bin/sh a POSIX shell?)");
        }
        List<Section> sections = new ArrayList<>();
        Section current = null;
        boolean end = false;
        for (int i = 1; i < lines.size(); i++) {
            String l = lines.get(i);
            if (l.isEmpty() && i == lines.size() - 1) {
                break;
            }
            if (l.startsWith("@ ")) {
                String[] f = l.substring(2).split(" ", 3);
                if (f[0].equals("end")) {
                    end = true;
                    break;
                }
                current = new Section(f[0], f.length > 1 ? f[1] : "", f.length > 2 ? f[2] : "", i + 1);
                sections.add(current);
            } else if (current == null) {
                throw new FormatException("collector output line " + (i + 1) + ": data before any section");
            } else if (l.startsWith("| ")) {
                current.data.add(l.substring(2));
            } else {
                current.meta.add(l);
            }
        }
        if (!end) {
            throw new FormatException("collector output is truncated: no '@ end' line");
        }
        return new Builder(sections).build();
    }

    private static final class Section {
        final String name;
        final String status;
        final String arg;
        final int line;
        final List<String> data = new ArrayList<>();
        final List<String> meta = new ArrayList<>();

        Section(String name, String status, String arg, int line) {
            this.name = name;
            this.status = status;
            this.arg = arg;
            this.line = line;
        }
    }

    private static final class Builder {
        private final List<Section> sections;
        private final List<String> notes = new ArrayList<>();
        private String osRelease;
        private String redhatRelease;
        private String kernel;
        private Instant now;
        private ZoneOffset offset;
        private Instant boot;
        private final Map<String, LiveValue> live = new LinkedHashMap<>();
        private SocketTable sockets = SocketTable.empty();
        private Sockstat sockstat = Sockstat.unknown();
        private TcpExtCounters tcpExt = new TcpExtCounters(Map.of());
        private long conntrackEntries = -1;
        private final List<LogSource> logs = new ArrayList<>();
        private CloseWaitOwners closeWait = CloseWaitOwners.none();
        private String ssStatus = "absent";

        Builder(List<Section> sections) {
            this.sections = sections;
        }

        HostSample build() {
            boolean sawHost = false;
            for (Section s : sections) {
                switch (s.name) {
                    case "host" -> {
                        host(s);
                        sawHost = true;
                    }
                    case "keys" -> s.meta.forEach(l -> key(l, s));
                    case "tcp4", "tcp6" -> table(s);
                    case "sockstat" -> {
                        if (ok(s)) {
                            sockstat = Sockstat.parse(String.join("\n", s.data));
                        }
                    }
                    case "netstat" -> {
                        if (ok(s)) {
                            tcpExt = TcpExtCounters.parse(String.join("\n", s.data));
                        }
                    }
                    case "conntrack-table" -> {
                        if (s.status.equals("ok") && NUMBER.matcher(s.arg.strip()).matches()) {
                            conntrackEntries = Long.parseLong(s.arg.strip());
                        } else if (s.status.equals("unreadable")) {
                            note("/proc/net/nf_conntrack is not readable: connect as root (--become) to count "
                                    + "tracked connections");
                        }
                    }
                    case "log" -> log(s);
                    case "ss" -> ss(s);
                    default -> note("unknown collector section '" + Text.oneLine(s.name, 40) + "' ignored");
                }
            }
            if (!sawHost || now == null) {
                throw new FormatException("collector output has no host section with the host's clock");
            }
            Platform platform = Platform.detect(osRelease, redhatRelease, kernel);
            return new HostSample(platform, now, offset, boot, live, sockets, sockstat, tcpExt, conntrackEntries,
                    logs, closeWait, ssStatus, notes);
        }

        private void host(Section s) {
            for (String l : s.meta) {
                String[] f = l.split(" ");
                switch (f[0]) {
                    case "now" -> {
                        if (f.length == 3 && NUMBER.matcher(f[1]).matches()) {
                            now = Instant.ofEpochSecond(Long.parseLong(f[1]));
                            try {
                                offset = ZoneOffset.of(f[2].length() == 5 ? f[2].substring(0, 3) + ":" + f[2].substring(3)
                                        : f[2]);
                            } catch (DateTimeException e) {
                                offset = ZoneOffset.UTC;
                                note("the host's UTC offset '" + Text.oneLine(f[2], 20) + "' is not one; UTC assumed");
                            }
                        }
                    }
                    case "uptime" -> {
                        if (f.length == 2 && f[1].matches("[0-9]{1,12}(\\.[0-9]{1,9})?") && now != null) {
                            boot = now.minusSeconds((long) Double.parseDouble(f[1]));
                        }
                    }
                    case "kernel" -> kernel = f.length == 2 ? hexText(f[1]) : null;
                    case "release" -> {
                        if (f.length == 3 && f[1].equals("os-release")) {
                            osRelease = hexText(f[2]);
                        } else if (f.length == 3 && f[1].equals("redhat-release")) {
                            redhatRelease = hexText(f[2]);
                        }
                    }
                    default -> note("unknown host line '" + Text.oneLine(l, 40) + "' ignored");
                }
            }
        }

        private void key(String l, Section s) {
            String[] f = l.split(" ");
            String name = f.length >= 3 && f[0].equals("key") ? hexText(f[1]) : null;
            if (name == null) {
                note("malformed key line in the collector output (line after " + s.line + ")");
                return;
            }
            LiveValue v = switch (f[2]) {
                case "present" -> f.length == 4 && hexText(f[3]) != null
                        ? new LiveValue(LiveValue.State.PRESENT, hexText(f[3]).strip()) : null;
                case "absent" -> new LiveValue(LiveValue.State.ABSENT, null);
                case "unreadable" -> new LiveValue(LiveValue.State.UNREADABLE, null);
                default -> null;
            };
            if (v != null) {
                live.put(name, v);
            }
        }

        private void table(Section s) {
            String file = s.name.equals("tcp4") ? "/proc/net/tcp" : "/proc/net/tcp6";
            if (!s.status.equals("ok")) {
                if (s.status.equals("unreadable")) {
                    note(file + " is not readable: socket counts are incomplete");
                }
                return;
            }
            SocketTable.Builder b = new SocketTable.Builder();
            s.data.forEach(b::line);
            long total = -1;
            Map<TcpState, Long> counts = new EnumMap<>(TcpState.class);
            boolean countsOk = true;
            for (String m : s.meta) {
                if (TOTAL.matcher(m).matches()) {
                    total = Long.parseLong(m.substring(6));
                } else if (COUNT.matcher(m).matches()) {
                    TcpState st = TcpState.ofHex(m.substring(6, 8));
                    if (st != null) {
                        counts.merge(st, Long.parseLong(m.substring(9)), Long::sum);
                    }
                } else {
                    countsOk = false;
                }
            }
            SocketTable t;
            if (s.arg.equals("counted") && countsOk && total >= 0) {
                t = b.build(counts);
            } else {
                boolean exact = total >= 0 && b.lines() >= total;
                t = b.build(exact);
                if (!exact) {
                    note(file + ": counted " + b.lines() + " of " + (total < 0 ? "?" : total)
                            + " sockets (the host has no awk and the table is larger than the collector sends)");
                }
            }
            sockets = sockets.plus(t);
        }

        private void log(Section s) {
            String[] a = s.arg.isEmpty() ? new String[0] : s.arg.split(" ");
            // "@ log NAME STATUS [SIZE]": the source name is the first word after "log".
            String name = s.status;
            String status = a.length > 0 ? a[0] : "";
            LogSource.Status st = switch (status) {
                case "ok" -> LogSource.Status.OK;
                case "absent" -> LogSource.Status.ABSENT;
                case "unreadable" -> LogSource.Status.UNREADABLE;
                case "denied" -> LogSource.Status.DENIED;
                case "no-awk" -> LogSource.Status.NO_AWK;
                default -> null;
            };
            if (st == null || name.isEmpty()) {
                note("malformed log section at collector output line " + s.line);
                return;
            }
            Map<LogPattern, Long> counts = new EnumMap<>(LogPattern.class);
            Map<LogPattern, List<String>> latest = new EnumMap<>(LogPattern.class);
            for (String m : s.meta) {
                String[] f = m.split(" ");
                LogPattern p = f.length == 3 && f[0].equals("count") ? LogPattern.ofId(f[1]) : null;
                if (p != null && NUMBER.matcher(f[2]).matches()) {
                    counts.put(p, Long.parseLong(f[2]));
                }
            }
            for (String d : s.data) {
                int sp = d.indexOf(' ');
                LogPattern p = sp < 0 ? null : LogPattern.ofId(d.substring(0, sp));
                if (p != null) {
                    List<String> l = latest.computeIfAbsent(p, k -> new ArrayList<>());
                    if (l.size() < 50) {
                        l.add(d.substring(sp + 1));
                    }
                }
            }
            boolean truncated = st == LogSource.Status.OK && a.length > 1 && a[1].equals("cut");
            logs.add(new LogSource(name, st, counts, latest, truncated));
        }

        private void ss(Section s) {
            switch (s.status) {
                case "ok" -> {
                    closeWait = CloseWaitOwners.parse(String.join("\n", s.data));
                    ssStatus = s.arg.strip().equals("0") ? "ok-root" : "ok";
                }
                case "absent", "failed" -> ssStatus = s.status;
                default -> note("malformed ss section at collector output line " + s.line);
            }
        }

        private boolean ok(Section s) {
            return s.status.equals("ok");
        }

        private void note(String n) {
            if (notes.size() < MAX_NOTES) {
                notes.add(n);
            }
        }
    }

    /** The UTF-8 text of an {@code x}-hex field, or null when it is not one. */
    static String hexText(String field) {
        if (field == null || !field.startsWith("x") || field.length() % 2 != 1) {
            return null;
        }
        try {
            return new String(HexFormat.of().parseHex(field, 1, field.length()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
