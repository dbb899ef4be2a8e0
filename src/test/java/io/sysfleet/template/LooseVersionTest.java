package io.sysfleet.template;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LooseVersionTest {
    private static BigInteger n(int i) {
        return BigInteger.valueOf(i);
    }

    @Test
    void componentsAndComparisons() {
        assertEquals(List.of(n(4), n(12), n(0), "-", "rc", n(1)), LooseVersion.components("4.12.0-rc1"));
        assertEquals(List.of(n(1), n(0), "RC", n(1)), LooseVersion.components("1.0RC1"));
        assertTrue(LooseVersion.compare("2.6.32", "2.6.9", ">"));
        assertTrue(LooseVersion.compare("3.10.0-1160.el7.x86_64", "4.12", "lt"));
        assertTrue(LooseVersion.compare("5.4", "5.4", "=="));
        assertTrue(LooseVersion.compare("5.4", "5.4.0", "!="));
        assertThrows(IllegalArgumentException.class, () -> LooseVersion.compare("1.a", "1.2", "<"));
        assertThrows(IllegalArgumentException.class, () -> LooseVersion.compare("1", "2", "~"));
    }

    @Test
    void strictVersion() {
        assertTrue(LooseVersion.compareStrict("1.0", "1.0.0", "=="));
        assertTrue(LooseVersion.compareStrict("1.2a1", "1.2", "<"));
        assertTrue(LooseVersion.compareStrict("1.10", "1.9", ">"));
        assertFalse(LooseVersion.compareStrict("2.0b2", "2.0b1", "<"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LooseVersion.compareStrict("4.9.0-13-amd64", "4.12", "<"));
        assertEquals("invalid version number '4.9.0-13-amd64'", e.getMessage());
    }
}
