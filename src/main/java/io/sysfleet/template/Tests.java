package io.sysfleet.template;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.exptest.ExpTest;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The tests ({@code x is defined}, {@code r is failed}, {@code v is version('4.12', '<')}) with Jinja2's and
 * ansible-core 2.14's semantics, under their short and {@code ansible.builtin.} names. Jinjava's own tests are
 * not used (its {@code defined} treats null as undefined, its {@code string} and {@code number} tests coerce).
 */
final class Tests {
    private Tests() {
    }

    interface Fn {
        boolean test(Object value, List<Object> args);
    }

    static final class AnsibleTest implements ExpTest {
        private final String name;
        private final boolean takesUndefined;
        private final int maxArgs;
        private final Fn fn;

        AnsibleTest(String name, boolean takesUndefined, int maxArgs, Fn fn) {
            this.name = name;
            this.takesUndefined = takesUndefined;
            this.maxArgs = maxArgs;
            this.fn = fn;
        }

        boolean test(Object value, List<Object> args) {
            if (!takesUndefined) {
                Py.defined(value);
            }
            if (args.size() > maxArgs) {
                throw Py.fail("test '" + name + "' takes at most " + maxArgs + " argument(s), got " + args.size());
            }
            return fn.test(value, args);
        }

        @Override
        public boolean evaluate(Object var, JinjavaInterpreter interpreter, Object... args) {
            return test(var, Arrays.asList(args));
        }

        @Override
        public String getName() {
            return name;
        }
    }

    private static final Map<String, AnsibleTest> ALL = new TreeMap<>();

    /** Tests that are Ansible's plugins (ansible.builtin.NAME); the others are Jinja2's, without that name. */
    private static final java.util.Set<String> ANSIBLE = java.util.Set.of("version", "failed", "succeeded",
            "changed", "skipped", "truthy", "falsy", "match", "search", "regex", "contains");

    private static void add(String name, boolean takesUndefined, int maxArgs, Fn fn, String... aliases) {
        AnsibleTest t = new AnsibleTest(name, takesUndefined, maxArgs, fn);
        for (String n : concat(name, aliases)) {
            ALL.put(n, t);
            if (ANSIBLE.contains(name)) {
                ALL.put("ansible.builtin." + n, t);
            }
        }
    }

    private static void add(String name, int maxArgs, Fn fn, String... aliases) {
        add(name, false, maxArgs, fn, aliases);
    }

    private static List<String> concat(String first, String... rest) {
        List<String> out = new java.util.ArrayList<>();
        out.add(first);
        out.addAll(Arrays.asList(rest));
        return out;
    }

    static Map<String, AnsibleTest> all() {
        return Collections.unmodifiableMap(ALL);
    }

    private static Object arg(List<Object> args, int i) {
        if (i >= args.size()) {
            throw Py.fail("missing argument " + (i + 1));
        }
        return Py.defined(args.get(i));
    }

    static {
        add("defined", true, 0, (v, a) -> !(v instanceof Undefined));
        add("undefined", true, 0, (v, a) -> v instanceof Undefined);
        add("none", true, 0, (v, a) -> v == null);
        add("boolean", true, 0, (v, a) -> v instanceof Boolean);
        add("true", true, 0, (v, a) -> Boolean.TRUE.equals(v));
        add("false", true, 0, (v, a) -> Boolean.FALSE.equals(v));
        add("number", true, 0, (v, a) -> Py.isNumber(v));
        add("integer", true, 0, (v, a) -> Py.isInt(v));
        add("float", true, 0, (v, a) -> Py.isFloat(v));
        add("string", true, 0, (v, a) -> v instanceof CharSequence);
        add("mapping", true, 0, (v, a) -> v instanceof Map<?, ?>);
        add("sequence", true, 0, (v, a) -> v instanceof List<?> || v instanceof CharSequence || v instanceof Map<?, ?>);
        add("iterable", 0, (v, a) -> v instanceof List<?> || v instanceof CharSequence || v instanceof Map<?, ?>);
        add("lower", 0, (v, a) -> cased(Py.str(v), true));
        add("upper", 0, (v, a) -> cased(Py.str(v), false));
        add("eq", 1, (v, a) -> Py.eq(v, arg(a, 0)), "equalto", "==");
        add("ne", 1, (v, a) -> !Py.eq(v, arg(a, 0)), "!=");
        add("lt", 1, (v, a) -> Py.order("<", v, arg(a, 0)), "lessthan", "<");
        add("le", 1, (v, a) -> Py.order("<=", v, arg(a, 0)), "<=");
        add("gt", 1, (v, a) -> Py.order(">", v, arg(a, 0)), "greaterthan", ">");
        add("ge", 1, (v, a) -> Py.order(">=", v, arg(a, 0)), ">=");
        add("in", 1, (v, a) -> Py.contains(arg(a, 0), v));
        add("contains", 1, (v, a) -> Py.contains(v, arg(a, 0)));
        add("sameas", true, 1, (v, a) -> v == arg(a, 0) || v instanceof Boolean && v.equals(arg(a, 0)));
        add("divisibleby", 1, (v, a) -> Py.eq(Py.mod(v, arg(a, 0)), 0L));
        add("even", 0, (v, a) -> Py.eq(Py.mod(v, 2L), 0L));
        add("odd", 0, (v, a) -> Py.eq(Py.mod(v, 2L), 1L));
        add("version", 4, Tests::version, "version_compare");
        add("failed", 0, (v, a) -> Py.truthy(result(v, "failed").getOrDefault("failed", false)), "failure");
        add("succeeded", 0, (v, a) -> !Py.truthy(result(v, "succeeded").getOrDefault("failed", false)),
                "success", "successful");
        add("changed", 0, (v, a) -> changed(result(v, "changed")), "change");
        add("skipped", 0, (v, a) -> Py.truthy(result(v, "skipped").getOrDefault("skipped", false)), "skip");
        add("truthy", 1, (v, a) -> Py.truthy(convert(v, a)));
        add("falsy", 1, (v, a) -> !Py.truthy(convert(v, a)));
        add("match", 2, (v, a) -> regex(v, a, true));
        add("search", 2, (v, a) -> regex(v, a, false));
        add("regex", 3, (v, a) -> regex(v, a, false));
    }

    /** Python's str.islower()/isupper(): at least one cased character, and all of them in that case. */
    private static boolean cased(String s, boolean lower) {
        boolean any = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isUpperCase(c) || Character.isLowerCase(c)) {
                any = true;
                if (lower ? Character.isUpperCase(c) : Character.isLowerCase(c)) {
                    return false;
                }
            }
        }
        return any;
    }

    private static Object convert(Object v, List<Object> a) {
        return !a.isEmpty() && Py.truthy(arg(a, 0)) ? Filters.toBool(v) : v;
    }

    private static boolean regex(Object v, List<Object> a, boolean match) {
        int flags = a.size() > 1 && Py.truthy(arg(a, 1)) ? Pattern.CASE_INSENSITIVE : 0;
        return Filters.search(v, Py.str(arg(a, 0)), match, false, flags);
    }

    @SuppressWarnings("unchecked")
    private static Map<Object, Object> result(Object v, String test) {
        if (!(v instanceof Map<?, ?> m)) {
            throw Py.fail("The '" + test + "' test expects a dictionary");
        }
        return (Map<Object, Object>) m;
    }

    private static boolean changed(Map<Object, Object> r) {
        if (r.containsKey("changed")) {
            return Py.truthy(r.get("changed"));
        }
        if (r.get("results") instanceof List<?> results && !results.isEmpty() && results.get(0) instanceof Map<?, ?>) {
            for (Object o : results) {
                if (o instanceof Map<?, ?> m && Py.truthy(m.containsKey("changed") ? m.get("changed") : false)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Ansible's {@code version(version, operator='eq', strict=False, version_type=None)}: LooseVersion by
     * default, StrictVersion with strict or version_type='strict'; other version types are refused.
     */
    private static boolean version(Object v, List<Object> a) {
        Object ref = arg(a, 0);
        String op = a.size() > 1 ? Py.str(arg(a, 1)) : "eq";
        boolean strict = a.size() > 2 && Py.truthy(arg(a, 2));
        String type = a.size() > 3 && arg(a, 3) != null ? Py.str(arg(a, 3)) : strict ? "strict" : "loose";
        String left = Py.str(v);
        String right = Py.str(ref);
        try {
            return switch (type) {
                case "loose" -> LooseVersion.compare(left, right, op);
                case "strict" -> LooseVersion.compareStrict(left, right, op);
                default -> throw Py.fail("version_type '" + type + "' is not supported by sysfleet "
                        + "(supported: loose, strict)");
            };
        } catch (IllegalArgumentException e) {
            throw Py.fail(e.getMessage());
        }
    }
}
