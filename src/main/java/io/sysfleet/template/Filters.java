package io.sysfleet.template;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.filter.Filter;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The filters a template may use: Jinja2's and Ansible's, each with Python's semantics as ansible-core 2.14 runs
 * them, under its short name and its {@code ansible.builtin.} name. Jinjava's own filters are not used: most
 * convert their input the Java way (a string "false" is false, numbers become strings) and some read files or
 * render their input as a template. An unknown filter is an error, as in Ansible.
 */
final class Filters {
    private Filters() {
    }

    /** A filter's implementation: the value and the call's arguments. */
    interface Fn {
        Object apply(Object value, Args args);
    }

    static final class AnsibleFilter implements Filter {
        private final String name;
        private final boolean takesUndefined;
        private final List<String> params;
        private final Fn fn;

        AnsibleFilter(String name, boolean takesUndefined, List<String> params, Fn fn) {
            this.name = name;
            this.takesUndefined = takesUndefined;
            this.params = params;
            this.fn = fn;
        }

        Object apply(Object value, List<Object> args, Map<String, Object> kwargs) {
            if (!takesUndefined) {
                Py.defined(value);
            }
            return fn.apply(value, new Args(name, params, args, kwargs));
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            return apply(var, Arrays.asList((Object[]) args), Map.of());
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
            return apply(var, Arrays.asList(args), kwargs);
        }

        @Override
        public String getName() {
            return name;
        }
    }

    /** Positional and keyword arguments, named by the filter's Python signature. */
    static final class Args {
        private final String filter;
        private final List<String> params;
        private final List<Object> positional;
        private final Map<String, Object> keywords;

        Args(String filter, List<String> params, List<Object> positional, Map<String, Object> keywords) {
            this.filter = filter;
            this.params = params;
            this.positional = positional;
            this.keywords = keywords;
            if (positional.size() > params.size() && !params.contains("*")) {
                throw Py.fail(filter + "() takes at most " + params.size() + " argument(s) (" + positional.size()
                        + " given)");
            }
            for (String k : keywords.keySet()) {
                if (!params.contains(k)) {
                    throw Py.fail(filter + "() got an unexpected keyword argument '" + k + "'");
                }
            }
        }

        boolean has(int i) {
            return i < positional.size() || i < params.size() && keywords.containsKey(params.get(i));
        }

        /** Argument {@code i}, or its default; may be {@link Undefined} only if the filter asks with raw. */
        Object get(int i, Object dflt) {
            Object v = raw(i, dflt);
            return Py.defined(v);
        }

        Object raw(int i, Object dflt) {
            if (i < positional.size()) {
                return positional.get(i);
            }
            if (i < params.size() && keywords.containsKey(params.get(i))) {
                return keywords.get(params.get(i));
            }
            return dflt;
        }

        List<Object> rest(int from) {
            return from < positional.size() ? positional.subList(from, positional.size()) : List.of();
        }

        String string(int i, String dflt) {
            Object v = get(i, dflt);
            if (v != null && !(v instanceof CharSequence)) {
                throw Py.fail(filter + "(): argument " + (i + 1) + " must be a string, not " + Py.typeName(v));
            }
            return v == null ? null : v.toString();
        }

        boolean bool(int i, boolean dflt) {
            return Py.truthy(get(i, dflt));
        }

        boolean keywordBool(String k) {
            return keywords.containsKey(k) && Py.truthy(Py.defined(keywords.get(k)));
        }

        String keywordString(String k) {
            Object v = keywords.get(k);
            return v == null ? null : Py.str(v);
        }
    }

    private static final Map<String, AnsibleFilter> ALL = new TreeMap<>();

    /** Filters that are Ansible's plugins (ansible.builtin.NAME); the others are Jinja2's, without that name. */
    private static final java.util.Set<String> ANSIBLE = java.util.Set.of("bool", "to_json", "mandatory", "ternary",
            "combine", "dict2items", "items2dict", "regex_replace", "split", "flatten", "type_debug", "unique", "min",
            "max", "basename", "dirname");

    private static void add(String name, boolean takesUndefined, String params, Fn fn) {
        List<String> p = params.isEmpty() ? List.of() : List.of(params.split(","));
        ALL.put(name, new AnsibleFilter(name, takesUndefined, p, fn));
        if (ANSIBLE.contains(name)) {
            ALL.put("ansible.builtin." + name, new AnsibleFilter(name, takesUndefined, p, fn));
        }
    }

    private static void add(String name, String params, Fn fn) {
        add(name, false, params, fn);
    }

    /** Every filter, by every name it answers to. */
    static Map<String, AnsibleFilter> all() {
        return Collections.unmodifiableMap(ALL);
    }

    static {
        Fn dflt = (v, a) -> v instanceof Undefined || a.bool(1, false) && !Py.truthy(v) ? a.get(0, "") : v;
        add("default", true, "default_value,boolean", dflt);
        add("d", true, "default_value,boolean", dflt);
        add("mandatory", true, "msg", (v, a) -> {
            if (v instanceof Undefined u) {
                throw Py.fail(a.has(0) ? a.string(0, null) : "Mandatory variable " + "'" + u.name()
                        + "' not defined.");
            }
            return v;
        });
        add("bool", "", (v, a) -> toBool(v));
        // Python's os.path.basename / dirname (POSIX): the text after / before the last '/'
        add("basename", "", (v, a) -> {
            String p = Py.str(v);
            return p.substring(p.lastIndexOf('/') + 1);
        });
        add("dirname", "", (v, a) -> {
            String p = Py.str(v);
            int i = p.lastIndexOf('/') + 1;
            String head = p.substring(0, i);
            return head.isEmpty() || head.chars().allMatch(c -> c == '/') ? head : head.replaceAll("/+$", "");
        });
        add("int", "default,base", (v, a) -> toInt(v, a.get(0, 0L), Py.big(a.get(1, 10L)).intValue()));
        add("float", "default", (v, a) -> toFloat(v, a.get(0, 0.0)));
        add("string", "", (v, a) -> Py.str(v));
        add("lower", "", (v, a) -> Py.str(v).toLowerCase(Locale.ROOT));
        add("upper", "", (v, a) -> Py.str(v).toUpperCase(Locale.ROOT));
        add("capitalize", "", (v, a) -> {
            String s = Py.str(v);
            return s.isEmpty() ? s : s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1).toLowerCase(Locale.ROOT);
        });
        add("trim", "chars", (v, a) -> {
            String s = Py.str(v);
            String chars = a.string(0, null);
            return chars == null ? s.strip() : PyResolver.PyMethods.call(s, "strip", List.of(chars));
        });
        add("replace", "old,new,count", (v, a) -> replace(Py.str(v), a.string(0, ""), a.string(1, ""),
                a.has(2) ? Py.big(a.get(2, -1L)).intValue() : -1));
        Fn length = (v, a) -> (long) len(v);
        add("length", "", length);
        add("count", "", length);
        add("join", "d,attribute", (v, a) -> {
            String sep = Py.str(a.get(0, ""));
            StringBuilder sb = new StringBuilder();
            boolean first = true;
            for (Object o : iterate(v)) {
                if (!first) {
                    sb.append(sep);
                }
                first = false;
                sb.append(Py.str(a.has(1) ? attribute(o, a.string(1, null)) : o));
                Session.checkLength(sb.length());
            }
            return sb.toString();
        });
        add("first", "", (v, a) -> {
            List<Object> l = iterate(v);
            return l.isEmpty() ? new Undefined("first", "No first item, sequence was empty.") : l.get(0);
        });
        add("last", "", (v, a) -> {
            List<Object> l = iterate(v);
            return l.isEmpty() ? new Undefined("last", "No last item, sequence was empty.") : l.get(l.size() - 1);
        });
        add("list", "", (v, a) -> new ArrayList<>(iterate(v)));
        add("unique", "case_sensitive,attribute", (v, a) -> {
            List<Object> out = new ArrayList<>();
            for (Object o : iterate(v)) {
                if (out.stream().noneMatch(x -> Py.eq(x, o))) {
                    out.add(o);
                }
            }
            return out;
        });
        add("sort", "reverse,case_sensitive,attribute", (v, a) -> {
            List<Object> out = new ArrayList<>(iterate(v));
            String attr = a.string(2, null);
            out.sort((x, y) -> {
                Object p = attr == null ? x : attribute(x, attr);
                Object q = attr == null ? y : attribute(y, attr);
                if (!a.bool(1, false) && p instanceof CharSequence && q instanceof CharSequence) {
                    p = p.toString().toLowerCase(Locale.ROOT);
                    q = q.toString().toLowerCase(Locale.ROOT);
                }
                return Py.eq(p, q) ? 0 : Py.order("<", p, q) ? -1 : 1;
            });
            if (a.bool(0, false)) {
                Collections.reverse(out);
            }
            return out;
        });
        add("reverse", "", (v, a) -> {
            if (v instanceof CharSequence s) {
                return new StringBuilder(s).reverse().toString();
            }
            List<Object> out = new ArrayList<>(iterate(v));
            Collections.reverse(out);
            return out;
        });
        add("min", "case_sensitive,attribute", (v, a) -> extreme(v, true));
        add("max", "case_sensitive,attribute", (v, a) -> extreme(v, false));
        add("sum", "attribute,start", (v, a) -> {
            Object total = a.get(1, 0L);
            for (Object o : iterate(v)) {
                total = Py.add(total, a.has(0) ? attribute(o, a.string(0, null)) : o);
            }
            return total;
        });
        add("abs", "", (v, a) -> {
            if (!Py.isNumber(v)) {
                throw Py.fail("bad operand type for abs(): '" + Py.typeName(v) + "'");
            }
            return Py.isFloat(v) ? (Object) Math.abs(Py.dbl(v)) : Py.integer(Py.big(v).abs());
        });
        add("round", "precision,method", (v, a) -> {
            if (!Py.isNumber(v)) {
                throw Py.fail("type " + Py.typeName(v) + " doesn't define __round__ method");
            }
            int precision = Py.big(a.get(0, 0L)).intValue();
            String method = a.string(1, "common");
            if (method.equals("common") && !Py.isFloat(v)) {
                return Py.integer(Py.big(v));
            }
            RoundingMode mode = switch (method) {
                case "common" -> RoundingMode.HALF_EVEN;
                case "ceil" -> RoundingMode.CEILING;
                case "floor" -> RoundingMode.FLOOR;
                default -> throw Py.fail("method must be common, ceil or floor");
            };
            double r = new BigDecimal(Py.dbl(v)).setScale(precision, mode).doubleValue();
            return r == 0 && Py.dbl(v) < 0 ? -0.0 : r; // Python keeps the sign: round(-0.4) is -0.0
        });
        add("dict2items", "key_name,value_name", (v, a) -> {
            if (!(v instanceof Map<?, ?> m)) {
                throw Py.fail("dict2items requires a dictionary, got " + pyClass(v) + " instead.");
            }
            String k = a.string(0, "key");
            String val = a.string(1, "value");
            List<Object> out = new ArrayList<>();
            m.forEach((key, value) -> {
                Map<String, Object> item = new LinkedHashMap<>();
                item.put(k, key);
                item.put(val, value);
                out.add(item);
            });
            return out;
        });
        add("items2dict", "key_name,value_name", (v, a) -> {
            if (!(v instanceof List<?> l)) {
                throw Py.fail("items2dict requires a list, got " + pyClass(v) + " instead.");
            }
            String k = a.string(0, "key");
            String val = a.string(1, "value");
            Map<Object, Object> out = new LinkedHashMap<>();
            for (Object o : l) {
                if (!(o instanceof Map<?, ?> item)) {
                    throw Py.fail("items2dict requires a list of dictionaries, got " + pyClass(o) + " in it.");
                }
                Object key = item.get(k);
                if (key == null && !item.containsKey(k) || !item.containsKey(val)) {
                    throw Py.fail("items2dict requires each dictionary to have keys '" + k + "' and '" + val + "'");
                }
                out.put(key, item.get(val));
            }
            return out;
        });
        add("combine", false, "*,recursive,list_merge", (v, a) -> {
            List<Object> dicts = new ArrayList<>();
            dicts.add(v);
            dicts.addAll(a.rest(0));
            boolean recursive = a.keywordBool("recursive");
            Map<Object, Object> out = new LinkedHashMap<>();
            for (Object d : dicts) {
                Py.defined(d);
                if (d == null) {
                    continue;
                }
                if (d instanceof List<?> l) {
                    for (Object x : l) {
                        merge(out, dictArg(x), recursive);
                    }
                } else {
                    merge(out, dictArg(d), recursive);
                }
            }
            return out;
        });
        add("ternary", "true_val,false_val,none_val", (v, a) -> {
            if (v == null && a.has(2) && a.get(2, null) != null) {
                return a.get(2, null);
            }
            return Py.truthy(v) ? a.get(0, null) : a.get(1, null);
        });
        add("type_debug", true, "", (v, a) -> v instanceof Undefined ? "AnsibleUndefined" : Py.typeName(v));
        add("split", "sep,maxsplit", (v, a) -> {
            if (!(v instanceof CharSequence s)) {
                throw Py.fail("'" + Py.typeName(v) + "' object has no attribute 'split'");
            }
            return split(s.toString(), a.string(0, null), Py.big(a.get(1, -1L)).intValue());
        });
        add("regex_replace", "pattern,replacement,ignorecase,multiline", (v, a) -> {
            int flags = (a.bool(2, false) ? Pattern.CASE_INSENSITIVE : 0) | (a.bool(3, false) ? Pattern.MULTILINE : 0);
            Matcher m = regex(a.string(0, ""), flags).matcher(Py.str(v));
            String repl = javaReplacement(a.string(1, ""));
            try {
                return m.replaceAll(repl);
            } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
                throw Py.fail("invalid replacement '" + a.string(1, "") + "': " + e.getMessage());
            }
        });
        add("to_json", "", (v, a) -> json(v));
        add("select", "*", (v, a) -> select(v, a, true, false));
        add("reject", "*", (v, a) -> select(v, a, false, false));
        add("selectattr", "*", (v, a) -> select(v, a, true, true));
        add("rejectattr", "*", (v, a) -> select(v, a, false, true));
        add("map", "*,attribute,default", (v, a) -> {
            List<Object> out = new ArrayList<>();
            String attr = a.keywordString("attribute");
            List<Object> rest = a.rest(0);
            AnsibleFilter f = null;
            if (attr == null) {
                if (rest.isEmpty() || !(rest.get(0) instanceof CharSequence name)) {
                    throw Py.fail("map() needs a filter name or attribute=");
                }
                f = ALL.get(name.toString());
                if (f == null) {
                    throw Py.fail("No filter named '" + name + "'.");
                }
            }
            for (Object o : iterate(v)) {
                out.add(attr != null ? attribute(o, attr) : f.apply(o, rest.subList(1, rest.size()), Map.of()));
            }
            return out;
        });
        add("flatten", "levels", (v, a) -> flatten(iterate(v), a.has(0) ? Py.big(a.get(0, 0L)).intValue() : -1));
    }

    // ---- helpers shared with methods ----

    /** Ansible's {@code bool} filter: None and booleans as they are; 'yes', 'on', '1', 'true' and 1 true. */
    static Object toBool(Object v) {
        if (v == null || v instanceof Boolean) {
            return v;
        }
        Object k = v instanceof CharSequence s ? s.toString().toLowerCase(Locale.ROOT) : v;
        if (k instanceof String s) {
            return s.equals("yes") || s.equals("on") || s.equals("1") || s.equals("true");
        }
        return Py.isNumber(k) && Py.eq(k, 1L);
    }

    /** Jinja2's {@code int}: int(value[, base]), else int(float(value)), else the default. */
    static Object toInt(Object v, Object dflt, int base) {
        if (v instanceof Boolean b) {
            return b ? 1L : 0L;
        }
        if (Py.isInt(v)) {
            return Py.integer(Py.big(v));
        }
        if (Py.isFloat(v)) {
            return Py.truncate(Py.dbl(v));
        }
        if (v instanceof CharSequence cs) {
            String s = cs.toString().strip();
            String digits = s.replaceFirst("^[-+]", "");
            if (digits.matches("[0-9a-zA-Z]+(_[0-9a-zA-Z]+)*")) {
                try {
                    BigInteger b = new BigInteger(s.replace("_", ""), base);
                    return Py.integer(b);
                } catch (NumberFormatException e) {
                    // fall through to float
                }
            }
            Object f = parseFloat(s);
            if (f instanceof Double d) {
                return Py.truncate(d);
            }
        }
        return dflt;
    }

    static Object toFloat(Object v, Object dflt) {
        if (Py.isNumber(v)) {
            return Py.dbl(v);
        }
        if (v instanceof CharSequence cs) {
            Object f = parseFloat(cs.toString().strip());
            if (f != null) {
                return f;
            }
        }
        return dflt;
    }

    /** Python's float() of a string, or null. */
    private static Object parseFloat(String s) {
        String t = s.replace("_", "");
        String l = t.toLowerCase(Locale.ROOT).replaceFirst("^[-+]", "");
        if (l.equals("inf") || l.equals("infinity") || l.equals("nan")) {
            double d = l.equals("nan") ? Double.NaN : Double.POSITIVE_INFINITY;
            return t.startsWith("-") ? -d : d;
        }
        if (!t.matches("[-+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?")) {
            return null;
        }
        return Double.parseDouble(t);
    }

    static int len(Object v) {
        if (v instanceof CharSequence s) {
            return s.length();
        }
        if (v instanceof java.util.Collection<?> c) {
            return c.size();
        }
        if (v instanceof Map<?, ?> m) {
            return m.size();
        }
        throw Py.fail("object of type '" + Py.typeName(v) + "' has no len()");
    }

    /** Python's iteration: a list's items, a mapping's keys, a string's characters. */
    static List<Object> iterate(Object v) {
        Py.defined(v);
        if (v instanceof List<?> l) {
            return new ArrayList<>(l);
        }
        if (v instanceof java.util.Collection<?> c) {
            return new ArrayList<>(c);
        }
        if (v instanceof Map<?, ?> m) {
            return new ArrayList<>(m.keySet());
        }
        if (v instanceof CharSequence s) {
            List<Object> out = new ArrayList<>();
            s.toString().codePoints().forEach(c -> out.add(new String(Character.toChars(c))));
            return out;
        }
        throw Py.fail("'" + Py.typeName(v) + "' object is not iterable");
    }

    private static Object attribute(Object o, String path) {
        Object cur = o;
        for (String part : path.split("\\.")) {
            if (cur instanceof Map<?, ?> m && Py.findKey(m, part) != null) {
                cur = m.get(Py.findKey(m, part));
            } else if (cur instanceof List<?> l && part.matches("[0-9]+") && Integer.parseInt(part) < l.size()) {
                cur = l.get(Integer.parseInt(part));
            } else {
                return new Undefined(part, "'" + Py.typeName(cur) + " object' has no attribute '" + part + "'");
            }
        }
        return cur;
    }

    private static Object extreme(Object v, boolean min) {
        List<Object> l = iterate(v);
        if (l.isEmpty()) {
            return new Undefined(min ? "min" : "max", "No aggregated item, sequence was empty.");
        }
        Object best = l.get(0);
        for (Object o : l) {
            Object p = o instanceof CharSequence s ? s.toString().toLowerCase(Locale.ROOT) : o;
            Object q = best instanceof CharSequence s ? s.toString().toLowerCase(Locale.ROOT) : best;
            if (min ? Py.order("<", p, q) : Py.order(">", p, q)) {
                best = o;
            }
        }
        return best;
    }

    static String replace(String s, String old, String repl, int count) {
        if (count < 0) {
            if (old.isEmpty()) {
                Session.checkLength((long) (s.length() + 1) * repl.length() + s.length());
            } else if (!repl.isEmpty()) {
                Session.checkLength((long) s.length() / old.length() * repl.length() + s.length());
            }
            return old.isEmpty() ? repl + String.join(repl, s.split("")) + repl : s.replace(old, repl);
        }
        StringBuilder sb = new StringBuilder();
        int from = 0;
        for (int n = 0; n < count; n++) {
            int at = s.indexOf(old, from);
            if (at < 0 || old.isEmpty()) {
                break;
            }
            sb.append(s, from, at).append(repl);
            from = at + old.length();
        }
        return sb.append(s.substring(from)).toString();
    }

    /** Python's str.split: no separator splits on runs of whitespace and drops empty parts. */
    static List<Object> split(String s, String sep, int maxsplit) {
        List<Object> out = new ArrayList<>();
        if (sep == null) {
            String rest = s.stripLeading();
            while (!rest.isEmpty()) {
                if (maxsplit >= 0 && out.size() == maxsplit) {
                    out.add(rest.stripTrailing());
                    return out;
                }
                int i = 0;
                while (i < rest.length() && !Character.isWhitespace(rest.charAt(i))) {
                    i++;
                }
                out.add(rest.substring(0, i));
                rest = rest.substring(i).stripLeading();
            }
            return out;
        }
        if (sep.isEmpty()) {
            throw Py.fail("empty separator");
        }
        int from = 0;
        while (maxsplit < 0 || out.size() < maxsplit) {
            int at = s.indexOf(sep, from);
            if (at < 0) {
                break;
            }
            out.add(s.substring(from, at));
            from = at + sep.length();
        }
        out.add(s.substring(from));
        return out;
    }

    private static Pattern regex(String pattern, int flags) {
        try {
            // Python's named groups (?P<name>...) and back references (?P=name)
            String java = pattern.replace("(?P<", "(?<").replaceAll("\\(\\?P=(\\w+)\\)", "\\\\k<$1>");
            return Pattern.compile(java, flags);
        } catch (PatternSyntaxException e) {
            throw Py.fail("invalid regular expression '" + pattern + "': " + e.getDescription());
        }
    }

    /** Python's re.sub template (\\1, \\g<name>, \\\\) as a Java replacement string. */
    private static String javaReplacement(String py) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < py.length(); i++) {
            char c = py.charAt(i);
            if (c == '\\' && i + 1 < py.length()) {
                char d = py.charAt(++i);
                if (Character.isDigit(d)) {
                    sb.append('$').append(d);
                } else if (d == 'g' && i + 1 < py.length() && py.charAt(i + 1) == '<' && py.indexOf('>', i) > 0) {
                    int end = py.indexOf('>', i);
                    String g = py.substring(i + 2, end);
                    sb.append(g.matches("\\d+") ? "$" + g : "${" + g + "}");
                    i = end;
                } else if (d == 'n') {
                    sb.append('\n');
                } else if (d == 't') {
                    sb.append('\t');
                } else if (d == '\\') {
                    sb.append("\\\\");
                } else {
                    sb.append("\\\\").append(d == '$' ? "\\$" : String.valueOf(d));
                }
            } else if (c == '$') {
                sb.append("\\$");
            } else if (c == '\\') {
                sb.append("\\\\");
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    static boolean search(Object v, String pattern, boolean match, boolean full, int flags) {
        Matcher m = regex(pattern, flags).matcher(Py.str(v));
        return full ? m.matches() : match ? m.lookingAt() : m.find();
    }

    private static String pyClass(Object v) {
        return "<class '" + Py.typeName(v) + "'>";
    }

    private static Map<?, ?> dictArg(Object d) {
        if (!(d instanceof Map<?, ?> m)) {
            throw Py.fail("failed to combine variables, expected dicts but got a '" + Py.typeName(d) + "'");
        }
        return m;
    }

    @SuppressWarnings("unchecked")
    private static void merge(Map<Object, Object> into, Map<?, ?> from, boolean recursive) {
        for (Map.Entry<?, ?> e : from.entrySet()) {
            Object old = into.get(e.getKey());
            if (recursive && old instanceof Map<?, ?> o && e.getValue() instanceof Map<?, ?> n) {
                Map<Object, Object> m = new LinkedHashMap<>((Map<Object, Object>) o);
                merge(m, n, true);
                into.put(e.getKey(), m);
            } else {
                into.put(e.getKey(), e.getValue());
            }
        }
    }

    private static List<Object> select(Object v, Args a, boolean keep, boolean byAttribute) {
        List<Object> rest = a.rest(0);
        int i = 0;
        String attr = null;
        if (byAttribute) {
            if (rest.isEmpty()) {
                throw Py.fail("selectattr/rejectattr need an attribute name");
            }
            attr = Py.str(rest.get(0));
            i = 1;
        }
        Tests.AnsibleTest test = null;
        if (rest.size() > i) {
            String name = Py.str(rest.get(i));
            test = Tests.all().get(name);
            if (test == null) {
                throw Py.fail("No test named '" + name + "'.");
            }
        }
        List<Object> args = rest.size() > i + 1 ? rest.subList(i + 1, rest.size()) : List.of();
        List<Object> out = new ArrayList<>();
        for (Object o : iterate(v)) {
            Object subject = attr == null ? o : attribute(o, attr);
            boolean r = test == null ? Py.truthy(subject) : test.test(subject, args);
            if (r == keep) {
                out.add(o);
            }
        }
        return out;
    }

    private static List<Object> flatten(List<Object> l, int levels) {
        List<Object> out = new ArrayList<>();
        for (Object o : l) {
            if (o instanceof List<?> inner && levels != 0) {
                out.addAll(flatten(new ArrayList<>(inner), levels - 1));
            } else if (o != null) {
                out.add(o);
            }
        }
        return out;
    }

    /** Python's json.dumps as Ansible's to_json calls it. */
    static String json(Object v) {
        Py.defined(v);
        StringBuilder sb = new StringBuilder();
        json(v, sb);
        return sb.toString();
    }

    private static void json(Object v, StringBuilder sb) {
        Session.checkLength(sb.length());
        if (v == null) {
            sb.append("null");
        } else if (v instanceof Boolean b) {
            sb.append(b);
        } else if (Py.isFloat(v)) {
            double d = Py.dbl(v);
            sb.append(Double.isNaN(d) ? "NaN" : Double.isInfinite(d) ? (d > 0 ? "Infinity" : "-Infinity")
                    : Py.floatRepr(d));
        } else if (Py.isInt(v)) {
            sb.append(Py.big(v));
        } else if (v instanceof CharSequence s) {
            sb.append('"');
            s.chars().forEach(c -> {
                switch (c) {
                    case '"' -> sb.append("\\\"");
                    case '\\' -> sb.append("\\\\");
                    case '\n' -> sb.append("\\n");
                    case '\r' -> sb.append("\\r");
                    case '\t' -> sb.append("\\t");
                    default -> {
                        if (c < 0x20 || c > 0x7e) {
                            sb.append(String.format("\\u%04x", c));
                        } else {
                            sb.append((char) c);
                        }
                    }
                }
            });
            sb.append('"');
        } else if (v instanceof List<?> l) {
            sb.append('[');
            for (int i = 0; i < l.size(); i++) {
                if (i > 0) {
                    sb.append(", ");
                }
                json(Py.defined(l.get(i)), sb);
            }
            sb.append(']');
        } else if (v instanceof Map<?, ?> m) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!first) {
                    sb.append(", ");
                }
                first = false;
                json(Py.str(e.getKey()), sb);
                sb.append(": ");
                json(Py.defined(e.getValue()), sb);
            }
            sb.append('}');
        } else {
            throw Py.fail("Object of type " + Py.typeName(v) + " is not JSON serializable");
        }
    }
}
