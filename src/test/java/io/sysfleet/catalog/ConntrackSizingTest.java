package io.sysfleet.catalog;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConntrackSizingTest {

    @Test
    void chainsAndMemoryOfAFullTable() {
        ConntrackSizing table = new ConntrackSizing(655350, 16384);
        assertEquals(40.0, table.entriesPerBucket(), 0.01);
        assertEquals(80.0, table.averageChain(), 0.01, "each connection is hashed twice");
        assertTrue(table.undersized());
        assertEquals(81919, table.bucketsNeeded());
        assertEquals(655350L * 320 + 16384L * 8, table.memoryBytes());
        assertEquals("200 MiB", ConntrackSizing.human(table.memoryBytes()));
        ConntrackSizing kernelDefault = new ConntrackSizing(262144, 262144);
        assertFalse(kernelDefault.undersized());
        assertEquals(2.0, kernelDefault.averageChain(), 0.01, "the document: a full default table has chains of 2");
        assertFalse(new ConntrackSizing(8 * 65536, 65536).undersized(), "8 a bucket is the limit");
        assertTrue(new ConntrackSizing(8 * 65536 + 1, 65536).undersized());
    }

    @Test
    void sizesReadAsPeopleWriteThem() {
        assertEquals("512 B", ConntrackSizing.human(512));
        assertEquals("1.5 KiB", ConntrackSizing.human(1536));
        assertEquals("1.3 GiB", ConntrackSizing.human(4194304L * 320 + 262144L * 8));
        assertThrows(IllegalArgumentException.class, () -> new ConntrackSizing(1, 0));
    }
}
