package io.sysfleet.diagnose;

import io.sysfleet.catalog.Platform;
import io.sysfleet.facts.LiveValue;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything the collector measured on one host in its one round trip. Values that the host did not report
 * are null (objects) or -1 (counts).
 *
 * @param platform         OS release and kernel, as for {@code run}
 * @param hostNow          the host's clock ({@code date +%s}); log times are judged against it, not ours
 * @param hostOffset       the host's UTC offset, for syslog stamps without a zone
 * @param bootTime         when the host booted, for dmesg stamps; null when unknown
 * @param live             the live value of every catalog key (all platform names) and the conntrack counters
 * @param sockets          TCP sockets by state, IPv4 and IPv6 together
 * @param sockstat         {@code /proc/net/sockstat}'s TCP line
 * @param tcpExt           {@code /proc/net/netstat}'s TcpExt counters
 * @param conntrackEntries lines of /proc/net/nf_conntrack (only read when no count key exists), or -1
 * @param logs             every kernel log source tried, in order
 * @param closeWait        processes and addresses of the CLOSE_WAIT sockets, from ss
 * @param ssStatus         {@code ok}, {@code absent} (no ss), {@code failed}, or {@code ok-root} when ss ran as root
 * @param notes            what could not be measured, or only in part, and why
 */
public record HostSample(Platform platform, Instant hostNow, ZoneOffset hostOffset, Instant bootTime,
                         Map<String, LiveValue> live, SocketTable sockets, Sockstat sockstat, TcpExtCounters tcpExt,
                         long conntrackEntries, List<LogSource> logs, CloseWaitOwners closeWait, String ssStatus,
                         List<String> notes) {

    /** Keys of the conntrack table's fill, modern name first; CentOS 5 uses the ip_conntrack names. */
    static final List<String> CONNTRACK_COUNT_KEYS = List.of("net.netfilter.nf_conntrack_count",
            "net.ipv4.netfilter.ip_conntrack_count");
    static final List<String> CONNTRACK_MAX_KEYS = List.of("net.netfilter.nf_conntrack_max", "net.nf_conntrack_max",
            "net.ipv4.netfilter.ip_conntrack_max");

    public HostSample {
        live = Collections.unmodifiableMap(new LinkedHashMap<>(live));
        logs = List.copyOf(logs);
        notes = List.copyOf(notes);
    }

    /** The live value of a key (any of its names as given), or null when absent or unreadable. */
    public String value(String key) {
        LiveValue v = live.get(key);
        return v != null && v.present() ? v.value().strip() : null;
    }

    /** The live value as a number, or -1 when absent or not a number. */
    public long number(String key) {
        String v = value(key);
        return v != null && v.matches("-?[0-9]{1,18}") ? Long.parseLong(v) : -1;
    }

    /** The first of {@code keys} that the host has, as a number, or -1. */
    public long firstNumber(List<String> keys) {
        for (String k : keys) {
            long n = number(k);
            if (n >= 0) {
                return n;
            }
        }
        return -1;
    }

    /** The first of {@code keys} that the host has, or null. */
    public String firstKey(List<String> keys) {
        return keys.stream().filter(k -> value(k) != null).findFirst().orElse(null);
    }

    /** Tracked connections: the count key, else the lines of /proc/net/nf_conntrack; -1 when unknown. */
    public long conntrackCount() {
        long n = firstNumber(CONNTRACK_COUNT_KEYS);
        return n >= 0 ? n : conntrackEntries;
    }

    public long conntrackMax() {
        return firstNumber(CONNTRACK_MAX_KEYS);
    }

    /**
     * TIME_WAIT sockets: the kernel's own count (sockstat, exact) when the host reports it, else the tables'.
     * The larger of the two when both are known, since the table count may be partial.
     */
    public long timeWait() {
        return Math.max(sockstat.tw(), sockets.count(TcpState.TIME_WAIT));
    }
}
