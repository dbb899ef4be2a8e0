package io.sysfleet.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.interpret.RenderResult;
import io.sysfleet.core.ConfigException;
import io.sysfleet.core.SourceLocation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The real ansible-playbook (ansible-core 2.14) is the oracle for the template engine. One generated playbook on
 * localhost (connection local, minimal facts) with the variables below runs every case: a {@code when} case is
 * a {@code debug} task with that condition (ran: true, skipped: false, failed: error); a value case sets a task
 * variable to the template and prints {@code [r, r | type_debug]} (value and Python type, or error). sysfleet's
 * engine must agree on every case, given the same variables, the facts and registered results Ansible reports,
 * and the same magic variables. Plain Jinjava (the library as shipped, strict) is measured on the same cases
 * and printed, to show what the Ansible semantics put in. Fails (never skips) without ansible-playbook: CI
 * installs ansible-core.
 */
class AnsibleEquivalenceTest {
    static final SourceLocation AT = new SourceLocation("eq.yml", 1, 1);
    static final Map<String, String> ENV = Map.of("SYSFLEET_EQ_ENV", "from-env");

    record Case(boolean when, String text) {
    }

    static Map<String, Object> playVars() {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("n", 5);
        v.put("s", "5");
        v.put("word", "false");
        v.put("empty", "");
        v.put("flag", true);
        v.put("off", false);
        v.put("kernel", "4.9.0-13-amd64");
        v.put("dist", "CentOS");
        v.put("dists", List.of("CentOS", "RedHat"));
        v.put("ratio", 0.5);
        v.put("nested", Map.of("inner", Map.of("x", 3)));
        v.put("nothing", null);
        v.put("yes_word", "yes");
        v.put("x", "{{ n }}");
        v.put("y", "{{ n + 1 }}");
        v.put("lst", List.of("{{ n }}", "{{ n + 1 }}"));
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("net.core.somaxconn", 1024);
        settings.put("net.ipv4.tcp_fin_timeout", 30);
        v.put("settings", settings);
        v.put("items", List.of(Map.of("key", "a", "value", 1), Map.of("key", "b", "value", 2)));
        v.put("mixed", "  Mixed Case  ");
        v.put("num_str", "7.9");
        v.put("under", "1_000");
        v.put("neg", -3);
        v.put("self_ref", "{{ self_ref }}");
        v.put("chain_a", "{{ chain_b }}");
        v.put("chain_b", "{{ chain_c }}");
        v.put("chain_c", "end");
        v.put("broken", Map.of("a", 1, "b", "{{ undefined_thing }}"));
        v.put("tmpl_if", "{% if flag %}on{% else %}off{% endif %}");
        v.put("fin", "{{ 15 * 2 }}");
        return v;
    }

    static final List<String> WHEN = List.of(
            // the original table
            "n == 5", "s == 5", "s == '5'", "n > 4 and n < 6", "n >= 5.0", "ratio < 1", "word", "empty",
            "not flag", "off or flag", "dist in dists", "'Debian' not in dists", "'ent' in dist",
            "undefined_var is defined", "undefined_var is not defined", "nested.inner.x == 3",
            "nested.missing.deeper is defined", "kernel is version('4.12', '<')", "kernel is version('4.9', '>=')",
            "'4.12' is version('4.12.0', 'lt')", "s | int == 5", "'3.7' | int == 3", "word | bool", "yes_word | bool",
            "undefined_var | default('x') == 'x'", "true == 1", "nothing", "nothing == None", "not (n == 5 or off)",
            "missing == 1", "n > '4'", "n in 'abc'", "'1.a' is version('1.2', '<')",
            // facts, magic variables, registered results
            "ansible_facts['os_family'] == ansible_os_family", "ansible_facts.os_family in ['Debian', 'RedHat']",
            "ansible_facts['distribution'] is string", "inventory_hostname == 'localhost'",
            "'ungrouped' in group_names", "groups['all'] | length == 1", "hostvars['localhost']['n'] == 5",
            "hostvars[inventory_hostname].x == 5", "not ansible_check_mode", "ok_result is changed",
            "ok_result is succeeded", "ok_result is ansible.builtin.success", "skip_result is skipped",
            "skip_result is ansible.builtin.skipped", "fail_result is failed", "fail_result is ansible.builtin.failed",
            "fail_result is not succeeded", "ok_result is not failed", "ok_result.rc == 0",
            "ok_result.stdout == '{' ~ '{ n }' ~ '}'", "n is ansible.builtin.defined",
            "missing is ansible.builtin.undefined", "ok_result is ansible.builtin.changed",
            // lazy, recursive templating
            "x == 5", "x == '5'", "y == 6", "y == '6'", "lst[0] == 5", "lst[1] == '6'", "broken is defined",
            "broken.a is defined", "self_ref == 1", "chain_a == 'end'", "fin == '30'", "tmpl_if == 'on'",
            // lookups and filters
            "lookup('env', 'SYSFLEET_EQ_ENV') == 'from-env'", "lookup('env', 'SYSFLEET_EQ_UNSET') == ''",
            "lookup('ansible.builtin.env', 'SYSFLEET_EQ_ENV') == 'from-env'",
            "settings | dict2items | length == 2", "(settings | dict2items)[0].key == 'net.core.somaxconn'",
            "items | items2dict == {'a': 1, 'b': 2}", "settings | combine({'x': 1}) | length == 3",
            "flag | ternary('a', 'b') == 'a'", "nothing | ternary('a', 'b', 'c') == 'c'", "word | bool == false",
            "'TRUE' | bool", "1 | bool", "'on' | bool", "'0' | bool", "missing | default(omit) == omit",
            "nested['inner']['x'] == 3", "nested.inner['x'] is number", "dists[-1] == 'RedHat'",
            "dists | join(',') == 'CentOS,RedHat'", "dist | lower == 'centos'", "dist | upper == 'CENTOS'",
            "s | int + 1 == 6", "num_str | int == 7", "num_str | float > 7.8", "under | int == 1000",
            "n | string == '5'", "n | ansible.builtin.string == '5'", "dists | length == 2", "missing | length",
            "n | no_such_filter", "n is no_such_test", "missing | mandatory",
            // operators and literals
            "[1, 2] == [1, 2]", "[1, 2] < [1, 3]", "{'a': 1} == {'a': 1}", "'a' ~ 1 == 'a1'", "n // 2 == 2",
            "n % 3 == 2", "2 ** 10 == 1024", "n / 2 == 2.5", "-n < 0", "n if flag else 0", "none is none",
            "nothing is none", "kernel is version('4.9', '>=', strict=true)", "kernel is version_compare('5.0', '<')",
            "'1.2.3' is version('1.2.10', 'lt')", "'2.0' is version('2.0.0', '==')", "dist is match('Cent')",
            "dist is match('OS')", "dist is search('OS')", "dist is regex('^C.*S$')", "n is odd", "n is even",
            "n is divisibleby(5)", "dists is iterable", "dists is sequence", "nested is mapping", "s is string",
            "n is integer", "ratio is float", "n is number", "s is number", "'' is falsy",
            "'yes' is truthy(convert_bool=True)", "not (n == 5 and flag)", "n == 5 or missing", "off and missing",
            "off or missing", "not missing is defined", "missing.attr is defined", "nested.missing is undefined",
            "'x' in nested", "'inner' in nested", "5 in [5.0]", "true in [1]", "'a' < 'b'", "'B' < 'a'",
            "not n in [5]", "not s == '5'", "n != '5'", "n == 5 == true",
            // string and value truthiness
            "'false'", "'0'", "''", "' '", "'no'", "[]", "[0]", "{}", "0.0", "None", "0", "1", "off",
            "{{ flag }}", "{{ word }}", "{{ empty }}", "{{ 'n == 5' }}");

    static final List<String> VALUES = List.of(
            "{{ x }}", "{{ y }}", "{{ lst }}", "{{ n }}", "{{ flag }}", "{{ nothing }}", "{{ ratio }}", "{{ fin }}",
            "{{ settings | dict2items }}", "{{ items | items2dict }}", "{{ settings | combine({'a': 1}) }}",
            "{{ {'a': {'b': 1}} | combine({'a': {'c': 2}}, recursive=true) }}",
            "{{ {'a': {'b': 1}} | combine({'a': {'c': 2}}) }}", "{{ flag | ternary('yes', 'no') }}",
            "{{ missing | default(omit) }}", "{{ omit }}", "{{ missing | default() }}", "{{ missing | d('dd') }}",
            "{{ empty | default('e', true) }}", "{{ empty | default('e') }}",
            "{% if flag %}on{% else %}off{% endif %}", "{% if n > 3 %}{{ n }}{% endif %}", "{{ tmpl_if }}",
            "{% for k in settings %}{{ k }}={{ settings[k] }};{% endfor %}",
            "{% for i in dists %}{{ loop.index }}:{{ i }} {% endfor %}", "{% set z = n * 2 %}{{ z }}",
            "{% for k, v in settings.items() %}{{ k }}:{{ v }} {% endfor %}",
            "{{ ansible_facts['os_family'] }}", "{{ ansible_os_family }}", "{{ ansible_facts.distribution }}",
            "{{ inventory_hostname }}", "{{ group_names }}", "{{ groups }}", "{{ hostvars['localhost']['y'] }}",
            "{{ hostvars['localhost'].lst }}", "{{ ansible_check_mode }}", "{{ ok_result.stdout }}",
            "{{ ok_result.stdout | length }}", "{{ ok_result.rc }}", "[{{ n }}]", "{{ '[1, 2]' }}", "{{ 'True' }}",
            "{{ 'true' }}", "{{ none }}", "a{{ none }}b", "{{ 1.0 }}", "{{ 1e20 }}", "{{ 1e-5 }}", "{{ 0.1 + 0.2 }}",
            "{{ 7 / 2 }}", "{{ -7 // 2 }}", "{{ -7 % 3 }}", "{{ 2 ** 0.5 }}", "{{ 10 ** 20 }}", "{{ 'ab' * 3 }}",
            "{{ [1] + [2] }}", "{{ 'a' ~ 1 ~ true }}", "{{ range(3) | list }}", "{{ range(1, 7, 2) | list }}",
            "{{ dists | map('lower') | list }}", "{{ items | map(attribute='key') | join(',') }}",
            "{{ items | selectattr('value', 'gt', 1) | list }}", "{{ [1, none, 0, 2] | select | list }}",
            "{{ [1, 2, 3] | reject('odd') | list }}", "{{ [3, 1, 2] | sort }}", "{{ 'a,b,c' | split(',') }}",
            "{{ 'a b  c' | split }}", "{{ kernel.split('-')[0] }}", "{{ dist.startswith('Cent') }}",
            "{{ settings.keys() | list }}", "{{ nested.items() | list }}", "{{ 'xax' | regex_replace('x', 'y') }}",
            "{{ 'abc' | regex_replace('(b)', '[\\\\1]') }}", "{{ lookup('env', 'SYSFLEET_EQ_ENV') }}",
            "{{ query('env', 'SYSFLEET_EQ_ENV') }}", "{{ lookup('env', 'SYSFLEET_EQ_UNSET', default='dflt') }}",
            "{{ self_ref }}", "{{ chain_a }}", "{{ broken }}", "{{ broken.a }}", "{{ missing.attr | default('ok') }}",
            "{{ nested.inner }}", "{{ nested['inner'] }}", "{{ dists[5] | default('none') }}", "{{ dists[0][0] }}",
            "{{ [[1, [2]], 3] | flatten }}", "{{ [1, 2, 2] | unique }}", "{{ dists | first }}", "{{ dists | last }}",
            "{{ [3, 9, 1] | max }}", "{{ [3, 9, 1] | min }}", "{{ [1, 2] | sum }}", "{{ -3 | abs }}",
            "{{ 2.5 | round }}", "{{ 3.14159 | round(2) }}", "{{ settings | to_json }}", "{{ 'it''s' }}",
            "{{ \"it's\" }}", "{{ 'a\\nb' }}", "{{ {'k': none, 'l': [true, 1.5]} }}", "{{ n }}{{ n }}",
            "{{ n | int }}", "{{ s | int }}", "{{ 'x' | upper }}{{ 'Y' | lower }}", "{{ [1, 2] | join('-') }}",
            "{{ missing }}", "{{ n | bool }}", "{{ dist | replace('OS', 'os') }}", "{{ mixed | trim }}",
            "{{ mixed | capitalize }}", "{{ '%s' }}", "{# a comment #}text", "{% raw %}{{ n }}{% endraw %}",
            "{{ n | default(1) | int + 1 }}", "{{ (settings | dict2items) | items2dict }}");

    static final List<String> INPUTS = List.of("n", "s", "word", "empty", "flag", "nothing", "ratio", "dists",
            "nested", "mixed", "num_str", "under", "neg", "settings", "items", "missing", "' 12 '", "-0.5");
    static final List<String> FILTERS = List.of("bool", "int", "float", "string", "lower", "upper", "length",
            "trim", "first", "last", "list", "unique", "sort", "reverse", "min", "max", "sum", "to_json", "default",
            "d('z')", "default('z', true)", "join(',')", "capitalize", "abs", "round", "dict2items", "items2dict",
            "flatten", "mandatory", "int(7)", "ternary(1, 2)", "combine({'z': 1})", "length > 1");
    static final List<String> LITERALS = List.of("5", "'5'", "5.0", "true", "none", "'a'", "[5]", "{'a': 1}", "''",
            "n");
    static final List<String> OPS = List.of("==", "!=", "<", ">=", "in", "not in");
    static final List<String> TESTS = List.of("defined", "undefined", "none", "string", "number", "integer", "float",
            "mapping", "iterable", "sequence", "lower", "upper", "even", "odd", "truthy", "falsy", "failed",
            "succeeded", "changed", "skipped", "ansible.builtin.changed", "version('4.12', '<')", "divisibleby(3)",
            "match('^[0-9]')", "sameas(true)", "eq(5)", "in([5, '5'])");

    /**
     * Where sysfleet knowingly differs from ansible-playbook, each for a reason the README lists. The test fails
     * if this list and the real disagreements part ways, in either direction.
     */
    static final List<String> KNOWN_DIFFERENCES = List.of(
            // Jinja2 refuses a conditional expression as an {% if %} condition; Jinjava's parser accepts it
            "when n if flag else 0",
            // Jinja2 chains comparisons (a == b == c); Jinjava's parser groups them left to right
            "when n == 5 == true",
            // Jinjava's lexer ends an expression at the first }}, even inside a dict literal: write } }
            "value {{ {'a': {'b': 1}} | combine({'a': {'c': 2}}, recursive=true) }}",
            "value {{ {'a': {'b': 1}} | combine({'a': {'c': 2}}) }}",
            // Jinja2 joins adjacent string literals ('it' 's'); Jinjava's parser does not
            "value {{ 'it''s' }}");

    static List<Case> cases() {
        List<Case> out = new ArrayList<>();
        WHEN.forEach(w -> out.add(new Case(true, w)));
        VALUES.forEach(v -> out.add(new Case(false, v)));
        for (String in : INPUTS) {
            for (String f : FILTERS) {
                out.add(new Case(false, "{{ " + in + " | " + f + " }}"));
            }
            for (String t : TESTS) {
                out.add(new Case(true, in + " is " + t));
            }
        }
        for (String a : LITERALS) {
            for (String op : OPS) {
                for (String b : LITERALS) {
                    out.add(new Case(true, a + " " + op + " " + b));
                }
            }
        }
        return out;
    }

    static Map<String, Object> reported;
    static List<String> oracle;

    @BeforeAll
    static void runAnsible(@TempDir Path dir) throws Exception {
        List<Case> cases = cases();
        ObjectMapper json = new ObjectMapper();
        List<Object> tasks = new ArrayList<>();
        tasks.add(Map.of("name", "ok", "shell", "echo '{''{ n }''}'", "register", "ok_result", "changed_when", true));
        tasks.add(Map.of("name", "skip", "debug", Map.of("msg", "x"), "when", false, "register", "skip_result"));
        tasks.add(Map.of("name", "fail", "command", "/bin/false", "register", "fail_result", "ignore_errors", true));
        tasks.add(Map.of("name", "capture", "debug", Map.of("msg", "{{ {'facts': ansible_facts, 'ok': ok_result, "
                + "'skip': skip_result, 'fail': fail_result, 'groups': groups, 'group_names': group_names} }}")));
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("name", "case " + i);
            if (c.when()) {
                t.put("debug", Map.of("msg", "ran"));
                t.put("when", c.text());
            } else {
                t.put("vars", Map.of("r", c.text()));
                t.put("debug", Map.of("msg", "{{ [r, r | type_debug] }}"));
            }
            t.put("ignore_errors", true);
            tasks.add(t);
        }
        Map<String, Object> play = new LinkedHashMap<>();
        play.put("hosts", "localhost");
        play.put("connection", "local");
        play.put("gather_facts", true);
        play.put("gather_subset", List.of("!all", "min"));
        play.put("vars", playVars());
        play.put("tasks", tasks);
        Path playbook = dir.resolve("eq.json");
        Files.writeString(playbook, json.writeValueAsString(List.of(play)), StandardCharsets.UTF_8);

        ProcessBuilder pb = new ProcessBuilder("ansible-playbook", "-i", "localhost,", playbook.toString());
        pb.environment().put("ANSIBLE_STDOUT_CALLBACK", "json");
        pb.environment().put("ANSIBLE_LOCALHOST_WARNING", "False");
        pb.environment().put("ANSIBLE_INVENTORY_UNPARSED_WARNING", "False");
        pb.environment().put("ANSIBLE_RETRY_FILES_ENABLED", "False");
        pb.environment().put("ANSIBLE_PYTHON_INTERPRETER", "auto_silent");
        pb.environment().put("ANSIBLE_LOCAL_TEMP", dir.resolve("tmp").toString());
        pb.environment().putAll(ENV);
        pb.environment().remove("SYSFLEET_EQ_UNSET");
        pb.redirectError(dir.resolve("stderr.txt").toFile());
        pb.redirectOutput(dir.resolve("stdout.json").toFile());
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            fail("ansible-playbook is needed as the oracle for templates (install ansible-core): " + e.getMessage());
            return;
        }
        if (!p.waitFor(600, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("ansible-playbook did not finish in 600 s");
        }
        String out = Files.readString(dir.resolve("stdout.json"));
        JsonNode root;
        try {
            root = json.readTree(out);
        } catch (IOException e) {
            fail("ansible-playbook (exit " + p.exitValue() + ") printed no JSON: " + out + "\n"
                    + Files.readString(dir.resolve("stderr.txt")));
            return;
        }
        Map<String, JsonNode> byName = new LinkedHashMap<>();
        for (JsonNode task : root.path("plays").path(0).path("tasks")) {
            byName.put(task.path("task").path("name").asText(), task.path("hosts").path("localhost"));
        }
        reported = json.convertValue(byName.get("capture").path("msg"), Map.class);
        oracle = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            JsonNode h = byName.get("case " + i);
            assertTrue(h != null, "ansible-playbook reported case " + i);
            Case c = cases.get(i);
            if (h.path("failed").asBoolean(false)) {
                oracle.add("error");
            } else if (c.when()) {
                oracle.add(h.path("skipped").asBoolean(false) ? "false" : "true");
            } else {
                JsonNode msg = h.path("msg");
                oracle.add(canonical(json.convertValue(msg.get(0), Object.class), pyType(msg.get(1).asText())));
            }
        }
    }

    /** Ansible's own string and container classes are str, dict and list to a template. */
    static String pyType(String ansibleType) {
        return switch (ansibleType) {
            case "AnsibleUnicode", "AnsibleUnsafeText", "NativeJinjaText", "NativeJinjaUnsafeText" -> "str";
            case "AnsibleMapping" -> "dict";
            case "AnsibleSequence" -> "list";
            default -> ansibleType;
        };
    }

    /** A value and its type, comparable across JSON and Java: dict keys sorted, numbers normalised. */
    static String canonical(Object v, String type) {
        return type + ":" + canon(v).replaceAll("__omit_place_holder__[0-9a-z]+", "<omit>");
    }

    private static String canon(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, String> sorted = new TreeMap<>();
            m.forEach((k, x) -> sorted.put(String.valueOf(k), canon(x)));
            return sorted.toString();
        }
        if (v instanceof List<?> l) {
            List<String> out = new ArrayList<>();
            l.forEach(x -> out.add(canon(x)));
            return out.toString();
        }
        if (v instanceof Number num && !(v instanceof Double) && !(v instanceof Float)
                && !(v instanceof java.math.BigDecimal)) {
            return "int " + new java.math.BigInteger(num.toString());
        }
        if (v instanceof Number num) {
            return "float " + Py.floatRepr(num.doubleValue());
        }
        return v == null ? "None" : v instanceof String s ? "'" + s + "'" : String.valueOf(v);
    }

    @SuppressWarnings("unchecked")
    static Vars vars() {
        Vars base = Vars.empty()
                .withAll(Vars.facts((Map<String, Object>) reported.get("facts")))
                .withAll(playVars())
                .withData("ok_result", reported.get("ok"))
                .withData("skip_result", reported.get("skip"))
                .withData("fail_result", reported.get("fail"))
                .withAll(Map.of("inventory_hostname", "localhost", "inventory_hostname_short", "localhost",
                        "groups", reported.get("groups"), "group_names", reported.get("group_names"),
                        "ansible_check_mode", false));
        return base.with("hostvars", Map.of("localhost", base));
    }

    static String ours(TemplateEngine engine, Case c, Vars vars) {
        try {
            if (c.when()) {
                return String.valueOf(engine.when(c.text(), vars, AT));
            }
            Object v = engine.render(c.text(), vars, AT);
            return canonical(v, Py.typeName(v));
        } catch (ConfigException e) {
            assertEquals(1, e.getMessage().lines().count(), "one line: " + e.getMessage());
            assertTrue(e.getMessage().startsWith("eq.yml:1:1: "), e.getMessage());
            return "error";
        }
    }

    /** Jinjava as shipped, configured strictly: its answers on the same cases, for the record. */
    static String plainJinjava(Jinjava j, Case c, Map<String, Object> vars) {
        try {
            String t = c.when() ? "{% if " + c.text() + " %}True{% else %}False{% endif %}" : c.text();
            RenderResult r = j.renderForResult(t, vars);
            if (!r.getErrors().isEmpty()) {
                return "error";
            }
            return c.when() ? String.valueOf(r.getOutput().equals("True")) : canonical(r.getOutput(), "str");
        } catch (RuntimeException e) {
            return "error";
        }
    }

    @Test
    void engineAgreesWithAnsiblePlaybook() {
        List<Case> cases = cases();
        TemplateEngine engine = new TemplateEngine(Limits.DEFAULT, ENV);
        Vars vars = vars();
        Jinjava plain = new Jinjava(JinjavaConfig.newBuilder().withFailOnUnknownTokens(true).build());
        Map<String, Object> plainVars = new LinkedHashMap<>(playVars());
        plainVars.putAll(Vars.facts((Map<String, Object>) reported.get("facts")));
        plainVars.replaceAll((k, v) -> v instanceof Unsafe u ? u.value() : v);
        List<String> disagreements = new ArrayList<>();
        int plainAgrees = 0;
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            String theirs = oracle.get(i);
            String mine = ours(engine, c, vars);
            if (!mine.equals(theirs)) {
                disagreements.add((c.when() ? "when " : "value ") + c.text());
                System.out.println("differs: " + (c.when() ? "when " : "value ") + c.text() + ": sysfleet " + mine
                        + ", ansible " + theirs);
            }
            if (plainJinjava(plain, c, plainVars).equals(theirs)) {
                plainAgrees++;
            }
        }
        System.out.printf("template equivalence with ansible-playbook: sysfleet %d/%d, plain Jinjava 2.8.2 %d/%d%n",
                cases.size() - disagreements.size(), cases.size(), plainAgrees, cases.size());
        assertEquals(KNOWN_DIFFERENCES, disagreements);
        assertTrue(cases.size() > 1000, "a broad table: " + cases.size());
        assertTrue(oracle.contains("true") && oracle.contains("false") && oracle.contains("error"),
                "the table covers true, false and error outcomes");
    }
}
