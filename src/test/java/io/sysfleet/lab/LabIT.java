package io.sysfleet.lab;

import io.sysfleet.testing.Cli;
import io.sysfleet.testing.TestFleet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code sysfleet lab} for real: a 2-host lab (debian12, centos5) in a temporary directory on free random
 * ports (never the developer's lab on 2201-2206), status, a converging {@code sysfleet run} through the lab's
 * generated inventory and known_hosts (strict host-key checking), an idempotent second {@code up}, a clear
 * error for a port in use, and {@code down}. Containers are removed in {@link #cleanUp} also when a test fails.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LabIT {
    private static Path root;
    private static Path tmp;
    private static Path dir;
    private static Path otherDir;
    private static int base;

    record Run(int exit, String out, String err) {
        String all() {
            return "exit " + exit + "\n" + out + err;
        }
    }

    @BeforeAll
    static void setUp() throws IOException {
        root = TestFleet.projectRoot();
        TestFleet.run(root, Duration.ofMinutes(3), "bash", "scripts/start-docker.sh");
        TestFleet.run(root, Duration.ofMinutes(10), "bash", "scripts/build-test-image.sh");
        tmp = Files.createTempDirectory("sysfleet-labit");
        dir = tmp.resolve("lab");
        otherDir = tmp.resolve("other-lab");
        base = freePortPair();
    }

    @AfterAll
    static void cleanUp() {
        for (Path d : new Path[] {dir, otherDir}) {
            if (d == null) {
                continue;
            }
            sysfleet("lab", "down", "--dir", d.toString());
            String ids = docker("ps", "-aq", "--filter", "label=" + Docker.LABEL + "=" + LabFiles.labId(d)).strip();
            if (!ids.isEmpty()) {
                String[] argv = ("rm -f " + ids.replace('\n', ' ')).split(" ");
                docker(argv);
            }
        }
    }

    private static int freePortPair() {
        for (int i = 0; i < 50; i++) {
            int p = ThreadLocalRandom.current().nextInt(30000, 39000);
            if (SshProbe.portFree(p) && SshProbe.portFree(p + 1)) {
                return p;
            }
        }
        throw new IllegalStateException("no two free consecutive ports found");
    }

    private static Run sysfleet(String... args) {
        Cli.Result r = Cli.run(args);
        return new Run(r.exit(), r.out(), r.err());
    }

    private static String docker(String... args) {
        String[] argv = new String[args.length + 1];
        argv[0] = "docker";
        System.arraycopy(args, 0, argv, 1, args.length);
        return TestFleet.run(root, Duration.ofMinutes(2), argv);
    }

    private static List<String> labContainers(String format) {
        String out = docker("ps", "-a", "--filter", "label=" + Docker.LABEL + "=" + LabFiles.labId(dir),
                "--format", format).strip();
        return out.isEmpty() ? List.of() : Arrays.stream(out.split("\n")).sorted().toList();
    }

    private static Run up() {
        return sysfleet("lab", "up", "--hosts", "2", "--profiles", "debian12,centos5", "--port-base",
                Integer.toString(base), "--dir", dir.toString());
    }

    @Test
    @Order(1)
    void upStartsTheHostsOnLoopbackPortsWithKeyKnownHostsAndInventory() throws IOException {
        Run r = up();
        assertEquals(0, r.exit(), r.all());
        assertTrue(r.out().contains("deb12-a  debian12  127.0.0.1:" + base + "  started"), r.all());
        assertTrue(r.out().contains("c5-a     centos5   127.0.0.1:" + (base + 1) + "  started"), r.all());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        assertTrue(Files.isRegularFile(dir.resolve("id_ed25519")));
        List<String> known = Files.readAllLines(dir.resolve("known_hosts"));
        assertEquals(3, known.stream().filter(l -> l.startsWith("[127.0.0.1]:" + base + " ")).count(), known.toString());
        assertEquals(3, known.stream().filter(l -> l.startsWith("[127.0.0.1]:" + (base + 1) + " ")).count());
        // published on loopback only, both running, with the lab's labels
        List<String> ps = labContainers("{{.Label \"io.sysfleet.lab.host\"}} {{.State}} {{.Ports}}");
        assertEquals(List.of("c5-a running 127.0.0.1:" + (base + 1) + "->22/tcp",
                "deb12-a running 127.0.0.1:" + base + "->22/tcp"), ps);
    }

    @Test
    @Order(2)
    void statusShowsBothRunningAndReachable() {
        Run r = sysfleet("lab", "status", "--dir", dir.toString());
        assertEquals(0, r.exit(), r.all());
        assertTrue(r.out().matches("(?s).*deb12-a +debian12 +127\\.0\\.0\\.1:" + base + " +running +reachable\n.*"), r.all());
        assertTrue(r.out().matches("(?s).*c5-a +centos5 +127\\.0\\.0\\.1:" + (base + 1) + " +running +reachable\n.*"), r.all());
    }

    @Test
    @Order(3)
    void runThroughTheGeneratedInventoryConvergesTheLab() {
        String[] args = {"run", root.resolve("playbooks/02-fin-timeout.yml").toString(),
                "-i", dir.resolve("inventory.yml").toString(),
                "--known-hosts", dir.resolve("known_hosts").toString(),
                "--state-dir", tmp.resolve("state").toString()};
        Run first = sysfleet(args);
        assertEquals(0, first.exit(), first.all());
        assertTrue(first.out().matches("(?s).*deb12-a +: ok=1 +changed=1 +unreachable=0 +failed=0.*"), first.all());
        assertTrue(first.out().matches("(?s).*c5-a +: ok=1 +changed=1 +unreachable=0 +failed=0.*"), first.all());
        for (String host : List.of("deb12-a", "c5-a")) {
            String name = labContainers("{{.Names}}").stream().filter(n -> n.endsWith("-" + host)).findFirst()
                    .orElseThrow();
            assertEquals("30", docker("exec", name, "sysctl", "-n", "net.ipv4.tcp_fin_timeout").strip(), host);
        }
        Run second = sysfleet(args);
        assertEquals(0, second.exit(), second.all());
        assertTrue(second.out().matches("(?s).*deb12-a +: ok=1 +changed=0 .*"), second.all());
        assertTrue(second.out().matches("(?s).*c5-a +: ok=1 +changed=0 .*"), second.all());
    }

    @Test
    @Order(4)
    void secondUpKeepsTheRunningHosts() {
        List<String> before = labContainers("{{.ID}}");
        Run r = up();
        assertEquals(0, r.exit(), r.all());
        assertEquals(2, r.out().split("kept \\(running\\)", -1).length - 1, r.all());
        assertEquals(before, labContainers("{{.ID}}"));
    }

    @Test
    @Order(5)
    void aPortInUseByAnotherLabIsAClearError() {
        Run r = sysfleet("lab", "up", "--hosts", "1", "--port-base", Integer.toString(base),
                "--dir", otherDir.toString());
        assertEquals(1, r.exit(), r.all());
        assertTrue(r.err().startsWith("sysfleet: lab: port " + base + " on 127.0.0.1 (for lab host deb12-a) is in use"),
                r.all());
        assertEquals(1, r.err().strip().split("\n").length, r.all());
    }

    @Test
    @Order(6)
    void downRemovesTheContainersAndKeepsTheKey() {
        Run r = sysfleet("lab", "down", "--dir", dir.toString());
        assertEquals(0, r.exit(), r.all());
        assertTrue(r.out().contains("removed 2 container(s)"), r.all());
        assertEquals(List.of(), labContainers("{{.Names}}"));
        assertTrue(Files.isRegularFile(dir.resolve("id_ed25519")));
        Run status = sysfleet("lab", "status", "--dir", dir.toString());
        assertEquals(3, status.exit(), status.all());
        assertTrue(status.out().contains("no containers of the lab"), status.all());
    }
}
