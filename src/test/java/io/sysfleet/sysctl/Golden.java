package io.sysfleet.sysctl;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Loads the golden cases under src/test/resources/sysctl/golden/NAME/{before,desired.txt,after,changes.txt}. */
final class Golden {

    private Golden() {
    }

    /** One golden case. */
    record Case(String name, Path dir, String before, List<Desired> desired, String after, List<String> changes) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Path root() {
        try {
            return Path.of(Golden.class.getResource("/sysctl/golden").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<Case> cases() {
        try (Stream<Path> dirs = Files.list(root())) {
            return dirs.filter(Files::isDirectory).sorted().map(Golden::load).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(Path p) {
        try {
            return new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Case load(Path dir) {
        List<String> changes = read(dir.resolve("changes.txt")).lines().filter(l -> !l.isBlank()).toList();
        return new Case(dir.getFileName().toString(), dir, read(dir.resolve("before")),
                parseDesired(read(dir.resolve("desired.txt"))), read(dir.resolve("after")), changes);
    }

    /** desired.txt: "key = value" for present, "absent key" for absent, '#' comments. */
    static List<Desired> parseDesired(String text) {
        List<Desired> out = new ArrayList<>();
        for (String line : text.lines().toList()) {
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            if (t.startsWith("absent ")) {
                out.add(Desired.absent(t.substring("absent ".length()).strip()));
            } else {
                int eq = t.indexOf('=');
                if (eq < 0) {
                    throw new IllegalArgumentException("bad desired.txt line: " + line);
                }
                out.add(Desired.present(t.substring(0, eq).strip(), t.substring(eq + 1).strip()));
            }
        }
        return out;
    }

    /** A change in the changes.txt form KIND|key|old|new|line ("null" for null). */
    static String format(Change c) {
        return c.kind() + "|" + c.key() + "|" + c.oldValue() + "|" + c.newValue() + "|" + c.line();
    }
}
