package io.sysfleet.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs one command of the benchmark and measures it: wall time; user and system CPU of the command and every
 * child it reaped (GNU {@code /usr/bin/time}); the largest single process's peak RSS ({@code time}'s %M); and the
 * peak of the summed RSS of the whole process tree, sampled every {@value #SAMPLE_MILLIS} ms (for tools made of
 * many processes, like {@code xargs -P N ssh} or Ansible's forks, one process's peak says little).
 */
final class Meter {
    static final String TIME = "/usr/bin/time";
    static final long SAMPLE_MILLIS = 200;
    private static final long PAGE_KB = 4;

    /** What one command cost. {@code treeRssKb} is a sampled lower bound of the tree's peak. */
    record Usage(double wallSeconds, double userSeconds, double systemSeconds, long maxRssKb, long treeRssKb,
                 int exit) {
        double cpuSeconds() {
            return userSeconds + systemSeconds;
        }

        /** The peak RSS to report: the larger of the sampled tree and the largest single process. */
        long peakRssKb() {
            return Math.max(maxRssKb, treeRssKb);
        }
    }

    private Meter() {
    }

    /**
     * Runs {@code argv} under {@code /usr/bin/time}, output and errors to {@code log}, stdin from {@code stdin}
     * (or nothing), with exactly {@code env} as its environment when {@code cleanEnv}, else the harness's own plus
     * {@code env}.
     *
     * @throws IOException when the command cannot be started or does not finish within {@code timeout} (it is then
     *     killed)
     */
    static Usage run(List<String> argv, Map<String, String> env, boolean cleanEnv, Path stdin, Path log,
                     Duration timeout, Path workDir) throws IOException {
        Path timeFile = Files.createTempFile(log.getParent(), "time", ".txt");
        List<String> cmd = new ArrayList<>(List.of(TIME, "-q", "-f", "%U %S %M %x", "-o", timeFile.toString(), "--"));
        cmd.addAll(argv);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        if (workDir != null) {
            pb.directory(workDir.toFile());
        }
        if (cleanEnv) {
            pb.environment().clear();
        }
        pb.environment().putAll(env);
        pb.redirectInput(stdin != null ? ProcessBuilder.Redirect.from(stdin.toFile())
                : ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        long start = System.nanoTime();
        Process p = pb.start();
        TreeSampler sampler = new TreeSampler(p.pid());
        Thread t = new Thread(sampler, "bench-rss-sampler");
        t.setDaemon(true);
        t.start();
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new IOException(String.join(" ", argv.subList(0, Math.min(2, argv.size())))
                        + " did not finish within " + timeout.toSeconds() + " s (killed); log: " + log);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new IOException("interrupted", e);
        } finally {
            sampler.stop();
        }
        double wall = (System.nanoTime() - start) / 1e9;
        try {
            t.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        String text = Files.readString(timeFile, StandardCharsets.UTF_8).strip();
        Files.deleteIfExists(timeFile);
        return parseTime(text, wall, sampler.peakKb());
    }

    /** The last line of GNU time's {@code "%U %S %M %x"} output. */
    static Usage parseTime(String text, double wall, long treeKb) throws IOException {
        String[] lines = text.split("\n");
        String[] f = lines[lines.length - 1].strip().split("\\s+");
        if (f.length != 4) {
            throw new IOException("unexpected output of " + TIME + ": '" + text + "'");
        }
        try {
            return new Usage(wall, Double.parseDouble(f[0]), Double.parseDouble(f[1]), Long.parseLong(f[2]), treeKb,
                    Integer.parseInt(f[3]));
        } catch (NumberFormatException e) {
            throw new IOException("unexpected output of " + TIME + ": '" + text + "'", e);
        }
    }

    /**
     * Samples the summed RSS of a process and all its descendants. This kernel has no
     * {@code /proc/PID/task/TID/children}, so each sample reads the parent of every process newer than the root
     * (descendants are always newer, short of a pid wrap-around).
     */
    static final class TreeSampler implements Runnable {
        private final long root;
        private final AtomicLong peakKb = new AtomicLong();
        private volatile boolean stopped;

        TreeSampler(long root) {
            this.root = root;
        }

        void stop() {
            stopped = true;
        }

        long peakKb() {
            return peakKb.get();
        }

        @Override
        public void run() {
            while (!stopped) {
                peakKb.accumulateAndGet(treeRssKb(root), Math::max);
                try {
                    Thread.sleep(SAMPLE_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** The summed resident memory of {@code root} and its descendants, in KB (0 when it is gone). */
    static long treeRssKb(long root) {
        Map<Long, List<Long>> children = new HashMap<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of("/proc"))) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (n.isEmpty() || !Character.isDigit(n.charAt(0))) {
                    continue;
                }
                long pid;
                try {
                    pid = Long.parseLong(n);
                } catch (NumberFormatException e) {
                    continue;
                }
                if (pid <= root) {
                    continue;
                }
                long ppid = parentOf(p);
                if (ppid > 0) {
                    children.computeIfAbsent(ppid, k -> new ArrayList<>()).add(pid);
                }
            }
        } catch (IOException e) {
            return 0;
        }
        long total = 0;
        Set<Long> seen = new HashSet<>();
        List<Long> todo = new ArrayList<>(List.of(root));
        while (!todo.isEmpty()) {
            long pid = todo.remove(todo.size() - 1);
            if (!seen.add(pid)) {
                continue;
            }
            total += rssKb(pid);
            todo.addAll(children.getOrDefault(pid, List.of()));
        }
        return total;
    }

    private static long parentOf(Path procDir) {
        try {
            String stat = Files.readString(procDir.resolve("stat"), StandardCharsets.US_ASCII);
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[1]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static long rssKb(long pid) {
        try {
            String[] f = Files.readString(Path.of("/proc", Long.toString(pid), "statm"), StandardCharsets.US_ASCII)
                    .split(" ");
            return Long.parseLong(f[1].strip()) * PAGE_KB;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** CPU seconds (user+system, including reaped children) of a live process, from /proc/PID/stat; 0 if gone. */
    static double processCpuSeconds(long pid, long clockTicks) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // after "(comm) ": state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime ...
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
            return ticks / (double) clockTicks;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
