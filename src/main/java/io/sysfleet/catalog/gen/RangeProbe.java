package io.sysfleet.catalog.gen;

import io.sysfleet.catalog.KernelKey;
import io.sysfleet.catalog.KeyCatalog;
import io.sysfleet.catalog.Scope;
import io.sysfleet.catalog.ValueType;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Which documented ranges the kernel enforces, found out on a live kernel: in a new network namespace (a child
 * process under {@code unshare -n}, which needs root and changes nothing outside that namespace, which ends with the
 * child), each per-namespace integer or boolean key the catalog gives a range is written one below its minimum and
 * one above its maximum, the answer recorded ({@code refused}: the kernel said EINVAL; {@code accepted}; or
 * {@code clamped}: accepted but read back as another value) and the key's value put back. Global keys cannot be tried
 * without changing the machine, so they are not: their ranges count as documented only.
 *
 * <p>The result, {@code src/catalog/range-probe.tsv}, is an input of the generator: a bound whose tried
 * value was refused is enforced (a value beyond it is an error; {@code range: enforced} for both), every other bound is
 * documented (a value outside is a warning: the kernel takes it, as it takes {@code kernel.panic_on_oops = 60}).
 * Each bound is judged on its own ({@code range: min} or {@code max} in the catalog): tcp_syncookies refuses -1
 * but takes 3.
 */
final class RangeProbe {
    static final Path FILE = Path.of("src/catalog/range-probe.tsv");

    private RangeProbe() {
    }

    /** One answer of the kernel. */
    record Try(String key, String value, String answer) {
    }

    /** Runs the probe in a new network namespace and writes {@code out}. */
    static void write(Path out) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder("unshare", "-n", java, "-cp", System.getProperty("java.class.path"),
                CatalogGenerator.class.getName(), "probe-ranges-here")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        byte[] text = p.getInputStream().readAllBytes();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IOException("unshare -n did not finish within 5 minutes");
        }
        if (p.exitValue() != 0) {
            throw new IOException("unshare -n failed (it needs root): exit " + p.exitValue());
        }
        String kernel = Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip();
        String body = new String(text, StandardCharsets.UTF_8);
        Files.writeString(out, "# sysfleet range probe, an input of scripts/gen-catalog (see RangeProbe).\n"
                + "# Columns: key, value written (one outside the documented range), the kernel's answer\n"
                + "# (refused | accepted | clamped). Per-network-namespace keys only, tried in a new namespace.\n"
                + "# kernel: " + kernel + "\n" + body, StandardCharsets.UTF_8);
        System.err.println("gen-catalog: wrote " + out + " (" + body.lines().count() + " tries, Linux " + kernel + ")");
    }

    /** The probe itself, run inside the new namespace: prints the tries. Never call it in the initial one. */
    static String here(KeyCatalog catalog) {
        StringBuilder out = new StringBuilder();
        for (KernelKey k : catalog.keys()) {
            if (k.isPattern() || k.scope() != Scope.NETNS || k.readOnly() || k.fields() != 1
                    || !(k.type() == ValueType.INT || k.type() == ValueType.BOOL) || k.min() == null && k.max() == null) {
                continue;
            }
            Path file = Path.of("/proc/sys", k.key().path());
            String original;
            try {
                original = read(file);
            } catch (IOException e) {
                continue;
            }
            List<Long> values = new ArrayList<>();
            if (k.min() != null && k.min() > Integer.MIN_VALUE) {
                values.add(k.min() - 1);
            }
            if (k.max() != null && k.max() < Integer.MAX_VALUE) {
                values.add(k.max() + 1);
            }
            for (long v : values) {
                String answer;
                try {
                    put(file, Long.toString(v));
                    answer = read(file).equals(Long.toString(v)) ? "accepted" : "clamped";
                } catch (IOException e) {
                    answer = "refused";
                }
                try {
                    put(file, original);
                } catch (IOException e) {
                    // the namespace ends with this process: nothing outlives it
                }
                out.append(k.name()).append('\t').append(v).append('\t').append(answer).append('\n');
            }
        }
        return out.toString();
    }

    /** Reads the probe file: key to its tries. */
    static Map<String, List<Try>> parse(String text) {
        Map<String, List<Try>> out = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t");
            if (f.length != 3 || !List.of("refused", "accepted", "clamped").contains(f[2])) {
                throw new IllegalArgumentException("range probe: malformed line '" + line + "'");
            }
            out.computeIfAbsent(f[0], x -> new ArrayList<>()).add(new Try(f[0], f[1], f[2]));
        }
        return out;
    }

    /** Whether the kernel refused {@code value} (null: no such bound) in the tries. */
    static boolean refused(List<Try> tries, Long value) {
        return value != null && tries.stream().anyMatch(t -> t.value().equals(value.toString())
                && t.answer().equals("refused"));
    }

    private static String read(Path file) throws IOException {
        try (var in = Files.newInputStream(file)) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip();
        }
    }

    private static void put(Path file, String value) throws IOException {
        try (FileOutputStream o = new FileOutputStream(file.toFile())) {
            o.write((value + "\n").getBytes(StandardCharsets.US_ASCII));
        }
    }
}
