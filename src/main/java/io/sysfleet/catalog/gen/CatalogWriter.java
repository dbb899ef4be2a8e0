package io.sysfleet.catalog.gen;

import io.sysfleet.catalog.KernelKey;
import io.sysfleet.catalog.ValueType;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Writes catalog YAML the way {@link io.sysfleet.catalog.KeyCatalog#parse} reads it: a comment header, an
 * {@code about} mapping, {@code module_names}, then one flow mapping per key on one line (so {@code grep}
 * finds a key with all its facts and a diff shows one line per changed key), sorted by name.
 */
final class CatalogWriter {
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_./*+-]*");
    private static final Set<String> YAML_WORDS = Set.of("true", "false", "yes", "no", "on", "off", "null", "y", "n", "~");

    private CatalogWriter() {
    }

    static String write(List<KernelKey> keys, Map<String, Map<String, String>> moduleNames, List<String> header,
                        Map<String, String> about) {
        StringBuilder b = new StringBuilder();
        for (String h : header) {
            b.append(h.isEmpty() ? "#" : "# " + h).append('\n');
        }
        b.append('\n').append("about:\n");
        about.forEach((k, v) -> b.append("  ").append(k).append(": ").append(scalar(v)).append('\n'));
        b.append('\n').append(moduleNames.isEmpty() ? "module_names: {}\n" : "module_names:\n");
        moduleNames.forEach((module, names) -> {
            b.append("  ").append(module).append(": {");
            List<String> parts = new ArrayList<>();
            names.forEach((tag, n) -> parts.add(tag + ": " + scalar(n)));
            b.append(String.join(", ", parts)).append("}\n");
        });
        b.append('\n').append("keys:\n");
        for (KernelKey k : keys) {
            b.append("  - {").append(String.join(", ", fields(k))).append("}\n");
        }
        return b.toString();
    }

    private static List<String> fields(KernelKey k) {
        List<String> f = new ArrayList<>();
        f.add("name: " + scalar(k.name()));
        f.add("type: " + k.type().name().toLowerCase(Locale.ROOT));
        if (k.type() != ValueType.BOOL) {
            if (k.min() != null) {
                f.add("min: " + k.min());
            }
            if (k.max() != null) {
                f.add("max: " + k.max());
            }
        }
        if (k.type() == ValueType.INT_VECTOR) {
            f.add("fields: " + k.fields());
        }
        if (!k.values().isEmpty()) {
            f.add("values: [" + String.join(", ", k.values().stream().map(CatalogWriter::quoted).toList()) + "]");
        }
        if (k.defaultValue() != null) {
            f.add("default: " + quoted(k.defaultValue()));
        }
        if (k.unit() != null) {
            f.add("unit: " + scalar(k.unit()));
        }
        if (k.addedIn() != null) {
            f.add("added_in: " + quoted(k.addedIn()));
        }
        if (k.removedIn() != null) {
            f.add("removed_in: " + quoted(k.removedIn()));
        }
        if (k.module() != null) {
            f.add("module: " + scalar(k.module()));
        }
        if (k.scope() != null) {
            f.add("scope: " + k.scope().dataName());
        }
        if (k.readOnly()) {
            f.add("read_only: true");
        }
        if (!k.platformNames().isEmpty()) {
            List<String> p = new ArrayList<>();
            k.platformNames().forEach((tag, n) -> p.add(tag + ": " + scalar(n.dotted())));
            f.add("platform_names: {" + String.join(", ", p) + "}");
        }
        if (!k.source().isEmpty()) {
            f.add("source: " + scalar(k.source()));
        }
        if (!k.notes().isEmpty()) {
            f.add("notes: " + quoted(k.notes()));
        }
        return f;
    }

    /** A plain scalar where YAML reads it back as the same string, else a double-quoted one. */
    private static String scalar(String s) {
        boolean plain = PLAIN.matcher(s).matches() && !YAML_WORDS.contains(s.toLowerCase(Locale.ROOT))
                && !s.matches("[-+]?[0-9][0-9_.:]*([eE][-+]?[0-9]+)?") && !s.startsWith("*");
        return plain ? s : quoted(s);
    }

    private static String quoted(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                default -> b.append(c);
            }
        }
        return b.append('"').toString();
    }
}
