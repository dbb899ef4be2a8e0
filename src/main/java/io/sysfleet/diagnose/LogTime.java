package io.sysfleet.diagnose;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When a kernel log line was written, read from the line itself, in the formats the collector's sources use:
 * RFC 3339 (rsyslog's default on current distributions; {@code journalctl -o short-iso}), the traditional
 * syslog stamp {@code Nov 25 16:30:00} (no year, host's local time: the host's year and UTC offset are used, and a
 * date ahead of the host's clock is taken from the year before), and dmesg's seconds since boot
 * {@code [ 1234.567890]}. Pure.
 */
public final class LogTime {
    private static final Pattern ISO = Pattern.compile(
            "^(\\d{4}-\\d{2}-\\d{2})[T ](\\d{2}:\\d{2}:\\d{2})(\\.\\d{1,9})?(Z|[+-]\\d{2}:?\\d{2})");
    private static final Pattern SYSLOG = Pattern.compile("^([A-Z][a-z]{2}) {1,2}(\\d{1,2}) (\\d{2}):(\\d{2}):(\\d{2}) ");
    private static final Pattern UPTIME = Pattern.compile("^\\[ *(\\d{1,12})\\.(\\d{1,9})\\]");
    private static final List<String> MONTHS = List.of("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug",
            "Sep", "Oct", "Nov", "Dec");

    private LogTime() {
    }

    /**
     * The time of {@code line}, or null when it has no stamp this class reads.
     *
     * @param hostNow    the host's clock when the sample was taken
     * @param hostOffset the host's UTC offset ({@code date +%z})
     * @param bootTime   when the host booted (now minus /proc/uptime), or null
     */
    public static Instant of(String line, Instant hostNow, ZoneOffset hostOffset, Instant bootTime) {
        Matcher m = ISO.matcher(line);
        if (m.find()) {
            String off = m.group(4);
            if (!off.equals("Z") && off.indexOf(':') < 0) {
                off = off.substring(0, 3) + ":" + off.substring(3);
            }
            try {
                return OffsetDateTime.parse(m.group(1) + "T" + m.group(2) + (m.group(3) == null ? "" : m.group(3)) + off)
                        .toInstant();
            } catch (DateTimeParseException e) {
                return null;
            }
        }
        m = SYSLOG.matcher(line);
        if (m.find() && hostNow != null && hostOffset != null) {
            int month = MONTHS.indexOf(m.group(1)) + 1;
            if (month == 0) {
                return null;
            }
            int year = hostNow.atOffset(hostOffset).getYear();
            try {
                Instant t = stamp(year, month, m, hostOffset);
                // A stamp ahead of the host's clock (beyond clock skew) is from last year (logs span New Year).
                return t.isAfter(hostNow.plusSeconds(86_400)) ? stamp(year - 1, month, m, hostOffset) : t;
            } catch (java.time.DateTimeException e) {
                return null;
            }
        }
        m = UPTIME.matcher(line);
        if (m.find() && bootTime != null) {
            return bootTime.plusSeconds(Long.parseLong(m.group(1)));
        }
        return null;
    }

    private static Instant stamp(int year, int month, Matcher m, ZoneOffset offset) {
        return LocalDateTime.of(year, month, Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)),
                Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5))).toInstant(offset);
    }
}
