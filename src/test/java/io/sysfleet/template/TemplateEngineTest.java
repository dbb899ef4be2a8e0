package io.sysfleet.template;

import io.sysfleet.catalog.Platform;
import io.sysfleet.core.ConfigException;
import io.sysfleet.core.ExitCode;
import io.sysfleet.core.SourceLocation;
import io.sysfleet.plan.FactVars;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The engine's API, limits, unsafe data and errors. Semantics against Ansible: AnsibleEquivalenceTest. */
class TemplateEngineTest {
    static final SourceLocation AT = new SourceLocation("site.yml", 4, 9);
    final TemplateEngine engine = new TemplateEngine(Limits.DEFAULT, Map.of("DEPLOY_USER", "deploy"));

    static Vars vars() {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("n", 5);
        v.put("settings", new LinkedHashMap<>(Map.of("net.core.somaxconn", 1024)));
        v.put("indirect", "{{ n }}");
        v.put("self", "{{ self }}");
        v.put("a", "{{ b }}");
        v.put("b", "{{ a }}");
        return Vars.of(v);
    }

    private String problem(String template, Vars vars) {
        TemplateException e = assertThrows(TemplateException.class, () -> engine.render(template, vars, AT));
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        assertTrue(e.getMessage().startsWith("site.yml:4:9: template '"), e.getMessage());
        assertEquals(ExitCode.CONFIG, e.exitCode());
        return e.problem();
    }

    @Test
    void jinjavaIsBuiltOnlyWhenATemplateNeedsIt() {
        TemplateEngine fresh = new TemplateEngine(Limits.DEFAULT, Map.of());
        assertEquals("plain", fresh.render("plain", vars(), AT));
        assertEquals(List.of("a", 1), fresh.render(List.of("a", 1), vars(), AT));
        fresh.check("no template here", AT, "name");
        assertFalse(fresh.jinjaBuilt(), "text without template syntax must not build Jinjava");
        assertEquals("6", fresh.render("{{ n + 1 }}", vars(), AT));
        assertTrue(fresh.jinjaBuilt());
    }

    @Test
    void singleExpressionsGiveListsDictsAndBooleansMixedTextGivesText() {
        Object items = engine.render("{{ settings | dict2items }}", vars(), AT);
        assertEquals(List.of(Map.of("key", "net.core.somaxconn", "value", 1024L)), items);
        assertEquals(true, engine.render("{{ n > 3 }}", vars(), AT));
        assertEquals(5, engine.render("{{ n }}", vars(), AT), "exactly one variable keeps its number");
        assertEquals("6", engine.render("{{ n + 1 }}", vars(), AT), "other numbers are text, as in ansible 2.14");
        assertEquals("n=5", engine.render("n={{ indirect }}", vars(), AT));
        assertEquals("plain", engine.render("plain", vars(), AT));
        assertEquals(List.of("5", 5), engine.render(List.of("{{ n | string }}", "{{ n }}"), vars(), AT));
    }

    @Test
    void whenTakesStringsBooleansAndLists() {
        assertTrue(engine.when("n == 5", vars(), AT));
        assertFalse(engine.when(List.of("n == 5", "n > 5"), vars(), AT));
        assertTrue(engine.when(true, vars(), AT));
        assertTrue(engine.when(null, vars(), AT));
        assertFalse(engine.when("{{ n > 5 }}", vars(), AT), "{{ }} in when is rendered first, as Ansible does");
        assertEquals("conditional statements should not include jinja2 templating delimiters such as {{ }} or "
                + "{% %}. Found: {{ n > 5 }}", TemplateEngine.whenWarning("{{ n > 5 }}").orElseThrow());
        assertTrue(TemplateEngine.whenWarning("n > 5").isEmpty());
        ConfigException e = assertThrows(ConfigException.class, () -> engine.when("missing", vars(), AT));
        assertEquals("site.yml:4:9: when 'missing': 'missing' is undefined", e.getMessage());
    }

    @Test
    void hostDataIsNeverATemplate() {
        Platform p = new Platform("debian", "{{ secret_var }}", "6.1.0");
        Vars v = Vars.of(Map.of("secret_var", "hunter2")).withAll(FactVars.of(p));
        assertEquals("{{ secret_var }}", engine.render("{{ ansible_distribution_version }}", v, AT));
        assertEquals("{{ secret_var }}", engine.render("{{ ansible_facts['distribution_version'] }}", v, AT));
        assertEquals("v={{ secret_var }}", engine.render("v={{ ansible_facts.distribution_version }}", v, AT));
        Vars out = Vars.empty().withData("out", Map.of("stdout", "{{ lookup('env', 'DEPLOY_USER') }}", "rc", 0));
        assertEquals("{{ lookup('env', 'DEPLOY_USER') }}", engine.render("{{ out.stdout }}", out, AT));
        assertEquals("{{ x }}", engine.render("{{ l[0] }}", Vars.of(Map.of("l", List.of(Unsafe.of("{{ x }}")))), AT),
                "an Unsafe item inside a templatable list stays data");
        ConfigException e = assertThrows(ConfigException.class, () -> engine.when("{{ out.stdout }}", out, AT));
        assertTrue(e.getMessage().endsWith("Conditional is marked as unsafe, and cannot be evaluated."),
                e.getMessage());
    }

    @Test
    void magicVariablesResolveFromWhatTheCallerSupplies() {
        Vars web1 = Vars.of(Map.of("port", "{{ base + 1 }}", "base", 8000));
        Vars v = Vars.of(Map.of("inventory_hostname", "db1", "group_names", List.of("db"),
                "groups", Map.of("all", List.of("db1", "web1"), "db", List.of("db1")),
                "hostvars", Map.of("web1", web1), "ansible_check_mode", true));
        assertEquals("8001", engine.render("{{ hostvars['web1'].port }}", v, AT),
                "another host's variables render against that host's variables");
        assertTrue(engine.when("ansible_check_mode and 'db' in group_names and inventory_hostname in groups.db", v, AT));
        assertEquals("deploy", engine.render("{{ lookup('env', 'DEPLOY_USER') }}", v, AT));
        Object omitted = engine.render("{{ nope | default(omit) }}", v, AT);
        assertTrue(TemplateEngine.isOmit(omitted));
        assertEquals("None", engine.render("{{ none | string }}", v, AT));
    }

    @Test
    void variablesThatReferToThemselvesFailWithTheChain() {
        assertEquals("recursive loop detected in template: self -> self", problem("{{ self }}", vars()));
        assertEquals("recursive loop detected in template: a -> b -> a", problem("{{ a }}", vars()));
        Map<String, Object> chain = new LinkedHashMap<>();
        for (int i = 0; i < 100; i++) {
            chain.put("v" + i, "{{ v" + (i + 1) + " }}");
        }
        chain.put("v100", "end");
        assertTrue(problem("{{ v0 }}", Vars.of(chain)).startsWith("variables refer to each other more than 40 levels"));
        Map<String, Object> shallow = new LinkedHashMap<>(chain);
        shallow.put("v30", "end");
        assertEquals("end", engine.render("{{ v0 }}", Vars.of(shallow), AT));
    }

    @Test
    void expansionBombsFailFastWithinTheOutputLimit() {
        assertEquals("output would exceed 1048576 characters (the template expands too much)",
                problem("{{ 'x' * 10**9 }}", vars()));
        String loops = "{% for a in range(100) %}{% for b in range(100) %}{% for c in range(100) %}xxxxxxxxxx"
                + "{% endfor %}{% endfor %}{% endfor %}";
        assertTrue(loops.length() < 1024);
        String p = problem(loops, vars());
        assertTrue(p.contains("1048576"), p);
        assertTrue(problem("{{ 2 ** 100000000 }}", vars()).startsWith("output would exceed"));
        assertTrue(problem("{{ range(10**9) | list }}", vars()).startsWith("a list would have more than"));
        assertTrue(problem("{{ [1] * 10**9 }}", vars()).startsWith("a list would have more than"));
        Map<String, Object> doubling = new LinkedHashMap<>();
        doubling.put("d0", "xxxxxxxxxxxxxxxx");
        for (int i = 1; i < 40; i++) {
            doubling.put("d" + i, "{{ d" + (i - 1) + " }}{{ d" + (i - 1) + " }}");
        }
        assertTrue(problem("{{ d39 }}", Vars.of(doubling)).startsWith("output would exceed"));
    }

    @Test
    void deepNestingAndLongTemplatesAreRefusedBeforeParsing() {
        String parens = "(".repeat(2000) + "1" + ")".repeat(2000);
        assertEquals("expression nests brackets more than 64 deep", problem("{{ " + parens + " }}", vars()));
        ConfigException w = assertThrows(ConfigException.class, () -> engine.when(parens, vars(), AT));
        assertTrue(w.getMessage().endsWith("expression nests brackets more than 64 deep"), w.getMessage());
        assertEquals("blocks are nested more than 64 deep",
                problem("{% if true %}".repeat(2000) + "x" + "{% endif %}".repeat(2000), vars()));
        assertEquals("template is longer than 65536 characters", problem("{{ n }}" + "x".repeat(70_000), vars()));
        assertEquals("5", engine.render("{{ " + "(".repeat(60) + "n" + ")".repeat(60) + " | string }}", vars(), AT));
        assertEquals("{ ( [", engine.render("{{ '{ ( [' }}", vars(), AT), "brackets in strings do not count");
    }

    @Test
    void staticChecksFindSyntaxErrorsAndUnknownNamesWithoutVariables() {
        engine.check("{{ settings | dict2items | items2dict }}", AT, "v");
        engine.checkCondition("x is ansible.builtin.version('1.0', '>=')", AT);
        assertEquals("site.yml:4:9: v: No filter named 'nope'.",
                assertThrows(ConfigException.class, () -> engine.check("{{ x | nope }}", AT, "v")).getMessage());
        assertEquals("site.yml:4:9: when 'x is nope': No test named 'nope'.",
                assertThrows(ConfigException.class, () -> engine.checkCondition("x is nope", AT)).getMessage());
        assertEquals("site.yml:4:9: v: Encountered unknown tag 'include' (sysfleet supports if, elif, else, for, set, "
                + "raw).", assertThrows(ConfigException.class,
                () -> engine.check("{% include '/etc/passwd' %}", AT, "v")).getMessage());
        assertEquals(java.util.Set.of("a", "c"), engine.variables("{{ a.b | default(c) }}", AT));
    }

    @Test
    void nothingOutsideTheTemplateIsReachable() {
        assertEquals("'str object' has no attribute 'getClass'", problem("{{ 'x'.getClass() }}", vars()));
        assertEquals("'str object' has no attribute 'repeat'", problem("{{ 'x'.repeat(10) }}", vars()));
        assertEquals("lookup plugin 'file' is not supported by sysfleet (supported: env)",
                problem("{{ lookup('file', '/etc/passwd') }}", vars()));
        assertEquals("No filter named 'render'.", problem("{{ '{{ n }}' | render }}", vars()));
        assertEquals("{{ n }}", engine.render("{{ '{{ n }}' }}", vars(), AT), "a rendered result is not rendered again");
    }

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> filterRows() {
        return java.util.stream.Stream.of(
                "{{ 'Yes' | bool }}|True",
                "{{ 'off' | bool }}|False",
                "{{ '7.9' | int }}|7",
                "{{ 'x' | int(3) }}|3",
                "{{ '0x1F' | int(0, 16) }}|0",
                "{{ '1F' | int(0, 16) }}|31",
                "{{ '2.5' | float }}|2.5",
                "{{ 5 | string }}|5",
                "{{ 'AbC' | lower }}|abc",
                "{{ 'AbC' | upper }}|ABC",
                "{{ [1, 2] | length }}|2",
                "{{ {'a': 1} | length }}|1",
                "{{ 'abc' | length }}|3",
                "{{ [1, 2] | join('-') }}|1-2",
                "{{ {'a': 1} | dict2items | items2dict }}|{'a': 1}",
                "{{ {'a': 1} | combine({'b': 2}) }}|{'a': 1, 'b': 2}",
                "{{ true | ternary('on', 'off') }}|on",
                "{{ none | ternary('on', 'off', 'unset') }}|unset",
                "{{ missing | default('d') }}|d",
                "{{ missing | d() }}|''",
                "{{ '' | default('e', true) }}|e",
                "{{ ' x ' | trim }}|x",
                "{{ 'a.b' | replace('.', '/') }}|a/b",
                "{{ [3, 1] | sort | first }}|1",
                "{{ [1, 2] | last }}|2",
                "{{ [1, 1, 2] | unique }}|[1, 2]",
                "{{ [1, 2] | max }}|2",
                "{{ [1, 2] | sum }}|3",
                "{{ 'a-b' | regex_replace('-', '_') }}|a_b",
                "{{ 'a b' | split }}|['a', 'b']",
                "{{ [[1], 2] | flatten }}|[1, 2]",
                "{{ 5 | type_debug }}|int",
                "{{ {'a': [1, none]} | to_json }}|'{\"a\": [1, null]}'",
                "{{ 'x' is string }}|True",
                "{{ 4 is even }}|True",
                "{{ '4.12' is version('4.9', '>') }}|True",
                "{{ {'failed': true} is failed }}|True",
                "{{ {'results': [{'changed': true}]} is changed }}|True",
                "{{ {'changed': false, 'results': [{'changed': true}]} is changed }}|False",
                "{{ {'skipped': true} is ansible.builtin.skipped }}|True",
                "{{ {} is succeeded }}|True")
                .map(r -> org.junit.jupiter.params.provider.Arguments.of(r.substring(0, r.lastIndexOf('|')),
                        r.substring(r.lastIndexOf('|') + 1)));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @org.junit.jupiter.params.provider.MethodSource("filterRows")
    void filtersAndTests(String template, String expected) {
        Object v = engine.render(template, vars(), AT);
        String shown = v instanceof String s ? (s.isEmpty() || expected.startsWith("'") ? Py.repr(s) : s) : Py.repr(v);
        assertEquals(expected, shown, template);
    }
}
