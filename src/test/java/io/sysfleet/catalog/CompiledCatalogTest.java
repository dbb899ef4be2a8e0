package io.sysfleet.catalog;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The binary form of the bundled catalog: the same catalog as the YAML, and never used when it does not match. */
class CompiledCatalogTest {

    private static byte[] bundledYaml() throws IOException {
        try (InputStream in = KeyCatalog.class.getResourceAsStream(KeyCatalog.RESOURCE)) {
            return in.readAllBytes();
        }
    }

    private static void assertSameCatalog(KeyCatalog expected, KeyCatalog actual) {
        assertEquals(expected.keys().size(), actual.keys().size());
        for (int i = 0; i < expected.keys().size(); i++) {
            // records: every field of every key, platform names (SysctlKey values) included
            assertEquals(expected.keys().get(i), actual.keys().get(i));
        }
        assertEquals(expected.about(), actual.about());
        assertEquals(expected.moduleNames(), actual.moduleNames());
    }

    @Test
    void theBinaryGivesTheCatalogTheYamlGives() throws IOException {
        byte[] yaml = bundledYaml();
        KeyCatalog parsed = KeyCatalog.parse(new String(yaml, StandardCharsets.UTF_8), KeyCatalog.RESOURCE);
        KeyCatalog decoded = CompiledCatalog.decode(CompiledCatalog.encode(parsed, yaml), yaml).orElseThrow();
        assertSameCatalog(parsed, decoded);
        // lookups through the rebuilt indexes, by modern, platform and per-interface name
        KernelKey conntrack = decoded.find("net.ipv4.netfilter.ip_conntrack_max").orElseThrow();
        assertEquals("net.netfilter.nf_conntrack_max", conntrack.name());
        assertEquals("net.ipv4.conf.*.rp_filter", decoded.find("net.ipv4.conf.eth0.rp_filter").orElseThrow().name());
    }

    @Test
    void everyFieldSurvivesIncludingTheRareOnes() throws IOException {
        byte[] yaml = """
                about: {generator: test}
                module_names:
                  nf_conntrack: {rhel5: ip_conntrack}
                keys:
                  - {name: net.netfilter.nf_conntrack_max, type: int, min: 0, max: 4294967295, module: nf_conntrack,
                     platform_names: {rhel5: net.ipv4.netfilter.ip_conntrack_max}, default: "65536", unit: entries,
                     added_in: "2.6.15", scope: netns, source: overrides, notes: "ünïcode notes", range: min}
                  - {name: net.ipv4.tcp_tw_recycle, type: bool, removed_in: "4.12"}
                  - {name: net.ipv4.tcp_congestion_control, type: enum, values: [cubic, reno]}
                  - {name: net.ipv4.ip_local_port_range, type: int_vector, fields: 2, min: 1, max: 65535, range: enforced}
                  - {name: net.netfilter.nf_conntrack_count, type: int, read_only: true}
                  - {name: kernel.core_pattern, type: string}
                """.getBytes(StandardCharsets.UTF_8);
        KeyCatalog parsed = KeyCatalog.parse(new String(yaml, StandardCharsets.UTF_8), "test.yml");
        KeyCatalog decoded = CompiledCatalog.decode(CompiledCatalog.encode(parsed, yaml), yaml).orElseThrow();
        assertSameCatalog(parsed, decoded);
        KernelKey max = decoded.keys().get(0);
        assertEquals(Map.of("rhel5", io.sysfleet.sysctl.SysctlKey.of("net.ipv4.netfilter.ip_conntrack_max")),
                max.platformNames());
        assertTrue(max.minEnforced() && !max.maxEnforced());
        assertEquals(List.of("cubic", "reno"), decoded.keys().get(2).values());
        assertEquals(Scope.NETNS, max.scope());
    }

    @Test
    void aBinaryThatDoesNotMatchItsYamlIsNeverUsed() throws IOException {
        byte[] yaml = bundledYaml();
        KeyCatalog parsed = KeyCatalog.parse(new String(yaml, StandardCharsets.UTF_8), KeyCatalog.RESOURCE);
        byte[] bin = CompiledCatalog.encode(parsed, yaml);

        byte[] edited = Arrays.copyOf(yaml, yaml.length);
        edited[edited.length - 2] ^= 1; // same length, other content
        assertEquals(Optional.empty(), CompiledCatalog.decode(bin, edited), "stale: written from other YAML");
        assertEquals(Optional.empty(), CompiledCatalog.decode(bin, Arrays.copyOf(yaml, yaml.length + 1)));
        assertEquals(Optional.empty(), CompiledCatalog.decode(Arrays.copyOf(bin, bin.length / 2), yaml),
                "truncated");
        assertEquals(Optional.empty(), CompiledCatalog.decode(Arrays.copyOf(bin, bin.length + 1), yaml),
                "trailing bytes");
        byte[] foreign = Arrays.copyOf(bin, bin.length);
        foreign[0] ^= 1;
        assertEquals(Optional.empty(), CompiledCatalog.decode(foreign, yaml), "not this format");
        assertEquals(Optional.empty(), CompiledCatalog.decode(new byte[0], yaml));
    }

    @Test
    void theBuildBundlesAMatchingBinaryAndLoadUsesIt() throws IOException {
        // the process-classes step (pom.xml) wrote keys.bin from this keys.yml: start-up reads no YAML
        assertTrue(KeyCatalog.bundledIsCompiled(), "target/classes lacks a keys.bin matching keys.yml");
        byte[] yaml = bundledYaml();
        assertSameCatalog(KeyCatalog.parse(new String(yaml, StandardCharsets.UTF_8), KeyCatalog.RESOURCE),
                KeyCatalog.load());
    }
}
