package io.sysfleet.lint;

import io.sysfleet.catalog.KeyCatalog;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** "Did you mean": the misspellings public sysctl files contain, against the bundled catalog. */
class KeySuggestionTest {
    private static final KeyCatalog CATALOG = KeyCatalog.load();

    private static Optional<String> s(String key) {
        return KeySuggestion.forKey(key, CATALOG);
    }

    @Test
    void commonMisspellings() {
        assertEquals(Optional.of("net.netfilter.nf_conntrack_max"), s("net.netfilter.ip_conntrack_max"));
        assertEquals(Optional.of("net.netfilter.nf_conntrack_tcp_timeout_established"),
                s("net.netfilter.ip_conntrack_tcp_timeout_established"));
        assertEquals(Optional.of("net.ipv4.tcp_tw_reuse"), s("net.ipv4.tcp_tcp_tw_reuse"));
        assertEquals(Optional.of("net.core.somaxconn"), s("net.ipv4.somaxconn"), "same name, other directory");
        assertEquals(Optional.of("net.ipv4.tcp_fin_timeout"), s("net.ipv4.tcp_fin_timout"), "one letter");
        assertEquals(Optional.of("net.ipv4.conf.eth0.rp_filter"), s("net.ipv4.conf.eth0.rp_filtre"), "keeps the interface");
        assertEquals(Optional.of("net.bridge.bridge-nf-call-iptables"), s("net.bridge.bridge_nf_call_iptables"));
        assertEquals(Optional.empty(), s("kernel.made_up_entirely"));
        assertEquals(Optional.empty(), s("net.netfilter.nf_conntrack_skip_filter"), "OpenWrt's own key: nothing close");
    }

    @Test
    void distanceGivesUpPastItsLimit() {
        assertEquals(0, KeySuggestion.distance("abc", "abc", 2));
        assertEquals(1, KeySuggestion.distance("abc", "abd", 2));
        assertEquals(2, KeySuggestion.distance("abc", "a", 2));
        assertEquals(3, KeySuggestion.distance("abcdef", "a", 2));
    }
}
