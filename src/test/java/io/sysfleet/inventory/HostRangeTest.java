package io.sysfleet.inventory;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class HostRangeTest {

    @Test
    void plainNameIsItself() {
        assertEquals(List.of("web1.example.com"), HostRange.expand("web1.example.com"));
    }

    @Test
    void numericRangeKeepsLeadingZeros() {
        assertEquals(List.of("web08.x", "web09.x", "web10.x"), HostRange.expand("web[08:10].x"));
    }

    @Test
    void numericRangeWithoutPadding() {
        assertEquals(List.of("n8", "n9", "n10"), HostRange.expand("n[8:10]"));
    }

    @Test
    void stepSkips() {
        assertEquals(List.of("n1", "n3", "n5", "n7", "n9"), HostRange.expand("n[1:10:2]"));
        assertEquals(List.of("p001", "p006", "p011"), HostRange.expand("p[001:012:5]"));
    }

    @Test
    void letterRangeRunsThroughLowerThenUpperCase() {
        assertEquals(List.of("dba", "dbb", "dbc"), HostRange.expand("db[a:c]"));
        assertEquals(List.of("xy", "xz", "xA", "xB"), HostRange.expand("x[y:B]"));
        assertEquals(List.of("a", "f", "k"), HostRange.expand("[a:k:5]"));
    }

    @Test
    void severalRangesMultiply() {
        assertEquals(List.of("db-x-1", "db-x-2", "db-y-1", "db-y-2"), HostRange.expand("db-[x:y]-[1:2]"));
    }

    @Test
    void emptyBeginMeansZero() {
        assertEquals(List.of("h0", "h1", "h2"), HostRange.expand("h[:2]"));
    }

    @Test
    void beginAboveEndGivesNothingLikeAnsible() {
        assertEquals(List.of(), HostRange.expand("h[5:1]"));
    }

    @Test
    void badRangesAreRefusedWithReason() {
        assertEquals("host range must be begin:end or begin:end:step, got [1]",
                assertThrows(IllegalArgumentException.class, () -> HostRange.expand("h[1]")).getMessage());
        assertEquals("host range must specify an end value, got [1:]",
                assertThrows(IllegalArgumentException.class, () -> HostRange.expand("h[1:]")).getMessage());
        assertEquals("host range must have begin and end of equal length when zero-padded, got [01:100]",
                assertThrows(IllegalArgumentException.class, () -> HostRange.expand("h[01:100]")).getMessage());
        assertEquals("host range must have begin <= end, got [c:a]",
                assertThrows(IllegalArgumentException.class, () -> HostRange.expand("h[c:a]")).getMessage());
        assertEquals("host range bounds must be numbers or single letters, got [1:b]",
                assertThrows(IllegalArgumentException.class, () -> HostRange.expand("h[1:b]")).getMessage());
        assertEquals("host range step must be a positive number, got [1:3:0]",
                assertThrows(IllegalArgumentException.class, () -> HostRange.expand("h[1:3:0]")).getMessage());
        assertEquals("host range must be written [begin:end] or [begin:end:step]",
                assertThrows(IllegalArgumentException.class, () -> HostRange.expand("h]1:2[")).getMessage());
    }
}
