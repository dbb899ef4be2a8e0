package io.sysfleet.playbook;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Ansible's serial batching (PlayIterator._get_serialized_batches with pct_to_int); the expected lists were
 * computed with ansible-core 2.14's own pct_to_int and the same loop.
 */
class SerialTest {
    private final List<Play> plays = PlaybookLoader.load(Path.of(PlaybookLoaderTest.DIR + "serial.yml")).plays();

    @Test
    void fixedSize() {
        assertEquals(List.of(3, 3, 3, 1), plays.get(0).batchSizes(10));
        assertEquals(List.of(2), plays.get(0).batchSizes(2));
        assertEquals(List.of(), plays.get(0).batchSizes(0));
    }

    @Test
    void percentageOfAllHostsFloorsButIsAtLeastOne() {
        assertEquals(List.of(3, 3, 3, 1), plays.get(1).batchSizes(10));
        assertEquals(List.of(1, 1, 1, 1, 1), plays.get(1).batchSizes(5), "30% of 5 hosts = 1.5, floored to 1");
        assertEquals(List.of(1, 1), plays.get(1).batchSizes(2), "30% of 2 = 0.6, at least 1");
    }

    @Test
    void listItemsInOrderThenTheLastRepeats() {
        assertEquals(List.of(1, 5, 15, 9), plays.get(2).batchSizes(30), "50% is of all 30 hosts, not the rest");
        assertEquals(List.of(1, 2), plays.get(2).batchSizes(3));
    }

    @Test
    void noSerialOrZeroIsOneBatch() {
        assertEquals(List.of(7), plays.get(3).batchSizes(7));
        assertEquals(List.of(7), plays.get(4).batchSizes(7));
    }
}
