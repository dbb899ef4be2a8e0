package io.sysfleet.diagnose;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What one kernel log source said: {@code journalctl -k}, {@code dmesg}, {@code /var/log/messages} or
 * {@code /var/log/kern.log}. Counts are exact over what was scanned (the last {@code scanLimit} bytes of a
 * file); only the latest few matching lines travel, each cut to a bounded width.
 *
 * @param name      the source as the operator knows it
 * @param status    whether it could be read
 * @param counts    matching lines per pattern
 * @param latest    the latest matching lines per pattern, oldest first
 * @param truncated a file larger than the scan limit: only its end was scanned
 */
public record LogSource(String name, Status status, Map<LogPattern, Long> counts, Map<LogPattern, List<String>> latest,
                        boolean truncated) {

    /** Whether a source could be read. */
    public enum Status {
        OK, ABSENT, UNREADABLE, DENIED, NO_AWK;

        public String word() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    public LogSource {
        Map<LogPattern, Long> c = new EnumMap<>(LogPattern.class);
        c.putAll(counts);
        counts = Collections.unmodifiableMap(c);
        Map<LogPattern, List<String>> l = new EnumMap<>(LogPattern.class);
        latest.forEach((k, v) -> l.put(k, List.copyOf(v)));
        latest = Collections.unmodifiableMap(l);
    }

    public long count(LogPattern p) {
        return counts.getOrDefault(p, 0L);
    }

    public List<String> latest(LogPattern p) {
        return latest.getOrDefault(p, List.of());
    }
}
