package io.sysfleet.sysctl;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SysctlKeyTest {

    @Test
    void normalizeFollowsTheFirstSeparatorRule() {
        assertEquals("net.ipv4.tcp_fin_timeout", SysctlKey.normalize("net/ipv4/tcp_fin_timeout"));
        assertEquals("net.ipv4.tcp_fin_timeout", SysctlKey.normalize("net.ipv4.tcp_fin_timeout"));
        assertEquals("net.ipv4.conf.eth0/100.rp_filter", SysctlKey.normalize("net/ipv4/conf/eth0.100/rp_filter"));
        assertEquals("net.ipv4.conf.eth0/100.rp_filter", SysctlKey.normalize("net.ipv4.conf.eth0/100.rp_filter"));
        assertEquals("kernel", SysctlKey.normalize("kernel"));
    }

    @Test
    void toPathIsTheInverse() {
        assertEquals("net/ipv4/conf/eth0.100/rp_filter", SysctlKey.toPath("net.ipv4.conf.eth0/100.rp_filter"));
        assertEquals("net.ipv4.conf.eth0/100.rp_filter",
                SysctlKey.normalize(SysctlKey.toPath("net.ipv4.conf.eth0/100.rp_filter")));
    }

    @Test
    void validateReturnsDottedForm() {
        assertEquals("net.ipv4.conf.br-lan.rp_filter", SysctlKey.validate("net.ipv4.conf.br-lan.rp_filter"));
        assertEquals("net.ipv4.conf.eth0/100.rp_filter", SysctlKey.validate("net/ipv4/conf/eth0.100/rp_filter"));
        assertEquals("net.ipv6.conf.wg@0.forwarding", SysctlKey.validate("net.ipv6.conf.wg@0.forwarding"));
        assertEquals("net.netfilter.nf_conntrack_max", SysctlKey.validate("net.netfilter.nf_conntrack_max"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "net.ipv4.x=1", "net.ipv4 .x", "net.ipv4.x\n", "net..x", "net.x.", ".net.x",
        "net/../etc", "-net.ipv4.x", "net.ipv4.conf.*.rp_filter", "net.ipv4.x?", "kernel", "net.ipv4.é",
        "net.ipv4.x;rm", "net.ipv4.$(id)", "net/ipv4/conf/../x"})
    void rejectsBadKeys(String key) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SysctlKey.validate(key));
        assertTrue(e.getMessage().startsWith("sysctl key"), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }

    @Test
    void rejectsOverlongKey() {
        assertThrows(IllegalArgumentException.class, () -> SysctlKey.validate("net." + "a".repeat(300)));
    }
}
