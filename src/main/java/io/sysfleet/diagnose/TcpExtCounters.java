package io.sysfleet.diagnose;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code TcpExt} counters of {@code /proc/net/netstat} (a line of names, then a line of values), counted
 * since boot in the host's network namespace. {@code TCPTimeWaitOverflow} counts TIME_WAIT sockets the kernel
 * could not create because {@code tcp_max_tw_buckets} was reached: current kernels no longer log "time wait
 * bucket table overflow", so this counter is the live evidence of table row 6.
 */
public record TcpExtCounters(Map<String, Long> values) {
    public static final String TIME_WAIT_OVERFLOW = "TCPTimeWaitOverflow";
    private static final int MAX = 512;

    public TcpExtCounters {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** The counter, or -1 when the host did not report it. */
    public long get(String name) {
        return values.getOrDefault(name, -1L);
    }

    /** Parses netstat text; lines other than the first {@code TcpExt:} pair are ignored. */
    public static TcpExtCounters parse(String text) {
        String names = null;
        for (String line : text.split("\n")) {
            if (!line.startsWith("TcpExt:")) {
                continue;
            }
            if (names == null) {
                names = line;
                continue;
            }
            String[] n = names.substring(7).strip().split("\\s+");
            String[] v = line.substring(7).strip().split("\\s+");
            Map<String, Long> out = new LinkedHashMap<>();
            for (int i = 0; i < Math.min(Math.min(n.length, v.length), MAX); i++) {
                if (v[i].matches("[0-9]{1,18}") && n[i].matches("[A-Za-z0-9_]{1,64}")) {
                    out.put(n[i], Long.parseLong(v[i]));
                }
            }
            return new TcpExtCounters(out);
        }
        return new TcpExtCounters(Map.of());
    }
}
