package io.sysfleet.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The benchmark's lab hosts seen from outside SSH: each host's container (found by the lab's labels, checked to
 * publish its sshd on 127.0.0.1 at the port the inventory names), its CPU from the container's cgroup, the CPU of
 * its Docker port proxy, and its state read (and reset) with {@code docker exec}, out of band, so no tool under
 * test checks its own work.
 */
final class BenchHosts {
    /** Docker commands at once (reading or resetting 200 hosts). */
    private static final int PARALLEL = 8;
    private static final long CLOCK_TICKS = 100;

    /** One lab host. */
    record Host(String name, int port, String container, String id, Path cgroup, long proxyPid) {
    }

    /** CPU seconds of the hosts' containers and of their port proxies. */
    record Cpu(double user, double system, double proxy) {
        double total() {
            return user + system;
        }

        Cpu minus(Cpu before) {
            return new Cpu(user - before.user, system - before.system, proxy - before.proxy);
        }
    }

    private final List<Host> hosts;

    private BenchHosts(List<Host> hosts) {
        this.hosts = List.copyOf(hosts);
    }

    List<Host> hosts() {
        return hosts;
    }

    /**
     * The running containers of the lab in {@code labDir}: exactly the hosts of {@code wanted} (name to port), each
     * publishing port 22 only on 127.0.0.1 at its port.
     *
     * @throws IOException when a container is missing, extra, or published anywhere else
     */
    static BenchHosts find(Path labDir, Map<String, Integer> wanted) throws IOException {
        String ps = docker(Duration.ofSeconds(60), "ps", "--filter", "label=io.sysfleet.lab.dir=" + labDir,
                "--format", "{{.ID}}");
        List<String> ids = ps.lines().map(String::strip).filter(s -> !s.isEmpty()).toList();
        if (ids.size() != wanted.size()) {
            throw new IOException("found " + ids.size() + " running containers of the lab in " + labDir + ", expected "
                    + wanted.size());
        }
        List<String> argv = new ArrayList<>(List.of("inspect", "--format", "{{json .}}"));
        argv.addAll(ids);
        ObjectMapper json = new ObjectMapper();
        Map<Integer, Long> proxies = proxyPids();
        List<Host> hosts = new ArrayList<>();
        for (String line : docker(Duration.ofSeconds(120), argv.toArray(String[]::new)).split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode c = json.readTree(line);
            String id = c.path("Id").asText();
            String name = c.path("Name").asText().replaceFirst("^/", "");
            String host = c.path("Config").path("Labels").path("io.sysfleet.lab.host").asText();
            Integer port = wanted.get(host);
            if (port == null) {
                throw new IOException("container " + name + " (host '" + host + "') is not in the lab's inventory");
            }
            JsonNode bindings = c.path("HostConfig").path("PortBindings");
            List<String> published = new ArrayList<>();
            bindings.fields().forEachRemaining(e -> e.getValue().forEach(b -> published.add(e.getKey() + "->"
                    + b.path("HostIp").asText() + ":" + b.path("HostPort").asText())));
            if (!published.equals(List.of("22/tcp->127.0.0.1:" + port))) {
                throw new IOException("container " + name + " publishes " + published + ", not 22/tcp on 127.0.0.1:"
                        + port + "; refusing to run");
            }
            Path cg = Path.of("/sys/fs/cgroup/cpuacct/docker", id);
            hosts.add(new Host(host, port, name, id, Files.isDirectory(cg) ? cg : null,
                    proxies.getOrDefault(port, -1L)));
        }
        hosts.sort((a, b) -> Integer.compare(a.port(), b.port()));
        return new BenchHosts(hosts);
    }

    /** Whether every host's CPU can be read from its cgroup (cgroup v1 cpuacct, as on this machine). */
    boolean cpuReadable() {
        return hosts.stream().allMatch(h -> h.cgroup() != null);
    }

    /** The hosts' CPU so far; NaN when a cgroup cannot be read. */
    Cpu cpu() {
        double user = 0;
        double sys = 0;
        double proxy = 0;
        for (Host h : hosts) {
            if (h.cgroup() == null) {
                return new Cpu(Double.NaN, Double.NaN, Double.NaN);
            }
            try {
                user += Long.parseLong(Files.readString(h.cgroup().resolve("cpuacct.usage_user")).strip()) / 1e9;
                sys += Long.parseLong(Files.readString(h.cgroup().resolve("cpuacct.usage_sys")).strip()) / 1e9;
            } catch (IOException | NumberFormatException e) {
                return new Cpu(Double.NaN, Double.NaN, Double.NaN);
            }
            if (h.proxyPid() > 0) {
                proxy += Meter.processCpuSeconds(h.proxyPid(), CLOCK_TICKS);
            }
        }
        return new Cpu(user, sys, proxy);
    }

    /** docker-proxy pids by the host port they forward. */
    private static Map<Integer, Long> proxyPids() {
        Map<Integer, Long> out = new LinkedHashMap<>();
        ProcessHandle.allProcesses().forEach(p -> {
            String[] args = p.info().arguments().orElse(null);
            String cmd = p.info().command().orElse("");
            if (args == null || !cmd.endsWith("docker-proxy")) {
                return;
            }
            for (int i = 0; i + 1 < args.length; i++) {
                if (args[i].equals("-host-port")) {
                    try {
                        out.put(Integer.parseInt(args[i + 1]), p.pid());
                    } catch (NumberFormatException e) {
                        // not ours
                    }
                }
            }
        });
        return out;
    }

    /**
     * Reads every host's state with {@code docker exec} (in parallel) and, with {@code reset}, then puts it back
     * into the benchmark's starting state ({@link Convergence#RESET_SCRIPT}) in the same exec.
     *
     * @return each host's output, by host name, in lab order
     * @throws IOException when a docker exec fails on any host
     */
    Map<String, String> inspect(boolean reset) throws IOException {
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(PARALLEL, hosts.size()));
        try {
            List<Future<String>> futures = new ArrayList<>();
            for (Host h : hosts) {
                futures.add(pool.submit(() -> docker(Duration.ofMinutes(2), "exec", h.container(), "sh", "-c",
                        Convergence.RESET_SCRIPT, "bench", reset ? "reset" : "read")));
            }
            Map<String, String> out = new LinkedHashMap<>();
            for (int i = 0; i < hosts.size(); i++) {
                try {
                    out.put(hosts.get(i).name(), futures.get(i).get());
                } catch (ExecutionException e) {
                    throw new IOException(hosts.get(i).name() + ": " + e.getCause().getMessage(), e.getCause());
                }
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Runs the docker CLI (argument list, no shell); its stdout, or an IOException with its last error line. */
    static String docker(Duration timeout, String... args) throws IOException {
        List<String> argv = new ArrayList<>(List.of("docker"));
        argv.addAll(List.of(args));
        Path out = Files.createTempFile("bench-docker", ".out");
        Path err = Files.createTempFile("bench-docker", ".err");
        try {
            Process p = new ProcessBuilder(argv).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IOException("docker " + args[0] + " did not finish within " + timeout.toSeconds() + " s");
            }
            if (p.exitValue() != 0) {
                String e = Files.readString(err, StandardCharsets.UTF_8).strip();
                throw new IOException("docker " + args[0] + " " + (args.length > 1 ? args[1] : "") + " exited "
                        + p.exitValue() + ": " + e.substring(Math.max(0, e.lastIndexOf('\n') + 1)));
            }
            return Files.readString(out, StandardCharsets.UTF_8);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
