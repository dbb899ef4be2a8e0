package io.sysfleet.catalog;

import io.sysfleet.sysctl.SysctlKey;
import io.sysfleet.sysctl.SysctlValue;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KernelKeyTest {
    private static final KernelKey BOOL = new KernelKey(SysctlKey.of("net.ipv4.tcp_tw_recycle"), ValueType.BOOL, 0L, 1L, 1,
            "4.12", null, Map.of(), "0", "n");
    private static final KernelKey INT = new KernelKey(SysctlKey.of("net.ipv4.tcp_tw_reuse"), ValueType.INT, 0L, 2L, 1,
            null, null, null, "2", null);
    private static final KernelKey VECTOR = new KernelKey(SysctlKey.of("net.ipv4.ip_local_port_range"), ValueType.INT_VECTOR,
            1L, 65535L, 2, null, null, Map.of(), "32768 60999", "n");
    private static final KernelKey UNBOUNDED = new KernelKey(SysctlKey.of("x.y"), ValueType.INT, null, null, 1,
            null, null, Map.of(), null, "n");

    @Test
    void boolAcceptsZeroAndOneOnly() {
        assertEquals(Optional.empty(), BOOL.checkValue("0"));
        assertEquals(Optional.empty(), BOOL.checkValue(" 1 "));
        assertEquals(Optional.of("must be an integer from 0 to 1, got '2'"), BOOL.checkValue("2"));
        assertEquals(Optional.of("must be an integer from 0 to 1, got 'yes'"), BOOL.checkValue("yes"));
        assertEquals(Optional.of("must be an integer from 0 to 1, got '-1'"), BOOL.checkValue("-1"));
    }

    @Test
    void intRangeIsInclusive() {
        assertTrue(INT.checkValue("0").isEmpty());
        assertTrue(INT.checkValue("2").isEmpty());
        assertEquals("must be an integer from 0 to 2, got '3'", INT.checkValue("3").orElseThrow());
        assertTrue(INT.checkValue("1.5").isPresent());
        assertTrue(INT.checkValue("1 1").isPresent(), "two numbers for a single int");
        assertTrue(UNBOUNDED.checkValue("-5").isEmpty());
        assertEquals("must be an integer, got 'abc'", UNBOUNDED.checkValue("abc").orElseThrow());
    }

    @Test
    void vectorsCountFieldsAndCompareWhitespaceNormalised() {
        assertTrue(VECTOR.checkValue("32768 60999").isEmpty());
        assertTrue(VECTOR.checkValue("  32768\t \t60999 ").isEmpty());
        assertEquals("must be 2 integers separated by whitespace, each from 1 to 65535, got '1024'",
                VECTOR.checkValue("1024").orElseThrow());
        assertTrue(VECTOR.checkValue("1024 70000").isPresent());
        assertTrue(VECTOR.checkValue("0 1024").isPresent());
        assertTrue(VECTOR.checkValue("1 2 3").isPresent());
        assertEquals("32768 60999", SysctlValue.normalise(" 32768 \t60999\n"));
    }

    @Test
    void badInputNeverThrows() {
        List<String> bad = java.util.Arrays.asList(null, "", " ", "\n", "99999999999999999999999999",
                "-99999999999999999999999", "0x10", "1e3", "١", "1\n2", "\u0000", "{{ x }}", "1,2");
        for (KernelKey k : List.of(BOOL, INT, VECTOR, UNBOUNDED)) {
            for (String v : bad) {
                Optional<String> r = k.checkValue(v);
                assertTrue(r.isPresent(), k.name() + " accepted " + v);
                assertFalse(r.get().contains("\n"), "one line: " + r.get());
            }
        }
        assertEquals("must be an integer from 0 to 1, got nothing", BOOL.checkValue(null).orElseThrow());
        assertEquals("must be an integer from 0 to 1, got '1\\n2'", BOOL.checkValue("1\n2").orElseThrow());
    }

    @Test
    void stringKeysTakeOneNonEmptyLine() {
        KernelKey s = new KernelKey(SysctlKey.of("kernel.core_pattern"), ValueType.STRING, null, null, 1, null, null, null, null, "");
        assertTrue(s.checkValue("core.%p").isEmpty());
        assertTrue(s.checkValue("").isPresent());
        assertTrue(s.checkValue("a\nb").isPresent());
        assertTrue(s.checkValue(null).isPresent());
    }

    @Test
    void allNamesListsModernThenPlatformNames() {
        KernelKey k = new KernelKey(SysctlKey.of("net.netfilter.nf_conntrack_max"), ValueType.INT, 0L, null, 1, null,
                "nf_conntrack", Map.of("rhel5", SysctlKey.of("net.ipv4.netfilter.ip_conntrack_max")), null, "");
        assertEquals(List.of(SysctlKey.of("net.netfilter.nf_conntrack_max"), SysctlKey.of("net.ipv4.netfilter.ip_conntrack_max")), k.allNames());
        assertEquals(List.of(SysctlKey.of("net.ipv4.tcp_tw_reuse")), INT.allNames());
    }

    @Test
    void inconsistentDefinitionsAreRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> new KernelKey(SysctlKey.of("x.a"), ValueType.INT, 5L, 1L, 1, null, null, null, null, ""));
        assertThrows(IllegalArgumentException.class,
                () -> new KernelKey(SysctlKey.of("x.a"), ValueType.INT, 0L, 1L, 2, null, null, null, null, ""));
        assertThrows(NullPointerException.class,
                () -> new KernelKey(null, ValueType.INT, 0L, 1L, 1, null, null, null, null, ""));
    }
}
