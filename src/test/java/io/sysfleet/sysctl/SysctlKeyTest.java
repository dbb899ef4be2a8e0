package io.sysfleet.sysctl;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one key type: procps's first-separator rule, the /proc/sys path, and the checks in the constructor. */
class SysctlKeyTest {

    @Test
    void theDottedFormFollowsTheFirstSeparatorRule() {
        assertEquals("net.ipv4.tcp_fin_timeout", SysctlKey.of("net/ipv4/tcp_fin_timeout").dotted());
        assertEquals("net.ipv4.tcp_fin_timeout", SysctlKey.of("net.ipv4.tcp_fin_timeout").dotted());
        assertEquals("net.ipv4.conf.eth0/100.rp_filter", SysctlKey.of("net/ipv4/conf/eth0.100/rp_filter").dotted());
        assertEquals("net.ipv4.conf.eth0/100.rp_filter", SysctlKey.of("net.ipv4.conf.eth0/100.rp_filter").dotted());
        assertEquals("kernel", SysctlKey.dottedForm("kernel"), "no separator: nothing to swap (the lenient form)");
        assertEquals("net.ipv4.conf.*.rp_filter", SysctlKey.dottedForm("net/ipv4/conf/*/rp_filter"),
                "sysctl.conf globs follow the same rule");
    }

    @Test
    void everySpellingIsOneKeyWithOneProcSysPath() {
        SysctlKey vlan = SysctlKey.of("net.ipv4.conf.eth0/100.rp_filter");
        assertEquals("net/ipv4/conf/eth0.100/rp_filter", vlan.path());
        assertEquals("/proc/sys/net/ipv4/conf/eth0.100/rp_filter", vlan.procPath());
        assertEquals(vlan, SysctlKey.of("net/ipv4/conf/eth0.100/rp_filter"));
        assertEquals(vlan, SysctlKey.of("/proc/sys/net/ipv4/conf/eth0.100/rp_filter"));
        assertEquals(vlan, SysctlKey.ofPath("net/ipv4/conf/eth0.100/rp_filter"));
        assertEquals(vlan, new SysctlKey("net/ipv4/conf/eth0.100/rp_filter"), "the record's own constructor too");
        assertEquals("net.ipv4.conf.eth0/100.rp_filter", vlan.toString());
        assertEquals("net/ipv4/tcp_fin_timeout", SysctlKey.of("net.ipv4.tcp_fin_timeout").path());
        // a path whose first name holds a dot is still a path when built as one
        assertEquals("a/b.c", SysctlKey.ofPath("a/b.c").path());
        assertEquals(SysctlKey.of("net.ipv4.tcp_fin_timeout"), SysctlKey.ofPath(SysctlKey.of("net.ipv4.tcp_fin_timeout").path()));
    }

    @Test
    void validKeys() {
        assertEquals("net.ipv4.conf.br-lan.rp_filter", SysctlKey.of("net.ipv4.conf.br-lan.rp_filter").dotted());
        assertEquals("net.ipv6.conf.wg@0.forwarding", SysctlKey.of("net.ipv6.conf.wg@0.forwarding").dotted());
        assertEquals("net.netfilter.nf_conntrack_max", SysctlKey.of("net.netfilter.nf_conntrack_max").dotted());
        assertEquals(Optional.of(SysctlKey.of("net.ipv4.tcp_syncookies")), SysctlKey.parse("  net.ipv4.tcp_syncookies "));
        assertEquals(Optional.empty(), SysctlKey.parse("net.ipv4.conf.*.rp_filter"));
        assertEquals(Optional.empty(), SysctlKey.parse(null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "net.ipv4.x=1", "net.ipv4 .x", "net.ipv4.x\n", "net..x", "net.x.", ".net.x",
        "net/../etc", "-net.ipv4.x", "net.ipv4.conf.*.rp_filter", "net.ipv4.x?", "kernel", "net.ipv4.é",
        "net.ipv4.x;rm", "net.ipv4.$(id)", "net/ipv4/conf/../x", "net.//.x", "a b", "$(id)", "-n", "x.", "../etc",
        "net./.x", "/net/ipv4/x", "/proc/sys/../etc/x", "net:ipv4.x"})
    void rejectsBadKeys(String key) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SysctlKey.of(key));
        assertTrue(e.getMessage().startsWith("sysctl key"), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }

    @Test
    void rejectsOverlongKeysAndBadPaths() {
        assertThrows(IllegalArgumentException.class, () -> SysctlKey.of("net." + "a".repeat(300)));
        assertThrows(IllegalArgumentException.class, () -> SysctlKey.ofPath("/proc/sys/net/ipv4/x"));
        assertThrows(IllegalArgumentException.class, () -> SysctlKey.ofPath("net/../../etc/shadow"));
        assertThrows(IllegalArgumentException.class, () -> new SysctlKey(null));
    }
}
