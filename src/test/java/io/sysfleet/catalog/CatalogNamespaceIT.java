package io.sysfleet.catalog;

import io.sysfleet.testing.TestFleet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.GenericContainer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The catalog's scopes against a real lab container (its own network, IPC and UTS namespaces on this machine's
 * kernel): every per-network-namespace key the host can write is writable in the container, every global net
 * key is absent or read-only there; a sample of each is written for real (per-namespace keys take the write and
 * leave the host's value alone, global ones are refused and keep their value). Global vm/kernel/fs keys are not
 * written: the lab remounts /proc/sys read-write, so the container would change the host; instead the test shows
 * the container reads the host's very value. Restores every value it changes.
 */
class CatalogNamespaceIT {
    private static final KeyCatalog CATALOG = KeyCatalog.load();
    private static final String VIEW = """
            for k in "$@"; do
              p=/proc/sys/$(printf %s "$k" | tr . /)
              if [ -f "$p" ]; then
                printf '%s\\t%s\\t%s\\n' "$k" "$(stat -c %a "$p")" "$(head -c 300 "$p" 2>/dev/null | tr '\\n\\t' '  ')"
              else
                printf '%s\\t-\\t\\n' "$k"
              fi
            done
            """;

    private static TestFleet fleet;
    private static GenericContainer<?> container;

    @BeforeAll
    static void start() {
        fleet = TestFleet.start("debian12");
        container = fleet.host(0).container();
    }

    @AfterAll
    static void stop() {
        if (fleet != null) {
            fleet.close();
        }
    }

    /** A key as one side sees it: its mode ("644"; null when absent) and value. */
    private record Seen(String mode, String value) {
        boolean present() {
            return mode != null;
        }

        boolean writable() {
            return mode != null && (Integer.parseInt(mode, 8) & 0200) != 0;
        }
    }

    private static Map<String, Seen> inContainer(List<String> keys) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("sh", "-c", VIEW, "view"));
        cmd.addAll(keys);
        ExecResult r = container.execInContainer(cmd.toArray(String[]::new));
        assertEquals(0, r.getExitCode(), r.getStderr());
        Map<String, Seen> out = new LinkedHashMap<>();
        for (String line : r.getStdout().split("\n")) {
            String[] f = line.split("\t", 3);
            if (f.length >= 2) {
                out.put(f[0], new Seen(f[1].equals("-") ? null : f[1], f.length > 2 ? f[2].strip() : ""));
            }
        }
        return out;
    }

    private static Seen onHost(String key) {
        Path p = Path.of("/proc/sys", key.replace('.', '/'));
        if (!Files.isRegularFile(p)) {
            return new Seen(null, "");
        }
        try (InputStream in = Files.newInputStream(p)) {
            boolean w = Files.getPosixFilePermissions(p).contains(PosixFilePermission.OWNER_WRITE);
            String v = new String(in.readNBytes(300), StandardCharsets.UTF_8).strip().replaceAll("\\s+", " ");
            return new Seen(w ? "644" : "444", v);
        } catch (IOException e) {
            return new Seen("200", ""); // write-only
        }
    }

    /** The catalog's net keys as names /proc/sys has (patterns for all, default and lo). */
    private static List<String> netKeys() {
        List<String> out = new ArrayList<>();
        for (KernelKey k : CATALOG.keys()) {
            if (!k.name().startsWith("net.") || k.readOnly()) {
                continue;
            }
            if (k.isPattern()) {
                for (String iface : List.of("all", "default", "lo")) {
                    out.add(k.name().replace("*", iface));
                }
            } else {
                out.add(k.name());
            }
        }
        return out;
    }

    @Test
    void perNamespaceKeysAreWritableInTheContainerAndGlobalOnesAreNot() throws Exception {
        List<String> keys = netKeys();
        Map<String, Seen> ct = inContainer(keys);
        List<String> wrong = new ArrayList<>();
        int netns = 0;
        int global = 0;
        for (String k : keys) {
            Seen host = onHost(k);
            if (!host.writable()) {
                continue; // this kernel lacks the key (module, config) or never lets anyone write it
            }
            Scope scope = CATALOG.find(k).orElseThrow().scope();
            Seen c = ct.get(k);
            if (scope == Scope.NETNS) {
                netns++;
                if (c == null || !c.writable()) {
                    wrong.add(k + " is per network namespace in the catalog but " + (c == null || !c.present()
                            ? "absent" : "mode " + c.mode()) + " in the container");
                }
            } else if (scope == Scope.GLOBAL) {
                global++;
                if (c != null && c.writable()) {
                    wrong.add(k + " is global in the catalog but writable in the container");
                }
            }
        }
        System.out.println("lab container: " + netns + " per-namespace net keys writable there, " + global
                + " global net keys absent or read-only there; mismatches: " + wrong.size());
        assertEquals(List.of(), wrong);
        assertTrue(netns > 300 && global > 20, netns + " / " + global);
    }

    @Test
    void aSampleOfPerNamespaceKeysTakesRealWritesThatLeaveTheHostAlone() throws Exception {
        Map<String, String> change = new LinkedHashMap<>();
        change.put("net.ipv4.tcp_fin_timeout", "31");
        change.put("net.core.somaxconn", "1025");
        change.put("net.ipv4.ip_local_port_range", "20000 50001");
        change.put("net.ipv4.conf.all.rp_filter", "2");
        change.put("net.ipv4.tcp_syncookies", "2");
        change.put("net.ipv4.icmp_ratelimit", "980"); // milliseconds kept as jiffies: a multiple of 10 and 4 ms
        change.put("net.ipv6.conf.default.hop_limit", "63");
        change.put("net.netfilter.nf_conntrack_tcp_timeout_established", "1201");
        for (Map.Entry<String, String> e : change.entrySet()) {
            String key = e.getKey();
            KernelKey k = CATALOG.find(key).orElseThrow();
            assertEquals(Scope.NETNS, k.scope(), key);
            assertEquals(Optional.empty(), k.checkValue(e.getValue()), key);
            String before = inContainer(List.of(key)).get(key).value();
            String hostBefore = onHost(key).value();
            assertNotEquals(before, e.getValue(), key + ": pick a value that differs");
            try {
                ExecResult w = container.execInContainer("sysctl", "-w", key + "=" + e.getValue());
                assertEquals("", w.getStderr(), key);
                assertEquals(e.getValue(), inContainer(List.of(key)).get(key).value(), key + " took the write");
                assertEquals(hostBefore, onHost(key).value(), key + ": the host's own value stays");
            } finally {
                container.execInContainer("sysctl", "-w", key + "=" + before);
            }
            assertEquals(before, inContainer(List.of(key)).get(key).value(), key + " restored");
        }
    }

    @Test
    void aSampleOfGlobalNetKeysIsRefusedInTheContainer() throws Exception {
        for (String key : List.of("net.netfilter.nf_conntrack_max", "net.netfilter.nf_conntrack_buckets",
                "net.nf_conntrack_max", "net.core.netdev_max_backlog", "net.ipv4.tcp_mem", "net.core.rmem_max")) {
            KernelKey k = CATALOG.find(key).orElseThrow();
            assertEquals(Scope.GLOBAL, k.scope(), key);
            Seen host = onHost(key);
            assertTrue(host.writable(), key + " is writable from this machine's initial namespace");
            Seen before = inContainer(List.of(key)).get(key);
            String attempt = before.present() ? before.value() : host.value();
            ExecResult w = container.execInContainer("sysctl", "-w", key + "=" + attempt);
            assertTrue(w.getExitCode() != 0 || !w.getStderr().isBlank(), key + " was accepted: " + w);
            Seen after = inContainer(List.of(key)).get(key);
            assertEquals(before, after, key + " is unchanged");
            assertEquals(host, onHost(key), key + ": the host's value is unchanged");
        }
    }

    @Test
    void globalKernelKeysAreTheHostsOwnValueAndNamespacedOnesAreNot() throws Exception {
        List<String> global = List.of("vm.swappiness", "vm.max_map_count", "kernel.panic", "fs.file-max",
                "kernel.threads-max", "fs.inotify.max_user_watches");
        Map<String, Seen> ct = inContainer(global);
        for (String key : global) {
            assertEquals(Scope.GLOBAL, CATALOG.find(key).orElseThrow().scope(), key);
            assertEquals(onHost(key).value(), ct.get(key).value(), key + ": one value for the whole kernel");
        }
        // kernel.pid_max is per PID namespace since Linux 6.14 (the catalog's snapshot kernel is newer): a write in
        // the container leaves the host's value alone. Only on such a kernel: before, it would change the host's.
        assertEquals(Scope.PIDNS, CATALOG.find("kernel.pid_max").orElseThrow().scope());
        assertTrue(new Platform(null, null, onHost("kernel.osrelease").value()).kernelAtLeast("6.14"),
                "this test machine's kernel must be 6.14 or later for kernel.pid_max to be per PID namespace");
        writeInContainerOnly("kernel.pid_max", v -> String.valueOf(Long.parseLong(v) - 1));
        assertEquals(Scope.UTSNS, CATALOG.find("kernel.hostname").orElseThrow().scope());
        assertNotEquals(onHost("kernel.hostname").value(), inContainer(List.of("kernel.hostname")).get("kernel.hostname")
                .value(), "the container has its own UTS namespace");
        // System V IPC limits are per IPC namespace: write one in the container, the host keeps its own.
        String key = "kernel.msgmax";
        assertEquals(Scope.IPCNS, CATALOG.find(key).orElseThrow().scope());
        ExecResult ns = container.execInContainer("readlink", "/proc/1/ns/ipc");
        assertNotEquals(Files.readSymbolicLink(Path.of("/proc/self/ns/ipc")).toString(), ns.getStdout().strip(),
                "the container must have its own IPC namespace before the test writes in it");
        writeInContainerOnly(key, v -> String.valueOf(Long.parseLong(v) + 1));
    }

    /** Writes a new value of a namespaced key in the container, checks the host kept its own, restores. */
    private static void writeInContainerOnly(String key, java.util.function.UnaryOperator<String> next) throws Exception {
        String before = inContainer(List.of(key)).get(key).value();
        String hostBefore = onHost(key).value();
        String value = next.apply(before);
        try {
            ExecResult w = container.execInContainer("sysctl", "-w", key + "=" + value);
            assertEquals(0, w.getExitCode(), key + ": " + w.getStderr());
            assertEquals(value, inContainer(List.of(key)).get(key).value(), key);
            assertEquals(hostBefore, onHost(key).value(), key + ": the host's own namespace keeps its value");
        } finally {
            container.execInContainer("sysctl", "-w", key + "=" + before);
        }
        assertEquals(before, inContainer(List.of(key)).get(key).value(), key + " restored");
    }
}
