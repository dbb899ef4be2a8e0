package io.sysfleet.diagnose;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The measured figures in the Prometheus text exposition format ({@code diagnose --prometheus FILE}), one series
 * per host (label {@code host}), for node_exporter's textfile collector (a {@code *.prom} file in its directory,
 * written atomically) or a Pushgateway. Written by the Prometheus client library's own text writer, which does
 * the HELP/TYPE lines and the escaping of label values; there are no sample timestamps (the textfile collector
 * refuses them): {@code sysfleet_diagnose_timestamp_seconds} tells when the figures were taken.
 */
public final class PrometheusMetrics {
    private PrometheusMetrics() {
    }

    public static String render(FleetDiagnosis d) {
        Families f = new Families();
        f.gauge("sysfleet_diagnose_timestamp_seconds", "When sysfleet diagnose took these figures (Unix time).",
                Labels.EMPTY, epoch(d.finished()));
        for (HostDiagnosis h : d.hosts()) {
            Labels host = Labels.of("host", h.host());
            f.gauge("sysfleet_diagnose_up", "1 when the host was diagnosed, 0 when it failed or was unreachable.", host,
                    h.status() == HostDiagnosis.Status.DIAGNOSED ? 1 : 0);
            HostSample s = h.sample();
            if (s == null) {
                continue;
            }
            for (TcpState st : TcpState.values()) {
                f.gauge("sysfleet_tcp_sockets", "TCP sockets by state (IPv4 and IPv6), from /proc/net/tcp, tcp6 and sockstat.",
                        host.add("state", st.metricName()),
                        st == TcpState.TIME_WAIT ? s.timeWait() : s.sockets().count(st));
            }
            long limit = s.number("net.ipv4.tcp_max_tw_buckets");
            if (limit >= 0) {
                f.gauge("sysfleet_tcp_max_tw_buckets", "net.ipv4.tcp_max_tw_buckets: the TIME_WAIT socket limit.",
                        host, limit);
                if (limit > 0) {
                    f.gauge("sysfleet_tcp_time_wait_bucket_ratio", "TIME_WAIT sockets divided by tcp_max_tw_buckets.",
                            host, (double) s.timeWait() / limit);
                }
            }
            long overflow = s.tcpExt().get(TcpExtCounters.TIME_WAIT_OVERFLOW);
            if (overflow >= 0) {
                f.counter("sysfleet_tcp_time_wait_overflow",
                        "TIME_WAIT sockets not created because tcp_max_tw_buckets was reached (TcpExt TCPTimeWaitOverflow).",
                        host, overflow);
            }
            long count = s.conntrackCount();
            long max = s.conntrackMax();
            if (count >= 0) {
                f.gauge("sysfleet_conntrack_entries", "Connections tracked by netfilter (nf_conntrack_count).", host, count);
            }
            if (max > 0) {
                f.gauge("sysfleet_conntrack_max", "Size of the conntrack table (nf_conntrack_max).", host, max);
                if (count >= 0) {
                    f.gauge("sysfleet_conntrack_fill_ratio", "Conntrack entries divided by the table size.", host,
                            (double) count / max);
                }
            }
            for (LogSource src : s.logs()) {
                if (src.status() != LogSource.Status.OK) {
                    continue;
                }
                for (LogPattern p : LogPattern.values()) {
                    f.gauge("sysfleet_kernel_log_lines", "Kernel log lines of a troubleshooting-table pattern, per source.",
                            host.add("source", src.name()).add("pattern", p.id()), src.count(p));
                }
            }
            for (LogPattern p : LogPattern.values()) {
                Rules.LogEvidence ev = Rules.LogEvidence.of(s, p);
                if (ev.latestTime() != null) {
                    f.gauge("sysfleet_kernel_log_latest_timestamp_seconds",
                            "Time of the latest kernel log line of a pattern (Unix time).", host.add("pattern", p.id()),
                            epoch(ev.latestTime()));
                }
            }
            for (Finding fi : h.findings()) {
                f.gauge("sysfleet_diagnose_finding", "1 for each finding: code, severity and troubleshooting-table row.",
                        host.add("code", fi.code().name()).add("severity", fi.severity().word())
                                .add("row", String.valueOf(fi.row())), 1);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            PrometheusTextFormatWriter.builder().setIncludeCreatedTimestamps(false).build().write(out, f.snapshots());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static double epoch(Instant t) {
        return t.toEpochMilli() / 1000.0;
    }

    /** Data points collected per family, in first-seen order. */
    private static final class Families {
        private final Map<String, String> help = new LinkedHashMap<>();
        private final Map<String, List<GaugeSnapshot.GaugeDataPointSnapshot>> gauges = new LinkedHashMap<>();
        private final Map<String, List<CounterSnapshot.CounterDataPointSnapshot>> counters = new LinkedHashMap<>();

        void gauge(String name, String h, Labels labels, double v) {
            help.putIfAbsent(name, h);
            gauges.computeIfAbsent(name, k -> new ArrayList<>())
                    .add(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(labels).value(v).build());
        }

        void counter(String name, String h, Labels labels, double v) {
            help.putIfAbsent(name, h);
            counters.computeIfAbsent(name, k -> new ArrayList<>())
                    .add(CounterSnapshot.CounterDataPointSnapshot.builder().labels(labels).value(v).build());
        }

        MetricSnapshots snapshots() {
            List<MetricSnapshot> all = new ArrayList<>();
            for (String name : help.keySet()) {
                if (gauges.containsKey(name)) {
                    GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(name).help(help.get(name));
                    gauges.get(name).forEach(b::dataPoint);
                    all.add(b.build());
                } else {
                    CounterSnapshot.Builder b = CounterSnapshot.builder().name(name).help(help.get(name));
                    counters.get(name).forEach(b::dataPoint);
                    all.add(b.build());
                }
            }
            return new MetricSnapshots(all);
        }
    }
}
