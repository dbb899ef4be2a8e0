package io.sysfleet.catalog;

import io.sysfleet.config.YNode.YMap;
import io.sysfleet.config.YNode.YScalar;
import io.sysfleet.config.YNode.YSeq;
import io.sysfleet.config.YNode;
import io.sysfleet.config.YamlLoader;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bundled playbooks and the catalog agree: every key they set is in the catalog, every value (play vars
 * substituted) passes the key's check, each file cites its table row, and site.yml, taken as a whole, neither
 * sets tcp_tw_recycle = 1 nor pairs tcp_timestamps = 0 with tcp_tw_reuse = 1.
 */
class PlaybookCatalogTest {
    private static final Path DIR = Path.of("playbooks");
    private static final KeyCatalog CATALOG = KeyCatalog.load();
    private static final Pattern VAR = Pattern.compile("\\{\\{\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*}}");
    private static final Set<String> PLAY_KEYS = Set.of("name", "hosts", "vars", "become", "become_user",
            "gather_facts", "serial", "max_fail_percentage", "any_errors_fatal", "tasks");
    private static final Set<String> TASK_KEYS = Set.of("name", "tags", "when", "ansible.posix.sysctl");
    private static final Set<String> SYSCTL_ARGS = Set.of("name", "value", "state", "sysctl_file", "reload",
            "sysctl_set", "ignoreerrors");

    record Setting(String file, String key, String value) { }

    @Test
    void everyRowPlaybookCitesItsRowAndUsesCatalogKeysWithValidValues() throws IOException {
        Map<Integer, String> rows = Map.of(1, "01-nat-reset.yml", 2, "02-fin-timeout.yml", 3, "03-time-wait.yml",
                5, "05-fin-wait2.yml", 6, "06-tw-bucket-overflow.yml", 7, "07-conntrack-table-full.yml",
                8, "08-nat-syn-dropped.yml");
        int settings = 0;
        for (Map.Entry<Integer, String> row : rows.entrySet()) {
            Path file = DIR.resolve(row.getValue());
            String first = Files.readAllLines(file).get(0);
            assertTrue(first.startsWith("# Troubleshooting table row " + row.getKey() + ":"), file + ": " + first);
            for (Setting s : settings(file)) {
                settings++;
                KernelKey k = CATALOG.find(s.key()).orElseThrow(() -> new AssertionError(s + " not in the catalog"));
                assertEquals(java.util.Optional.empty(), k.checkValue(s.value()), s.toString());
            }
        }
        assertTrue(settings >= 17, "found only " + settings + " settings");
        try (Stream<Path> files = Files.list(DIR)) {
            assertFalse(files.anyMatch(p -> p.getFileName().toString().startsWith("04")),
                    "row 4 (CLOSE_WAIT) has no sysctl fix and no playbook");
        }
    }

    @Test
    void row3DeviatesToTwRecycleZeroAndOnlyOnOldKernels() throws IOException {
        List<Setting> row3 = settings(DIR.resolve("03-time-wait.yml"));
        assertTrue(row3.contains(new Setting("03-time-wait.yml", "net.ipv4.tcp_tw_recycle", "0")), row3.toString());
        for (String f : List.of("01-nat-reset.yml", "03-time-wait.yml", "08-nat-syn-dropped.yml")) {
            String text = Files.readString(DIR.resolve(f));
            assertTrue(text.contains("when: ansible_kernel is version('4.12', '<')"), f);
            assertTrue(text.contains("gather_facts: true"), f);
        }
    }

    @Test
    void siteBaselineHasNoConflicts() throws IOException {
        YSeq site = (YSeq) YamlLoader.load(DIR.resolve("site.yml"));
        Map<String, String> merged = new HashMap<>();
        int imports = 0;
        for (YNode item : site.items()) {
            YScalar target = (YScalar) ((YMap) item).get("import_playbook");
            assertNotNull(target, "site.yml holds only import_playbook entries");
            imports++;
            for (Setting s : settings(DIR.resolve((String) target.value()))) {
                String before = merged.put(CATALOG.find(s.key()).orElseThrow().name(), s.value());
                assertTrue(before == null || before.equals(s.value()), "site.yml sets " + s.key() + " to both "
                        + before + " and " + s.value());
            }
        }
        assertFalse("0".equals(merged.get("net.ipv4.tcp_timestamps")) && "1".equals(merged.get("net.ipv4.tcp_tw_reuse")),
                "tcp_timestamps=0 with tcp_tw_reuse=1: " + merged);
        assertFalse("1".equals(merged.get("net.ipv4.tcp_tw_recycle")), merged.toString());
        assertEquals("1", merged.get("net.ipv4.tcp_tw_reuse"));
        assertEquals("30", merged.get("net.ipv4.tcp_fin_timeout"));
        assertEquals(3, imports, "site.yml imports 08, 02 and 03");
    }

    /** The sysctl settings of a playbook, play vars substituted; also checks the supported subset. */
    private static List<Setting> settings(Path file) {
        String f = file.getFileName().toString();
        List<Setting> out = new ArrayList<>();
        for (YNode playNode : ((YSeq) YamlLoader.load(file)).items()) {
            YMap play = (YMap) playNode;
            for (YNode.Entry e : play.entries()) {
                assertTrue(PLAY_KEYS.contains(e.key()), f + ": play key " + e.key() + " outside the subset");
            }
            assertEquals("all", ((YScalar) play.get("hosts")).value(), f);
            Map<String, Object> vars = play.get("vars") == null ? Map.of() : castMap(play.get("vars").toJava());
            for (YNode taskNode : ((YSeq) play.get("tasks")).items()) {
                YMap task = (YMap) taskNode;
                for (YNode.Entry e : task.entries()) {
                    assertTrue(TASK_KEYS.contains(e.key()), f + ": task key " + e.key() + " outside the subset");
                }
                YMap args = (YMap) task.get("ansible.posix.sysctl");
                for (YNode.Entry e : args.entries()) {
                    assertTrue(SYSCTL_ARGS.contains(e.key()), f + ": sysctl argument " + e.key());
                }
                assertEquals("/etc/sysctl.conf", ((YScalar) args.get("sysctl_file")).value(), f);
                String value = String.valueOf(((YScalar) args.get("value")).value());
                Matcher m = VAR.matcher(value);
                if (m.matches()) {
                    assertTrue(vars.containsKey(m.group(1)), f + ": undefined var " + m.group(1));
                    value = String.valueOf(vars.get(m.group(1)));
                }
                out.add(new Setting(f, (String) ((YScalar) args.get("name")).value(), value));
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Object o) {
        return (Map<String, Object>) o;
    }
}
