package io.sysfleet.inventory;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Host patterns on src/test/resources/inventory/patterns. The expected lists were taken from
 * {@code ansible -i hosts.yml PATTERN --list-hosts} (ansible-core 2.14); AnsibleInventoryComparisonTest
 * checks the same patterns against the live tool.
 */
class HostPatternTest {
    private static Inventory inv;

    @BeforeAll
    static void load() {
        inv = InventoryLoader.load(Path.of("src/test/resources/inventory/patterns/hosts.yml"));
    }

    private static String names(List<Host> hosts) {
        return String.join(" ", hosts.stream().map(Host::name).toList());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "all              | lone web1 web2 web10 db1 db2 bk.example.com wx1",
            "*                | lone web1 web2 web10 db1 db2 bk.example.com wx1",
            "web              | web1 web2 web10 wx1",
            "web*             | web1 web2 web10 wx1",
            "~web\\d+         | web1 web2 web10",
            "db:web           | db1 db2 web2 web1 web10 wx1",
            "web:&db          | web2",
            "web:!db          | web1 web10 wx1",
            "!db              | lone web1 web10 bk.example.com wx1",
            "web[0]           | web1",
            "web[1:2]         | web2 web10",
            "web[-1]          | wx1",
            "web[1:]          | web2 web10 wx1",
            "'db,web1'        | db1 db2 web2 web1",
            "*.example.com    | bk.example.com",
            "&db:web          | web2",
            "b*               | db2 bk.example.com",
            "~^w              | web1 web2 web10 wx1",
            "ungrouped        | lone",
            "nomatch          | ''",
            "db:&backup:!web  | db2",
            "web1             | web1",
    })
    void selectsLikeAnsible(String pattern, String expected) {
        assertEquals(expected, names(inv.select(pattern)));
    }

    @Test
    void limitKeepsPatternOrder() {
        assertEquals("web2 db1 db2", names(inv.select("all", "db")));
        assertEquals("web2", names(inv.select("web", "db:backup")));
    }

    @Test
    void splitsAsAnsible() {
        assertEquals(List.of("a", "b"), HostPattern.split("a:b"));
        assertEquals(List.of("a", "b"), HostPattern.split(" a , b "));
        assertEquals(List.of("web1:22"), HostPattern.split("web1:22"));
        assertEquals(List.of("web[1:2]", "&db", "!x"), HostPattern.split("web[1:2]:&db:!x"));
        assertEquals(List.of("fe80::1"), HostPattern.split("fe80::1"));
    }

    @Test
    void badPatternsAreRefused() {
        assertEquals("empty host pattern",
                assertThrows(IllegalArgumentException.class, () -> inv.select(" ")).getMessage());
        assertEquals("no hosts matched the subscripted pattern 'web[9]'",
                assertThrows(IllegalArgumentException.class, () -> inv.select("web[9]")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> inv.select("~web("));
    }

    @Test
    void globClassesAndLiterals() {
        assertEquals("db1 db2", names(inv.select("?b[!x]")));
        assertEquals("db1", names(inv.select("db[!2]")));
        assertEquals("", names(inv.select("bk?example?org")));
        assertEquals("bk.example.com", names(inv.select("bk?example?com")));
    }
}
