package io.sysfleet.diagnose;

import io.sysfleet.config.YNode;
import io.sysfleet.config.YamlLoader;
import io.sysfleet.core.ConfigException;
import io.sysfleet.core.Problems;
import io.sysfleet.core.SourceLocation;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * When a measured figure becomes a finding. Defaults are what the table's rows mean on a typical server; a YAML
 * file ({@code --thresholds FILE}: a mapping of the names below) and {@code --threshold NAME=VALUE} override
 * them, the command line last.
 *
 * @param timeWaitHigh       TIME_WAIT sockets that make TIME_WAIT_HIGH (row 3)
 * @param closeWaitHigh      CLOSE_WAIT sockets that make CLOSE_WAIT_LEAK (row 4); the table says to judge
 *                           against the host's normal load, so set it per fleet
 * @param finWait2High       FIN_WAIT2 sockets that make FIN_WAIT2_HIGH (row 5)
 * @param twBucketsWarnRatio TIME_WAIT / tcp_max_tw_buckets that makes TIME_WAIT_NEAR_LIMIT (row 6)
 * @param conntrackWarnRatio conntrack count / max that makes CONNTRACK_NEAR_FULL (row 7)
 * @param finTimeoutMin      lowest tcp_fin_timeout not reported as changed (row 2; the table sets 30)
 * @param finTimeoutMax      highest tcp_fin_timeout not reported as changed (the kernel default is 60)
 * @param logRecentHours     a kernel log line younger than this is current (critical); older ones warn
 */
public record Thresholds(long timeWaitHigh, long closeWaitHigh, long finWait2High, double twBucketsWarnRatio,
                         double conntrackWarnRatio, long finTimeoutMin, long finTimeoutMax, long logRecentHours) {

    public static final Thresholds DEFAULT = new Thresholds(10_000, 100, 1_000, 0.8, 0.8, 30, 60, 24);

    /** The names used in the YAML file and on the command line, with what they take. */
    public static final Map<String, String> NAMES;

    static {
        Map<String, String> n = new LinkedHashMap<>();
        n.put("time_wait_high", "a count");
        n.put("close_wait_high", "a count");
        n.put("fin_wait2_high", "a count");
        n.put("tw_buckets_warn_ratio", "a ratio from 0 to 1");
        n.put("conntrack_warn_ratio", "a ratio from 0 to 1");
        n.put("fin_timeout_min", "seconds");
        n.put("fin_timeout_max", "seconds");
        n.put("log_recent_hours", "hours");
        NAMES = java.util.Collections.unmodifiableMap(n);
    }

    /** The value of a threshold by its name, as text (for reports). */
    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("time_wait_high", timeWaitHigh);
        m.put("close_wait_high", closeWaitHigh);
        m.put("fin_wait2_high", finWait2High);
        m.put("tw_buckets_warn_ratio", twBucketsWarnRatio);
        m.put("conntrack_warn_ratio", conntrackWarnRatio);
        m.put("fin_timeout_min", finTimeoutMin);
        m.put("fin_timeout_max", finTimeoutMax);
        m.put("log_recent_hours", logRecentHours);
        return m;
    }

    /**
     * These thresholds with one changed.
     *
     * @throws IllegalArgumentException with a one-line reason for an unknown name or a bad value
     */
    public Thresholds with(String name, Object value) {
        String n = name.strip().toLowerCase(Locale.ROOT);
        if (!NAMES.containsKey(n)) {
            throw new IllegalArgumentException("unknown threshold '" + Text.oneLine(name, 40) + "' (known: "
                    + String.join(", ", NAMES.keySet()) + ")");
        }
        Thresholds t = this;
        if (n.endsWith("_ratio")) {
            double d = ratio(n, value);
            return n.startsWith("tw") ? new Thresholds(t.timeWaitHigh, t.closeWaitHigh, t.finWait2High, d,
                    t.conntrackWarnRatio, t.finTimeoutMin, t.finTimeoutMax, t.logRecentHours)
                    : new Thresholds(t.timeWaitHigh, t.closeWaitHigh, t.finWait2High, t.twBucketsWarnRatio, d,
                    t.finTimeoutMin, t.finTimeoutMax, t.logRecentHours);
        }
        long v = count(n, value);
        Thresholds r = switch (n) {
            case "time_wait_high" -> new Thresholds(v, t.closeWaitHigh, t.finWait2High, t.twBucketsWarnRatio,
                    t.conntrackWarnRatio, t.finTimeoutMin, t.finTimeoutMax, t.logRecentHours);
            case "close_wait_high" -> new Thresholds(t.timeWaitHigh, v, t.finWait2High, t.twBucketsWarnRatio,
                    t.conntrackWarnRatio, t.finTimeoutMin, t.finTimeoutMax, t.logRecentHours);
            case "fin_wait2_high" -> new Thresholds(t.timeWaitHigh, t.closeWaitHigh, v, t.twBucketsWarnRatio,
                    t.conntrackWarnRatio, t.finTimeoutMin, t.finTimeoutMax, t.logRecentHours);
            case "fin_timeout_min" -> new Thresholds(t.timeWaitHigh, t.closeWaitHigh, t.finWait2High,
                    t.twBucketsWarnRatio, t.conntrackWarnRatio, v, t.finTimeoutMax, t.logRecentHours);
            case "fin_timeout_max" -> new Thresholds(t.timeWaitHigh, t.closeWaitHigh, t.finWait2High,
                    t.twBucketsWarnRatio, t.conntrackWarnRatio, t.finTimeoutMin, v, t.logRecentHours);
            default -> new Thresholds(t.timeWaitHigh, t.closeWaitHigh, t.finWait2High, t.twBucketsWarnRatio,
                    t.conntrackWarnRatio, t.finTimeoutMin, t.finTimeoutMax, v);
        };
        if (r.finTimeoutMin > r.finTimeoutMax) {
            throw new IllegalArgumentException("fin_timeout_min " + r.finTimeoutMin + " is above fin_timeout_max "
                    + r.finTimeoutMax);
        }
        return r;
    }

    /**
     * Reads a thresholds file: a YAML mapping of threshold names to values. Every problem is reported with
     * {@code file:line:col} (exit 4).
     */
    public Thresholds load(Path file) {
        YNode root = YamlLoader.load(file);
        Problems problems = new Problems();
        if (!(root instanceof YNode.YMap map)) {
            problems.add(root == null ? SourceLocation.file(file) : root.location(),
                    "a thresholds file must be a mapping of threshold names to values, e.g. 'close_wait_high: 500'");
            problems.throwIfAny();
            throw new AssertionError();
        }
        Thresholds t = this;
        for (YNode.Entry e : map.entries()) {
            if (!(e.value() instanceof YNode.YScalar s) || s.value() instanceof String || s.value() == null
                    || s.value() instanceof Boolean) {
                problems.add(e.value().location(), "threshold '" + e.key() + "' must be a number, not "
                        + e.value().kind());
                continue;
            }
            try {
                t = t.with(e.key(), s.value());
            } catch (IllegalArgumentException ex) {
                problems.add(NAMES.containsKey(e.key()) ? e.value().location() : e.keyLocation(), ex.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems.list());
        }
        return t;
    }

    private static double ratio(String name, Object value) {
        double d;
        try {
            d = value instanceof Number num ? num.doubleValue() : Double.parseDouble(String.valueOf(value).strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be " + NAMES.get(name) + ", got '"
                    + Text.oneLine(String.valueOf(value), 40) + "'");
        }
        if (!(d > 0 && d <= 1)) {
            throw new IllegalArgumentException(name + " must be " + NAMES.get(name) + " (above 0), got " + value);
        }
        return d;
    }

    private static long count(String name, Object value) {
        String s = String.valueOf(value).strip();
        if (value instanceof Double || !s.matches("[0-9]{1,12}")) {
            throw new IllegalArgumentException(name + " must be " + NAMES.get(name) + " (a whole number from 0), got '"
                    + Text.oneLine(s, 40) + "'");
        }
        return Long.parseLong(s);
    }

    /** Names listed for help texts. */
    public static List<String> names() {
        return List.copyOf(NAMES.keySet());
    }
}
