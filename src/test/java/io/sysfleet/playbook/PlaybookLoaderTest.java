package io.sysfleet.playbook;

import io.sysfleet.core.ConfigException;
import io.sysfleet.core.Problem;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PlaybookLoaderTest {
    static final String DIR = "src/test/resources/playbook/";

    static List<String> problems(String file) {
        ConfigException e = assertThrows(ConfigException.class, () -> PlaybookLoader.load(Path.of(DIR + file)));
        return e.problems().stream().map(Problem::toString).toList();
    }

    @Test
    void loadsEveryKeyword() {
        Playbook pb = PlaybookLoader.load(Path.of(DIR + "full.yml"));
        assertEquals(Path.of(DIR + "full.yml"), pb.file());
        assertEquals(3, pb.plays().size());

        Play p = pb.plays().get(0);
        assertEquals("Tune TCP", p.name());
        assertEquals("web,db", p.hosts());
        assertEquals(Map.of("fin", 30, "recycle_key", "net.ipv4.tcp_tw_recycle"), p.vars());
        assertEquals(Boolean.TRUE, p.become());
        assertEquals("root", p.becomeUser());
        assertFalse(p.gatherFacts());
        assertEquals(List.of("1", "30%"), p.serial());
        assertEquals(25.0, p.maxFailPercentage());
        assertTrue(p.anyErrorsFatal());
        assertEquals(DIR + "full.yml:2:3", p.location().toString());
        assertEquals(3, p.tasks().size());

        SysctlTask t = p.tasks().get(0);
        assertEquals("fin timeout", t.name());
        assertEquals(Set.of("tcp", "fin"), t.tags());
        assertEquals(List.of("ansible_kernel is version('4.12', '<')"), t.when().sources());
        assertEquals("net.ipv4.tcp_fin_timeout", t.key());
        assertEquals("{{ fin }}", t.value());
        assertEquals(State.PRESENT, t.state());
        assertEquals("/etc/sysctl.d/90-sysfleet.conf", t.sysctlFile());
        assertFalse(t.reload());
        assertTrue(t.sysctlSet());
        assertTrue(t.ignoreErrors());
        assertEquals(DIR + "full.yml:14:7", t.location().toString());
        assertEquals(DIR + "full.yml:19:16", t.locationOf("value").toString());
        assertEquals(DIR + "full.yml:18:15", t.locationOf("name").toString());

        SysctlTask t2 = p.tasks().get(1);
        assertEquals("sysctl", t2.name(), "an unnamed task is named after its module, as ansible-playbook shows it");
        assertEquals(Set.of("tcp", "nat"), t2.tags(), "a tags string is split on commas, as Ansible does");
        assertEquals(List.of("a == 1", "True"), t2.when().sources());
        assertEquals("{{ recycle_key }}", t2.key());
        assertEquals("0", t2.value(), "YAML false becomes the 0 the sysctl module writes");
        assertEquals("/etc/sysctl.conf", t2.sysctlFile());
        assertTrue(t2.reload());
        assertFalse(t2.sysctlSet());
        assertFalse(t2.ignoreErrors());
        assertTrue(t2.when().evaluate(Map.of("a", 1)));
        assertFalse(t2.when().evaluate(Map.of("a", 2)));

        SysctlTask t3 = p.tasks().get(2);
        assertEquals(State.ABSENT, t3.state());
        assertNull(t3.value());
        assertTrue(t3.when().isAlways());

        Play imported = pb.plays().get(1);
        assertEquals("all", imported.name(), "an unnamed play is named after its hosts");
        assertNull(imported.become());
        assertTrue(imported.gatherFacts());
        assertFalse(imported.anyErrorsFatal());
        assertEquals(List.of(), imported.serial());
        assertNull(imported.maxFailPercentage());
        assertEquals(DIR + "imported/child.yml:3:7", imported.tasks().get(0).location().toString());
        assertEquals("1", imported.tasks().get(0).value());

        Play last = pb.plays().get(2);
        assertEquals(List.of("2"), last.serial());
        assertEquals(List.of(), last.tasks(), "an empty 'tasks:' is no tasks");
    }

    @Test
    void convertsValuesLikeTheSysctlModule() {
        List<SysctlTask> tasks = PlaybookLoader.load(Path.of(DIR + "values.yml")).plays().get(0).tasks();
        List<String> raw = tasks.stream().map(SysctlTask::value).toList();
        assertEquals(List.of("1", "0", "5", "1.5", "yes", " 4096 87380  6291456 ", "8"), raw);
        List<String> resolved = tasks.stream().map(t -> Templater.resolve(t, Map.of()).value()).toList();
        assertEquals(List.of("1", "0", "5", "1.5", "1", "4096 87380  6291456", "8"), resolved);
    }

    @Test
    void reportsEveryProblemOfAFileWithItsLocation() {
        String f = DIR + "errors.yml:";
        List<String> found = problems("errors.yml");
        // where roles are looked for depends on the machine (HOME, ansible.cfg): only its start is fixed
        assertTrue(found.get(0).startsWith(f + "3:11: role 'x' not found in "), found.get(0));
        assertEquals(List.of(
                f + "4:11: 'become' must be a boolean (true/false, yes/no, 1/0), not 'maybe'",
                f + "5:11: serial must be a number of hosts (2), a percentage ('30%') or a list of them, not 'abc'",
                f + "6:24: max_fail_percentage must be a number from 0 to 100",
                f + "8:5: 'bad-name' is not a valid variable name (letters, digits and '_', not starting with a digit)",
                f + "10:7: task has no module; sysfleet runs ansible.posix.sysctl (alias sysctl)",
                f + "11:7: unsupported loop 'with_nested'; sysfleet supports loop, with_items, with_list and with_dict",
                f + "12:15: unsupported sysctl argument 'bogus'; supported: name, value, state, sysctl_file, reload, "
                        + "sysctl_set, ignoreerrors",
                f + "14:9: sysctl argument 'value' is required when state is present",
                f + "15:9: unsupported sysctl argument 'vals'; supported: name, value, state, sysctl_file, reload, "
                        + "sysctl_set, ignoreerrors",
                f + "17:15: sysctl key 'bad key;rm' is not a valid key: it may only contain letters, digits and "
                        + "_ - @ +, separated by '.' or '/'",
                f + "19:16: state must be present or absent, not 'gone'",
                f + "23:13: when 'a = 1': syntax error: unexpected '=' (use '==' to compare)",
                f + "25:7: task has no module; sysfleet runs ansible.posix.sysctl (alias sysctl)",
                f + "27:7: task has both 'sysctl' and 'ansible.posix.sysctl'; a task runs one module",
                f + "30:16: value for 'net.ipv4.tcp_syncookies' contains a control character (U+000A); a value "
                        + "must be a single line",
                f + "31:17: 'reload' must be a boolean (true/false, yes/no, 1/0), not 'maybe'",
                f + "32:3: play has no 'hosts'",
                f + "33:3: a play must be a mapping, not a string",
                f + "36:13: template '{{ a | no_such }}': No filter named 'no_such'.",
                f + "39:16: template '{% if x %}1': syntax error: missing {% endif %}"), found.subList(1, found.size()));
    }

    @Test
    void importProblemsPointAtTheirFiles() {
        String f = DIR + "import-errors.yml:";
        assertEquals(List.of(
                f + "1:20: import_playbook: no such file 'missing.yml' (looked for " + DIR + "missing.yml)",
                f + "3:3: 'when' on import_playbook is not supported by sysfleet (only 'name' is); put it on "
                        + "the imported plays or tasks",
                f + "4:3: 'vars' on import_playbook is not supported by sysfleet (only 'name' is); put it on "
                        + "the imported plays or tasks",
                f + "5:20: import_playbook needs a plain file name, not a template: '{{ file }}'",
                DIR + "imported/broken.yml:3:15: sysctl argument 'value' is required when state is present"),
                problems("import-errors.yml"));
    }

    @Test
    void importCyclesAreRefused() {
        assertEquals(List.of(DIR + "cycle-b.yml:3:20: import_playbook cycle: cycle-a.yml -> cycle-b.yml -> "
                + "cycle-a.yml"), problems("cycle-a.yml"));
    }

    @Test
    void wholeFileProblems() {
        assertEquals(List.of(DIR + "mapping.yml:1:1: a playbook must be a list of plays, not a mapping"),
                problems("mapping.yml"));
        assertEquals(List.of(DIR + "nope.yml: no such file"), problems("nope.yml"));
    }
}
