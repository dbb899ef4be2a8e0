package io.sysfleet.catalog.gen;

import io.sysfleet.catalog.KernelKey;
import io.sysfleet.catalog.KeyCatalog;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The committed range probe and what the catalog makes of it, bound by bound. */
class RangeProbeTest {
    private static final KeyCatalog CATALOG = KeyCatalog.load();

    @Test
    void eachBoundIsEnforcedOnlyWhereTheKernelRefusedAValueBeyondIt() throws IOException {
        Map<String, List<RangeProbe.Try>> probe = RangeProbe.parse(Files.readString(RangeProbe.FILE));
        assertTrue(probe.size() > 50, "probed keys: " + probe.size());
        for (Map.Entry<String, List<RangeProbe.Try>> e : probe.entrySet()) {
            KernelKey k = CATALOG.find(e.getKey()).orElseThrow(() -> new AssertionError(e.getKey()));
            boolean below = RangeProbe.refused(e.getValue(), k.min() == null ? null : k.min() - 1);
            boolean above = RangeProbe.refused(e.getValue(), k.max() == null ? null : k.max() + 1);
            assertEquals(below, k.minEnforced(), e.getKey() + " minimum");
            assertEquals(above, k.maxEnforced(), e.getKey() + " maximum");
        }
        // A key the probe could not try (global) has documented bounds only.
        KernelKey oops = CATALOG.find("kernel.panic_on_oops").orElseThrow();
        assertFalse(probe.containsKey(oops.name()));
        assertFalse(oops.minEnforced() || oops.maxEnforced());
        assertFalse(oops.problem("60").orElseThrow().error(), "the kernel takes 60");
        KernelKey reuse = CATALOG.find("net.ipv4.tcp_tw_reuse").orElseThrow();
        assertTrue(reuse.minEnforced() && reuse.maxEnforced());
        assertTrue(reuse.problem("3").orElseThrow().error());
        KernelKey cookies = CATALOG.find("net.ipv4.tcp_syncookies").orElseThrow();
        assertTrue(cookies.minEnforced() && !cookies.maxEnforced(), "refuses -1 (a u8), takes 3");
    }

    @Test
    void malformedProbeLinesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> RangeProbe.parse("net.x\t2\tmaybe\n"));
        assertThrows(IllegalArgumentException.class, () -> RangeProbe.parse("net.x\t2\n"));
        assertEquals(Map.of(), RangeProbe.parse("# only a header\n\n"));
        assertThrows(io.sysfleet.core.ConfigException.class, () -> KeyCatalog.parse(
                "keys:\n  - {name: a.b, type: int, min: 0, max: 1, range: sometimes}\n", "t.yml"));
    }
}
