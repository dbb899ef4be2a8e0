package io.sysfleet.hostile;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The reliability figures tests leave for the build to print: one JSON file per test class in
 * {@code target/reliability/}, {@code {"source": CLASS, "kind": "hostile-input"|"fuzz"|..., "tried": N,
 * "rejected": N, "handled": N, "failed": N}}. {@code tried} inputs each ended as documented: {@code rejected} with
 * their one-line error, or {@code handled} (accepted and processed correctly); {@code failed} counts the ones that
 * did not (the test fails then too). {@link #main} sums them at the end of {@code mvn verify}.
 */
public final class Figures {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Figures() {
    }

    static Path dir() {
        return Path.of(System.getProperty("sysfleet.reliability.dir", "target/reliability"));
    }

    /** Writes (replaces) the figures of one source. */
    public static void write(String source, String kind, long tried, long rejected, long handled, long failed) {
        ObjectNode n = JSON.createObjectNode();
        n.put("source", source);
        n.put("kind", kind);
        n.put("tried", tried);
        n.put("rejected", rejected);
        n.put("handled", handled);
        n.put("failed", failed);
        try {
            Files.createDirectories(dir());
            Files.writeString(dir().resolve(source + ".json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(n) + "\n");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Prints the sums per kind of every figures file (the build runs this after the integration tests). */
    public static void main(String[] args) throws IOException {
        Path dir = args.length > 0 ? Path.of(args[0]) : dir();
        java.util.Map<String, long[]> sums = new java.util.TreeMap<>();
        if (Files.isDirectory(dir)) {
            try (var files = Files.list(dir)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                    var n = JSON.readTree(f.toFile());
                    long[] s = sums.computeIfAbsent(n.path("kind").asText("?"), k -> new long[4]);
                    s[0] += n.path("tried").asLong();
                    s[1] += n.path("rejected").asLong();
                    s[2] += n.path("handled").asLong();
                    s[3] += n.path("failed").asLong();
                }
            }
        }
        System.out.println("[sysfleet reliability figures] from " + dir);
        if (sums.isEmpty()) {
            System.out.println("  none recorded (run the tests first)");
        }
        long[] all = new long[4];
        sums.forEach((kind, s) -> {
            System.out.printf("  %-14s tried %,d: rejected %,d, handled %,d, failed %,d%n", kind, s[0], s[1], s[2], s[3]);
            for (int i = 0; i < 4; i++) {
                all[i] += s[i];
            }
        });
        if (!sums.isEmpty()) {
            System.out.printf("  %-14s tried %,d: %,d ended as documented (rejected with their error or handled), "
                    + "%,d did not%n", "all", all[0], all[1] + all[2], all[3]);
        }
    }
}
