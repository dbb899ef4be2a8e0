package io.sysfleet.catalog;

import io.sysfleet.catalog.KeyResolution.Availability;
import io.sysfleet.core.ConfigException;
import io.sysfleet.sysctl.SysctlKey;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeyCatalogTest {
    private static final KeyCatalog CATALOG = KeyCatalog.load();

    private static final Platform CENTOS5 = Platform.detect(null, PlatformTest.CENTOS5_REDHAT, "2.6.18-398.el5");
    private static final Platform CENTOS6 = Platform.detect(null, PlatformTest.CENTOS6_REDHAT, "2.6.32-754.el6.x86_64");
    private static final Platform CENTOS7 = Platform.detect(PlatformTest.CENTOS7_OS_RELEASE,
            PlatformTest.CENTOS7_REDHAT, "3.10.0-1160.el7.x86_64");
    private static final Platform DEBIAN12 = Platform.detect(PlatformTest.DEBIAN12_OS_RELEASE, null, "6.1.0-28-amd64");

    @Test
    void bundledCatalogHasTheKeysThePlaybooksUse() {
        for (String k : List.of("net.ipv4.tcp_tw_recycle", "net.ipv4.tcp_timestamps", "net.ipv4.tcp_fin_timeout",
                "net.ipv4.tcp_syncookies", "net.ipv4.tcp_tw_reuse", "net.ipv4.tcp_max_syn_backlog",
                "net.ipv4.tcp_max_tw_buckets", "net.netfilter.nf_conntrack_max",
                "net.netfilter.nf_conntrack_tcp_timeout_established", "net.ipv4.ip_local_port_range",
                "net.core.somaxconn", "net.nf_conntrack_max")) {
            KernelKey key = CATALOG.find(k).orElseThrow(() -> new AssertionError(k + " missing"));
            assertEquals(k, key.key().dotted());
            assertFalse(key.notes().isBlank(), k + " has no notes");
        }
        KernelKey recycle = CATALOG.find("net.ipv4.tcp_tw_recycle").orElseThrow();
        assertEquals(ValueType.BOOL, recycle.type());
        assertEquals("4.12", recycle.removedIn());
        KernelKey reuse = CATALOG.find("net.ipv4.tcp_tw_reuse").orElseThrow();
        assertTrue(reuse.checkValue("2").isEmpty(), "tcp_tw_reuse takes 2 on modern kernels");
        assertTrue(reuse.checkValue("3").isPresent());
        KernelKey ports = CATALOG.find("net.ipv4.ip_local_port_range").orElseThrow();
        assertEquals(ValueType.INT_VECTOR, ports.type());
        assertEquals(2, ports.fields());
        KernelKey ct = CATALOG.find("net.netfilter.nf_conntrack_max").orElseThrow();
        assertEquals("nf_conntrack", ct.module());
        assertEquals(SysctlKey.of("net.ipv4.netfilter.ip_conntrack_max"), ct.platformNames().get("rhel5"));
        assertEquals("432000", CATALOG.find("net.netfilter.nf_conntrack_tcp_timeout_established")
                .orElseThrow().defaultValue());
    }

    @Test
    void everyBundledKeyAcceptsItsOwnDefault() {
        int withDefault = 0;
        for (KernelKey k : CATALOG.keys()) {
            if (k.defaultValue() != null) {
                withDefault++;
                assertEquals(Optional.empty(), k.checkValue(k.defaultValue()), k.name());
            }
        }
        assertTrue(withDefault >= 8, "most keys document their default, got " + withDefault);
    }

    @Test
    void bundledCatalogFileHasNoDuplicateNames() throws IOException {
        // Read the raw file too: parse() refusing duplicates is tested separately, this checks the data.
        String text;
        try (InputStream in = KeyCatalog.class.getResourceAsStream(KeyCatalog.RESOURCE)) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Set<SysctlKey> names = new HashSet<>();
        int count = 0;
        for (KernelKey k : CATALOG.keys()) {
            for (SysctlKey n : k.allNames()) {
                count++;
                assertTrue(names.add(n), "duplicate name " + n);
            }
        }
        // The generated catalog writes one key a line: "  - {name: ..., type: ...}".
        long nameLines = text.lines().filter(l -> l.matches("\\s*- \\{name: .*")).count();
        assertEquals(nameLines, CATALOG.keys().size(), "every '- {name:' line became one key");
        long named = CATALOG.keys().stream().filter(k -> !k.isPattern()).count();
        assertTrue(count > named, "platform names are indexed too (a per-interface pattern names no key)");
    }

    @Test
    void findAcceptsLegacyAndSlashedNames() {
        KernelKey ct = CATALOG.find("net.netfilter.nf_conntrack_max").orElseThrow();
        assertEquals(ct, CATALOG.find("net.ipv4.netfilter.ip_conntrack_max").orElseThrow());
        assertEquals(ct, CATALOG.find("net/netfilter/nf_conntrack_max").orElseThrow());
        assertEquals(ct, CATALOG.find("/proc/sys/net/ipv4/netfilter/ip_conntrack_max").orElseThrow());
        assertEquals(ct, CATALOG.find("  net.netfilter.nf_conntrack_max ").orElseThrow());
        assertTrue(CATALOG.find("net.ipv4.no_such_key").isEmpty());
        assertTrue(CATALOG.find((String) null).isEmpty());
        assertTrue(CATALOG.find("").isEmpty());
        assertTrue(CATALOG.find("net.ipv4.*").isEmpty(), "text that is no key names no catalog key");
        // the catalog uses the one key type: every spelling of a key finds the same entry
        assertEquals(ct, CATALOG.find(SysctlKey.of("/proc/sys/net/netfilter/nf_conntrack_max")).orElseThrow());
        assertEquals(SysctlKey.of("net.ipv4.tcp_fin_timeout"), SysctlKey.of("net/ipv4/tcp_fin_timeout"));
    }

    @Test
    void conntrackNamesPerPlatform() {
        String max = "net.netfilter.nf_conntrack_max";
        String est = "net.netfilter.nf_conntrack_tcp_timeout_established";
        assertEquals(new KeyResolution(SysctlKey.of(max), SysctlKey.of("net.ipv4.netfilter.ip_conntrack_max"), Availability.AVAILABLE,
                "name of net.netfilter.nf_conntrack_max on rhel5"), CATALOG.resolve(SysctlKey.of(max), CENTOS5));
        assertEquals("net.ipv4.netfilter.ip_conntrack_tcp_timeout_established", CATALOG.resolve(SysctlKey.of(est), CENTOS5).name().dotted());
        for (Platform p : List.of(CENTOS6, CENTOS7, DEBIAN12, Platform.unknown())) {
            KeyResolution r = CATALOG.resolve(SysctlKey.of(max), p);
            assertEquals(max, r.name().dotted(), p.toString());
            assertEquals(Availability.AVAILABLE, r.availability());
            assertEquals(est, CATALOG.resolve(SysctlKey.of(est), p).name().dotted());
        }
        // A legacy name in a playbook becomes the modern name where that is what the kernel has.
        KeyResolution legacy = CATALOG.resolve(SysctlKey.of("net.ipv4.netfilter.ip_conntrack_max"), DEBIAN12);
        assertEquals(max, legacy.name().dotted());
        assertEquals("net.ipv4.netfilter.ip_conntrack_max", legacy.requested().dotted());
        assertEquals("net.ipv4.netfilter.ip_conntrack_max",
                CATALOG.resolve(SysctlKey.of("net/ipv4/netfilter/ip_conntrack_max"), CENTOS5).name().dotted());
        // Non-conntrack keys keep their names on CentOS 5.
        assertEquals("net.ipv4.tcp_fin_timeout", CATALOG.resolve(SysctlKey.of("net.ipv4.tcp_fin_timeout"), CENTOS5).name().dotted());
    }

    @Test
    void conntrackModulePerPlatform() {
        KernelKey ct = CATALOG.find("net.netfilter.nf_conntrack_max").orElseThrow();
        assertEquals(Optional.of("ip_conntrack"), CATALOG.moduleFor(ct, CENTOS5));
        assertEquals(Optional.of("nf_conntrack"), CATALOG.moduleFor(ct, CENTOS7));
        assertEquals(Optional.of("nf_conntrack"), CATALOG.moduleFor(ct, Platform.unknown()));
        assertEquals(Optional.empty(), CATALOG.moduleFor(CATALOG.find("net.ipv4.tcp_fin_timeout").orElseThrow(), CENTOS5));
    }

    @Test
    void twRecycleExistsBefore412Only() {
        String k = "net.ipv4.tcp_tw_recycle";
        assertEquals(Availability.AVAILABLE, CATALOG.resolve(SysctlKey.of(k), CENTOS7).availability(), "3.10");
        assertEquals(Availability.AVAILABLE, CATALOG.resolve(SysctlKey.of(k), CENTOS5).availability(), "2.6.18");
        KeyResolution at412 = CATALOG.resolve(SysctlKey.of(k), new Platform(null, null, "4.12.0"));
        assertEquals(Availability.REMOVED, at412.availability());
        assertEquals("removed in Linux 4.12", at412.reason());
        assertEquals(k, at412.name().dotted());
        assertEquals(Availability.REMOVED, CATALOG.resolve(SysctlKey.of(k), DEBIAN12).availability(), "6.1");
        assertEquals(Availability.AVAILABLE, CATALOG.resolve(SysctlKey.of(k), new Platform(null, null, "4.11.12")).availability());
        assertEquals(Availability.AVAILABLE, CATALOG.resolve(SysctlKey.of(k), Platform.unknown()).availability(),
                "unknown kernel: assume the key exists");
        assertEquals(Availability.AVAILABLE, CATALOG.resolve(SysctlKey.of(k), null).availability());
    }

    @Test
    void unknownKeysAreReportedNormalisedAndStillUsable() {
        // (The first catalog did not know net.ipv4.tcp_rmem; the generated one does, so a made-up key it is.)
        KeyResolution r = CATALOG.resolve(SysctlKey.of("net/ipv4/tcp_no_such_key"), DEBIAN12);
        assertEquals(Availability.UNKNOWN_KEY, r.availability());
        assertEquals("net.ipv4.tcp_no_such_key", r.name().dotted());
        assertEquals(SysctlKey.of("net/ipv4/tcp_no_such_key"), r.requested(), "one key, whatever its spelling");
        assertFalse(r.reason().isBlank());
    }

    @Test
    void parseReadsAMinimalCatalog() {
        KeyCatalog c = KeyCatalog.parse("""
                keys:
                  - name: a.b
                    type: int_vector
                    fields: 3
                    min: 0
                    default: 1 2 3
                    notes: n
                  - name: a.c
                    type: bool
                    default: 0
                    removed_in: "4.10"
                    notes: n
                """, "t.yml");
        assertEquals(2, c.keys().size());
        KernelKey ab = c.keys().get(0);
        assertEquals(new KernelKey("a.b", ValueType.INT_VECTOR, 0L, null, 3, null, null, java.util.Map.of(),
                "1 2 3", "n"), ab);
        assertEquals(1L, c.keys().get(1).max());
        assertEquals("0", c.keys().get(1).defaultValue());
        assertEquals("4.10", c.keys().get(1).removedIn());
    }

    @Test
    void parseRefusesBadCatalogsWithLocations() {
        assertProblem("keys:\n  - name: x.a\n    type: int\n    notes: n\n  - name: x.b\n    type: int\n    notes: n\n"
                + "    platform_names: {rhel5: x.a}\n", "t.yml:5:5: duplicate key name 'x.a'");
        assertProblem("keys:\n  - name: x.a\n    type: float\n    notes: n\n", "t.yml:3:11: unknown type 'float'");
        assertProblem("keys:\n  - name: x.a\n    type: int\n    nots: n\n", "t.yml:4:5: unknown field 'nots'");
        assertProblem("keys:\n  - name: x.a\n    type: int\n    max: 5\n    default: 6\n    notes: n\n",
                "t.yml:5:14: x.a: default must be an integer of at most 5, got '6'");
        assertProblem("keys:\n  - name: x.a\n    type: bool\n    removed_in: 4.10\n    notes: n\n",
                "t.yml:4:17: 'removed_in' looks like a number");
        assertProblem("keys:\n  - name: x.a\n    type: int_vector\n    notes: n\n", "an int_vector needs fields");
        assertProblem("keys:\n  - name: x.a\n    type: int\n    min: 3\n    max: 1\n    notes: n\n", "min 3 is above max 1");
        assertProblem("keys:\n  - type: int\n    notes: n\n", "t.yml:2:5: missing 'name'");
        assertProblem("keys: 1\n", "'keys' must be a list");
        assertProblem("- a\n", "must be a mapping");
        assertProblem("keys: [\n", "invalid YAML");
        assertProblem("keys:\n  - name: net.ipv4.*\n    type: int\n    notes: n\n", "t.yml:2:11: sysctl key 'net.ipv4.*'");
        assertProblem("keys:\n  - name: a.b\n    type: int\n    notes: n\n    platform_names: {rhel5: 'x y'}\n",
                "t.yml:5:29: sysctl key 'x y'");
    }

    @Test
    void perInterfaceKeysAreFoundByAnyInterfaceAndKeepTheirName() {
        KernelKey rp = CATALOG.find("net.ipv4.conf.all.rp_filter").orElseThrow();
        assertEquals("net.ipv4.conf.*.rp_filter", rp.name());
        assertTrue(rp.isPattern());
        assertEquals(rp, CATALOG.find("net/ipv4/conf/eth0/rp_filter").orElseThrow());
        assertEquals(rp, CATALOG.find("net.ipv4.conf.default.rp_filter").orElseThrow());
        assertEquals(Optional.of(key("net.ipv4.conf.eth0.rp_filter")), CATALOG.canonicalName(key("net.ipv4.conf.eth0.rp_filter")));
        assertEquals(Optional.of(key("net.netfilter.nf_conntrack_max")),
                CATALOG.canonicalName(key("net.ipv4.netfilter.ip_conntrack_max")));
        assertEquals(Optional.empty(), CATALOG.canonicalName(key("net.ipv4.conf.all.no_such_key")));
        // Probing a per-interface key probes that interface's key, never the pattern.
        assertEquals(List.of(key("net.ipv4.conf.all.rp_filter")), CATALOG.allNames(key("net.ipv4.conf.all.rp_filter")));
        assertEquals(List.of(key("net.netfilter.nf_conntrack_max"), key("net.ipv4.netfilter.ip_conntrack_max")),
                CATALOG.allNames(key("net.netfilter.nf_conntrack_max")));
        assertEquals(List.of(key("net.ipv4.made_up")), CATALOG.allNames(key("net.ipv4.made_up")));
        KeyResolution r = CATALOG.resolve(key("net.ipv6.conf.lo.disable_ipv6"), CENTOS5);
        assertEquals(new KeyResolution(key("net.ipv6.conf.lo.disable_ipv6"), key("net.ipv6.conf.lo.disable_ipv6"),
                Availability.AVAILABLE, "known key"), r);
        // A VLAN interface (procps's '/' for '.') is an interface like any other.
        assertEquals(rp, CATALOG.find(key("net.ipv4.conf.eth0/100.rp_filter")).orElseThrow());
        // A name documented only for "default" (neighbour garbage collection) stays exact.
        assertEquals("net.ipv4.neigh.default.gc_thresh1", CATALOG.find("net.ipv4.neigh.default.gc_thresh1").orElseThrow().name());
    }

    @Test
    void theGeneratedCatalogCoversWhatPlaybooksSetWithScopeAndModule() {
        assertTrue(CATALOG.keys().size() > 600, "catalog has " + CATALOG.keys().size() + " keys");
        KernelKey forward = CATALOG.find("net.ipv4.ip_forward").orElseThrow();
        assertEquals(ValueType.BOOL, forward.type());
        assertEquals(Scope.NETNS, forward.scope());
        assertEquals("networking/ip-sysctl.rst", forward.source());
        KernelKey ctMax = CATALOG.find("net.netfilter.nf_conntrack_max").orElseThrow();
        assertEquals(Scope.GLOBAL, ctMax.scope(), "read-only outside the initial network namespace");
        assertEquals(Scope.NETNS, CATALOG.find("net.netfilter.nf_conntrack_tcp_timeout_established").orElseThrow().scope());
        assertEquals("br_netfilter", CATALOG.find("net.bridge.bridge-nf-call-iptables").orElseThrow().module());
        assertEquals("nf_defrag_ipv6", CATALOG.find("net.netfilter.nf_conntrack_frag6_timeout").orElseThrow().module());
        assertEquals(Scope.GLOBAL, CATALOG.find("vm.swappiness").orElseThrow().scope());
        assertEquals(Scope.IPCNS, CATALOG.find("kernel.shmmax").orElseThrow().scope());
        assertEquals(Scope.UTSNS, CATALOG.find("kernel.hostname").orElseThrow().scope());
        assertTrue(CATALOG.find("net.netfilter.nf_conntrack_count").orElseThrow().readOnly());
        assertFalse(CATALOG.find("kernel.nmi_watchdog").orElseThrow().readOnly(), "read-only only on a VM without NMI");
        assertEquals("seconds", CATALOG.find("net.netfilter.nf_conntrack_tcp_timeout_time_wait").orElseThrow().unit());
        KernelKey arpIgnore = CATALOG.find("net.ipv4.conf.all.arp_ignore").orElseThrow();
        assertEquals(ValueType.ENUM, arpIgnore.type());
        assertEquals(List.of("0", "1", "2", "3", "8"), arpIgnore.values());
        assertEquals(ValueType.RANGE_LIST, CATALOG.find("net.ipv4.ip_local_reserved_ports").orElseThrow().type());
        assertEquals(3, CATALOG.find("net.ipv4.tcp_rmem").orElseThrow().fields());
        assertEquals("5.13", CATALOG.find("kernel.sched_migration_cost_ns").orElseThrow().removedIn());
        assertEquals("6.0", CATALOG.find("net.netfilter.nf_conntrack_helper").orElseThrow().removedIn());
        assertTrue(CATALOG.about().get("kernel_docs").startsWith("Linux 6.1"), CATALOG.about().toString());
    }

    @Test
    void parseReadsTheNewFields() {
        KeyCatalog c = KeyCatalog.parse("""
                about: {kernel_docs: "Linux 6.1"}
                keys:
                  - {name: "net.ipv4.conf.*.arp_ignore", type: enum, values: [0, 1, 2, 3, 8], scope: netns,
                     source: networking/ip-sysctl.rst}
                  - {name: a.b, type: range_list, min: 0, max: 65535, unit: ports, added_in: "3.1", read_only: true}
                  - {name: a.c, type: int_vector, fields: 0}
                """, "t.yml");
        KernelKey e = c.find("net.ipv4.conf.lo.arp_ignore").orElseThrow();
        assertEquals(List.of("0", "1", "2", "3", "8"), e.values());
        assertEquals(Scope.NETNS, e.scope());
        assertEquals("networking/ip-sysctl.rst", e.source());
        KernelKey ab = c.find("a.b").orElseThrow();
        assertEquals("ports", ab.unit());
        assertEquals("3.1", ab.addedIn());
        assertTrue(ab.readOnly());
        assertEquals(0, c.find("a.c").orElseThrow().fields());
        assertEquals("Linux 6.1", c.about().get("kernel_docs"));
    }

    @Test
    void parseRefusesBadNewFields() {
        assertProblem("keys:\n  - {name: x.a, type: int, scope: container}\n", "t.yml:2:35: x.a: unknown scope 'container'");
        assertProblem("keys:\n  - {name: x.a, type: enum}\n", "x.a: an enum needs 'values'");
        assertProblem("keys:\n  - {name: x.a, type: int, values: [1]}\n", "x.a: only an enum has 'values'");
        assertProblem("keys:\n  - {name: x.a, type: int, read_only: maybe}\n", "'read_only' must be true or false");
        assertProblem("keys:\n  - {name: x.a, type: int, added_in: 4.10}\n", "'added_in' looks like a number");
        assertProblem("keys:\n  - {name: x.a, type: int, added_in: \"x\"}\n", "x.a: added_in must be a kernel version");
        assertProblem("keys:\n  - {name: \"x.*.b.*.c\", type: int}\n", "a key pattern has at most one '*'");
        assertProblem("keys:\n  - {name: x.a, type: int_vector, fields: 1}\n", "an int_vector needs fields of 2 or more");
        assertProblem("about: 1\nkeys: []\n", "about must be a mapping");
    }

    private static SysctlKey key(String spelling) {
        return SysctlKey.of(spelling);
    }

    private static void assertProblem(String yaml, String expected) {
        ConfigException e = assertThrows(ConfigException.class, () -> KeyCatalog.parse(yaml, "t.yml"));
        assertTrue(e.oneLine().contains(expected), "expected '" + expected + "' in: " + e.oneLine());
    }
}
