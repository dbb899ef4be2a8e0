package io.sysfleet.diagnose;

import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * TCP sockets of one host by state, read from {@code /proc/net/tcp} and {@code /proc/net/tcp6} (no netstat
 * needed), plus the local ports and owning uids of the CLOSE_WAIT sockets.
 *
 * @param counts            sockets per state (states without sockets are absent)
 * @param closeWaitPorts    CLOSE_WAIT sockets per local port, from the lines seen
 * @param closeWaitUids     CLOSE_WAIT sockets per owning uid, from the lines seen
 * @param exact             false when the host sent only part of the table (its size bound was reached), so
 *                          counts are lower bounds
 * @param malformed         lines that were not socket lines (skipped)
 */
public record SocketTable(Map<TcpState, Long> counts, Map<Integer, Long> closeWaitPorts,
                          Map<Integer, Long> closeWaitUids, boolean exact, long malformed) {

    /** Ports and uids kept per table; a host cannot make the controller hold more than this. */
    static final int MAX_KEYS = 70_000;
    private static final Pattern SLOT = Pattern.compile("[0-9]{1,10}:");
    private static final Pattern ADDRESS = Pattern.compile("[0-9A-Fa-f]{8}(?:[0-9A-Fa-f]{24})?:[0-9A-Fa-f]{4}");

    public SocketTable {
        EnumMap<TcpState, Long> c = new EnumMap<>(TcpState.class);
        c.putAll(counts);
        counts = Collections.unmodifiableMap(c);
        closeWaitPorts = Collections.unmodifiableMap(new TreeMap<>(closeWaitPorts));
        closeWaitUids = Collections.unmodifiableMap(new TreeMap<>(closeWaitUids));
    }

    public static SocketTable empty() {
        return new SocketTable(Map.of(), Map.of(), Map.of(), true, 0);
    }

    public long count(TcpState s) {
        return counts.getOrDefault(s, 0L);
    }

    public long total() {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    /** The IPv4 and IPv6 tables together. */
    public SocketTable plus(SocketTable o) {
        Map<TcpState, Long> c = new EnumMap<>(TcpState.class);
        c.putAll(counts);
        o.counts.forEach((k, v) -> c.merge(k, v, Long::sum));
        return new SocketTable(c, merge(closeWaitPorts, o.closeWaitPorts), merge(closeWaitUids, o.closeWaitUids),
                exact && o.exact, malformed + o.malformed);
    }

    /**
     * Parses the text of {@code /proc/net/tcp} or {@code /proc/net/tcp6} (header line optional). Each socket
     * line is {@code sl: local rem st tx:rx tr:when retrnsmt uid ...}; anything else counts as malformed and is
     * skipped. Pure; memory is bounded by {@link #MAX_KEYS} whatever the input.
     */
    public static SocketTable parse(String text) {
        Builder b = new Builder();
        text.lines().forEach(b::line);
        return b.build(true);
    }

    /** Accumulates socket lines (and, from the collector, exact counts per state). */
    static final class Builder {
        private final Map<TcpState, Long> counts = new EnumMap<>(TcpState.class);
        private final Map<Integer, Long> ports = new LinkedHashMap<>();
        private final Map<Integer, Long> uids = new LinkedHashMap<>();
        private long malformed;
        private long lines;

        /** One line of the table; returns the state, or null for a header or malformed line. */
        TcpState line(String raw) {
            String l = raw.strip();
            if (l.isEmpty() || l.startsWith("sl ")) {
                return null;
            }
            String[] f = l.split("\\s+", 10);
            TcpState st = f.length >= 4 && SLOT.matcher(f[0]).matches() && ADDRESS.matcher(f[1]).matches()
                    && ADDRESS.matcher(f[2]).matches() ? TcpState.ofHex(f[3]) : null;
            if (st == null) {
                malformed++;
                return null;
            }
            lines++;
            counts.merge(st, 1L, Long::sum);
            if (st == TcpState.CLOSE_WAIT) {
                int port = Integer.parseInt(f[1].substring(f[1].length() - 4), 16);
                bounded(ports, port);
                if (f.length >= 8 && f[7].matches("[0-9]{1,10}")) {
                    long uid = Long.parseLong(f[7]);
                    if (uid <= Integer.MAX_VALUE) {
                        bounded(uids, (int) uid);
                    }
                }
            }
            return st;
        }

        long lines() {
            return lines;
        }

        void malformed() {
            malformed++;
        }

        SocketTable build(boolean exact) {
            return new SocketTable(counts, ports, uids, exact, malformed);
        }

        /** A table whose counts are the host's exact ones; the lines seen give only the CLOSE_WAIT details. */
        SocketTable build(Map<TcpState, Long> exactCounts) {
            return new SocketTable(exactCounts, ports, uids, true, malformed);
        }

        private static void bounded(Map<Integer, Long> m, int k) {
            if (m.containsKey(k) || m.size() < MAX_KEYS) {
                m.merge(k, 1L, Long::sum);
            }
        }
    }

    private static Map<Integer, Long> merge(Map<Integer, Long> a, Map<Integer, Long> b) {
        Map<Integer, Long> m = new TreeMap<>(a);
        b.forEach((k, v) -> m.merge(k, v, Long::sum));
        return m;
    }
}
