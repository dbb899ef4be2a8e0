package io.sysfleet.hostile;

import io.sysfleet.testing.Cli;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hostile-input corpus ({@code src/test/resources/hostile/}, see its README): each case through the real
 * command line, asserting its exact one-line error, its exit code, no stack trace, and that no host was contacted:
 * every inventory host is 127.0.0.1 on a port this test listens on and counts connections to.
 */
class HostileInputTest {
    static final Path CORPUS = Path.of("src/test/resources/hostile");
    private static ServerSocket listener;
    private static final AtomicInteger CONNECTIONS = new AtomicInteger();
    private static final AtomicInteger TRIED = new AtomicInteger();
    private static final AtomicInteger REJECTED = new AtomicInteger();
    private static final AtomicInteger FAILED = new AtomicInteger();

    @TempDir
    static Path work;

    @BeforeAll
    static void listen() throws IOException {
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            while (!listener.isClosed()) {
                try (Socket s = listener.accept()) {
                    CONNECTIONS.incrementAndGet();
                } catch (IOException e) {
                    return;
                }
            }
        }, "hostile-listener");
        t.setDaemon(true);
        t.start();
    }

    @AfterAll
    static void figures() throws IOException {
        listener.close();
        Figures.write("HostileInputTest", "hostile-input", TRIED.get(), REJECTED.get(), 0, FAILED.get());
    }

    /** One case: its folder and its case.txt fields. */
    record Case(Path dir, String what, String args, int exit, String error, List<String> setup) {
        static Case read(Path dir) throws IOException {
            String what = null;
            String args = null;
            String error = null;
            int exit = -1;
            List<String> setup = new ArrayList<>();
            for (String line : Files.readAllLines(dir.resolve("case.txt"), StandardCharsets.UTF_8)) {
                int colon = line.indexOf(": ");
                if (line.isBlank() || line.startsWith("#") || colon < 0) {
                    continue;
                }
                String v = line.substring(colon + 2);
                switch (line.substring(0, colon)) {
                    case "what" -> what = v;
                    case "args" -> args = v;
                    case "exit" -> exit = Integer.parseInt(v.trim());
                    case "error" -> error = v;
                    case "setup" -> setup.add(v);
                    default -> throw new IllegalArgumentException(dir + "/case.txt: unknown field in '" + line + "'");
                }
            }
            if (what == null || args == null || error == null || exit < 0) {
                throw new IllegalArgumentException(dir + "/case.txt needs what, args, exit and error");
            }
            return new Case(dir, what, args, exit, error, setup);
        }
    }

    static List<Path> caseDirs() throws IOException {
        try (Stream<Path> s = Files.list(CORPUS)) {
            return s.filter(p -> Files.isRegularFile(p.resolve("case.txt"))).sorted().toList();
        }
    }

    @TestFactory
    Stream<DynamicTest> corpus() throws IOException {
        List<Path> dirs = caseDirs();
        assertTrue(dirs.size() >= 40, "the corpus has " + dirs.size() + " cases");
        return dirs.stream().map(d -> DynamicTest.dynamicTest(d.getFileName().toString(), () -> {
            TRIED.incrementAndGet();
            try {
                run(Case.read(d));
                REJECTED.incrementAndGet();
            } catch (Throwable e) {
                FAILED.incrementAndGet();
                throw e;
            }
        }));
    }

    private void run(Case c) throws IOException {
        Path dir = work.resolve(c.dir().getFileName().toString());
        copy(CORPUS.resolve("_common"), dir);
        copy(c.dir(), dir);
        Files.delete(dir.resolve("case.txt"));
        for (String s : c.setup()) {
            setup(dir, s.trim().split("\\s+"));
        }
        String d = dir.toString();
        List<String> args = new ArrayList<>();
        for (String a : c.args().trim().split("\\s+")) {
            args.add(a.replace("{dir}", d));
        }
        args.addAll(List.of("--state-dir", d + "/state", "--known-hosts", d + "/known_hosts", "--connect-timeout", "2"));
        if (args.get(0).equals("lint") || args.get(0).equals("inventory")) {
            args.subList(args.size() - 6, args.size()).clear();
        }
        int before = CONNECTIONS.get();
        Cli.Result r = Cli.run(args);
        String expected = "sysfleet: " + c.error().replace("{dir}", d);
        if (Boolean.getBoolean("sysfleet.hostile.record")) {
            // Maintenance only: writes what the command printed into case.txt, to be reviewed line by line.
            String got = r.err().strip().replace(d, "{dir}");
            Files.writeString(c.dir().resolve("case.txt"), "what: " + c.what() + "\nargs: " + c.args() + "\nexit: "
                    + r.exit() + "\nerror: " + (got.startsWith("sysfleet: ") ? got.substring(10) : got) + "\n"
                    + c.setup().stream().map(x -> "setup: " + x + "\n").reduce("", String::concat));
        }
        String context = c.what() + "\n" + String.join(" ", args) + "\nstdout: " + r.out() + "\nstderr: " + r.err();
        assertFalse(r.err().contains("\tat ") || r.err().contains("Exception"), "no stack trace: " + context);
        assertEquals(expected + "\n", r.err(), context);
        assertEquals(c.exit(), r.exit(), context);
        assertEquals("", r.out(), "nothing on stdout: " + context);
        assertEquals(before, CONNECTIONS.get(), "no connection to any host: " + context);
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    byte[] bytes = Files.readAllBytes(p);
                    String text = new String(bytes, StandardCharsets.ISO_8859_1);
                    Files.write(target, text.replace("{port}", String.valueOf(listener.getLocalPort()))
                            .getBytes(StandardCharsets.ISO_8859_1));
                }
            }
        }
    }

    private static void setup(Path dir, String[] s) throws IOException {
        Path p = dir.resolve(s[1]);
        Files.createDirectories(p.getParent());
        Files.deleteIfExists(p);
        switch (s[0]) {
            case "fifo" -> {
                try {
                    assertEquals(0, new ProcessBuilder("mkfifo", p.toString()).start().waitFor());
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
            }
            case "link" -> Files.createSymbolicLink(p, Path.of(s[2]));
            case "huge" -> {
                try (var out = Files.newOutputStream(p)) {
                    byte[] line = "# a comment line that makes the file too large to read\n".getBytes(StandardCharsets.US_ASCII);
                    for (long n = 0; n < Long.parseLong(s[2]); n += line.length) {
                        out.write(line);
                    }
                }
            }
            case "bytes" -> Files.write(p, HexFormat.of().parseHex(s[2]));
            default -> throw new IllegalArgumentException("unknown setup " + s[0]);
        }
    }
}
