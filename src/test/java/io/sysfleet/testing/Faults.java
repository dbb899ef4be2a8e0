package io.sysfleet.testing;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Faults on the hosts of a {@link TestFleet#startForFaults fault fleet}, injected from outside the controller:
 * the image's fault injector ({@code sysfleet-fault}, a test-image-only program: see its header) to make a host
 * misbehave at one exact step of a remote script, mounts that make a directory read-only or full, a missing
 * {@code sysctl}, a paused container. Every call goes through {@code docker exec}, never through sysfleet.
 * {@link #capture} reads a host's state the same way, for the end-state assertions.
 */
public final class Faults {
    private Faults() {
    }

    /** Runs {@code script} as root in {@code h}; fails the test when it fails. Returns its stdout. */
    public static String sh(TestFleet.Host h, String script) {
        try {
            Container.ExecResult r = h.container().execInContainer("sh", "-c", script);
            if (r.getExitCode() != 0) {
                throw new AssertionError(h.name() + ": `" + script + "` failed (" + r.getExitCode() + "): "
                        + r.getStderr() + r.getStdout());
            }
            return r.getStdout();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Runs {@code argv} as root in {@code h} (no shell); fails the test when it fails. */
    public static String exec(TestFleet.Host h, String... argv) {
        try {
            Container.ExecResult r = h.container().execInContainer(argv);
            if (r.getExitCode() != 0) {
                throw new AssertionError(h.name() + ": " + Arrays.toString(argv) + " failed (" + r.getExitCode()
                        + "): " + r.getStderr() + r.getStdout());
            }
            return r.getStdout();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Arms rule {@code name}: when a remote script runs {@code command} and every condition holds, {@code action}
     * happens (sysfleet-fault's actions: hang, delay:S, fail:RC, kill-session, kill-script, sshd-down, run:SH;
     * conditions: script:ERE, args:ERE, nth:N, after:RULE).
     */
    public static void arm(TestFleet.Host h, String name, String command, String action, String... conditions) {
        List<String> argv = new ArrayList<>(List.of("/usr/local/sbin/sysfleet-fault", "arm", name, command, action));
        argv.addAll(List.of(conditions));
        exec(h, argv.toArray(String[]::new));
    }

    /** The faults fired on {@code h} since the last {@link #reset}: one line each, NAME COMMAND ACTION PID. */
    public static List<String> fired(TestFleet.Host h) {
        return exec(h, "/usr/local/sbin/sysfleet-fault", "log").lines().toList();
    }

    /** How many times rule {@code name} fired since the last {@link #reset}. */
    public static long fired(TestFleet.Host h, String name) {
        return fired(h).stream().filter(l -> l.startsWith(name + " ")).count();
    }

    /** Ends every hang: a command that hung goes on (as a stuck command on a real host would, later). */
    public static void release(TestFleet.Host h) {
        exec(h, "/usr/local/sbin/sysfleet-fault", "release");
    }

    /** How many commands hang on {@code h} right now. */
    public static int hung(TestFleet.Host h) {
        return Integer.parseInt(exec(h, "/usr/local/sbin/sysfleet-fault", "hung").strip());
    }

    /** Kills every sshd of {@code h} (the listener too) and keeps it down until {@link #sshdUp}. */
    public static void sshdDown(TestFleet.Host h) {
        exec(h, "/usr/local/sbin/sysfleet-fault", "sshd-down");
    }

    /** Starts sshd again and waits until it listens. */
    public static void sshdUp(TestFleet.Host h) {
        exec(h, "/usr/local/sbin/sysfleet-fault", "sshd-up");
    }

    /** Gives {@code h} new host keys (sshd restarted with them): its known_hosts entries no longer match. */
    public static void newHostKeys(TestFleet.Host h) {
        sh(h, "rm -f /etc/ssh/ssh_host_* && ssh-keygen -A >/dev/null");
        sshdDown(h);
        sshdUp(h);
    }

    /** Makes {@code dir} read-only (a read-only bind mount of itself) until {@link #reset}. */
    public static void readOnly(TestFleet.Host h, String dir) {
        sh(h, "mount --bind " + dir + " " + dir + " && mount -o remount,bind,ro " + dir + " && echo " + dir
                + " >> /run/sysfleet-fault/mounts");
    }

    /**
     * Puts a {@code sizeKiB} tmpfs on {@code dir} with {@code files} (name to content) in it, then fills it so that
     * exactly {@code freePages} 4 KiB pages stay free, until {@link #reset}.
     */
    public static void full(TestFleet.Host h, String dir, int sizeKiB, Map<String, String> files, int freePages) {
        StringBuilder sb = new StringBuilder("mkdir -p " + dir + " && mount -t tmpfs -o size=" + sizeKiB + "k,mode=0755 "
                + "sysfleet-full " + dir + " && echo " + dir + " >> /run/sysfleet-fault/mounts");
        files.forEach((name, content) -> sb.append(" && printf '%s' '").append(content.replace("'", "'\\''"))
                .append("' > ").append(dir).append('/').append(name).append(" && chmod 644 ").append(dir).append('/')
                .append(name));
        sb.append(" && { dd if=/dev/zero of=").append(dir).append("/.filler bs=4k 2>/dev/null; true; }")
                .append(" && truncate -s -").append(4096L * freePages).append(' ').append(dir).append("/.filler");
        sh(h, sb.toString());
    }

    /** Hides the host's {@code sysctl} program until {@link #reset}. */
    public static void hideSysctl(TestFleet.Host h) {
        sh(h, "mv /usr/sbin/sysctl /usr/sbin/.sysctl.hidden-by-fault-test");
    }

    /** Pauses every process of the container (TCP is still accepted by its kernel; nothing answers). */
    public static void pause(TestFleet.Host h) {
        DockerClientFactory.instance().client().pauseContainerCmd(h.container().getContainerId()).exec();
    }

    public static void unpause(TestFleet.Host h) {
        DockerClientFactory.instance().client().unpauseContainerCmd(h.container().getContainerId()).exec();
    }

    /**
     * Undoes every fault: unpauses, disarms every rule, ends every hang, kills what still hangs, brings sshd back,
     * removes the fault mounts, puts {@code sysctl} back, clears the fault log.
     */
    public static void reset(TestFleet.Host h) {
        try {
            if (h.container().getContainerInfo() != null && Boolean.TRUE.equals(DockerClientFactory.instance().client()
                    .inspectContainerCmd(h.container().getContainerId()).exec().getState().getPaused())) {
                unpause(h);
            }
        } catch (RuntimeException e) {
            // not paused
        }
        exec(h, "/usr/local/sbin/sysfleet-fault", "disarm");
        exec(h, "/usr/local/sbin/sysfleet-fault", "release");
        sshdUp(h);
        sh(h, "if [ -f /run/sysfleet-fault/mounts ]; then sort -r /run/sysfleet-fault/mounts | while read -r d; do "
                + "umount -l \"$d\"; done; rm -f /run/sysfleet-fault/mounts; fi; "
                + "if [ -e /usr/sbin/.sysctl.hidden-by-fault-test ]; then "
                + "mv /usr/sbin/.sysctl.hidden-by-fault-test /usr/sbin/sysctl; fi; "
                + ": > /run/sysfleet-fault/log");
    }

    /**
     * What sysfleet processes still run on {@code h}: its remote scripts ({@code sh -c ... sysfleet ...}) and
     * commands the fault injector holds (zombies and the fault tests' own commands excepted).
     */
    public static List<String> leftovers(TestFleet.Host h) {
        return sh(h, "ps -eo pid=,stat=,args= | awk '$2 !~ /^Z/' | grep -E 'sysfleet|sleep 86400' "
                + "| grep -vE 'sysfleet-host-start|grep -E|sysfleet-fault (log|hung|release)|ps -eo' || true")
                .lines().filter(l -> !l.isBlank()).toList();
    }

    /** A host's state as the end-state assertions compare it: each file's bytes, mode, owner and the live values. */
    public record HostState(Map<String, FileState> files, Map<String, String> live) {
        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder();
            files.forEach((p, f) -> sb.append(p).append(": ").append(f).append('\n'));
            live.forEach((k, v) -> sb.append(k).append(" = ").append(v).append('\n'));
            return sb.toString();
        }
    }

    /** A file's state: absent, or its bytes, mode, owner and group. */
    public record FileState(boolean exists, String mode, String owner, String group, byte[] bytes) {
        public String text() {
            return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof FileState f && f.exists == exists && java.util.Objects.equals(f.mode, mode)
                    && java.util.Objects.equals(f.owner, owner) && java.util.Objects.equals(f.group, group)
                    && Arrays.equals(f.bytes, bytes);
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(exists, mode, owner, group, Arrays.hashCode(bytes));
        }

        @Override
        public String toString() {
            return exists ? mode + " " + owner + ":" + group + " " + bytes.length + " bytes "
                    + TerminalSafe.quote(text()) : "absent";
        }
    }

    /** Reads {@code files} and the live values of {@code keys} (dotted names) out of band. */
    public static HostState capture(TestFleet.Host h, List<String> files, List<String> keys) {
        StringBuilder sb = new StringBuilder();
        for (String f : files) {
            sb.append("if [ -e '").append(f).append("' ]; then stat -L -c 'file %a %U %G' '").append(f)
                    .append("'; od -An -tx1 -v '").append(f).append("' | tr -d ' \\n'; echo; else echo absent; fi; ");
        }
        for (String k : keys) {
            sb.append("printf 'live %s\\n' \"$(cat /proc/sys/").append(k.replace('.', '/')).append(" 2>/dev/null"
                    + " || echo '<absent>')\"; ");
        }
        List<String> lines = sh(h, sb.toString()).lines().toList();
        Map<String, FileState> fs = new LinkedHashMap<>();
        int i = 0;
        for (String f : files) {
            String l = lines.get(i++);
            if (l.equals("absent")) {
                fs.put(f, new FileState(false, null, null, null, null));
            } else {
                String[] st = l.split(" ");
                fs.put(f, new FileState(true, st[1], st[2], st[3], HexFormat.of().parseHex(lines.get(i++))));
            }
        }
        Map<String, String> live = new LinkedHashMap<>();
        for (String k : keys) {
            live.put(k, lines.get(i++).substring("live ".length()).replace('\t', ' '));
        }
        return new HostState(fs, live);
    }

    /** Escapes a text for assertion messages. */
    private static final class TerminalSafe {
        static String quote(String s) {
            StringBuilder sb = new StringBuilder("\"");
            for (char c : s.toCharArray()) {
                sb.append(c == '\n' ? "\\n" : c == '\t' ? "\\t" : c < 0x20 ? String.format("\\x%02x", (int) c)
                        : String.valueOf(c));
            }
            return sb.append('"').toString();
        }
    }
}
