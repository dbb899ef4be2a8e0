package io.sysfleet.catalog;

import io.sysfleet.config.YNode.YMap;
import io.sysfleet.config.YNode.YScalar;
import io.sysfleet.config.YNode.YSeq;
import io.sysfleet.config.YNode;
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

/**
 * The kernel keys sysfleet knows, loaded from data ({@code keys.yml} next to this class), and their
 * translation to the names each platform uses. Immutable.
 */
public final class KeyCatalog {
    /** The bundled catalog's resource name, relative to this class. */
    public static final String RESOURCE = "keys.yml";

    private static final Set<String> KEY_FIELDS = Set.of("name", "type", "min", "max", "fields", "removed_in",
            "module", "platform_names", "default", "notes");

    private final List<KernelKey> keys;
    private final Map<SysctlKey, KernelKey> byName;
    private final Map<String, Map<String, String>> moduleNames;

    private KeyCatalog(List<KernelKey> keys, Map<String, Map<String, String>> moduleNames) {
        this.keys = List.copyOf(keys);
        Map<SysctlKey, KernelKey> index = new LinkedHashMap<>();
        for (KernelKey k : keys) {
            for (SysctlKey n : k.allNames()) {
                index.put(n, k);
            }
        }
        this.byName = Collections.unmodifiableMap(index);
        this.moduleNames = Collections.unmodifiableMap(new LinkedHashMap<>(moduleNames));
    }

    /** The catalog bundled with sysfleet. */
    public static KeyCatalog load() {
        try (InputStream in = KeyCatalog.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the bundled key catalog " + RESOURCE + " is missing from the jar");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), RESOURCE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the bundled key catalog", e);
        }
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
            if (!e.key().equals("keys") && !e.key().equals("module_names")) {
                problems.add(e.keyLocation(), "unknown catalog entry '" + e.key() + "' (expected keys, module_names)");
            }
        }
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
        Map<SysctlKey, SourceLocation> seen = new LinkedHashMap<>();
        YNode list = top.get("keys");
        if (!(list instanceof YSeq seq)) {
            problems.add(list == null ? top.location() : list.location(), "'keys' must be a list of keys");
        } else {
            for (YNode item : seq.items()) {
                KernelKey k = key(item, problems);
                if (k == null) {
                    continue;
                }
                for (SysctlKey n : k.allNames()) {
                    SourceLocation first = seen.putIfAbsent(n, item.location());
                    if (first != null) {
                        problems.add(item.location(), "duplicate key name '" + n + "' (first at " + first + ")");
                    }
                }
                keys.add(k);
            }
        }
        problems.throwIfAny();
        return new KeyCatalog(keys, modules);
    }

    /** The key with this modern or platform-specific name. */
    public Optional<KernelKey> find(SysctlKey key) {
        return Optional.ofNullable(byName.get(key));
    }

    /** The key with this modern or platform-specific name in any spelling; empty for text that is no key. */
    public Optional<KernelKey> find(String anySpelling) {
        return SysctlKey.parse(anySpelling).flatMap(this::find);
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
        SysctlKey name = tag == null ? k.name() : k.platformNames().getOrDefault(tag, k.name());
        if (k.removedIn() != null && p.kernelAtLeast(k.removedIn())) {
            return new KeyResolution(key, name, KeyResolution.Availability.REMOVED,
                    "removed in Linux " + k.removedIn());
        }
        String reason = name.equals(requested) ? "known key"
                : name.equals(k.name()) ? "modern name of " + requested
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
        if (type == ValueType.BOOL) {
            if ((min != null && min != 0) || (max != null && max != 1)) {
                problems.add(m.location(), name + ": a bool is 0 or 1; use type int for other ranges");
            }
            min = 0L;
            max = 1L;
        }
        int fields = fieldsValue == null ? 1 : (int) Math.max(0, Math.min(fieldsValue, 64));
        if (type == ValueType.INT_VECTOR && fields < 2) {
            problems.add(m.location(), name + ": an int_vector needs fields of 2 or more");
        } else if (type != null && type != ValueType.INT_VECTOR && fieldsValue != null && fieldsValue != 1) {
            problems.add(m.get("fields").location(), name + ": only an int_vector has more than one field");
        }
        if (min != null && max != null && min > max) {
            problems.add(m.location(), name + ": min " + min + " is above max " + max);
        }
        String removedIn = text(m, "removed_in", false, problems);
        if (removedIn != null && !removedIn.matches("[0-9]+(\\.[0-9]+)*")) {
            problems.add(m.get("removed_in").location(), name + ": removed_in must be a kernel version like \"4.12\"");
        }
        String module = text(m, "module", false, problems);
        SysctlKey key = name == null ? null : sysctlKey(name, m.get("name").location(), problems);
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
        String notes = text(m, "notes", true, problems);
        if (problems.list().size() > before) {
            return null;
        }
        KernelKey k = new KernelKey(key, type, min, max, fields, removedIn, module, platformNames, defaultValue, notes);
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
