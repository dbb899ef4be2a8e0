package io.sysfleet.transport;

import io.sysfleet.result.Phase;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Runs commands on this machine ({@code ansible_connection: local}) through {@code /bin/sh -c}, with the same
 * shell line an {@link SshTransport} would send, so both behave alike. On timeout the whole process tree is
 * killed.
 */
public final class LocalTransport extends ShellTransport {
    /** Threads that pump stdin/stdout/stderr; never the common pool, which may have a single thread. */
    private final ExecutorService pumps = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "sysfleet-local-io");
        t.setDaemon(true);
        return t;
    });

    private final Map<String, String> environment;

    /** @param become default become (may be null) */
    public LocalTransport(String host, Become become) {
        this(host, become, Map.of());
    }

    /**
     * As {@link #LocalTransport(String, Become)}, with {@code environment} added to the commands' environment
     * (tests: PATH with a test double first, {@link RemoteShell#PROC_SYS_ENV}).
     */
    public LocalTransport(String host, Become become, Map<String, String> environment) {
        super(host, become);
        this.environment = Map.copyOf(environment);
    }

    /** A local transport named {@code localhost} without become. */
    public LocalTransport() {
        this("localhost", null);
    }

    @Override
    protected ExecResult run(Command cmd, Duration timeout) {
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", cmd.toShell());
        pb.environment().putAll(environment);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new TransportException(Phase.EXEC, host(), "cannot start /bin/sh: " + e.getMessage(), e);
        }
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()), pumps);
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()), pumps);
        byte[] in = cmd.wireStdin();
        CompletableFuture<Void> feed = CompletableFuture.runAsync(() -> {
            try (OutputStream os = p.getOutputStream()) {
                os.write(in);
            } catch (IOException e) {
                // the command did not read all of its stdin; that is its business
            }
        }, pumps);
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
                throw new TransportException(Phase.EXEC, host(),
                        "command timed out after " + timeout.toMillis() + " ms and was killed: " + cmd);
            }
            feed.get(5, TimeUnit.SECONDS);
            return new ExecResult(p.exitValue(), out.get(), err.get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new TransportException(Phase.EXEC, host(), "interrupted while running " + cmd, e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new TransportException(Phase.EXEC, host(), "cannot collect output of " + cmd, e);
        }
    }

    private static byte[] readAll(InputStream is) {
        try (is) {
            return is.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        pumps.shutdownNow();
    }
}
