package io.sysfleet.diagnose;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes collector output (the format of {@link Collector}'s script) for parser and rule tests. */
final class SampleText {
    private String osRelease = "ID=debian\nVERSION_ID=\"12\"\n";
    private String kernel = "6.1.0-18-amd64";
    private long now = 1_767_348_000L; // 2026-01-02T10:00:00Z
    private final Map<String, String> keys = new LinkedHashMap<>();
    private String tcp4 = "";
    private final List<String> logs = new ArrayList<>();
    private String ss = "";
    private String netstat = "";
    private String sockstat = "";

    SampleText() {
        keys.put("net.ipv4.tcp_tw_recycle", null);
        keys.put("net.ipv4.tcp_timestamps", "1");
        keys.put("net.ipv4.tcp_fin_timeout", "60");
        keys.put("net.ipv4.tcp_syncookies", "1");
        keys.put("net.ipv4.tcp_tw_reuse", "2");
        keys.put("net.ipv4.tcp_max_syn_backlog", "2048");
        keys.put("net.ipv4.tcp_max_tw_buckets", "131072");
        keys.put("net.netfilter.nf_conntrack_max", "262144");
        keys.put("net.netfilter.nf_conntrack_count", "12");
        keys.put("net.netfilter.nf_conntrack_tcp_timeout_established", "432000");
    }

    SampleText centos5() {
        osRelease = null;
        kernel = "2.6.18-398.el5";
        return this;
    }

    SampleText key(String k, String v) {
        keys.put(k, v);
        return this;
    }

    SampleText tcp4(String procNetTcp) {
        tcp4 = procNetTcp;
        return this;
    }

    SampleText sockstat(String text) {
        sockstat = text;
        return this;
    }

    SampleText netstat(String text) {
        netstat = text;
        return this;
    }

    SampleText ss(String text) {
        ss = text;
        return this;
    }

    /** A log source with its pattern counts and latest lines ({@code id line}). */
    SampleText log(String source, long conntrackFull, long twOverflow, String... lines) {
        StringBuilder b = new StringBuilder("@ log " + source + " ok whole\n");
        b.append("count conntrack_full ").append(conntrackFull).append('\n');
        b.append("count tw_overflow ").append(twOverflow).append('\n');
        for (String l : lines) {
            b.append("| ").append(l).append('\n');
        }
        logs.add(b.toString());
        return this;
    }

    String text() {
        StringBuilder b = new StringBuilder("sysfleet-diagnose 1\n@ host ok\n");
        b.append("now ").append(now).append(" +0000\nuptime 86400.5\n");
        b.append("kernel ").append(hex(kernel)).append('\n');
        if (osRelease != null) {
            b.append("release os-release ").append(hex(osRelease)).append('\n');
        } else {
            b.append("release redhat-release ").append(hex("CentOS release 5.11 (Final)\n")).append('\n');
        }
        b.append("@ keys ok\n");
        keys.forEach((k, v) -> b.append("key ").append(hex(k)).append(v == null ? " absent" : " present " + hex(v))
                .append('\n'));
        b.append("@ tcp4 ok raw\n");
        long lines = 0;
        for (String l : tcp4.split("\n")) {
            if (!l.isBlank() && !l.strip().startsWith("sl")) {
                b.append("| ").append(l).append('\n');
                lines++;
            }
        }
        b.append("total ").append(lines).append('\n');
        b.append("@ tcp6 absent\n");
        b.append("@ sockstat ok\n");
        sockstat.lines().filter(l -> l.startsWith("TCP")).forEach(l -> b.append("| ").append(l).append('\n'));
        b.append("@ netstat ok\n");
        netstat.lines().filter(l -> l.startsWith("TcpExt")).forEach(l -> b.append("| ").append(l).append('\n'));
        b.append("@ conntrack-table skipped\n");
        b.append("@ log journalctl absent\n@ log dmesg denied\n");
        logs.forEach(b::append);
        b.append("@ ss ok 0\n");
        ss.lines().forEach(l -> b.append("| ").append(l).append('\n'));
        b.append("@ end\n");
        return b.toString();
    }

    HostSample sample() {
        return SampleParser.parse(text().getBytes(StandardCharsets.UTF_8));
    }

    static String hex(String s) {
        return "x" + HexFormat.of().formatHex(s.getBytes(StandardCharsets.UTF_8));
    }

    /** n socket lines of /proc/net/tcp in a state (hex), local port {@code port}. */
    static String sockets(int n, String state, int port) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append(String.format("%4d: 0100007F:%04X 0100007F:%04X %s 00000000:00000000 00:00000000 00000000  1000 0 %d 1%n",
                    i, port, 40000 + i, state, 1000 + i));
        }
        return b.toString();
    }
}
