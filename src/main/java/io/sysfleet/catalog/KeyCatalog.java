package io.sysfleet.catalog;

import io.sysfleet.config.YNode;
import io.sysfleet.config.YNode.YMap;
import io.sysfleet.config.YNode.YScalar;
import io.sysfleet.config.YNode.YSeq;
import io.sysfleet.config.YamlLoader;
import io.sysfleet.core.Problems;
import io.sysfleet.core.SourceLocation;
import io.sysfleet.sysctl.SysctlKey;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The kernel keys sysfleet knows, loaded from data ({@code keys.yml} next to this class, generated from the
 * kernel's documentation by {@code scripts/gen-catalog}), and their translation to the names each platform
 * uses. Immutable.
 */
public final class KeyCatalog {
    /** The bundled catalog's resource name, relative to this class. */
    public static final String RESOURCE = "keys.yml";

    private static final Set<String> KEY_FIELDS = Set.of("name", "type", "min", "max", "fields", "removed_in",
            "module", "platform_names", "default", "notes", "values", "unit", "added_in", "scope", "read_only",
            "source", "range");
    private static final Set<String> TOP_FIELDS = Set.of("about", "module_names", "keys");
    private static final Pattern VERSION = Pattern.compile("[0-9]+(\\.[0-9]+)*");

    private final List<KernelKey> keys;
    private final Map<SysctlKey, KernelKey> byName;
    /** Per-interface patterns by their last name segment ({@code rp_filter}), for a quick lookup. */
    private final Map<String, List<KernelKey>> patternsByLeaf;
    private final Map<String, Map<String, String>> moduleNames;
    private final Map<String, String> about;

    private KeyCatalog(List<KernelKey> keys, Map<String, Map<String, String>> moduleNames, Map<String, String> about) {
        this.keys = List.copyOf(keys);
        Map<SysctlKey, KernelKey> index = new LinkedHashMap<>();
        Map<String, List<KernelKey>> patterns = new LinkedHashMap<>();
        for (KernelKey k : keys) {
            if (k.isPattern()) {
                patterns.computeIfAbsent(leaf(k.name()), x -> new ArrayList<>()).add(k);
            }
            for (SysctlKey n : k.allNames()) {
                index.put(n, k);
            }
        }
        patterns.replaceAll((leaf, list) -> List.copyOf(list));
        this.byName = Collections.unmodifiableMap(index);
        this.patternsByLeaf = Collections.unmodifiableMap(patterns);
        this.moduleNames = Collections.unmodifiableMap(new LinkedHashMap<>(moduleNames));
        this.about = Collections.unmodifiableMap(new LinkedHashMap<>(about));
    }

    /** A catalog of keys already checked (by {@link #parse}, when {@link CompiledCatalog} wrote them). */
    static KeyCatalog of(List<KernelKey> keys, Map<String, Map<String, String>> moduleNames,
                         Map<String, String> about) {
        return new KeyCatalog(keys, moduleNames, about);
    }

    /**
     * The catalog bundled with sysfleet, parsed once per JVM (it is immutable): the launcher starts parsing it on a
     * thread of its own at start-up ({@link #preload}), while picocli builds the command and the inventory and
     * playbook are read.
     */
    public static KeyCatalog load() {
        return Bundled.CATALOG;
    }

    /** Starts parsing the bundled catalog on a daemon thread; {@link #load} then waits for it, if it must. */
    public static void preload() {
        Thread t = new Thread(KeyCatalog::load, "catalog-preload");
        t.setDaemon(true);
        t.start();
    }

    /** The holder idiom: the JVM parses the catalog at the first use of this class, once, on one thread. */
    private static final class Bundled {
        static final KeyCatalog CATALOG = read();
    }

    /** The bundled catalog: from the build's {@link CompiledCatalog} when it matches {@code keys.yml}, else the YAML. */
    private static KeyCatalog read() {
        byte[] yaml = resource(RESOURCE);
        if (yaml == null) {
            throw new IllegalStateException("the bundled key catalog " + RESOURCE + " is missing from the jar");
        }
        byte[] bin = resource(CompiledCatalog.RESOURCE);
        Optional<KeyCatalog> compiled = bin == null ? Optional.empty() : CompiledCatalog.decode(bin, yaml);
        return compiled.orElseGet(() -> parse(new String(yaml, StandardCharsets.UTF_8), RESOURCE));
    }

    /** True when the bundled catalog came from the build's binary form: the tests check the build made it. */
    static boolean bundledIsCompiled() {
        byte[] bin = resource(CompiledCatalog.RESOURCE);
        return bin != null && CompiledCatalog.decode(bin, resource(RESOURCE)).isPresent();
    }

    private static byte[] resource(String name) {
        try (InputStream in = KeyCatalog.class.getResourceAsStream(name)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the bundled key catalog's " + name, e);
        }
    }

    /** The platform names of modules ({@code nf_conntrack} is {@code ip_conntrack} on rhel5), by module. */
    Map<String, Map<String, String>> moduleNames() {
        return moduleNames;
    }

    /**
     * Parses catalog YAML; {@code name} is used in error locations.
     *
     * @throws io.sysfleet.core.ConfigException listing every problem with file:line:col
     */
    public static KeyCatalog parse(String yamlText, String name) {
        YNode root = YamlLoader.parse(yamlText, name);
        Problems problems = new Problems();
        if (!(root instanceof YMap top)) {
            problems.add(root == null ? new SourceLocation(name, 0, 0) : root.location(),
                    "a key catalog must be a mapping with 'keys'");
            problems.throwIfAny();
            throw new AssertionError();
        }
        for (YNode.Entry e : top.entries()) {
            if (!TOP_FIELDS.contains(e.key())) {
                problems.add(e.keyLocation(), "unknown catalog entry '" + e.key() + "' (expected about, keys, module_names)");
            }
        }
        Map<String, String> about = top.get("about") == null ? Map.of()
                : stringMap(top.get("about"), "about", problems);
        Map<String, Map<String, String>> modules = new LinkedHashMap<>();
        YNode mods = top.get("module_names");
        if (mods != null) {
            if (mods instanceof YMap mm) {
                for (YNode.Entry e : mm.entries()) {
                    modules.put(e.key(), stringMap(e.value(), "module_names." + e.key(), problems));
                }
            } else {
                problems.add(mods.location(), "module_names must be a mapping");
            }
        }
        List<KernelKey> keys = new ArrayList<>();
        Map<String, SourceLocation> seen = new LinkedHashMap<>();
        YNode list = top.get("keys");
        if (!(list instanceof YSeq seq)) {
            problems.add(list == null ? top.location() : list.location(), "'keys' must be a list of keys");
        } else {
            for (YNode item : seq.items()) {
                KernelKey k = key(item, problems);
                if (k == null) {
                    continue;
                }
                for (String n : k.isPattern() ? List.of(k.name())
                        : k.allNames().stream().map(SysctlKey::dotted).toList()) {
                    SourceLocation first = seen.putIfAbsent(n, item.location());
                    if (first != null) {
                        problems.add(item.location(), "duplicate key name '" + n + "' (first at " + first + ")");
                    }
                }
                keys.add(k);
            }
        }
        problems.throwIfAny();
        return new KeyCatalog(keys, modules, about);
    }

    /**
     * The key with this modern or platform-specific name; a per-interface key is found by any interface name
     * ({@code net.ipv4.conf.all.rp_filter}, {@code net.ipv4.conf.eth0.rp_filter}).
     */
    public Optional<KernelKey> find(SysctlKey key) {
        if (key == null) {
            return Optional.empty();
        }
        KernelKey exact = byName.get(key);
        if (exact != null) {
            return Optional.of(exact);
        }
        for (KernelKey k : patternsByLeaf.getOrDefault(leaf(key.dotted()), List.of())) {
            if (k.matches(key.dotted())) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }

    /** The key with this modern or platform-specific name in any spelling; empty for text that is no key. */
    public Optional<KernelKey> find(String anySpelling) {
        return SysctlKey.parse(anySpelling).flatMap(this::find);
    }

    /**
     * The modern name of a key the catalog knows: the platform-specific name replaced by the modern one
     * ({@code net.ipv4.netfilter.ip_conntrack_max} becomes {@code net.netfilter.nf_conntrack_max}); a
     * per-interface key keeps its interface ({@code net.ipv4.conf.eth0.rp_filter}).
     */
    public Optional<SysctlKey> canonicalName(SysctlKey key) {
        return find(key).map(k -> k.isPattern() ? key : k.key());
    }

    /**
     * Every name the key may have on some platform, modern name first (to probe them all before the platform
     * is known); just the key itself when the catalog does not know it or it is a per-interface key.
     */
    public List<SysctlKey> allNames(SysctlKey key) {
        return find(key).filter(k -> !k.isPattern()).map(KernelKey::allNames).orElse(List.of(key));
    }

    /**
     * What the catalog was generated from: {@code kernel_docs} (the documentation's package and version),
     * {@code generator}, {@code live_snapshot}; empty for a hand-written catalog.
     */
    public Map<String, String> about() {
        return about;
    }

    /** Every key, in catalog order. */
    public List<KernelKey> keys() {
        return keys;
    }

    /**
     * The name and availability of a key on a platform: the platform's own name (CentOS/RHEL 5 use the
     * ip_conntrack names) or the modern one; REMOVED when the platform's kernel is at or above the key's
     * {@code removed_in}; UNKNOWN_KEY with the key itself when the catalog does not know it.
     * A platform whose kernel is unknown gets AVAILABLE.
     */
    public KeyResolution resolve(SysctlKey key, Platform platform) {
        SysctlKey requested = key;
        Optional<KernelKey> found = find(requested);
        if (found.isEmpty()) {
            return new KeyResolution(key, requested, KeyResolution.Availability.UNKNOWN_KEY,
                    "not in sysfleet's key catalog");
        }
        KernelKey k = found.get();
        Platform p = platform == null ? Platform.unknown() : platform;
        String tag = p.tag();
        SysctlKey modern = k.isPattern() ? requested : k.key();
        SysctlKey name = tag == null ? modern : k.platformNames().getOrDefault(tag, modern);
        if (k.removedIn() != null && p.kernelAtLeast(k.removedIn())) {
            return new KeyResolution(key, name, KeyResolution.Availability.REMOVED,
                    "removed in Linux " + k.removedIn());
        }
        String reason = name.equals(requested) ? "known key"
                : name.equals(modern) ? "modern name of " + requested
                : "name of " + k.name() + " on " + tag;
        return new KeyResolution(key, name, KeyResolution.Availability.AVAILABLE, reason);
    }

    /** The module that must be loaded for the key on this platform ({@code ip_conntrack} on CentOS 5), if any. */
    public Optional<String> moduleFor(KernelKey key, Platform platform) {
        if (key.module() == null) {
            return Optional.empty();
        }
        String tag = platform == null ? null : platform.tag();
        Map<String, String> names = moduleNames.getOrDefault(key.module(), Map.of());
        return Optional.of(tag == null ? key.module() : names.getOrDefault(tag, key.module()));
    }

    /** Every name the key's module has on any platform ({@code nf_conntrack}, {@code ip_conntrack}), or none. */
    public List<String> allModuleNames(KernelKey key) {
        if (key.module() == null) {
            return List.of();
        }
        java.util.LinkedHashSet<String> out = new java.util.LinkedHashSet<>();
        out.add(key.module());
        out.addAll(moduleNames.getOrDefault(key.module(), Map.of()).values());
        return List.copyOf(out);
    }

    private static KernelKey key(YNode item, Problems problems) {
        if (!(item instanceof YMap m)) {
            problems.add(item.location(), "each key must be a mapping, not " + item.kind());
            return null;
        }
        int before = problems.list().size();
        for (YNode.Entry e : m.entries()) {
            if (!KEY_FIELDS.contains(e.key())) {
                problems.add(e.keyLocation(), "unknown field '" + e.key() + "' (expected one of "
                        + String.join(", ", KEY_FIELDS.stream().sorted().toList()) + ")");
            }
        }
        String name = text(m, "name", true, problems);
        String typeText = text(m, "type", true, problems);
        ValueType type = null;
        if (typeText != null) {
            try {
                type = ValueType.valueOf(typeText.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException ex) {
                problems.add(m.get("type").location(), "unknown type '" + typeText + "' (expected int, bool, int_vector, string)");
            }
        }
        Long min = number(m, "min", problems);
        Long max = number(m, "max", problems);
        Long fieldsValue = number(m, "fields", problems);
        List<String> values = new ArrayList<>();
        YNode valuesNode = m.get("values");
        if (valuesNode instanceof YSeq vs) {
            for (YNode v : vs.items()) {
                if (v instanceof YScalar sc && !sc.isNull()) {
                    values.add(sc.value() instanceof String str ? str : sc.text());
                } else {
                    problems.add(v.location(), "each of 'values' must be a plain value");
                }
            }
        } else if (valuesNode != null) {
            problems.add(valuesNode.location(), "'values' must be a list");
        }
        if (type == ValueType.ENUM && values.isEmpty()) {
            problems.add(m.location(), name + ": an enum needs 'values'");
        } else if (type != null && type != ValueType.ENUM && !values.isEmpty()) {
            problems.add(valuesNode.location(), name + ": only an enum has 'values'");
        }
        if (type == ValueType.BOOL) {
            if ((min != null && min != 0) || (max != null && max != 1)) {
                problems.add(m.location(), name + ": a bool is 0 or 1; use type int for other ranges");
            }
            min = 0L;
            max = 1L;
        }
        int fields = fieldsValue == null ? 1 : (int) Math.max(-1, Math.min(fieldsValue, 64));
        if (type == ValueType.INT_VECTOR && (fieldsValue == null || (fields != 0 && fields < 2))) {
            problems.add(m.location(), name + ": an int_vector needs fields of 2 or more (0: one or more)");
        } else if (type != null && type != ValueType.INT_VECTOR && fieldsValue != null && fieldsValue != 1) {
            problems.add(m.get("fields").location(), name + ": only an int_vector has more than one field");
        }
        if (min != null && max != null && min > max) {
            problems.add(m.location(), name + ": min " + min + " is above max " + max);
        }
        String removedIn = version(m, "removed_in", name, problems);
        String addedIn = version(m, "added_in", name, problems);
        String unit = text(m, "unit", false, problems);
        String scopeText = text(m, "scope", false, problems);
        Scope scope = null;
        if (scopeText != null) {
            scope = Scope.fromDataName(scopeText).orElse(null);
            if (scope == null) {
                problems.add(m.get("scope").location(), name + ": unknown scope '" + scopeText
                        + "' (expected netns, ipcns, utsns, userns, pidns, global)");
            }
        }
        Boolean readOnly = bool(m, "read_only", problems);
        String source = text(m, "source", false, problems);
        String module = text(m, "module", false, problems);
        if (name != null && m.get("name") != null) {
            String why = KernelKey.nameProblem(name);
            if (why != null) {
                problems.add(m.get("name").location(), why);
            }
        }
        Map<String, SysctlKey> platformNames = new LinkedHashMap<>();
        if (m.get("platform_names") != null) {
            stringMap(m.get("platform_names"), "platform_names", problems).forEach((tag, n) -> {
                SysctlKey pk = sysctlKey(n, ((YMap) m.get("platform_names")).get(tag).location(), problems);
                if (pk != null) {
                    platformNames.put(tag, pk);
                }
            });
        }
        String defaultValue = text(m, "default", false, problems);
        String notes = text(m, "notes", false, problems);
        String range = text(m, "range", false, problems);
        if (range != null && !java.util.Set.of("enforced", "min", "max").contains(range)) {
            problems.add(m.get("range").location(), name + ": range must be enforced, min or max (the bounds the "
                    + "kernel enforces) when given, not '" + range + "'");
        }
        if (problems.list().size() > before) {
            return null;
        }
        KernelKey k = new KernelKey(name, type, min, max, fields, removedIn, module, platformNames, defaultValue,
                notes, values, unit, addedIn, scope, Boolean.TRUE.equals(readOnly), source,
                "enforced".equals(range) || "min".equals(range), "enforced".equals(range) || "max".equals(range));
        if (defaultValue != null) {
            k.checkValue(defaultValue).ifPresent(msg -> problems.add(m.get("default").location(),
                    name + ": default " + msg));
        }
        return k;
    }

    private static String text(YMap m, String field, boolean required, Problems problems) {
        YNode n = m.get(field);
        if (n == null || (n instanceof YScalar s && s.isNull())) {
            if (required) {
                problems.add(m.location(), "missing '" + field + "'");
            }
            return null;
        }
        if (!(n instanceof YScalar s)) {
            problems.add(n.location(), "'" + field + "' must be a plain value, not " + n.kind());
            return null;
        }
        if (s.value() instanceof Double && !s.quoted()) {
            problems.add(n.location(), "'" + field + "' looks like a number; quote it (YAML would read 4.10 as 4.1)");
            return null;
        }
        return s.value() instanceof String str ? str : s.text();
    }

    private static String version(YMap m, String field, String name, Problems problems) {
        String v = text(m, field, false, problems);
        if (v != null && !VERSION.matcher(v).matches()) {
            problems.add(m.get(field).location(), name + ": " + field + " must be a kernel version like \"4.12\"");
            return null;
        }
        return v;
    }

    private static Boolean bool(YMap m, String field, Problems problems) {
        YNode n = m.get(field);
        if (n == null || (n instanceof YScalar s && s.isNull())) {
            return null;
        }
        if (n instanceof YScalar s && s.value() instanceof Boolean b) {
            return b;
        }
        problems.add(n.location(), "'" + field + "' must be true or false");
        return null;
    }

    /** The last dotted segment of a key ({@code rp_filter} of {@code net.ipv4.conf.*.rp_filter}). */
    private static String leaf(String key) {
        return key.substring(key.lastIndexOf('.') + 1);
    }

    private static Long number(YMap m, String field, Problems problems) {
        YNode n = m.get(field);
        if (n == null || (n instanceof YScalar s && s.isNull())) {
            return null;
        }
        if (n instanceof YScalar s && (s.value() instanceof Integer || s.value() instanceof Long)) {
            return ((Number) s.value()).longValue();
        }
        problems.add(n.location(), "'" + field + "' must be an integer, not " + n.kind());
        return null;
    }

    private static SysctlKey sysctlKey(String name, SourceLocation where, Problems problems) {
        try {
            return SysctlKey.of(name);
        } catch (IllegalArgumentException e) {
            problems.add(where, e.getMessage());
            return null;
        }
    }

    private static Map<String, String> stringMap(YNode n, String what, Problems problems) {
        Map<String, String> out = new LinkedHashMap<>();
        if (!(n instanceof YMap m)) {
            problems.add(n.location(), what + " must be a mapping of platform tag to name");
            return out;
        }
        for (YNode.Entry e : m.entries()) {
            if (e.value() instanceof YScalar s && s.value() instanceof String v && !v.isBlank()) {
                out.put(e.key(), v.strip());
            } else {
                problems.add(e.value().location(), what + "." + e.key() + " must be a name");
            }
        }
        return out;
    }
}
