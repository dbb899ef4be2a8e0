package io.sysfleet.config;

import io.sysfleet.core.ConfigException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class YamlLoaderTest {

    @Test
    void keepsLocationsAndYaml11Types() {
        YNode root = YamlLoader.parse("a: yes\nb:\n  - 010\n  - '010'\n  - 1.5\nc:\n", "f.yml");
        YNode.YMap map = assertInstanceOf(YNode.YMap.class, root);
        assertEquals(Boolean.TRUE, ((YNode.YScalar) map.get("a")).value());
        YNode.YSeq seq = (YNode.YSeq) map.get("b");
        assertEquals(8, ((Number) ((YNode.YScalar) seq.items().get(0)).value()).intValue(), "YAML 1.1 octal");
        assertEquals("010", ((YNode.YScalar) seq.items().get(1)).value());
        assertEquals(3, seq.items().get(0).location().line());
        assertEquals(5, seq.items().get(0).location().column());
        assertTrue(((YNode.YScalar) map.get("c")).isNull());
        assertEquals("f.yml:6:1", map.entry("c").keyLocation().toString());
        assertEquals(Map.of("a", true, "b", List.of(8, "010", 1.5), "c", java.util.Collections.emptyMap()).keySet(),
                ((Map<?, ?>) root.toJava()).keySet());
    }

    @Test
    void emptyDocumentIsNull() {
        assertNull(YamlLoader.parse("", "f.yml"));
        assertNull(YamlLoader.parse("# only a comment\n", "f.yml"));
    }

    @Test
    void syntaxErrorNamesFileLineColumn() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> YamlLoader.parse("a: 1\nb: [1, 2\nc: 3\n", "bad.yml"));
        assertTrue(e.getMessage().startsWith("bad.yml:"), e.getMessage());
        assertTrue(e.getMessage().contains("invalid YAML"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    @Test
    void duplicateKeysAreErrors() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> YamlLoader.parse("a: 1\nb: 2\na: 3\n", "dup.yml"));
        assertEquals("dup.yml:3:1: duplicate key 'a'", e.getMessage());
    }

    @Test
    void customTagsAndMergeKeysAreRefused() {
        ConfigException tag = assertThrows(ConfigException.class,
                () -> YamlLoader.parse("a: !!python/object:os.system x\n", "t.yml"));
        assertTrue(tag.getMessage().startsWith("t.yml:1:4: "), tag.getMessage());
        ConfigException merge = assertThrows(ConfigException.class,
                () -> YamlLoader.parse("base: &b {x: 1}\nc:\n  <<: *b\n", "m.yml"));
        assertTrue(merge.getMessage().contains("merge keys"), merge.getMessage());
    }

    @Test
    void aliasBombIsRefused() {
        StringBuilder sb = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (int i = 1; i < 12; i++) {
            sb.append("a").append(i).append(": &a").append(i).append(" [");
            for (int j = 0; j < 10; j++) {
                sb.append(j == 0 ? "" : ", ").append("*a").append(i - 1);
            }
            sb.append("]\n");
        }
        assertThrows(ConfigException.class, () -> YamlLoader.parse(sb.toString(), "bomb.yml"));
    }

    @Test
    void moreThanOneDocumentIsRefused() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> YamlLoader.parse("a: 1\n---\nb: 2\n", "two.yml"));
        assertTrue(e.getMessage().contains("more than one YAML document"), e.getMessage());
    }
}
