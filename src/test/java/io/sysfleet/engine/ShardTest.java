package io.sysfleet.engine;

import io.sysfleet.core.SysfleetException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code --shard K/N}: every host in exactly one shard, decided by its name alone. */
class ShardTest {

    private static List<String> names(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(i % 3 == 0 ? "web" + i + ".example.com" : i % 3 == 1 ? "db-" + i : "10.0." + (i / 256) + "." + (i % 256));
        }
        return out;
    }

    @ParameterizedTest(name = "N = {0}")
    @ValueSource(ints = {1, 2, 3, 4, 7, 16})
    void everyHostIsInExactlyOneShard(int n) {
        for (String h : names(1000)) {
            int in = 0;
            for (int k = 1; k <= n; k++) {
                if (new Shard(k, n).contains(h)) {
                    in++;
                }
            }
            assertEquals(1, in, h + " in " + in + " of " + n + " shards");
        }
    }

    @Test
    void theSplitDependsOnTheNameOnlyNotOnOrderOrOtherHosts() {
        List<String> hosts = names(500);
        Map<String, Integer> before = new HashMap<>();
        hosts.forEach(h -> before.put(h, Shard.of(h, 5)));
        List<String> shuffled = new ArrayList<>(hosts);
        Collections.shuffle(shuffled, new Random(7));
        shuffled.addAll(List.of("new1", "new2", "new3"));
        shuffled.remove(0);
        for (String h : shuffled) {
            if (before.containsKey(h)) {
                assertEquals(before.get(h), Shard.of(h, 5), h);
            }
        }
    }

    /** The values come from Python's hashlib (an independent implementation): shards of different builds agree. */
    @ParameterizedTest(name = "{0} in {1} shards -> {2}")
    @CsvSource({"web1,4,3", "db-7.example.com,3,2", "h001,2,1", "h042,7,4", "ünïcode,5,5"})
    void theHashIsSha256OfTheUtf8Name(String host, int n, int shard) {
        assertEquals(shard, Shard.of(host, n));
        assertTrue(new Shard(shard, n).contains(host));
    }

    @Test
    void shardsAreBalancedWithinABinomialSpread() {
        int[] sizes = new int[4];
        names(1000).forEach(h -> sizes[Shard.of(h, 4) - 1]++);
        for (int s : sizes) {
            assertTrue(s > 250 - 60 && s < 250 + 60, java.util.Arrays.toString(sizes));
        }
        assertEquals(1000, IntStream.of(sizes).sum());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0/4", "5/4", "1/0", "a/b", "1", "1/2/3", "-1/4", "", "1/99999"})
    void badShardsAreUsageErrors(String text) {
        SysfleetException e = assertThrows(SysfleetException.class, () -> Shard.parse(text));
        assertEquals(5, e.exitCode().code(), e.getMessage());
    }

    @Test
    void oneOfOneIsTheWholeFleet() {
        assertEquals(Shard.ALL, Shard.parse(" 1/1 "));
        assertTrue(Shard.ALL.all());
        assertFalse(Shard.parse("2/3").all());
        assertEquals("2/3", Shard.parse("2/3").toString());
    }
}
