package io.sysfleet.catalog.gen;

import io.sysfleet.catalog.Scope;
import io.sysfleet.catalog.ValueType;
import io.sysfleet.config.YamlLoader;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The hand-curated input of the catalog generator ({@code src/catalog/overrides.yml}): which documents to
 * read, which subsystems to keep, renames of keys the documents place in the wrong directory, names that are
 * not keys, rules by name pattern (module, scope) and per-key facts the documents give only in prose or no
 * longer give at all (removed keys, the CentOS 5 names). Each fact carries its reason in the file's comments.
 */
final class Overrides {
    /** A rule: keys whose name matches {@code match} (a glob, {@code *} = anything) get these facts unless set. */
    record Rule(String match, Pattern regex, Map<String, Object> facts) { }

    static final Set<String> KEY_FIELDS = Set.of("type", "min", "max", "fields", "values", "default", "unit",
            "added_in", "removed_in", "module", "scope", "read_only", "platform_names", "notes", "source");

    final List<String> documents = new ArrayList<>();
    final List<Pattern> include = new ArrayList<>();
    final Map<String, String> rename = new LinkedHashMap<>();
    final List<Pattern> drop = new ArrayList<>();
    final List<Rule> rules = new ArrayList<>();
    final Map<String, Map<String, Object>> keys = new LinkedHashMap<>();
    final Map<String, Map<String, String>> moduleNames = new LinkedHashMap<>();

    @SuppressWarnings("unchecked")
    static Overrides parse(String yaml, String name) {
        Object root = YamlLoader.parse(yaml, name).toJava();
        if (!(root instanceof Map<?, ?> top)) {
            throw new IllegalArgumentException(name + ": overrides must be a mapping");
        }
        Overrides o = new Overrides();
        for (Map.Entry<?, ?> e : top.entrySet()) {
            String k = String.valueOf(e.getKey());
            Object v = e.getValue();
            switch (k) {
                case "documents" -> ((List<Object>) v).forEach(x -> o.documents.add(String.valueOf(x)));
                case "include" -> ((List<Object>) v).forEach(x -> o.include.add(glob(String.valueOf(x))));
                case "drop" -> ((List<Object>) v).forEach(x -> o.drop.add(glob(String.valueOf(x))));
                case "rename" -> ((Map<Object, Object>) v).forEach((a, b) -> o.rename.put(String.valueOf(a), String.valueOf(b)));
                case "module_names" -> ((Map<Object, Object>) v).forEach((a, b) -> {
                    Map<String, String> m = new LinkedHashMap<>();
                    ((Map<Object, Object>) b).forEach((x, y) -> m.put(String.valueOf(x), String.valueOf(y)));
                    o.moduleNames.put(String.valueOf(a), m);
                });
                case "rules" -> {
                    for (Object item : (List<Object>) v) {
                        Map<String, Object> r = new LinkedHashMap<>((Map<String, Object>) item);
                        String match = String.valueOf(r.remove("match"));
                        check(name, "rule " + match, r);
                        o.rules.add(new Rule(match, glob(match), r));
                    }
                }
                case "keys" -> ((Map<Object, Object>) v).forEach((a, b) -> {
                    Map<String, Object> facts = b == null ? new LinkedHashMap<>() : new LinkedHashMap<>((Map<String, Object>) b);
                    check(name, String.valueOf(a), facts);
                    o.keys.put(String.valueOf(a), facts);
                });
                default -> throw new IllegalArgumentException(name + ": unknown entry '" + k + "'");
            }
        }
        return o;
    }

    private static void check(String file, String what, Map<String, Object> facts) {
        for (String f : facts.keySet()) {
            if (!KEY_FIELDS.contains(f)) {
                throw new IllegalArgumentException(file + ": " + what + ": unknown field '" + f + "'");
            }
        }
        Object scope = facts.get("scope");
        if (scope != null && Scope.fromDataName(String.valueOf(scope)).isEmpty()) {
            throw new IllegalArgumentException(file + ": " + what + ": unknown scope '" + scope + "'");
        }
    }

    boolean included(String key) {
        return include.stream().anyMatch(p -> p.matcher(key).matches());
    }

    boolean dropped(String key) {
        return drop.stream().anyMatch(p -> p.matcher(key).matches());
    }

    /** Applies {@code facts} to {@code d}; a fact set to null in the file clears what the documents said. */
    @SuppressWarnings("unchecked")
    static void apply(KeyDraft d, Map<String, Object> facts, String why, boolean onlyUnset) {
        for (Map.Entry<String, Object> e : facts.entrySet()) {
            Object v = e.getValue();
            String s = v == null ? null : String.valueOf(v);
            switch (e.getKey()) {
                case "type" -> {
                    if (onlyUnset && d.type != null) {
                        continue;
                    }
                    d.type = s == null ? null : ValueType.valueOf(s.toUpperCase(Locale.ROOT));
                    if (d.type != ValueType.ENUM) {
                        d.values.clear();
                    }
                    if (d.type == ValueType.STRING) {
                        d.min = null;
                        d.max = null;
                    }
                }
                case "min" -> {
                    if (onlyUnset && d.min != null) {
                        continue;
                    }
                    d.min = v == null ? null : ((Number) v).longValue();
                }
                case "max" -> {
                    if (onlyUnset && d.max != null) {
                        continue;
                    }
                    d.max = v == null ? null : ((Number) v).longValue();
                }
                case "fields" -> d.fields = v == null ? null : ((Number) v).intValue();
                case "values" -> {
                    d.values.clear();
                    if (v != null) {
                        ((List<Object>) v).forEach(x -> d.values.add(String.valueOf(x)));
                    }
                }
                case "default" -> d.defaultValue = s;
                case "unit" -> d.unit = s;
                case "added_in" -> d.addedIn = s;
                case "removed_in" -> d.removedIn = s;
                case "module" -> {
                    if (onlyUnset && d.module != null) {
                        continue;
                    }
                    d.module = s;
                }
                case "scope" -> {
                    if (onlyUnset && d.scope != null) {
                        continue;
                    }
                    d.scope = s == null ? null : Scope.fromDataName(s).orElseThrow();
                }
                case "read_only" -> d.readOnly = v == null ? null : (Boolean) v;
                case "platform_names" -> {
                    d.platformNames.clear();
                    if (v != null) {
                        ((Map<Object, Object>) v).forEach((a, b) -> d.platformNames.put(String.valueOf(a), String.valueOf(b)));
                    }
                }
                case "notes" -> d.notes = s == null ? null : s.strip().replaceAll("\\s+", " ");
                case "source" -> d.source = s;
                default -> throw new IllegalStateException(e.getKey());
            }
            d.why.put(e.getKey(), why);
        }
    }

    /** A glob ({@code net.ipv4.conf.*}) as a regex; {@code *} matches anything, including dots. */
    static Pattern glob(String g) {
        StringBuilder b = new StringBuilder();
        for (char c : g.toCharArray()) {
            b.append(c == '*' ? ".*" : Pattern.quote(String.valueOf(c)));
        }
        return Pattern.compile(b.toString());
    }
}
