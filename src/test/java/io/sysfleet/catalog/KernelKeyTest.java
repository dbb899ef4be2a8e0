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
    private static final KernelKey BOOL = new KernelKey("net.ipv4.tcp_tw_recycle", ValueType.BOOL, 0L, 1L, 1,
            "4.12", null, Map.of(), "0", "n");
    private static final KernelKey INT = new KernelKey("net.ipv4.tcp_tw_reuse", ValueType.INT, 0L, 2L, 1,
            null, null, null, "2", null);
    private static final KernelKey VECTOR = new KernelKey("net.ipv4.ip_local_port_range", ValueType.INT_VECTOR,
            1L, 65535L, 2, null, null, Map.of(), "32768 60999", "n");
    private static final KernelKey UNBOUNDED = new KernelKey("x.y", ValueType.INT, null, null, 1,
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
        KernelKey s = new KernelKey("kernel.core_pattern", ValueType.STRING, null, null, 1, null, null, null, null, "");
        assertTrue(s.checkValue("core.%p").isEmpty());
        assertTrue(s.checkValue("").isPresent());
        assertTrue(s.checkValue("a\nb").isPresent());
        assertTrue(s.checkValue(null).isPresent());
    }

    @Test
    void allNamesListsModernThenPlatformNames() {
        KernelKey k = new KernelKey("net.netfilter.nf_conntrack_max", ValueType.INT, 0L, null, 1, null,
                "nf_conntrack", Map.of("rhel5", SysctlKey.of("net.ipv4.netfilter.ip_conntrack_max")), null, "");
        assertEquals(List.of(SysctlKey.of("net.netfilter.nf_conntrack_max"), SysctlKey.of("net.ipv4.netfilter.ip_conntrack_max")), k.allNames());
        assertEquals(List.of(SysctlKey.of("net.ipv4.tcp_tw_reuse")), INT.allNames());
    }

    @Test
    void inconsistentDefinitionsAreRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> new KernelKey("x.a", ValueType.INT, 5L, 1L, 1, null, null, null, null, ""));
        assertThrows(IllegalArgumentException.class,
                () -> new KernelKey("x.a", ValueType.INT, 0L, 1L, 2, null, null, null, null, ""));
        assertThrows(NullPointerException.class,
                () -> new KernelKey(null, ValueType.INT, 0L, 1L, 1, null, null, null, null, ""));
    }

    private static KernelKey key(String name, ValueType type, Long min, Long max, int fields, List<String> values) {
        return new KernelKey(name, type, min, max, fields, null, null, null, null, null, values, null, null, null,
                false, null);
    }

    @Test
    void enumAcceptsExactlyItsValues() {
        KernelKey arpIgnore = key("net.ipv4.conf.*.arp_ignore", ValueType.ENUM, null, null, 1,
                List.of("0", "1", "2", "3", "8"));
        for (String v : List.of("0", "3", " 8 ")) {
            assertTrue(arpIgnore.checkValue(v).isEmpty(), v);
        }
        assertEquals("must be one of 0, 1, 2, 3, 8, got '5'", arpIgnore.checkValue("5").orElseThrow());
        assertTrue(arpIgnore.checkValue("8\n").isPresent(), "one line");
        assertTrue(arpIgnore.checkValue(null).isPresent());
        assertEquals("one of 0, 1, 2, 3, 8", arpIgnore.accepts());
        assertThrows(IllegalArgumentException.class, () -> key("x.a", ValueType.ENUM, null, null, 1, List.of()));
        assertThrows(IllegalArgumentException.class, () -> key("x.a", ValueType.INT, null, null, 1, List.of("1")));
    }

    @Test
    void rangeListsTakeCommaSeparatedNumbersAndRanges() {
        KernelKey reserved = key("net.ipv4.ip_local_reserved_ports", ValueType.RANGE_LIST, 0L, 65535L, 1, null);
        for (String v : List.of("30000-32767", "8080,9148", "1,2-4,10-10", "", " 22 ")) {
            assertTrue(reserved.checkValue(v).isEmpty(), v);
        }
        for (String v : List.of("4-2", "70000", "1,,2", "a-b", "1-", "-1", "1;2", "1,2\n3")) {
            assertTrue(reserved.checkValue(v).isPresent(), v);
        }
        assertEquals("must be comma-separated integers or ranges such as 1,2-4, each from 0 to 65535, got '4-2'",
                reserved.checkValue("4-2").orElseThrow());
    }

    @Test
    void vectorsOfMachineDependentLengthTakeOneOrMore() {
        KernelKey lowmem = key("vm.lowmem_reserve_ratio", ValueType.INT_VECTOR, 0L, null, 0, null);
        assertTrue(lowmem.checkValue("256 256 32 0 0").isEmpty());
        assertTrue(lowmem.checkValue("32").isEmpty());
        assertEquals("must be one or more integers separated by whitespace, each of at least 0, got ''",
                lowmem.checkValue("").orElseThrow());
        assertThrows(IllegalArgumentException.class, () -> key("x.a", ValueType.INT, null, null, 0, null),
                "only a vector may have 0 (variable) fields");
    }

    @Test
    void unboundedIntegersFitSixtyFourBitsSignedBelowUnsignedAbove() {
        // kernel.shmmax is an unsigned long; its default is 18446744073692774399.
        assertTrue(UNBOUNDED.checkValue("18446744073692774399").isEmpty());
        assertTrue(UNBOUNDED.checkValue("18446744073709551615").isEmpty());
        assertTrue(UNBOUNDED.checkValue("18446744073709551616").isPresent());
        assertTrue(UNBOUNDED.checkValue("-9223372036854775808").isEmpty());
        assertTrue(UNBOUNDED.checkValue("-9223372036854775809").isPresent());
    }

    @Test
    void patternsStandForOneKeyPerInterface() {
        KernelKey rp = key("net.ipv4.conf.*.rp_filter", ValueType.INT, 0L, 2L, 1, null);
        assertTrue(rp.isPattern());
        for (String k : List.of("net.ipv4.conf.all.rp_filter", "net.ipv4.conf.default.rp_filter",
                "net.ipv4.conf.eth0/100.rp_filter", "net.ipv4.conf.br-1a2b.rp_filter")) {
            assertTrue(rp.matches(k), k);
        }
        for (String k : List.of("net.ipv4.conf..rp_filter", "net.ipv4.conf.all.rp_filterx", "net.ipv6.conf.all.rp_filter",
                "net.ipv4.rp_filter")) {
            assertFalse(rp.matches(k), k);
        }
        assertFalse(rp.matches(null));
        assertFalse(INT.isPattern());
        assertTrue(INT.matches("net.ipv4.tcp_tw_reuse"));
        assertFalse(INT.matches("net.ipv4.tcp_tw_reuse2"));
        assertThrows(IllegalArgumentException.class, () -> key("net.*.conf.*.x", ValueType.INT, null, null, 1, null));
        // a '*' stands for one whole interface name; the rest of the name follows the one key type's rules
        for (String bad : List.of("net.ipv4.*", "*.ipv4.x", "net.ipv4.conf.eth*.x", "net.ipv4.conf.*.x y", "nodot")) {
            assertThrows(IllegalArgumentException.class, () -> key(bad, ValueType.INT, null, null, 1, null), bad);
        }
        assertEquals(SysctlKey.of("net.ipv4.tcp_tw_reuse"), INT.key());
        assertThrows(IllegalStateException.class, rp::key, "a pattern is many keys, not one");
        assertEquals(List.of(), rp.allNames());
    }

    @Test
    void theFirstCatalogsConstructorLeavesTheNewFactsEmpty() {
        assertEquals(List.of(), INT.values());
        assertEquals(null, INT.scope());
        assertEquals(null, INT.unit());
        assertEquals(null, INT.addedIn());
        assertFalse(INT.readOnly());
        assertEquals("", INT.source());
        assertEquals("", INT.notes());
    }
}
