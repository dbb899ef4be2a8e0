package io.sysfleet.playbook;

import io.sysfleet.core.ConfigException;
import io.sysfleet.core.SourceLocation;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TemplaterTest {
    static final String F = PlaybookLoaderTest.DIR + "template.yml";
    static final SourceLocation AT = new SourceLocation("p.yml", 3, 9);

    private final Play play = PlaybookLoader.load(Path.of(F)).plays().get(0);
    private final SysctlTask task = play.tasks().get(0);

    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void resolvesFromPlayVarsOverInventoryVars() {
        Map<String, Object> inventory = map("key", "net.ipv4.tcp_fin_timeout", "fin", 60);
        ResolvedTask r = task.resolve(Templater.merge(inventory, play.vars()));
        assertEquals("set net.ipv4.tcp_fin_timeout", r.name());
        assertEquals("net.ipv4.tcp_fin_timeout", r.key().dotted());
        assertEquals("30", r.value(), "play vars win over host and group vars");
        assertEquals("/etc/sysctl.d/90-sysfleet.conf", r.sysctlFile(), "default() fills an undefined variable");
        assertEquals(State.PRESENT, r.state());
        assertEquals(task.location(), r.location());

        ResolvedTask withInventory = task.resolve(map("key", "net.core.somaxconn", "fin", 60,
                "conf_dir", "/etc/sysctl.d/local"));
        assertEquals("60", withInventory.value());
        assertEquals("/etc/sysctl.d/local/90-sysfleet.conf", withInventory.sysctlFile());
    }

    @Test
    void undefinedVariableNamesItAndTheTask() {
        ConfigException e = assertThrows(ConfigException.class, () -> task.resolve(play.vars()));
        assertEquals(F + ":5:7: name 'set {{ key }}': 'key' is undefined", e.getMessage());
        ConfigException e2 = assertThrows(ConfigException.class,
                () -> Templater.render("{{ fin }} {{ nope }}", map("fin", 1), AT, "value '{{ fin }} {{ nope }}'"));
        assertEquals("p.yml:3:9: value '{{ fin }} {{ nope }}': 'nope' is undefined", e2.getMessage());
    }

    @Test
    void valuesAreConvertedLikeAnsible() {
        assertEquals("True", Templater.render("{{ b }}", map("b", true), AT, "v"));
        assertEquals("1", task.resolve(map("key", "net.ipv4.tcp_syncookies", "fin", true)).value(),
                "sysctl writes a true value as 1");
        assertEquals("0", task.resolve(map("key", "k.k", "fin", "no")).value());
        assertEquals("7", Templater.render("{{ x | int }}", map("x", "7.9"), AT, "v"));
        assertEquals("42", Templater.render("{{x}}", map("x", 42), AT, "v"), "inner whitespace is optional");
        assertEquals("a-b", Templater.render("{{ x }}", map("x", "{{ y }}-b", "y", "a"), AT, "v"),
                "variables that are templates are rendered too");
        assertEquals("plain", Templater.render("plain", map(), AT, "v"));
    }

    @Test
    void jinja2BeyondTheOldSubsetRendersAsInAnsible() {
        Map<String, Object> v = map("x", "1", "l", List.of(1), "a", "{{ b }}", "b", "{{ a }}", "w", "ab");
        assertEquals("AB", Templater.render("{{ w | upper }}", v, AT, "v"));
        assertEquals("2", Templater.render("{{ x | int + 1 }}", v, AT, "v"));
        assertEquals("1", Templater.render("{% if x %}1{% endif %}", v, AT, "v"));
        assertEquals("[1]", Templater.render("{{ l }}", v, AT, "v"), "a list used as text is its Python str()");
    }

    @Test
    void brokenTemplatesAreOneLineErrors() {
        List<String[]> cases = List.of(
                new String[] {"{{ x", "p.yml:3:9: v: syntax error: a string, {{ or {% is not closed"},
                new String[] {"{{ a }}", "p.yml:3:9: v: recursive loop detected in template: a -> b -> a"},
                new String[] {"{{ x | nope }}", "p.yml:3:9: v: No filter named 'nope'."});
        for (String[] c : cases) {
            ConfigException e = assertThrows(ConfigException.class, () -> Templater.render(c[0],
                    map("x", "1", "l", List.of(1), "a", "{{ b }}", "b", "{{ a }}"), AT, "v"), c[0]);
            assertEquals(c[1], e.getMessage());
            assertEquals(io.sysfleet.core.ExitCode.CONFIG, e.exitCode());
        }
    }

    @Test
    void resolvedKeyAndValueMustBeSafe() {
        ConfigException bad = assertThrows(ConfigException.class,
                () -> task.resolve(map("key", "net.ipv4.x; reboot", "fin", 1)));
        assertEquals(F + ":7:15: sysctl key 'net.ipv4.x; reboot' is not a valid key: it may only contain letters, "
                + "digits and _ - @ +, separated by '.' or '/'", bad.getMessage());
        ConfigException dots = assertThrows(ConfigException.class,
                () -> task.resolve(map("key", "net/../../etc", "fin", 1)));
        assertEquals(F + ":7:15: sysctl key 'net/../../etc' has an empty, '.' or '..' path component", dots.getMessage());
        ConfigException nl = assertThrows(ConfigException.class,
                () -> task.resolve(map("key", "net.core.somaxconn", "fin", "1\nkernel.x = 1")));
        assertEquals(F + ":8:16: value for 'net.core.somaxconn' contains a control character (U+000A); a value "
                + "must be a single line", nl.getMessage());
        ConfigException file = assertThrows(ConfigException.class,
                () -> task.resolve(map("key", "net.core.somaxconn", "fin", 1, "conf_dir", "/etc/../tmp")));
        assertEquals(F + ":9:22: sysctl_file '/etc/../tmp/90-sysfleet.conf' must be an absolute path of "
                + "letters, digits and . _ + @ - without '..'", file.getMessage());
        assertEquals("net.ipv4.conf.eth0/100.rp_filter",
                task.resolve(map("key", "net.ipv4.conf.eth0/100.rp_filter", "fin", 1)).key().dotted(),
                "VLAN interfaces are written with '/'");
    }
}
