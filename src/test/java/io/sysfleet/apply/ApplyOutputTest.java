package io.sysfleet.apply;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ApplyOutputTest {

    @Test
    void parsesAFullApply() {
        String text = """
                before\tnet/ipv4/tcp_fin_timeout\t60
                before-absent\tnet/netfilter/nf_conntrack_max
                backup\t/etc/sysctl.conf.sysfleet-r1.bak
                written\tabc123
                sysctl\t255
                stderr\tsysctl: setting key "net.netfilter.nf_conntrack_max": Invalid argument
                set\tnet.ipv4.tcp_syncookies\t1
                stderr\tsysctl: permission denied on key "net.ipv4.tcp_syncookies"
                after\tnet/ipv4/tcp_fin_timeout\t30
                after-absent\tnet/netfilter/nf_conntrack_max
                done
                """;
        ApplyOutput o = ApplyOutput.parse(text);
        assertNull(o.conflict());
        assertEquals("/etc/sysctl.conf.sysfleet-r1.bak", o.backup());
        assertEquals("abc123", o.written());
        assertEquals(255, o.sysctlExit());
        assertEquals(List.of("sysctl: setting key \"net.netfilter.nf_conntrack_max\": Invalid argument",
                "sysctl -w net.ipv4.tcp_syncookies exited 1",
                "sysctl: permission denied on key \"net.ipv4.tcp_syncookies\""), o.stderr());
        assertEquals("60", o.before().get("net/ipv4/tcp_fin_timeout"));
        assertTrue(o.before().containsKey("net/netfilter/nf_conntrack_max"));
        assertNull(o.before().get("net/netfilter/nf_conntrack_max"));
        assertEquals("30", o.after().get("net/ipv4/tcp_fin_timeout"));
        assertTrue(o.complete());
    }

    @Test
    void valuesKeepInnerSpacesAndTabsAfterTheSecondField() {
        ApplyOutput o = ApplyOutput.parse("after\tnet/ipv4/ip_local_port_range\t32768 60999\n");
        assertEquals("32768 60999", o.after().get("net/ipv4/ip_local_port_range"));
        assertFalse(o.complete(), "no 'done' line: the script did not finish");
    }

    @Test
    void conflictAndErrorsAreReported() {
        ApplyOutput c = ApplyOutput.parse("conflict\tdeadbeef\n");
        assertEquals("deadbeef", c.conflict());
        ApplyOutput e = ApplyOutput.parse("error\tbackup\tcannot copy a to b\nerror\twrite\tlater\n");
        assertEquals("backup: cannot copy a to b", e.error());
    }

    @Test
    void noiseFromLoginScriptsIsIgnored() {
        ApplyOutput o = ApplyOutput.parse("Welcome!\n\nrestored\tabsent\ndone\n");
        assertEquals("absent", o.restored());
        assertTrue(o.complete());
    }
}
