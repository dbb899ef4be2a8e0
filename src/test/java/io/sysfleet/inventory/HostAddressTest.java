package io.sysfleet.inventory;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HostAddressTest {

    @Test
    void splitsPortFromNamesAndAddresses() {
        assertEquals(new HostAddress.Parsed("web1", 2222, true), HostAddress.parse("web1:2222"));
        assertEquals(new HostAddress.Parsed("10.0.0.1", 22, true), HostAddress.parse("10.0.0.1:22"));
        assertEquals(new HostAddress.Parsed("2001:db8::1", 2200, true), HostAddress.parse("[2001:db8::1]:2200"));
        assertEquals(new HostAddress.Parsed("web[1:3]", null, true), HostAddress.parse("web[1:3]"));
        assertEquals(new HostAddress.Parsed("b[1:2]", 33, true), HostAddress.parse("[b[1:2]]:33"));
    }

    @Test
    void unrecognisedKeysStayWhole() {
        assertEquals(new HostAddress.Parsed("web*", null, false), HostAddress.parse("web*"));
        assertFalse(HostAddress.parse("a:b").recognised());
    }

    @Test
    void unsafeNamesAreNamed() {
        assertNull(HostAddress.unsafeReason("web-01.example.com"));
        assertNull(HostAddress.unsafeReason("fe80::1"));
        assertEquals("contains whitespace", HostAddress.unsafeReason("web 1"));
        assertEquals("contains ';'", HostAddress.unsafeReason("web;reboot"));
        assertEquals("contains '$'", HostAddress.unsafeReason("$(id)"));
        assertEquals("contains a control character", HostAddress.unsafeReason("web\u0007"));
        assertEquals("starts with '-'", HostAddress.unsafeReason("-oProxyCommand=x"));
        assertTrue(HostAddress.unsafeReason("user@host").contains("'@'"));
    }
}
