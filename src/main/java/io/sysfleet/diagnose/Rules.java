package io.sysfleet.diagnose;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The finding rules: pure functions from a host's sample and the thresholds to findings, one rule per symptom
 * of the troubleshooting table. Each finding asks for its row's playbook with play vars sized for the host where
 * the row leaves the number open; {@link Diagnoser} then checks whether the playbook would change anything.
 *
 * <p>Rules for the rows whose evidence is history (kernel log lines, the TCPTimeWaitOverflow counter since boot)
 * are critical while the log line is recent or the limit is being hit now, and warn otherwise.
 */
public final class Rules {
    /** The live keys the rules read themselves (the conntrack counters are in {@link HostSample}). */
    public static final List<String> KEYS = List.of("net.ipv4.tcp_tw_recycle", "net.ipv4.tcp_timestamps",
            "net.ipv4.tcp_fin_timeout", "net.ipv4.tcp_max_syn_backlog", "net.ipv4.tcp_max_tw_buckets");

    /** Row 6's playbook value: a common default on hosts with a few GiB. */
    static final long TW_BUCKETS_TARGET = 262_144;
    /** Row 5's value for tcp_max_tw_buckets, as published. */
    static final long ROW5_TW_BUCKETS = 5_000;
    static final long ROW5_SYN_BACKLOG = 8_192;
    /** Row 7's values, as published. */
    static final long CONNTRACK_TARGET = 655_350;
    static final long CONNTRACK_TIMEOUT = 1_200;
    static final long FIN_TIMEOUT = 30;

    private Rules() {
    }

    /** The findings for one host, in table row order. */
    public static List<Finding> evaluate(String host, HostSample s, Thresholds t) {
        List<Finding> out = new ArrayList<>();
        natTimestamps(host, s).ifPresent(out::add);
        finTimeout(host, s, t).ifPresent(out::add);
        long tw = s.timeWait();
        if (tw >= 0 && tw >= t.timeWaitHigh()) {
            out.add(new Finding(FindingCode.TIME_WAIT_HIGH, Severity.WARNING, host,
                    tw + " TIME_WAIT sockets (threshold " + t.timeWaitHigh() + ")", socketEvidence(s),
                    Remedy.playbook(FindingCode.TIME_WAIT_HIGH.playbook(), Map.of("fin_timeout", FIN_TIMEOUT),
                            "tcp_syncookies 1, tcp_tw_reuse 1 (outgoing connections reuse TIME_WAIT ports), "
                                    + "tcp_tw_recycle 0, tcp_fin_timeout 30; TIME_WAIT itself lasts 60 s, so fewer "
                                    + "short connections (keep-alive, pooling) is the lasting fix")));
        }
        closeWait(host, s, t).ifPresent(out::add);
        long fw2 = s.sockets().count(TcpState.FIN_WAIT2);
        if (fw2 >= t.finWait2High()) {
            out.add(finWait2(host, s, fw2, t));
        }
        twBuckets(host, s, t).ifPresent(out::add);
        conntrack(host, s, t).ifPresent(out::add);
        return reconcile(out, s);
    }

    private static java.util.Optional<Finding> natTimestamps(String host, HostSample s) {
        String recycle = s.value("net.ipv4.tcp_tw_recycle");
        String ts = s.value("net.ipv4.tcp_timestamps");
        if (!"1".equals(recycle) || ts == null || ts.equals("0")) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new Finding(FindingCode.NAT_TIMESTAMP_RISK, Severity.CRITICAL, host,
                "tcp_tw_recycle = 1 and tcp_timestamps = " + ts,
                List.of("net.ipv4.tcp_tw_recycle = 1", "net.ipv4.tcp_timestamps = " + ts,
                        "the kernel drops SYNs whose timestamp is not increasing per source IP: clients behind one "
                                + "NAT address are refused (rows 8 and 1)"),
                Remedy.playbook(FindingCode.NAT_TIMESTAMP_RISK.playbook(), Map.of(),
                        "tcp_tw_recycle 0 on this server; for clients of a server you cannot change, "
                                + "01-nat-reset.yml on the clients")));
    }

    private static java.util.Optional<Finding> finTimeout(String host, HostSample s, Thresholds t) {
        long v = s.number("net.ipv4.tcp_fin_timeout");
        if (v < 0 || (v >= t.finTimeoutMin() && v <= t.finTimeoutMax())) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new Finding(FindingCode.FIN_TIMEOUT_CHANGED, Severity.WARNING, host,
                "tcp_fin_timeout = " + v + " (expected " + t.finTimeoutMin() + " to " + t.finTimeoutMax() + ")",
                List.of("net.ipv4.tcp_fin_timeout = " + v + " (kernel default 60, the table sets 30)",
                        "FIN_WAIT2 sockets: " + s.sockets().count(TcpState.FIN_WAIT2)),
                Remedy.playbook(FindingCode.FIN_TIMEOUT_CHANGED.playbook(), Map.of("fin_timeout", FIN_TIMEOUT),
                        "tcp_fin_timeout 30")));
    }

    private static java.util.Optional<Finding> closeWait(String host, HostSample s, Thresholds t) {
        long cw = s.sockets().count(TcpState.CLOSE_WAIT);
        if (cw < t.closeWaitHigh()) {
            return java.util.Optional.empty();
        }
        List<String> ev = new ArrayList<>();
        ev.add(cw + " CLOSE_WAIT sockets (threshold " + t.closeWaitHigh() + ")");
        String ports = top(s.sockets().closeWaitPorts(), 5, "port ");
        if (!ports.isEmpty()) {
            ev.add("local ports: " + ports);
        }
        String uids = top(s.sockets().closeWaitUids(), 5, "uid ");
        if (!uids.isEmpty()) {
            ev.add("owners: " + uids);
        }
        Map<CloseWaitOwners.Process, Long> procs = s.closeWait().byProcess();
        List<String> named = new ArrayList<>();
        procs.entrySet().stream().limit(5).forEach(e -> named.add(e.getKey().name() + " (pid " + e.getKey().pid()
                + "): " + e.getValue()));
        if (!named.isEmpty()) {
            ev.add("processes: " + String.join(", ", named));
        }
        String who = named.isEmpty() ? "" : " (" + String.join(", ", named) + ")";
        if (s.ssStatus().equals("ok") && s.closeWait().withoutProcess() > 0) {
            ev.add(s.closeWait().withoutProcess() + " sockets belong to other users' processes: connect as root "
                    + "(--become) to name them");
        } else if (s.ssStatus().equals("absent") || s.ssStatus().equals("failed")) {
            ev.add("processes unknown: ss (iproute2) is " + (s.ssStatus().equals("absent") ? "not installed" : "failing")
                    + " on the host");
        }
        String advice = "no kernel setting releases them: the application" + who + " must close its socket when "
                + "the peer has closed (Java: read() returning -1 means closed, then call close(); C: read() "
                + "returning 0, or below 0 with errno other than EAGAIN, means closed: close(fd))";
        return java.util.Optional.of(new Finding(FindingCode.CLOSE_WAIT_LEAK, Severity.WARNING, host,
                cw + " CLOSE_WAIT sockets" + (ports.isEmpty() ? "" : " on " + ports) + who, ev,
                Remedy.application(advice)));
    }

    private static Finding finWait2(String host, HostSample s, long fw2, Thresholds t) {
        Map<String, Object> vars = new LinkedHashMap<>();
        vars.put("fin_timeout", FIN_TIMEOUT);
        long backlog = s.number("net.ipv4.tcp_max_syn_backlog");
        vars.put("max_syn_backlog", Math.max(ROW5_SYN_BACKLOG, backlog));
        vars.put("max_tw_buckets", ROW5_TW_BUCKETS);
        List<String> ev = new ArrayList<>(socketEvidence(s));
        if (s.sockstat().orphan() >= 0) {
            ev.add("orphaned sockets (no process, FIN_WAIT2 among them): " + s.sockstat().orphan());
        }
        return new Finding(FindingCode.FIN_WAIT2_HIGH, Severity.WARNING, host,
                fw2 + " FIN_WAIT2 sockets (threshold " + t.finWait2High() + ")", ev,
                Remedy.playbook(FindingCode.FIN_WAIT2_HIGH.playbook(), vars,
                        "tcp_syncookies 1, tcp_fin_timeout 30 (bounds orphaned FIN_WAIT2), tcp_max_syn_backlog 8192, "
                                + "tcp_max_tw_buckets 5000"));
    }

    private static java.util.Optional<Finding> twBuckets(String host, HostSample s, Thresholds t) {
        long limit = s.number("net.ipv4.tcp_max_tw_buckets");
        long tw = s.timeWait();
        long overflowCounter = s.tcpExt().get(TcpExtCounters.TIME_WAIT_OVERFLOW);
        LogEvidence log = LogEvidence.of(s, LogPattern.TW_OVERFLOW);
        boolean atLimit = limit >= 0 && tw >= 0 && tw >= limit;
        boolean near = limit > 0 && tw >= 0 && tw >= t.twBucketsWarnRatio() * limit;
        boolean history = log.count() > 0 || overflowCounter > 0;
        if (!atLimit && !near && !history) {
            return java.util.Optional.empty();
        }
        List<String> ev = new ArrayList<>();
        if (limit >= 0) {
            ev.add("TIME_WAIT " + tw + " of net.ipv4.tcp_max_tw_buckets " + limit
                    + (limit > 0 ? String.format(" (%.0f%%)", 100.0 * tw / limit) : ""));
        }
        if (overflowCounter > 0) {
            ev.add("TcpExt TCPTimeWaitOverflow " + overflowCounter + " since boot (TIME_WAIT sockets not created "
                    + "because the limit was reached)");
        }
        log.describe(ev);
        long pressure = Math.max(limit, tw);
        long target = atLimit || near ? Math.max(TW_BUCKETS_TARGET, 2 * pressure) : Math.max(TW_BUCKETS_TARGET, limit);
        Remedy remedy = Remedy.playbook(FindingCode.TW_BUCKET_OVERFLOW.playbook(), Map.of("max_tw_buckets", target),
                "raise net.ipv4.tcp_max_tw_buckets to " + target + " (above the TIME_WAIT count in use)");
        if (!atLimit && !history) {
            return java.util.Optional.of(new Finding(FindingCode.TIME_WAIT_NEAR_LIMIT, Severity.WARNING, host,
                    String.format("TIME_WAIT %d is %.0f%% of tcp_max_tw_buckets %d", tw, 100.0 * tw / limit, limit),
                    ev, remedy));
        }
        Severity sev = atLimit || log.recent(s, t) ? Severity.CRITICAL : Severity.WARNING;
        String summary = atLimit ? "TIME_WAIT " + tw + " has reached tcp_max_tw_buckets " + limit
                : log.count() > 0 ? log.count() + " kernel log lines \"" + LogPattern.TW_OVERFLOW.text() + "\""
                : "TCPTimeWaitOverflow " + overflowCounter + " since boot";
        return java.util.Optional.of(new Finding(FindingCode.TW_BUCKET_OVERFLOW, sev, host, summary, ev, remedy));
    }

    private static java.util.Optional<Finding> conntrack(String host, HostSample s, Thresholds t) {
        long count = s.conntrackCount();
        long max = s.conntrackMax();
        LogEvidence log = LogEvidence.of(s, LogPattern.CONNTRACK_FULL);
        boolean full = max > 0 && count >= max;
        boolean near = max > 0 && count >= 0 && count >= t.conntrackWarnRatio() * max;
        if (!full && !near && log.count() == 0) {
            return java.util.Optional.empty();
        }
        List<String> ev = new ArrayList<>();
        if (max > 0 && count >= 0) {
            ev.add(String.format("conntrack %d of %s %d (%.0f%%)", count, s.firstKey(HostSample.CONNTRACK_MAX_KEYS),
                    max, 100.0 * count / max));
        } else if (max < 0) {
            ev.add("no conntrack max key on the host (the nf_conntrack module is not loaded now)");
        }
        long timeout = s.firstNumber(List.of("net.netfilter.nf_conntrack_tcp_timeout_established",
                "net.ipv4.netfilter.ip_conntrack_tcp_timeout_established"));
        if (timeout >= 0) {
            ev.add("tcp_timeout_established " + timeout + " s" + (timeout == 432_000 ? " (five days, the default)" : ""));
        }
        log.describe(ev);
        Map<String, Object> vars = new LinkedHashMap<>();
        vars.put("conntrack_max", full || near ? Math.max(CONNTRACK_TARGET, 2 * max) : Math.max(CONNTRACK_TARGET, max));
        vars.put("conntrack_tcp_timeout_established", timeout > 0 ? Math.min(CONNTRACK_TIMEOUT, timeout)
                : CONNTRACK_TIMEOUT);
        Remedy remedy = Remedy.playbook(FindingCode.CONNTRACK_TABLE_FULL.playbook(), vars,
                "conntrack max " + vars.get("conntrack_max") + " and tcp established timeout "
                        + vars.get("conntrack_tcp_timeout_established") + " s");
        if (!full && log.count() == 0) {
            return java.util.Optional.of(new Finding(FindingCode.CONNTRACK_NEAR_FULL, Severity.WARNING, host,
                    String.format("conntrack table %.0f%% full (%d of %d)", 100.0 * count / max, count, max), ev, remedy));
        }
        Severity sev = full || log.recent(s, t) ? Severity.CRITICAL : Severity.WARNING;
        String summary = full ? "conntrack table full: " + count + " of " + max
                : log.count() + " kernel log lines \"" + LogPattern.CONNTRACK_FULL.text() + "\"";
        return java.util.Optional.of(new Finding(FindingCode.CONNTRACK_TABLE_FULL, sev, host, summary, ev, remedy));
    }

    /**
     * Rows 5 and 6 both set tcp_max_tw_buckets: row 5's 5000 would undo row 6 (and cause its overflow) on a host
     * that needs more. Row 5 then keeps the larger value.
     */
    private static List<Finding> reconcile(List<Finding> findings, HostSample s) {
        Long rowSix = null;
        for (Finding f : findings) {
            if (f.code().row() == 6 && f.remedy() != null && f.remedy().vars().get("max_tw_buckets") instanceof Long v) {
                rowSix = v;
            }
        }
        long limit = s.number("net.ipv4.tcp_max_tw_buckets");
        long tw = s.timeWait();
        long keep = rowSix != null ? rowSix
                : limit > ROW5_TW_BUCKETS && tw >= 0.8 * ROW5_TW_BUCKETS ? limit : -1;
        if (keep < 0) {
            return findings;
        }
        List<Finding> out = new ArrayList<>();
        for (Finding f : findings) {
            if (f.code() == FindingCode.FIN_WAIT2_HIGH) {
                Map<String, Object> vars = new LinkedHashMap<>(f.remedy().vars());
                vars.put("max_tw_buckets", keep);
                List<String> ev = new ArrayList<>(f.evidence());
                ev.add("tcp_max_tw_buckets stays " + keep + ", not the table's 5000, which "
                        + (rowSix != null ? "would undo row 6's limit on this host" : "TIME_WAIT " + tw
                        + " would overflow (row 6)"));
                out.add(new Finding(f.code(), f.severity(), f.host(), f.summary(), ev,
                        Remedy.playbook(f.remedy().playbook(), vars, f.remedy().advice().replace(
                                "tcp_max_tw_buckets 5000", "tcp_max_tw_buckets " + keep))));
            } else {
                out.add(f);
            }
        }
        return out;
    }

    private static List<String> socketEvidence(HostSample s) {
        List<String> ev = new ArrayList<>();
        StringBuilder b = new StringBuilder("sockets:");
        for (TcpState st : List.of(TcpState.ESTABLISHED, TcpState.TIME_WAIT, TcpState.CLOSE_WAIT, TcpState.FIN_WAIT2)) {
            b.append(' ').append(st.label()).append(' ').append(st == TcpState.TIME_WAIT ? s.timeWait()
                    : s.sockets().count(st));
        }
        if (!s.sockets().exact()) {
            b.append(" (at least: the host sent part of its socket table)");
        }
        ev.add(b.toString());
        String limit = s.value("net.ipv4.tcp_max_tw_buckets");
        if (limit != null) {
            ev.add("net.ipv4.tcp_max_tw_buckets = " + limit);
        }
        return ev;
    }

    private static String top(Map<Integer, Long> m, int n, String prefix) {
        List<String> parts = new ArrayList<>();
        CloseWaitOwners.sortedByCount(m).entrySet().stream().limit(n)
                .forEach(e -> parts.add(prefix + e.getKey() + " (" + e.getValue() + ")"));
        return String.join(", ", parts);
    }

    /** The kernel log evidence of one pattern over all sources: the source that saw most, the latest line. */
    record LogEvidence(long count, String source, String latestLine, Instant latestTime, List<String> perSource) {
        static LogEvidence of(HostSample s, LogPattern p) {
            long best = 0;
            String source = null;
            String line = null;
            Instant time = null;
            List<String> per = new ArrayList<>();
            for (LogSource src : s.logs()) {
                long c = src.count(p);
                if (src.status() != LogSource.Status.OK || c == 0) {
                    continue;
                }
                per.add(src.name() + ": " + c + (src.truncated() ? " (end of the file scanned)" : ""));
                if (c > best) {
                    best = c;
                    source = src.name();
                }
                List<String> latest = src.latest(p);
                if (!latest.isEmpty()) {
                    String l = latest.get(latest.size() - 1);
                    Instant t = LogTime.of(l, s.hostNow(), s.hostOffset(), s.bootTime());
                    if (line == null || (t != null && (time == null || t.isAfter(time)))) {
                        line = l;
                        time = t;
                    }
                }
            }
            return new LogEvidence(best, source, line, time, per);
        }

        /** A line at most {@code log_recent_hours} old, or one whose time cannot be read. */
        boolean recent(HostSample s, Thresholds t) {
            return count > 0 && (latestTime == null
                    || Duration.between(latestTime, s.hostNow()).toHours() < t.logRecentHours());
        }

        void describe(List<String> ev) {
            if (count == 0) {
                return;
            }
            ev.add("kernel log: " + String.join(", ", perSource) + " lines"
                    + (latestTime == null ? "" : ", latest " + latestTime));
            if (latestLine != null) {
                ev.add("latest line: " + latestLine);
            }
        }
    }
}
