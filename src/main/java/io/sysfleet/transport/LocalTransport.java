package io.sysfleet.transport;

import io.sysfleet.result.Phase;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
        // The shell line goes to /bin/sh as a file of its UTF-8 bytes, as SSH sends it, not as an argument: Java
        // encodes arguments in the JVM's locale (US-ASCII under LANG=C), which turned every non-ASCII byte into '?',
        // and one argument may not exceed 128 KiB. The file is the caller's alone (0600) and holds no secret.
        Path script;
        try {
            script = Files.createTempFile("sysfleet-", ".sh");
            Files.write(script, cmd.toShell().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new TransportException(Phase.EXEC, host(), "cannot write the command file: " + e.getMessage(), e);
        }
        try {
            return run(cmd, new ProcessBuilder("/bin/sh", script.toString()), timeout);
        } finally {
            try {
                Files.deleteIfExists(script);
            } catch (IOException e) {
                // best effort: the file holds no secret
            }
        }
    }

    private ExecResult run(Command cmd, ProcessBuilder pb, Duration timeout) {
        pb.environment().putAll(environment);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new TransportException(Phase.EXEC, host(), "cannot start /bin/sh: " + e.getMessage(), e);
        }
        CompletableFuture<BoundedOutput> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()), pumps);
        CompletableFuture<BoundedOutput> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()), pumps);
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
            out.get().check(host(), "stdout", cmd);
            err.get().check(host(), "stderr", cmd);
            return new ExecResult(p.exitValue(), out.get().toByteArray(), err.get().toByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new TransportException(Phase.EXEC, host(), "interrupted while running " + cmd, e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new TransportException(Phase.EXEC, host(), "cannot collect output of " + cmd, e);
        }
    }

    private static BoundedOutput readAll(InputStream is) {
        try (is) {
            return BoundedOutput.drain(is);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        pumps.shutdownNow();
    }
}
