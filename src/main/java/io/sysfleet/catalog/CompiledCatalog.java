package io.sysfleet.catalog;

import io.sysfleet.sysctl.SysctlKey;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * The bundled key catalog in a binary form the build writes next to {@code keys.yml} ({@code keys.bin}), so a
 * start-up reads 824 keys without parsing YAML: about 250 ms of a cold JVM's time on one core went to SnakeYAML and
 * the per-key checks, and a {@code run} waited for them before its first connection (docs/performance.md).
 *
 * <p>The YAML stays the source: the build (pom.xml, process-classes) parses and checks it with
 * {@link KeyCatalog#parse} and writes what came out. The binary names the YAML it came from by length and CRC-32, and
 * {@link #decode} refuses one that does not match, so a stale or foreign {@code keys.bin} is never used; the YAML is
 * parsed instead. Pure functions apart from {@link #main}.
 */
public final class CompiledCatalog {
    /** The binary's resource name, relative to {@link KeyCatalog}. */
    public static final String RESOURCE = "keys.bin";
    private static final int MAGIC = 0x53464b43; // "SFKC"
    private static final int FORMAT = 1;

    private CompiledCatalog() {
    }

    /** The build step: {@code CompiledCatalog CLASSES_DIR} writes {@code keys.bin} beside {@code keys.yml} there. */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: CompiledCatalog CLASSES_DIR");
        }
        Path dir = Path.of(args[0]).resolve(KeyCatalog.class.getPackageName().replace('.', '/'));
        byte[] yaml = Files.readAllBytes(dir.resolve(KeyCatalog.RESOURCE));
        KeyCatalog catalog = KeyCatalog.parse(new String(yaml, StandardCharsets.UTF_8), KeyCatalog.RESOURCE);
        byte[] bin = encode(catalog, yaml);
        Files.write(dir.resolve(RESOURCE), bin);
        System.out.println("catalog: " + catalog.keys().size() + " keys, " + yaml.length + " bytes of YAML -> "
                + bin.length + " bytes in " + dir.resolve(RESOURCE));
    }

    /** The catalog parsed from {@code yaml}, in binary. */
    public static byte[] encode(KeyCatalog catalog, byte[] yaml) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 * 1024);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeInt(FORMAT);
            out.writeInt(yaml.length);
            out.writeLong(crc(yaml));
            writeMap(out, catalog.about());
            out.writeInt(catalog.moduleNames().size());
            for (Map.Entry<String, Map<String, String>> e : catalog.moduleNames().entrySet()) {
                out.writeUTF(e.getKey());
                writeMap(out, e.getValue());
            }
            out.writeInt(catalog.keys().size());
            for (KernelKey k : catalog.keys()) {
                out.writeUTF(k.name());
                out.writeUTF(k.type().name());
                writeLong(out, k.min());
                writeLong(out, k.max());
                out.writeInt(k.fields());
                writeText(out, k.removedIn());
                writeText(out, k.module());
                out.writeInt(k.platformNames().size());
                for (Map.Entry<String, SysctlKey> e : k.platformNames().entrySet()) {
                    out.writeUTF(e.getKey());
                    out.writeUTF(e.getValue().dotted());
                }
                writeText(out, k.defaultValue());
                out.writeUTF(k.notes());
                out.writeInt(k.values().size());
                for (String v : k.values()) {
                    out.writeUTF(v);
                }
                writeText(out, k.unit());
                writeText(out, k.addedIn());
                writeText(out, k.scope() == null ? null : k.scope().name());
                out.writeBoolean(k.readOnly());
                out.writeUTF(k.source());
                out.writeBoolean(k.minEnforced());
                out.writeBoolean(k.maxEnforced());
            }
        }
        return bytes.toByteArray();
    }

    /**
     * The catalog in {@code bin}, when {@code bin} is this format and was written from exactly {@code yaml};
     * empty otherwise (stale, foreign, truncated or damaged), so the caller parses the YAML instead.
     */
    public static Optional<KeyCatalog> decode(byte[] bin, byte[] yaml) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bin))) {
            if (in.readInt() != MAGIC || in.readInt() != FORMAT || in.readInt() != yaml.length
                    || in.readLong() != crc(yaml)) {
                return Optional.empty();
            }
            Map<String, String> about = readMap(in);
            int moduleCount = in.readInt();
            Map<String, Map<String, String>> modules = new LinkedHashMap<>();
            for (int i = 0; i < moduleCount; i++) {
                modules.put(in.readUTF(), readMap(in));
            }
            int count = in.readInt();
            List<KernelKey> keys = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                String name = in.readUTF();
                ValueType type = ValueType.valueOf(in.readUTF());
                Long min = readLong(in);
                Long max = readLong(in);
                int fields = in.readInt();
                String removedIn = readText(in);
                String module = readText(in);
                int platforms = in.readInt();
                Map<String, SysctlKey> platformNames = new LinkedHashMap<>();
                for (int p = 0; p < platforms; p++) {
                    platformNames.put(in.readUTF(), SysctlKey.of(in.readUTF()));
                }
                String defaultValue = readText(in);
                String notes = in.readUTF();
                int valueCount = in.readInt();
                List<String> values = new ArrayList<>(valueCount);
                for (int v = 0; v < valueCount; v++) {
                    values.add(in.readUTF());
                }
                String unit = readText(in);
                String addedIn = readText(in);
                String scope = readText(in);
                boolean readOnly = in.readBoolean();
                String source = in.readUTF();
                boolean minEnforced = in.readBoolean();
                boolean maxEnforced = in.readBoolean();
                keys.add(new KernelKey(name, type, min, max, fields, removedIn, module, platformNames, defaultValue,
                        notes, values, unit, addedIn, scope == null ? null : Scope.valueOf(scope), readOnly, source,
                        minEnforced, maxEnforced));
            }
            if (in.read() != -1) {
                return Optional.empty();
            }
            return Optional.of(KeyCatalog.of(keys, modules, about));
        } catch (IOException | RuntimeException e) {
            // damaged: an early end, a bad name or enum, a key the record refuses; the YAML is parsed instead
            return Optional.empty();
        }
    }

    private static long crc(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes);
        return crc.getValue();
    }

    private static void writeMap(DataOutputStream out, Map<String, String> map) throws IOException {
        out.writeInt(map.size());
        for (Map.Entry<String, String> e : map.entrySet()) {
            out.writeUTF(e.getKey());
            out.writeUTF(e.getValue());
        }
    }

    private static Map<String, String> readMap(DataInputStream in) throws IOException {
        int n = in.readInt();
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            map.put(in.readUTF(), in.readUTF());
        }
        return map;
    }

    private static void writeText(DataOutputStream out, String text) throws IOException {
        out.writeBoolean(text != null);
        if (text != null) {
            out.writeUTF(text);
        }
    }

    private static String readText(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }

    private static void writeLong(DataOutputStream out, Long value) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            out.writeLong(value);
        }
    }

    private static Long readLong(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readLong() : null;
    }
}
