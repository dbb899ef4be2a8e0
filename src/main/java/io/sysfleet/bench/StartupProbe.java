package io.sysfleet.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Process start to first SSH packet: a listener on a free 127.0.0.1 port stands in for a host; the client is
 * started, and the time until its first byte arrives (its SSH identification string, sent right after the TCP
 * connect, before any key exchange) is the start-up cost: for sysfleet the launcher, JVM start, class loading,
 * option parsing, reading the inventory and playbook and checking them, and JSch's session set-up. The listener then
 * closes the connection, so the client ends as "unreachable". Nothing leaves the loopback interface.
 */
final class StartupProbe {
    private StartupProbe() {
    }

    /**
     * A client to time: its argv and extra environment. In the argv, {@code PORT} stands for the listener's port,
     * {@code INVENTORY} for a one-host inventory naming it, {@code KNOWN_HOSTS} for an empty known_hosts file.
     */
    record Variant(String name, List<String> argv, Map<String, String> env) {
    }

    /** Milliseconds from start to first byte for each of {@code samples} starts of {@code v}. */
    static double[] measure(Variant v, int samples, Path workDir, Path dir, Path log) throws IOException {
        double[] ms = new double[samples];
        try (ServerSocket server = new ServerSocket(0, 16, InetAddress.getByName("127.0.0.1"))) {
            server.setSoTimeout(60_000);
            String port = Integer.toString(server.getLocalPort());
            Path[] files = files(dir, port);
            for (int i = 0; i < samples; i++) {
                List<String> argv = new ArrayList<>();
                v.argv().forEach(a -> argv.add(a.replace("PORT", port).replace("INVENTORY", files[0].toString())
                        .replace("KNOWN_HOSTS", files[1].toString())));
                ProcessBuilder pb = new ProcessBuilder(argv).directory(workDir.toFile()).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
                pb.environment().putAll(v.env());
                long t0 = System.nanoTime();
                Process p = pb.start();
                try (Socket s = server.accept()) {
                    s.setSoTimeout(30_000);
                    InputStream in = s.getInputStream();
                    int b = in.read();
                    long t1 = System.nanoTime();
                    if (b < 0) {
                        throw new IOException(v.name() + " connected but sent nothing");
                    }
                    ms[i] = (t1 - t0) / 1e6;
                } catch (SocketTimeoutException e) {
                    throw new IOException(v.name() + " did not connect within 60 s; see " + log, e);
                } finally {
                    try {
                        if (!p.waitFor(60, TimeUnit.SECONDS)) {
                            p.destroyForcibly();
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        p.destroyForcibly();
                    }
                }
            }
        }
        return ms;
    }

    /** A one-host inventory and an empty known_hosts for the probe (the host key is never reached). */
    private static Path[] files(Path dir, String port) throws IOException {
        Files.createDirectories(dir);
        Path inv = dir.resolve("startup-inventory.yml");
        Files.writeString(inv, """
                # sysfleet benchmark: the start-up probe's one host, a listener on 127.0.0.1 that closes the connection
                all:
                  hosts:
                    startup-probe:
                      ansible_host: 127.0.0.1
                      ansible_port: %s
                      ansible_user: sysfleet
                """.formatted(port), StandardCharsets.UTF_8);
        Path kh = dir.resolve("startup-known_hosts");
        Files.writeString(kh, "", StandardCharsets.UTF_8);
        return new Path[] {inv, kh};
    }
}
