package io.sysfleet.playbook;

import io.sysfleet.core.ConfigException;
import io.sysfleet.core.SourceLocation;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConditionTest {
    static Arguments row(String expr, String expected) {
        return Arguments.of(expr, expected);
    }

    static final SourceLocation AT = new SourceLocation("site.yml", 7, 13);

    /** The variables every table row sees (also used by AnsibleWhenEquivalenceTest). */
    static Map<String, Object> vars() {
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
        return v;
    }

    static Stream<Arguments> truthTable() {
        return Stream.of(
                row("n == 5", "true"),
                row("s == 5", "false"),
                row("s == '5'", "true"),
                row("n != 5", "false"),
                row("n > 4 and n < 6", "true"),
                row("n >= 5.0", "true"),
                row("ratio < 1", "true"),
                row("word", "true"),
                row("empty", "false"),
                row("not flag", "false"),
                row("off or flag", "true"),
                row("flag and off", "false"),
                row("dist in dists", "true"),
                row("'Debian' not in dists", "true"),
                row("'ent' in dist", "true"),
                row("dist in ['Debian', 'Ubuntu']", "false"),
                row("undefined_var is defined", "false"),
                row("undefined_var is not defined", "true"),
                row("n is defined and n == 5", "true"),
                row("nested.inner.x == 3", "true"),
                row("nested.inner.y is defined", "false"),
                row("nested.missing.deeper is defined", "false"),
                row("kernel is version('4.12', '<')", "true"),
                row("kernel is version('4.9', '>=')", "true"),
                row("kernel is version('4.9.0', 'eq')", "false"),
                row("'4.12' is version('4.9', 'gt')", "true"),
                row("'4.12' is version('4.12.0', 'lt')", "true"),
                row("kernel is not version('4.12', 'lt')", "false"),
                row("s | int == 5", "true"),
                row("'3.7' | int == 3", "true"),
                row("'abc' | int == 0", "true"),
                row("word | bool", "false"),
                row("yes_word | bool", "true"),
                row("undefined_var | default('x') == 'x'", "true"),
                row("n | default(1) == 5", "true"),
                row("not (n == 5 or off)", "false"),
                row("true == 1", "true"),
                row("True", "true"),
                row("nothing == None", "true"),
                row("nothing", "false"),
                row("-1 < 0", "true"),
                row("\"dq\" == 'dq'", "true"),
                row("dists == ['CentOS', 'RedHat']", "true"),
                row("n in [1, 5]", "true"),
                row("'b' > 'a'", "true"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("truthTable")
    void evaluates(String expr, String expected) {
        assertEquals(Boolean.parseBoolean(expected), Condition.parse(expr, AT).evaluate(vars()));
    }

    static Stream<Arguments> syntaxErrors() {
        return Stream.of(
                row("a = 1", "syntax error: unexpected '=' (use '==' to compare)"),
                row("a ==", "syntax error: unexpected end of expression at column 5, expected an expression"),
                row("(a == 1", "syntax error: unexpected end of expression at column 8, expected ')'"),
                row("a == 1)", "syntax error: unexpected ')' at column 7"),
                row("'open", "syntax error: a string, {{ or {% is not closed"),
                row("a | upper_case", "No filter named 'upper_case'."),
                row("a is divisible_by(3)", "No test named 'divisible_by'."),
                // Jinja2 chains comparisons; Jinjava's parser does not (documented in the README)
                row("1 < a < 3", "syntax error: unexpected '<' at column 7"),
                row("and", "syntax error: unexpected 'and' at column 1, expected an expression"),
                row("12abc", "syntax error: unexpected 'abc' at column 3"));
    }

    /** The old hand-written subset refused these; Ansible accepts them, and so does the engine now. */
    static Stream<String> acceptedNow() {
        return Stream.of("a | upper == 'X'", "a is divisibleby(3)", "lookup('env', 'HOME') != ''", "a[0] == 1",
                "a + 1 == 2", "'{{ a }}' == 1", "a is ansible.builtin.version('1.2', '<')");
    }

    @ParameterizedTest
    @MethodSource("acceptedNow")
    void parsesWhatAnsibleAccepts(String expr) {
        assertEquals(List.of(expr), Condition.parse(expr, AT).sources());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("syntaxErrors")
    void parseErrorsNameTheLocationAndExpression(String expr, String message) {
        ConfigException e = assertThrows(ConfigException.class, () -> Condition.parse(expr, AT));
        assertEquals("site.yml:7:13: when '" + expr + "': " + message, e.getMessage());
    }

    @Test
    void emptyExpressionIsAnError() {
        ConfigException e = assertThrows(ConfigException.class, () -> Condition.parse("  ", AT));
        assertEquals("site.yml:7:13: when '  ': empty expression", e.getMessage());
    }

    static Stream<Arguments> runtimeErrorTable() {
        return Stream.of(
                row("missing == 1", "'missing' is undefined"),
                row("missing", "'missing' is undefined"),
                row("nested.inner.y == 1", "'dict object' has no attribute 'y'"),
                row("n > '4'", "'>' not supported between instances of 'int' and 'str'"),
                row("n in 'abc'", "'in <string>' requires string as left operand, not int"),
                row("'x' in n", "argument of type 'int' is not iterable"),
                row("kernel is version('4.12', 'x')", "invalid version operator 'x' (use one of <, lt, <=, le, >, gt, >=, ge, ==, eq, !=, ne)"),
                row("'1.a' is version('1.2', '<')", "version comparison of '1.a' and '1.2' failed: cannot compare 'a' with '2'"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("runtimeErrorTable")
    void runtimeErrors(String expr, String message) {
        Condition c = Condition.parse(expr, AT);
        ConfigException e = assertThrows(ConfigException.class, () -> c.evaluate(vars()));
        assertEquals("site.yml:7:13: when '" + expr + "': " + message, e.getMessage());
    }

    @Test
    void listIsAndAndEmptyIsAlways() {
        Condition c = Condition.all(List.of(Condition.parse("n == 5", AT), Condition.literal(false, AT)));
        assertFalse(c.evaluate(vars()));
        assertTrue(Condition.all(List.of(Condition.parse("n == 5", AT), Condition.literal(true, AT)))
                .evaluate(vars()));
        assertTrue(Condition.always().evaluate(Map.of()));
        assertTrue(Condition.always().isAlways());
    }

    @Test
    void templatedVariableValuesAreRenderedFirst() {
        Map<String, Object> v = new LinkedHashMap<>(vars());
        v.put("kv", "{{ kernel }}");
        v.put("b", "{{ flag }}");
        assertTrue(Condition.parse("kv is version('4.12', '<')", AT).evaluate(v));
        assertEquals(Boolean.TRUE, Condition.parse("b == True", AT).evaluate(v));
    }
}
