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
 * @param truncated a file larger than the scan limit: only part of it was scanned (the end of a plain file, the
 *                  start of a rotated .gz file)
 * @param family    the log file a rotated file was rotated from ({@code /var/log/messages} for
 *                  {@code /var/log/messages.1}), else the source's own name: files of one family hold different
 *                  times, so their counts add up; different families (journal, dmesg, messages) see the same lines
 */
public record LogSource(String name, Status status, Map<LogPattern, Long> counts, Map<LogPattern, List<String>> latest,
                        boolean truncated, String family) {

    /** Whether a source could be read. */
    public enum Status {
        OK, ABSENT, UNREADABLE, DENIED, NO_AWK, NO_GZIP;

        public String word() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }

        /** What it means to a person: {@code read}, {@code not there}, {@code permission denied}, ... */
        public String phrase() {
            return switch (this) {
                case OK -> "read";
                case ABSENT -> "not there";
                case UNREADABLE -> "not readable by the connecting user";
                case DENIED -> "permission denied";
                case NO_AWK -> "not scanned: no awk on the host";
                case NO_GZIP -> "not scanned: no gzip on the host";
            };
        }
    }

    public LogSource {
        family = family == null ? name : family;
        Map<LogPattern, Long> c = new EnumMap<>(LogPattern.class);
        c.putAll(counts);
        counts = Collections.unmodifiableMap(c);
        Map<LogPattern, List<String>> l = new EnumMap<>(LogPattern.class);
        latest.forEach((k, v) -> l.put(k, List.copyOf(v)));
        latest = Collections.unmodifiableMap(l);
    }

    /** Whether this is a rotated file (its family is another file). */
    public boolean rotated() {
        return !family.equals(name);
    }

    public long count(LogPattern p) {
        return counts.getOrDefault(p, 0L);
    }

    public List<String> latest(LogPattern p) {
        return latest.getOrDefault(p, List.of());
    }
}
