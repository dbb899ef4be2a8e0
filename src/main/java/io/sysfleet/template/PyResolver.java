package io.sysfleet.template;

import com.hubspot.jinjava.el.ext.JinjavaBeanELResolver;
import com.hubspot.jinjava.el.ext.NamedParameter;
import com.hubspot.jinjava.util.ForLoop;
import jinjava.javax.el.ELContext;
import jinjava.javax.el.ELResolver;

import java.beans.FeatureDescriptor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Attribute, item and method access with Jinja2's rules: {@code d.key} and {@code d['key']} on a mapping,
 * {@code l[0]} and {@code l[-1]} on a list; a missing one is {@link Undefined}, not an error, until it is used.
 * Methods are the few Python ones Ansible templates call ({@code str.split}, {@code dict.items}, ...);
 * no Java method of any object can be called from a template. Filters and tests are called here too.
 */
final class PyResolver extends ELResolver {
    /** Jinjava's own loop object ({@code loop.index}) and macros are Java beans; they keep Jinjava's resolver. */
    private final ELResolver beans = new JinjavaBeanELResolver(true);

    @Override
    public Object getValue(ELContext context, Object base, Object property) {
        if (base == null) {
            return null;
        }
        context.setPropertyResolved(true);
        String name = String.valueOf(property);
        if (base instanceof Undefined u) {
            return u.attribute(name);
        }
        if (base instanceof Filters.AnsibleFilter || base instanceof Tests.AnsibleTest) {
            return null;
        }
        if (base instanceof Map<?, ?> m) {
            Object key = Py.findKey(m, property);
            if (key == null && !m.containsKey(null) && name.matches("-?[0-9]+")) {
                key = Py.findKey(m, Long.parseLong(name));
            }
            if (key != null || m.containsKey(property)) {
                return m.get(key != null ? key : property);
            }
            return new Undefined(name, "'dict object' has no attribute '" + name + "'");
        }
        if (base instanceof List<?> l) {
            if (name.matches("-?[0-9]+")) {
                long i = Long.parseLong(name);
                long n = i < 0 ? i + l.size() : i;
                if (n >= 0 && n < l.size()) {
                    return l.get((int) n);
                }
                return new Undefined(name, "list object has no element " + i);
            }
            return new Undefined(name, "'list object' has no attribute '" + name + "'");
        }
        if (base instanceof CharSequence s) {
            if (name.matches("-?[0-9]+")) {
                long i = Long.parseLong(name);
                long n = i < 0 ? i + s.length() : i;
                if (n >= 0 && n < s.length()) {
                    return String.valueOf(s.charAt((int) n));
                }
                return new Undefined(name, "str object has no element " + i);
            }
            return new Undefined(name, "'str object' has no attribute '" + name + "'");
        }
        if (base instanceof ForLoop) {
            context.setPropertyResolved(false);
            return beans.getValue(context, base, property);
        }
        return new Undefined(name, "'" + Py.typeName(base) + " object' has no attribute '" + name + "'");
    }

    @Override
    public Object invoke(ELContext context, Object base, Object method, Class<?>[] paramTypes, Object[] params) {
        String name = String.valueOf(method);
        if (base instanceof Filters.AnsibleFilter f && name.equals("filter")) {
            context.setPropertyResolved(true);
            Object[] args = params.length > 2 && params[2] instanceof Object[] a ? a : new Object[0];
            @SuppressWarnings("unchecked")
            Map<String, Object> kwargs = params.length > 3 && params[3] instanceof Map<?, ?> k
                    ? (Map<String, Object>) k : Map.of();
            return f.apply(params[0], Arrays.asList(args), kwargs);
        }
        if (base instanceof Tests.AnsibleTest t && (name.equals("evaluate") || name.equals("evaluateNegated"))) {
            context.setPropertyResolved(true);
            boolean r = t.test(params[0], testArgs(params));
            return name.equals("evaluate") == r;
        }
        if (base instanceof ForLoop) {
            return beans.invoke(context, base, method, paramTypes, params);
        }
        context.setPropertyResolved(true);
        Py.defined(base);
        List<Object> args = params == null ? List.of() : Arrays.asList(params);
        return PyMethods.call(base, name, args);
    }

    /** A test's arguments: {@code is version('1', '<')} arrives as one tuple, {@code is eq 3} as one value. */
    private static List<Object> testArgs(Object[] params) {
        List<Object> out = new ArrayList<>();
        for (int i = 2; i < params.length; i++) {
            if (params[i] instanceof AnsibleSyntax.Tuple t) {
                out.addAll(t);
            } else {
                out.add(params[i]);
            }
        }
        return out;
    }

    @Override
    public Class<?> getType(ELContext context, Object base, Object property) {
        return base == null ? null : Object.class;
    }

    @Override
    public void setValue(ELContext context, Object base, Object property, Object value) {
        throw Py.fail("templates cannot change values");
    }

    @Override
    public boolean isReadOnly(ELContext context, Object base, Object property) {
        return true;
    }

    @Override
    public Iterator<FeatureDescriptor> getFeatureDescriptors(ELContext context, Object base) {
        return null;
    }

    @Override
    public Class<?> getCommonPropertyType(ELContext context, Object base) {
        return base == null ? null : Object.class;
    }

    /** The Python methods templates call on strings, mappings and lists. */
    static final class PyMethods {
        private PyMethods() {
        }

        static Object call(Object base, String name, List<Object> rawArgs) {
            List<Object> args = new ArrayList<>();
            for (Object a : rawArgs) {
                if (a instanceof NamedParameter) {
                    throw Py.fail("keyword arguments to " + name + "() are not supported");
                }
                args.add(Py.defined(a));
            }
            if (base instanceof CharSequence cs) {
                return string(cs.toString(), name, args);
            }
            if (base instanceof Map<?, ?> m) {
                return dict(m, name, args);
            }
            if (base instanceof List<?> l) {
                if (name.equals("index") && args.size() == 1) {
                    for (int i = 0; i < l.size(); i++) {
                        if (Py.eq(l.get(i), args.get(0))) {
                            return (long) i;
                        }
                    }
                    throw Py.fail(Py.repr(args.get(0)) + " is not in list");
                }
                if (name.equals("count") && args.size() == 1) {
                    return l.stream().filter(o -> Py.eq(o, args.get(0))).count();
                }
            }
            throw noMethod(base, name);
        }

        private static Abort noMethod(Object base, String name) {
            return Py.fail("'" + Py.typeName(base) + " object' has no attribute '" + name + "'");
        }

        private static String arg(List<Object> args, int i, String name) {
            Object a = args.get(i);
            if (!(a instanceof CharSequence)) {
                throw Py.fail(name + "() argument must be str, not " + Py.typeName(a));
            }
            return a.toString();
        }

        private static Object string(String s, String name, List<Object> args) {
            switch (name + "/" + args.size()) {
                case "lower/0":
                    return s.toLowerCase(Locale.ROOT);
                case "upper/0":
                    return s.toUpperCase(Locale.ROOT);
                case "strip/0":
                    return s.strip();
                case "lstrip/0":
                    return s.stripLeading();
                case "rstrip/0":
                    return s.stripTrailing();
                case "strip/1":
                case "lstrip/1":
                case "rstrip/1": {
                    String chars = arg(args, 0, name);
                    int b = 0;
                    int e = s.length();
                    while (!name.equals("rstrip") && b < e && chars.indexOf(s.charAt(b)) >= 0) {
                        b++;
                    }
                    while (!name.equals("lstrip") && e > b && chars.indexOf(s.charAt(e - 1)) >= 0) {
                        e--;
                    }
                    return s.substring(b, e);
                }
                case "startswith/1":
                    return s.startsWith(arg(args, 0, name));
                case "endswith/1":
                    return s.endsWith(arg(args, 0, name));
                case "replace/2":
                    return Filters.replace(s, arg(args, 0, name), arg(args, 1, name), -1);
                case "split/0":
                    return Filters.split(s, null, -1);
                case "split/1":
                    return Filters.split(s, arg(args, 0, name), -1);
                case "split/2":
                    return Filters.split(s, arg(args, 0, name), Py.big(args.get(1)).intValue());
                case "isdigit/0":
                    return !s.isEmpty() && s.chars().allMatch(Character::isDigit);
                case "capitalize/0":
                    return s.isEmpty() ? s : s.substring(0, 1).toUpperCase(Locale.ROOT)
                            + s.substring(1).toLowerCase(Locale.ROOT);
                case "join/1": {
                    List<String> parts = new ArrayList<>();
                    for (Object o : Filters.iterate(args.get(0))) {
                        if (!(o instanceof CharSequence)) {
                            throw Py.fail("sequence item " + parts.size() + ": expected str instance, "
                                    + Py.typeName(o) + " found");
                        }
                        parts.add(o.toString());
                    }
                    Session.checkLength(parts.stream().mapToLong(String::length).sum());
                    return String.join(s, parts);
                }
                case "count/1":
                    return (long) (s.split(java.util.regex.Pattern.quote(arg(args, 0, name)), -1).length - 1);
                default:
                    throw noMethod(s, name);
            }
        }

        private static Object dict(Map<?, ?> m, String name, List<Object> args) {
            switch (name + "/" + args.size()) {
                case "items/0": {
                    List<Object> out = new ArrayList<>();
                    m.forEach((k, v) -> out.add(new AnsibleSyntax.Tuple(new ArrayList<>(Arrays.asList(k, v)))));
                    return out;
                }
                case "keys/0":
                    return new ArrayList<>(m.keySet());
                case "values/0":
                    return new ArrayList<>(m.values());
                case "get/1":
                case "get/2": {
                    Object key = Py.findKey(m, args.get(0));
                    if (key != null) {
                        return m.get(key);
                    }
                    return args.size() > 1 ? args.get(1) : null;
                }
                case "copy/0":
                    return new LinkedHashMap<>(m);
                default:
                    throw noMethod(m, name);
            }
        }
    }
}
