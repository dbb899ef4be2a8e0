package io.sysfleet.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The real launcher as a child process, {@code java -jar target/sysfleet.jar ARGS}, as an operator or a CI job
 * runs it: with its own environment (nothing of the test JVM's), its output read line by line, signals sent to
 * its process id, and the argument lists of it and its descendants readable while it runs. Needs the jar that
 * {@code mvn package} builds before the integration tests.
 */
public final class Launcher implements AutoCloseable {
    private final Process process;
    private final StringBuffer output = new StringBuffer();
    private final Thread reader;

    private Launcher(Process process) {
        this.process = process;
        this.reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (output) {
                        output.append(line).append('\n');
                        output.notifyAll();
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
        }, "sysfleet-launcher-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** The jar {@code mvn package} builds. */
    public static Path jar() {
        Path jar = TestFleet.projectRoot().resolve("target/sysfleet.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: mvn package builds it before the integration tests");
        }
        return jar;
    }

    /** Starts {@code sysfleet ARGS} with exactly {@code env} (plus PATH), stdout and stderr merged. */
    public static Launcher start(Map<String, String> env, List<String> args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar().toString()));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        pb.environment().putAll(env);
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            return new Launcher(p);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** Everything printed so far. */
    public String output() {
        synchronized (output) {
            return output.toString();
        }
    }

    /** Waits until a line printed so far matches {@code line}; false after {@code timeout} or when the process ended. */
    public boolean awaitLine(Predicate<String> line, Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        synchronized (output) {
            while (true) {
                if (output.toString().lines().anyMatch(line)) {
                    return true;
                }
                long left = end - System.nanoTime();
                if (left <= 0 || !process.isAlive() && !reader.isAlive()) {
                    return false;
                }
                try {
                    output.wait(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), 200)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
    }

    /** Sends signal {@code name} (TERM, INT, KILL) to the launcher's process, by its id. */
    public void signal(String name) {
        try {
            Process k = new ProcessBuilder("kill", "-s", name, String.valueOf(process.pid())).inheritIO().start();
            if (!k.waitFor(10, TimeUnit.SECONDS) || k.exitValue() != 0) {
                throw new IllegalStateException("kill -s " + name + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Waits for the process to end and for its output to be read; returns its exit code. */
    public int waitFor(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("sysfleet did not end within " + timeout + ":\n" + output());
            }
            reader.join(TimeUnit.SECONDS.toMillis(10));
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The argument lists (/proc/PID/cmdline, NULs as spaces) of the launcher and every descendant, now. */
    public List<String> commandLines() {
        List<String> out = new ArrayList<>();
        List<ProcessHandle> all = new ArrayList<>();
        all.add(process.toHandle());
        process.descendants().forEach(all::add);
        for (ProcessHandle h : all) {
            try {
                byte[] b = Files.readAllBytes(Path.of("/proc", String.valueOf(h.pid()), "cmdline"));
                out.add(new String(b, StandardCharsets.UTF_8).replace('\0', ' '));
            } catch (IOException e) {
                // ended meanwhile
            }
        }
        return out;
    }

    /** The process's environment as the kernel shows it (/proc/PID/environ), for checks that a secret is not in it. */
    public String environ() {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", String.valueOf(process.pid()), "environ")),
                    StandardCharsets.UTF_8).replace('\0', '\n');
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }
}
