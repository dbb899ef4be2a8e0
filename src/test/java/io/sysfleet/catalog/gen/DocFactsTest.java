package io.sysfleet.catalog.gen;

import io.sysfleet.catalog.KernelKey;
import io.sysfleet.catalog.ValueType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The facts the generator reads from an entry's header and text, on entries written in the documents' shapes. */
class DocFactsTest {

    private static KernelKey facts(String name, String header, String body) {
        return DocFacts.read(new DocEntry(name, header, body.lines().toList(), "doc.rst", 1, false)).build();
    }

    @Test
    void headerTypes() {
        assertEquals(ValueType.BOOL, facts("a.b", "BOOLEAN", "").type());
        KernelKey i = facts("a.b", "INTEGER", "");
        assertEquals(ValueType.INT, i.type());
        assertEquals(-2147483648L, i.min());
        assertEquals(2147483647L, i.max());
        KernelKey u = facts("a.b", "UNSIGNED INTEGER", "");
        assertEquals(0L, u.min());
        assertEquals(4294967295L, u.max());
        assertNull(facts("a.b", "LONG INTEGER", "").max());
        KernelKey v = facts("a.b", "vector of 3 INTEGERs: min, pressure, max", "");
        assertEquals(ValueType.INT_VECTOR, v.type());
        assertEquals(3, v.fields());
        assertEquals(2, facts("a.b", "2 INTEGERS", "").fields());
        assertEquals(ValueType.RANGE_LIST, facts("a.b", "list of comma separated ranges", "").type());
        assertEquals(ValueType.STRING, facts("a.b", "IPv6 address", "").type());
        KernelKey ro = facts("a.b", "INTEGER (read-only)", "");
        assertTrue(ro.readOnly());
        assertEquals("seconds", facts("a.b", "INTEGER (seconds)", "").unit());
    }

    @Test
    void bulletListsAndTablesEnumerateValues() {
        KernelKey tw = facts("a.tcp_tw_reuse", "INTEGER", """
                \t- 0 - disable
                \t- 1 - global enable
                \t- 2 - enable for loopback traffic only

                \tDefault: 2
                """);
        assertEquals(ValueType.INT, tw.type());
        assertEquals(0L, tw.min());
        assertEquals(2L, tw.max());
        assertEquals("2", tw.defaultValue());
        KernelKey arp = facts("a.arp_ignore", "INTEGER", """
                \t- 0 - (default): reply for any local target IP address
                \t- 1 - reply only if the target IP address is local
                \t- 3 - do not reply for local addresses configured with scope host
                \t- 4-7 - reserved
                \t- 8 - do not reply for all local addresses
                """);
        assertEquals(ValueType.ENUM, arp.type());
        assertEquals(List.of("0", "1", "3", "8"), arp.values());
        assertEquals("0", arp.defaultValue());
        // A simple table, numbers right-aligned in their column, and a header row.
        KernelKey ra = facts("a.accept_ra", "INTEGER", """
                \tPossible values are:

                \t\t==  ===========================================================
                \t\t 0  Do not accept Router Advertisements.
                \t\t 1  Accept Router Advertisements if forwarding is disabled.
                \t\t 2  Overrule forwarding behaviour. Accept Router Advertisements
                \t\t    even if forwarding is enabled.
                \t\t==  ===========================================================
                """);
        assertEquals(0L, ra.min());
        assertEquals(2L, ra.max());
        KernelKey headed = facts("a.b", "INTEGER", """
                \t=====  ==========
                \tValue  Meaning
                \t=====  ==========
                \t0      off
                \t1      on
                \t5      loud
                \t=====  ==========
                """);
        assertEquals(List.of("0", "1", "5"), headed.values());
        // "3 or 4" lists two values.
        KernelKey tlp = facts("a.tcp_early_retrans", "INTEGER", """
                \t\t- 0 disables TLP
                \t\t- 3 or 4 enables TLP
                """);
        assertEquals(List.of("0", "3", "4"), tlp.values());
    }

    @Test
    void aBooleanThatListsMoreThanTwoValuesIsAnInteger() {
        KernelKey events = facts("a.nf_conntrack_events", "BOOLEAN", """
                \t- 0 - disabled
                \t- 1 - enabled
                \t- 2 - auto (default)
                """);
        assertEquals(ValueType.INT, events.type());
        assertEquals(2L, events.max());
        assertEquals("2", events.defaultValue());
        KernelKey forward = facts("a.ip_forward", "BOOLEAN", """
                \t- 0 - disabled (default)
                \t- not 0 - enabled
                """);
        assertEquals(ValueType.BOOL, forward.type());
        assertEquals("0", forward.defaultValue());
    }

    @Test
    void inequalitiesAndConditionalDefaultsDoNotBecomeValues() {
        KernelKey temp = facts("a.use_tempaddr", "INTEGER", """
                \t  * <= 0 : disable Privacy Extensions
                \t  * == 1 : enable Privacy Extensions, but prefer public addresses
                \t  * >  1 : enable Privacy Extensions and prefer temporary addresses
                """);
        assertEquals(-2147483648L, temp.min(), "open-ended: only the header's bounds");
        KernelKey plen = facts("a.accept_ra_rt_info_max_plen", "INTEGER", """
                \tFunctional default:

                \t\t* 0 if accept_ra_rtr_pref is enabled.
                \t\t* -1 if accept_ra_rtr_pref is disabled.
                """);
        assertEquals(-2147483648L, plen.min());
        assertEquals(2147483647L, plen.max());
        assertNull(plen.defaultValue());
    }

    @Test
    void flagsThatCombineAreABitmaskNotASet() {
        KernelKey numa = facts("kernel.numa_balancing", "", """
                The value to set can be the result of ORing the following:

                = =================================
                0 NUMA_BALANCING_DISABLED
                1 NUMA_BALANCING_NORMAL
                2 NUMA_BALANCING_MEMORY_TIERING
                = =================================
                """);
        assertEquals(ValueType.INT, numa.type());
        assertEquals(0L, numa.min());
        assertEquals(3L, numa.max());
        KernelKey zone = facts("vm.zone_reclaim_mode", "", """
                =  ===================================
                1  Zone reclaim on
                2  Zone reclaim writes dirty pages out
                4  Zone reclaim swaps pages
                =  ===================================
                """);
        assertEquals(7L, zone.max());
        KernelKey fastopen = facts("a.tcp_fastopen", "INTEGER", """
                \tThe values (bitmap) are

                \t=====  ======== ======================================================
                \t  0x1  (client) enables sending data in the opening SYN on the client.
                \t  0x2  (server) enables the server support
                \t=====  ======== ======================================================

                \tDefault: 0x1
                """);
        assertEquals(0L, fastopen.min());
        assertEquals("1", fastopen.defaultValue(), "hexadecimal default as sysctl prints it");
    }

    @Test
    void rangesAndDefaultsStatedInSentences() {
        KernelKey ttl = facts("a.ip_default_ttl", "INTEGER", """
                \tDefault value of TTL field. Should be between 1 and 255 inclusive.
                \tDefault: 64 (as recommended by RFC1700)
                """);
        assertEquals(1L, ttl.min());
        assertEquals(255L, ttl.max());
        assertEquals("64", ttl.defaultValue());
        KernelKey pmtu = facts("a.ip_no_pmtu_disc", "INTEGER", "\tPossible values: 0-3\n\n\tDefault: FALSE\n");
        assertEquals(3L, pmtu.max());
        assertEquals("0", pmtu.defaultValue());
        KernelKey swap = facts("vm.swappiness", "", """
                This control is used to define the rough relative IO cost of swapping
                and filesystem paging, as a value between 0 and 200. At 100, the VM

                The default value is 60.
                """);
        assertEquals(ValueType.INT, swap.type());
        assertEquals(200L, swap.max());
        assertEquals("60", swap.defaultValue());
        KernelKey kptr = facts("kernel.kptr_restrict", "", """
                When ``kptr_restrict`` is set to 0 (the default) the address is hashed.
                When ``kptr_restrict`` is set to 1, kernel pointers are replaced.
                When ``kptr_restrict`` is set to 2, kernel pointers printed using
                """);
        assertEquals(2L, kptr.max());
        KernelKey fifos = facts("fs.protected_fifos", "", """
                When set to "0", writing to FIFOs is unrestricted.
                When set to "1" don't allow O_CREAT open on FIFOs.
                """);
        assertEquals(ValueType.BOOL, fifos.type());
        KernelKey sync = facts("a.fib_sync_mem", "UNSIGNED INTEGER", "\tDefault: 512kB   Minimum: 64kB   Maximum: 64MB\n");
        assertNull(sync.defaultValue(), "a size with a unit is not the number the key takes");
        KernelKey child = facts("a.tcp_child_ehash_entries", "INTEGER", "\tPossible values: 0, 2^n (n: 0 - 24 (16Mi))\n");
        assertEquals(2147483647L, child.max(), "0, 2^n is not the range 0 to 2");
        KernelKey unres = facts("a.unres_qlen_bytes", "INTEGER", "\tThe maximum number of bytes (added in linux 3.3)\n");
        assertEquals("3.3", unres.addedIn());
        assertEquals("bytes", unres.unit());
    }

    @Test
    void unitsFromNames() {
        assertEquals("milliseconds", DocFacts.unitOf("base_reachable_time_ms", List.of()));
        assertEquals("seconds", DocFacts.unitOf("hung_task_timeout_secs", List.of()));
        assertEquals("centiseconds", DocFacts.unitOf("dirty_expire_centisecs", List.of()));
        assertEquals("kilobytes", DocFacts.unitOf("min_free_kbytes", List.of()));
        assertEquals("percent", DocFacts.unitOf("dirty_ratio", List.of()));
        assertNull(DocFacts.unitOf("swappiness", List.of("a relative cost")));
    }
}
