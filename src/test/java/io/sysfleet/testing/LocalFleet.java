package io.sysfleet.testing;

import io.sysfleet.catalog.KeyCatalog;
import io.sysfleet.engine.Connections;
import io.sysfleet.engine.Engine;
import io.sysfleet.engine.RunIds;
import io.sysfleet.facts.BootFiles;
import io.sysfleet.inventory.Host;
import io.sysfleet.result.Phase;
import io.sysfleet.transport.Become;
import io.sysfleet.transport.Command;
import io.sysfleet.transport.ExecResult;
import io.sysfleet.transport.LocalTransport;
import io.sysfleet.transport.RemoteShell;
import io.sysfleet.transport.Transport;
import io.sysfleet.transport.TransportException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fleet of "hosts" in a temporary directory, for engine unit tests without Docker. Each host is reached
 * through the real {@link LocalTransport}, so the production remote scripts (facts probe, apply, undo, restore)
 * run for real; only the kernel is replaced, by two clearly named test doubles, because a unit test must never
 * write this machine's /proc/sys or /etc:
 * <ul>
 *   <li>each host's {@code proc/} directory stands in for /proc/sys: the scripts take it from
 *       {@link RemoteShell#PROC_SYS_ENV}, the one place they take /proc/sys from;</li>
 *   <li>{@code bin/sysctl} (the resource {@code sysctl-test-double}) is first on PATH and implements
 *       {@code sysctl -p FILE} and {@code -w} against that directory.</li>
 * </ul>
 * Each host's sysctl file is {@code HOST/etc/sysctl.conf}, named to the playbook by the inventory variable
 * {@code conf}. The connection seam records every open and can make a host unreachable. Become is recorded but
 * not used: the commands run as the test's own user.
 */
public final class LocalFleet implements Connections {
    private final Path root;
    private final List<String> hosts;
    private final Map<String, String> baseEnv;
    private final List<String> opened = Collections.synchronizedList(new ArrayList<>());
    private final List<Become> becomes = Collections.synchronizedList(new ArrayList<>());
    private final Set<String> unreachable = Collections.synchronizedSet(new HashSet<>());
    private final Map<String, AtomicInteger> commands = new ConcurrentHashMap<>();

    /** Hosts {@code names}, each with the given live values ({@code key path -> value}) and an empty sysctl.conf. */
    public LocalFleet(Path root, Map<String, String> liveValues, String... names) {
        this.root = root;
        this.hosts = List.of(names);
        try {
            Path bin = Files.createDirectories(root.resolve("bin"));
            Path sysctl = bin.resolve("sysctl");
            try (InputStream in = LocalFleet.class.getResourceAsStream("sysctl-test-double")) {
                Files.write(sysctl, in.readAllBytes());
            }
            Files.setPosixFilePermissions(sysctl, PosixFilePermissions.fromString("rwxr-xr-x"));
            for (String h : names) {
                Files.createDirectories(root.resolve(h).resolve("etc"));
                Files.writeString(conf(h), "");
                for (Map.Entry<String, String> e : liveValues.entrySet()) {
                    live(h, e.getKey(), e.getValue());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.baseEnv = Map.of("PATH", bin() + ":" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    }

    private Path bin() {
        return root.resolve("bin");
    }

    /** The directory that stands in for /proc/sys on {@code host}. */
    public Path proc(String host) {
        return root.resolve(host).resolve("proc");
    }

    /** {@code host}'s sysctl file. */
    public Path conf(String host) {
        return root.resolve(host).resolve("etc").resolve("sysctl.conf");
    }

    /** Sets a live value ({@code path} under /proc/sys, e.g. {@code net/ipv4/tcp_fin_timeout}). */
    public void live(String host, String path, String value) {
        try {
            Path f = proc(host).resolve(path);
            Files.createDirectories(f.getParent());
            Files.writeString(f, value + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A live value, without its newline. */
    public String live(String host, String path) {
        try {
            return Files.readString(proc(host).resolve(path)).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Makes the kernel double refuse writes to {@code path} on {@code host}, as a container refuses nf_conntrack_max. */
    public void refuse(String host, String path) {
        try {
            Files.writeString(root.resolve(host).resolve("proc.refused"), path + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String file(String host) {
        try {
            return Files.readString(conf(host), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** From now on, opening {@code host} fails as a closed port does. */
    public void makeUnreachable(String host) {
        unreachable.add(host);
    }

    /** Every open, in order (host names). */
    public List<String> opened() {
        synchronized (opened) {
            return List.copyOf(opened);
        }
    }

    /** The become of every open, in order (null: none). */
    public List<Become> becomes() {
        synchronized (becomes) {
            return new ArrayList<>(becomes);
        }
    }

    @Override
    public Transport open(Host host, Become become) {
        opened.add(host.name());
        becomes.add(become);
        if (unreachable.contains(host.name())) {
            throw new TransportException(Phase.CONNECT, host.name(), "cannot connect to " + host.name()
                    + ": connection refused");
        }
        Map<String, String> env = new HashMap<>(baseEnv);
        env.put(RemoteShell.PROC_SYS_ENV, proc(host.name()).toString());
        LocalTransport local = new LocalTransport(host.name(), null, env);
        AtomicInteger count = commands.computeIfAbsent(host.name(), h -> new AtomicInteger());
        return new Transport() {
            @Override
            public String host() {
                return local.host();
            }

            @Override
            public ExecResult exec(Command cmd, Duration timeout) {
                count.incrementAndGet();
                return local.exec(cmd, timeout);
            }

            @Override
            public void close() {
                local.close();
            }
        };
    }

    /** How many commands (round trips) ran on {@code host} so far. */
    public int commands(String host) {
        AtomicInteger n = commands.get(host);
        return n == null ? 0 : n.get();
    }

    /** The directory standing in for {@code host}'s /etc. */
    public Path etc(String host) {
        return root.resolve(host).resolve("etc");
    }

    /** An inventory of the fleet's hosts, each with {@code conf} naming its sysctl file, plus {@code extra} YAML. */
    public Path inventory(String extraHostVars) {
        StringBuilder sb = new StringBuilder("all:\n  hosts:\n");
        for (String h : hosts) {
            sb.append("    ").append(h).append(":\n      conf: ").append(conf(h)).append('\n');
            if (extraHostVars != null && !extraHostVars.isEmpty()) {
                sb.append("      ").append(extraHostVars.replace("\n", "\n      ")).append('\n');
            }
        }
        try {
            Path inv = root.resolve("inventory.yml");
            Files.writeString(inv, sb.toString());
            return inv;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A playbook file in the fleet's directory. */
    public Path playbook(String name, String yaml) {
        try {
            return Files.writeString(root.resolve(name), yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * An engine over this fleet: state in {@code ROOT/state}; boot files of {@code bootHost} (its sysctl.conf and
     * an {@code etc/sysctl.d} that may not exist) stand in for the standard ones.
     */
    public Engine engine(String bootHost) {
        Clock clock = Clock.systemUTC();
        BootFiles.Layout boot = new BootFiles.Layout(conf(bootHost).toString(),
                List.of(root.resolve(bootHost).resolve("etc/sysctl.d").toString()));
        return new Engine(new Engine.Context(stateDir(), this, KeyCatalog.load(), clock,
                new RunIds(clock, new Random(42)), new Engine.Controller("tester", "controller"), null, boot));
    }

    public Path stateDir() {
        return root.resolve("state");
    }
}
