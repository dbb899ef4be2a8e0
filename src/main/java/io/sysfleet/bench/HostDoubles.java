package io.sysfleet.bench;

import io.sysfleet.apply.Applier;
import io.sysfleet.engine.Connections;
import io.sysfleet.inventory.Host;
import io.sysfleet.sysctl.SysctlKey;
import io.sysfleet.transport.Become;
import io.sysfleet.transport.Transport;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * BENCHMARK DOUBLE: the {@link Connections} of {@code scripts/bench-controller}, a fleet of {@link HostDouble}s.
 * Each host starts in the lab benchmark's starting state (a 2.6 KB /etc/sysctl.conf with three drifted lines; the
 * six benchmark keys off) and keeps its state across runs, so run, rerun, check and rollback follow each other as
 * on real hosts. File contents and values that many hosts share are stored once, so the double's own memory stays
 * small next to the controller's.
 */
final class HostDoubles implements Connections {
    static final String KERNEL = "6.1.0-28-amd64";
    static final HostDouble.File OS_RELEASE = file("""
            PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
            NAME="Debian GNU/Linux"
            VERSION_ID="12"
            VERSION="12 (bookworm)"
            VERSION_CODENAME=bookworm
            ID=debian
            """.getBytes(StandardCharsets.UTF_8));

    /** The starting /etc/sysctl.conf: a commented file of the size of a distribution's, three drifted lines. */
    static final byte[] START_FILE = startFile();

    private final Map<String, HostDouble> hosts = new ConcurrentHashMap<>();
    private final Map<String, byte[]> contents = new ConcurrentHashMap<>();
    private final Map<String, String> hexes = new ConcurrentHashMap<>();
    private final Map<String, String> values = new ConcurrentHashMap<>();
    private final Map<String, String> liveTemplate;
    private final HostDouble.File startFile;
    private final Duration roundTrip;
    private final AtomicLong doubleCpu = new AtomicLong();
    private final AtomicLong execs = new AtomicLong();
    private final AtomicLong opens = new AtomicLong();

    /** @param roundTrip a pause before each answer (0: none), to stand for the network */
    HostDoubles(Duration roundTrip) {
        this.roundTrip = roundTrip;
        Map<String, String> t = new LinkedHashMap<>();
        Convergence.DRIFTED_LIVE.forEach((k, v) -> t.put(k.path(), v));
        t.put(SysctlKey.of("net.ipv4.tcp_timestamps").path(), "1");
        t.put(SysctlKey.of("net.ipv4.ip_local_port_range").path(), "32768 60999");
        t.put(SysctlKey.of("net.core.somaxconn").path(), "4096");
        this.liveTemplate = Map.copyOf(t);
        this.startFile = file(START_FILE, Applier.sha256(START_FILE), "644", "root", "root");
    }

    @Override
    public Transport open(Host host, Become become) {
        opens.incrementAndGet();
        return hosts.computeIfAbsent(host.name(), n -> new HostDouble(n, this, HostDouble.newFiles(startFile),
                new java.util.HashMap<>(liveTemplate), roundTrip, execs));
    }

    /** The double of {@code name}, or null when it was never opened (tests). */
    HostDouble host(String name) {
        return hosts.get(name);
    }

    /** CPU time the doubles spent answering, in nanoseconds (to subtract from the process's). */
    long doubleCpuNanos() {
        return doubleCpu.get();
    }

    /** Commands answered. */
    long execs() {
        return execs.get();
    }

    /** Connections opened. */
    long opens() {
        return opens.get();
    }

    void addDoubleCpu(long nanos) {
        doubleCpu.addAndGet(Math.max(0, nanos));
    }

    /** A file whose bytes are shared with every other file of the same content. */
    HostDouble.File file(byte[] content, String sha256, String mode, String owner, String group) {
        byte[] shared = contents.computeIfAbsent(sha256, s -> content);
        return new HostDouble.File(shared, sha256, value(mode), value(owner), value(group));
    }

    private static HostDouble.File file(byte[] content) {
        return new HostDouble.File(content, Applier.sha256(content), "644", "root", "root");
    }

    /** The hex of a file's content, computed once per content. */
    String hex(HostDouble.File f) {
        return hexes.computeIfAbsent(f.sha256(), s -> HexFormat.of().formatHex(f.content()));
    }

    /** One copy of each value string. */
    String value(String v) {
        return values.computeIfAbsent(v, x -> x);
    }

    private static byte[] startFile() {
        StringBuilder sb = new StringBuilder();
        sb.append("#\n# /etc/sysctl.conf - kernel parameters set at boot (see sysctl.conf(5) and sysctl(8)).\n#\n");
        String[] topics = {"networking: IPv4 forwarding and source routing", "networking: IPv6 privacy extensions",
            "TCP: SYN flood protection", "TCP: connection reuse and timeouts", "memory: swappiness and overcommit",
            "kernel: messages on the console", "file systems: protected links", "IPv4: ICMP redirects",
            "IPv4: reverse path filtering", "kernel: magic SysRq key"};
        int i = 0;
        while (sb.length() < 2400) {
            String t = topics[i % topics.length];
            sb.append("\n# ").append(t).append("\n#   Uncomment the next line to change this setting from its default;\n")
                    .append("#   the value takes effect at boot, or now with 'sysctl -p'.\n")
                    .append("#net.example.setting_").append(i).append(" = 1\n");
            i++;
        }
        sb.append("# drifted by the sysfleet benchmark\n");
        sb.append("net.ipv4.tcp_fin_timeout = 60\nnet.ipv4.tcp_syncookies = 0\nnet.ipv4.tcp_max_syn_backlog = 1024\n");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }
}
