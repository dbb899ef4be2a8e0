package io.sysfleet.diagnose;

import java.util.HashMap;
import java.util.Map;

/**
 * The TCP line of {@code /proc/net/sockstat}: {@code TCP: inuse 5 orphan 0 tw 3 alloc 9 mem 1}. {@code tw} is
 * the kernel's own count of TIME_WAIT sockets (IPv4 and IPv6), exact however large the socket tables are;
 * {@code orphan} counts sockets no process holds any more (orphaned FIN_WAIT2 among them). Absent fields are -1.
 */
public record Sockstat(long inuse, long orphan, long tw, long alloc, long memPages) {

    public static Sockstat unknown() {
        return new Sockstat(-1, -1, -1, -1, -1);
    }

    /** Parses sockstat text; only the {@code TCP:} line is read. Malformed numbers are left unknown. */
    public static Sockstat parse(String text) {
        for (String line : text.split("\n")) {
            String l = line.strip();
            if (!l.startsWith("TCP: ")) {
                continue;
            }
            String[] f = l.substring(5).strip().split("\\s+");
            Map<String, Long> v = new HashMap<>();
            for (int i = 0; i + 1 < f.length; i += 2) {
                if (f[i + 1].matches("[0-9]{1,18}")) {
                    v.put(f[i], Long.parseLong(f[i + 1]));
                }
            }
            return new Sockstat(v.getOrDefault("inuse", -1L), v.getOrDefault("orphan", -1L), v.getOrDefault("tw", -1L),
                    v.getOrDefault("alloc", -1L), v.getOrDefault("mem", -1L));
        }
        return unknown();
    }
}
