package io.sysfleet.hostile;

import io.sysfleet.config.YamlLoader;
import io.sysfleet.core.ConfigException;
import io.sysfleet.core.Problem;
import io.sysfleet.core.SourceLocation;
import io.sysfleet.playbook.Templater;
import io.sysfleet.sysctl.Desired;
import io.sysfleet.sysctl.Edit;
import io.sysfleet.sysctl.SysctlEditor;
import io.sysfleet.sysctl.SysctlFile;
import io.sysfleet.sysctl.SysctlFileGenerator;
import io.sysfleet.sysctl.SysctlLine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Fuzzing with a seeded generator of our own: YAML loading (mutated corpus and playbook files), templating
 * (random template text from Jinja2 fragments) and the sysctl.conf editor (generated files and wishes). Each input
 * must either be accepted or refused with a documented error: a {@link ConfigException} whose every problem is one
 * line (YAML, templates), an {@link IllegalArgumentException} (the editor's invalid wishes); anything else, an
 * Error included, fails. The editor's output must also be idempotent and keep every line it does not manage.
 *
 * <p>CI runs {@value #DEFAULT_CASES} cases per target (a few seconds). A longer run:
 * {@code mvn -o test -Dtest=FuzzTest -Dsysfleet.fuzz.cases=200000 [-Dsysfleet.fuzz.seed=N]}; a failure names the
 * seed and case to replay.
 */
class FuzzTest {
    static final int DEFAULT_CASES = 3000;
    private static final int CASES = Integer.getInteger("sysfleet.fuzz.cases", DEFAULT_CASES);
    private static final long SEED = Long.getLong("sysfleet.fuzz.seed", 20261201L);
    private static final AtomicLong TRIED = new AtomicLong();
    private static final AtomicLong REJECTED = new AtomicLong();
    private static final AtomicLong HANDLED = new AtomicLong();

    @AfterAll
    static void figures() {
        Figures.write("FuzzTest", "fuzz", TRIED.get(), REJECTED.get(), HANDLED.get(), 0);
    }

    private static void accepted() {
        TRIED.incrementAndGet();
        HANDLED.incrementAndGet();
    }

    private static void refused(ConfigException e) {
        for (Problem p : e.problems()) {
            assertFalse(p.toString().contains("\n"), "one line per problem: " + p);
        }
        TRIED.incrementAndGet();
        REJECTED.incrementAndGet();
    }

    @Test
    void yamlLoading() throws IOException {
        List<String> seeds = new ArrayList<>();
        try (Stream<Path> s = Stream.concat(Files.walk(HostileInputTest.CORPUS), Files.walk(Path.of("playbooks")))) {
            for (Path p : s.filter(p -> p.toString().endsWith(".yml") && Files.isRegularFile(p)).sorted().toList()) {
                seeds.add(Files.readString(p, StandardCharsets.UTF_8));
            }
        }
        assertTrue(seeds.size() > 20);
        Random r = new Random(SEED);
        String specials = "&*!|>'\"%@`#:-?,[]{}\n\t \\\u0000\u0085\u2028\ufeff\ud83d\ude00";
        for (int i = 0; i < CASES; i++) {
            StringBuilder sb = new StringBuilder(seeds.get(r.nextInt(seeds.size())));
            for (int m = 1 + r.nextInt(6); m > 0 && sb.length() > 0; m--) {
                int at = r.nextInt(sb.length());
                switch (r.nextInt(5)) {
                    case 0 -> sb.deleteCharAt(at);
                    case 1 -> sb.insert(at, specials.charAt(r.nextInt(specials.length())));
                    case 2 -> sb.insert(at, sb, at, Math.min(sb.length(), at + 1 + r.nextInt(40)));
                    case 3 -> sb.setLength(at);
                    default -> sb.insert(at, new String[] {"&a ", "*a ", "!!str ", "!!binary ", "<<: ", "? "}[r.nextInt(6)]);
                }
            }
            String text = sb.toString();
            try {
                YamlLoader.parse(text, "fuzz.yml");
                accepted();
            } catch (ConfigException e) {
                refused(e);
            } catch (Throwable e) {
                fail("yaml seed " + SEED + " case " + i + ": " + e + "\n" + text, e);
            }
        }
    }

    @Test
    void templating() {
        String[] parts = {"{{ ", " }}", "{% if ", " %}", "{% endif %}", "{% for x in l %}", "{% endfor %}", "{# ", " #}",
            "a", "b", "l", "d", "s", "x", "undefined_var", "1", "'str'", "\"q\"", " | ", "default(1)", "int", "length",
            "join(',')", "upper", "bool", "(", ")", "[", "]", "{", "}", " + ", " * ", " ~ ", " and ", " or ", " not ",
            " == ", " in ", ".", "d['k']", "l[0]", "range(5)", "lookup('env', 'HOME')", "omit", "'x' * 99999",
            "ansible_facts", "hostvars", "\n", "\u0000", "\\", ",", ":"};
        Map<String, Object> vars = Map.of("a", 1, "b", "two", "l", List.of(1, 2, 3), "d", Map.of("k", "v"),
                "s", "{{ a }}-{{ b }}");
        Random r = new Random(SEED + 1);
        for (int i = 0; i < CASES; i++) {
            StringBuilder sb = new StringBuilder();
            for (int n = 1 + r.nextInt(12); n > 0; n--) {
                sb.append(parts[r.nextInt(parts.length)]);
            }
            String template = sb.toString();
            try {
                Templater.render(template, vars, new SourceLocation("fuzz.yml", 1, 1), "template");
                accepted();
            } catch (ConfigException e) {
                refused(e);
            } catch (Throwable e) {
                fail("template seed " + SEED + " case " + i + ": " + e + "\n" + template, e);
            }
        }
    }

    @Test
    void sysctlEditor() {
        Random r = new Random(SEED + 2);
        SysctlFileGenerator g = new SysctlFileGenerator(r);
        for (int i = 0; i < CASES; i++) {
            String text = g.file();
            List<Desired> desired = g.desired();
            try {
                Edit once = SysctlEditor.apply(text, desired);
                Edit twice = SysctlEditor.apply(once.newText(), desired);
                assertFalse(twice.changed(), "idempotent");
                assertEquals(once.newText(), twice.newText());
                assertTrue(keepsUnmanagedLines(text, once.newText(), desired), "unmanaged lines kept");
                accepted();
            } catch (IllegalArgumentException e) {
                TRIED.incrementAndGet();
                REJECTED.incrementAndGet();
            } catch (Throwable e) {
                fail("editor seed " + SEED + " case " + i + ": " + e + "\ntext: " + text + "\ndesired: " + desired, e);
            }
        }
    }

    /** The same line, or the last line that had no newline with the one the editor adds (documented). */
    private static boolean same(String before, String after) {
        return after.equals(before) || !before.endsWith("\n")
                && (after.equals(before + "\n") || after.equals(before + "\r\n"));
    }

    /** Every line of {@code before} that sets no desired key is in {@code after}, in order, byte for byte. */
    private static boolean keepsUnmanagedLines(String before, String after, List<Desired> desired) {
        Set<String> keys = new HashSet<>();
        desired.forEach(d -> keys.add(SysctlFile.parse(d.key() + " = 1").lines().get(0).key()));
        List<String> afterLines = new ArrayList<>();
        SysctlFile.parse(after).lines().forEach(l -> afterLines.add(l.raw()));
        int j = 0;
        for (SysctlLine l : SysctlFile.parse(before).lines()) {
            if (l.isSetting() && keys.contains(l.key())) {
                continue;
            }
            while (j < afterLines.size() && !same(l.raw(), afterLines.get(j))) {
                j++;
            }
            if (j == afterLines.size()) {
                return false;
            }
            j++;
        }
        return true;
    }
}
