package io.sysfleet.catalog.gen;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What a live kernel exposes under {@code /proc/sys}: for each key, whether the initial namespace can read
 * and write it, the same in a new network namespace (what a container sees), and the shape of its value
 * ({@code int}, {@code int*3}, {@code text}, {@code empty}). No values are kept: they are the machine's, not
 * the kernel's. Per-interface keys are kept for {@code all}, {@code default} and {@code lo} only, and the
 * formats registered in {@code fs.binfmt_misc} are left out, so a snapshot does not depend on the machine's
 * interfaces or packages.
 *
 * <p>The snapshot file (tab-separated, {@code #} comments) is an input of the catalog generator, kept in
 * the repository so the catalog is reproducible; {@code scripts/gen-catalog snapshot} writes it.
 */
public final class LiveSnapshot {
    /** Access to a key in one namespace. */
    public enum Access {
        RW, RO, WO, ABSENT;

        static Access of(String word) {
            return word.equals("-") ? ABSENT : valueOf(word.toUpperCase(java.util.Locale.ROOT));
        }

        String word() {
            return this == ABSENT ? "-" : name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** One key: access from the initial namespace and from a new network namespace, and the value's shape. */
    public record Key(String name, Access init, Access netns, String shape) { }

    private static final Set<String> KEPT_INTERFACES = Set.of("all", "default", "lo");
    private static final int MAX_VALUE_BYTES = 64 * 1024;

    private final TreeMap<String, Key> sorted;
    private final Map<String, Key> keys;
    private final Map<String, String> header;

    private LiveSnapshot(Map<String, Key> keys, Map<String, String> header) {
        this.sorted = new TreeMap<>(keys);
        this.keys = Collections.unmodifiableMap(sorted);
        this.header = Collections.unmodifiableMap(new LinkedHashMap<>(header));
    }

    /** Every key, by dotted name. */
    public Map<String, Key> keys() {
        return keys;
    }

    /**
     * The key named {@code name}; a per-interface pattern ({@code net.ipv4.conf.*.x}) is looked up as a real
     * interface ({@code lo}) first, then {@code default} and {@code all}, which may differ from interfaces
     * (a new network namespace has no {@code neigh.default}).
     */
    public Optional<Key> find(String name) {
        if (name.indexOf('*') >= 0) {
            for (String iface : List.of("lo", "default", "all")) {
                Key k = keys.get(name.replace("*", iface));
                if (k != null) {
                    return Optional.of(k);
                }
            }
            return Optional.empty();
        }
        return Optional.ofNullable(keys.get(name));
    }

    /** Whether some key lies below {@code prefix.} (the name is a directory, not a key). */
    public boolean isDirectory(String name) {
        String p = name + ".";
        String next = sorted.ceilingKey(p);
        return next != null && next.startsWith(p);
    }

    /** Header facts ({@code kernel}: the uname release the snapshot was taken on). */
    public Map<String, String> header() {
        return header;
    }

    /** Parses a snapshot file's text. */
    public static LiveSnapshot parse(String text) {
        Map<String, Key> keys = new TreeMap<>();
        Map<String, String> header = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("#")) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    header.put(line.substring(1, colon).strip(), line.substring(colon + 1).strip());
                }
                continue;
            }
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split("\t");
            if (f.length != 4) {
                throw new IllegalArgumentException("snapshot line is not key<TAB>init<TAB>netns<TAB>shape: " + line);
            }
            keys.put(f[0], new Key(f[0], Access.of(f[1]), Access.of(f[2]), f[3]));
        }
        return new LiveSnapshot(keys, header);
    }

    /** The snapshot file's text: a header, then one sorted line per key. */
    public String format() {
        StringBuilder b = new StringBuilder();
        b.append("# sysfleet live /proc/sys snapshot, an input of scripts/gen-catalog (see LiveSnapshot).\n");
        b.append("# Columns: key, access from the initial namespace, access from a new network namespace\n");
        b.append("# (rw, ro, wo, - for absent), shape of the value (int, int*N, text, empty, unreadable).\n");
        header.forEach((k, v) -> b.append("# ").append(k).append(": ").append(v).append('\n'));
        keys.values().forEach(k -> b.append(k.name()).append('\t').append(k.init().word()).append('\t')
                .append(k.netns().word()).append('\t').append(k.shape()).append('\n'));
        return b.toString();
    }

    /** This process's view of {@code root} (normally {@code /proc/sys}): name to access and shape. */
    public static Map<String, Key> view(Path root) throws IOException {
        Map<String, Key> out = new TreeMap<>();
        List<Path> files;
        try (Stream<Path> s = Files.walk(root)) {
            files = s.filter(Files::isRegularFile).toList();
        }
        for (Path f : files) {
            List<String> parts = new ArrayList<>();
            root.relativize(f).forEach(p -> parts.add(p.toString()));
            if (!kept(parts)) {
                continue;
            }
            String name = dotted(parts);
            // The file's mode, as the kernel's table sets it (not what this process may do: a process without
            // CAP_SYS_RESOURCE sees user.* as read-only through access(2), which says nothing about the kernel).
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(f);
            boolean r = mode.contains(PosixFilePermission.OWNER_READ);
            boolean w = mode.contains(PosixFilePermission.OWNER_WRITE);
            Access a = r && w ? Access.RW : r ? Access.RO : w ? Access.WO : Access.ABSENT;
            String value = r ? read(f) : null;
            out.put(name, new Key(name, a, Access.ABSENT, value == null ? "unreadable" : shape(value)));
        }
        return out;
    }

    /** Combines the initial namespace's view with a new network namespace's. */
    public static LiveSnapshot merge(Map<String, Key> init, Map<String, Key> netns, Map<String, String> header) {
        Map<String, Key> keys = new TreeMap<>();
        for (Key k : init.values()) {
            Key n = netns.get(k.name());
            keys.put(k.name(), new Key(k.name(), k.init(), n == null ? Access.ABSENT : n.init(), k.shape()));
        }
        return new LiveSnapshot(keys, header);
    }

    /** Builds a snapshot from parts (tests). */
    public static LiveSnapshot of(List<Key> keys, Map<String, String> header) {
        Map<String, Key> m = new TreeMap<>();
        keys.forEach(k -> m.put(k.name(), k));
        return new LiveSnapshot(m, header);
    }

    /** The shape of a value as /proc/sys prints it. */
    static String shape(String value) {
        String v = value.strip();
        if (v.isEmpty()) {
            return "empty";
        }
        String[] parts = v.split("\\s+");
        for (String p : parts) {
            // "00" or "0f" is a hexadecimal CPU mask printed with its leading zeros, not a number.
            if (!p.matches("-?[0-9]+") || (p.length() > 1 && p.startsWith("0"))) {
                return "text";
            }
        }
        return parts.length == 1 ? "int" : "int*" + parts.length;
    }

    private static boolean kept(List<String> parts) {
        if (parts.size() >= 4 && parts.get(0).equals("net") && (parts.get(2).equals("conf") || parts.get(2).equals("neigh"))
                && !KEPT_INTERFACES.contains(parts.get(3))) {
            return false;
        }
        return !(parts.size() >= 3 && parts.get(0).equals("fs") && parts.get(1).equals("binfmt_misc")
                && !Set.of("register", "status").contains(parts.get(2)));
    }

    /** Dotted name as procps prints it: dots inside a path component become slashes. */
    private static String dotted(List<String> parts) {
        return String.join(".", parts.stream().map(p -> p.replace('.', '/')).toList());
    }

    private static String read(Path f) {
        try (InputStream in = Files.newInputStream(f)) {
            return new String(in.readNBytes(MAX_VALUE_BYTES), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null; // some keys refuse reads until set (net.ipv6.conf.all.stable_secret)
        }
    }
}
