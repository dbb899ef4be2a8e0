package io.sysfleet.engine;

import io.sysfleet.testing.Cli;
import io.sysfleet.testing.TestFleet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.Container;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fleet scheduling against four real sshd containers. To observe concurrency and batch order, each container
 * gets a delaying wrapper at /usr/local/sbin/sysctl (ahead of /sbin in sudo's PATH) that records when each call
 * starts and ends and then runs the real /sbin/sysctl: the kernel work stays real; only timing is added. All
 * containers share the machine's clock, so intervals from different hosts compare directly.
 */
class FleetIT {
    private static final String WRAPPER = """
            #!/bin/sh
            # TEST WRAPPER (FleetIT): records the call's interval, delays it, runs the real sysctl.
            echo "start $(date +%s%N)" >> /var/tmp/sysctl-calls
            sleep 1.5
            /sbin/sysctl "$@"; rc=$?
            echo "end $(date +%s%N)" >> /var/tmp/sysctl-calls
            exit $rc
            """;
    private static TestFleet fleet;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startFleet() throws Exception {
        fleet = TestFleet.start("debian12", "debian12", "debian12", "debian12");
        for (TestFleet.Host h : fleet.hosts()) {
            Container.ExecResult r = h.container().execInContainer("sh", "-c", "printf '%s' \"$1\" > /usr/local/sbin/sysctl && "
                    + "chmod 755 /usr/local/sbin/sysctl", "sh", WRAPPER);
            assertEquals(0, r.getExitCode(), r.getStderr());
        }
    }

    @AfterAll
    static void stopFleet() {
        if (fleet != null) {
            fleet.close();
        }
    }

    @BeforeEach
    void drift() throws Exception {
        for (TestFleet.Host h : fleet.hosts()) {
            sh(h, "printf 'net.ipv4.tcp_fin_timeout = 60\\n' > /etc/sysctl.conf && /sbin/sysctl -q -w "
                    + "net.ipv4.tcp_fin_timeout=60 && rm -f /var/tmp/sysctl-calls /etc/sysctl.conf.sysfleet-*");
        }
    }

    record Run(int exit, String out) {
    }

    record Interval(long start, long end) {
    }

    private static String sh(TestFleet.Host h, String script) throws Exception {
        Container.ExecResult r = h.container().execInContainer("sh", "-c", script);
        assertEquals(0, r.getExitCode(), h.name() + ": " + script + ": " + r.getStderr());
        return r.getStdout();
    }

    private static List<Interval> calls(TestFleet.Host h) throws Exception {
        List<Interval> out = new ArrayList<>();
        long start = 0;
        for (String line : sh(h, "cat /var/tmp/sysctl-calls 2>/dev/null || true").split("\n")) {
            if (line.startsWith("start ")) {
                start = Long.parseLong(line.substring(6).strip());
            } else if (line.startsWith("end ")) {
                out.add(new Interval(start, Long.parseLong(line.substring(4).strip())));
            }
        }
        return out;
    }

    private Path inventory(String extraHosts, String... hostVars) throws IOException {
        StringBuilder sb = new StringBuilder("all:\n  vars:\n    ansible_user: sysfleet\n    ansible_become: true\n")
                .append("    ansible_host: 127.0.0.1\n    k: net.ipv4.tcp_fin_timeout\n    v: '30'\n")
                .append("    ansible_ssh_private_key_file: ").append(fleet.privateKey()).append("\n  hosts:\n");
        for (int i = 0; i < fleet.hosts().size(); i++) {
            TestFleet.Host h = fleet.host(i);
            sb.append("    ").append(h.name()).append(":\n      ansible_port: ").append(h.port()).append('\n');
            if (i < hostVars.length && !hostVars[i].isEmpty()) {
                sb.append("      ").append(hostVars[i]).append('\n');
            }
        }
        sb.append(extraHosts);
        Path inv = tmp.resolve("inventory.yml");
        Files.writeString(inv, sb.toString());
        return inv;
    }

    private Path playbook(String playKeys) throws IOException {
        Path p = tmp.resolve("play.yml");
        Files.writeString(p, "- hosts: all\n  gather_facts: false\n" + playKeys
                + "  tasks:\n    - sysctl: {name: '{{ k }}', value: '{{ v }}'}\n");
        return p;
    }

    private String[] args(String cmd, Path pb, Path inv, String... more) {
        List<String> a = new ArrayList<>(List.of(cmd, pb.toString(), "-i", inv.toString(),
                "--known-hosts", fleet.knownHosts().toString(), "--state-dir", tmp.resolve("state").toString(),
                "--connect-timeout", "3", "--progress", "never"));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    private static Run sysfleet(String... args) {
        Cli.Result r = Cli.runMerged(args);
        return new Run(r.exit(), r.out());
    }

    @Test
    void forksRunHostsAtTheSameTime() throws Exception {
        Run r = sysfleet(args("run", playbook(""), inventory(""), "--forks", "4"));
        assertEquals(0, r.exit(), r.out());
        List<Interval> all = new ArrayList<>();
        for (TestFleet.Host h : fleet.hosts()) {
            List<Interval> c = calls(h);
            assertEquals(1, c.size(), h.name() + " ran sysctl -p once");
            all.addAll(c);
            assertEquals("30", sh(h, "cat /proc/sys/net/ipv4/tcp_fin_timeout").strip());
        }
        long lastStart = all.stream().mapToLong(Interval::start).max().orElseThrow();
        long firstEnd = all.stream().mapToLong(Interval::end).min().orElseThrow();
        assertTrue(lastStart < firstEnd, "all four sysctl calls overlapped in time: " + all);
    }

    @Test
    void serialBatchesRunInOrder() throws Exception {
        Run r = sysfleet(args("run", playbook("  serial: 2\n"), inventory(""), "--forks", "4"));
        assertEquals(0, r.exit(), r.out());
        long batch1End = Math.max(calls(fleet.host(0)).get(0).end(), calls(fleet.host(1)).get(0).end());
        long batch2Start = Math.min(calls(fleet.host(2)).get(0).start(), calls(fleet.host(3)).get(0).start());
        assertTrue(batch1End < batch2Start, "the second batch started after the first ended");
    }

    @Test
    void commandLineSerialAppliesToPlaysWithoutOne() throws Exception {
        Run r = sysfleet(args("run", playbook(""), inventory(""), "--forks", "4", "--serial", "1,3"));
        assertEquals(0, r.exit(), r.out());
        long first = calls(fleet.host(0)).get(0).end();
        long rest = Math.min(Math.min(calls(fleet.host(1)).get(0).start(), calls(fleet.host(2)).get(0).start()),
                calls(fleet.host(3)).get(0).start());
        assertTrue(first < rest, "one canary host, then the other three");
    }

    @Test
    void maxFailPercentageStopsTheNextBatch() throws Exception {
        Path inv = inventory("", "k: net.netfilter.nf_conntrack_max\n      v: '655350'");
        Run r = sysfleet(args("run", playbook("  serial: 2\n  max_fail_percentage: 0\n"), inv, "--forks", "4"));
        assertEquals(2, r.exit(), r.out());
        assertTrue(r.out().contains("failed: [" + fleet.host(0).name() + "]"), r.out());
        assertTrue(r.out().contains("changed: [" + fleet.host(1).name() + "]"), r.out());
        assertTrue(r.out().contains("PLAY ABORTED"), r.out());
        assertTrue(r.out().contains("max_fail_percentage 0 exceeded"), r.out());
        for (TestFleet.Host h : List.of(fleet.host(2), fleet.host(3))) {
            assertTrue(r.out().contains("skipping: [" + h.name() + "] not run: max_fail_percentage"), r.out());
            assertEquals("net.ipv4.tcp_fin_timeout = 60\n", sh(h, "cat /etc/sysctl.conf"), "not touched");
            assertEquals("60", sh(h, "cat /proc/sys/net/ipv4/tcp_fin_timeout").strip());
            assertTrue(calls(h).isEmpty());
        }
    }

    @Test
    void closedPortAndSilentServerAreUnreachableWhileTheOthersConverge() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             ServerSocket closed = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int closedPort = closed.getLocalPort();
            closed.close();
            List<Socket> accepted = new ArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept()); // accept TCP, never speak SSH
                    }
                } catch (IOException e) {
                    // closed at the end of the test
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            String extra = "    closed-port:\n      ansible_port: " + closedPort + "\n"
                    + "    silent-server:\n      ansible_port: " + silent.getLocalPort() + "\n";
            long t0 = System.nanoTime();
            Run r = sysfleet(args("run", playbook(""), inventory(extra), "--forks", "6", "-T", "20"));
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);
            assertEquals(3, r.exit(), r.out());
            assertTrue(r.out().contains("unreachable: [closed-port]"), r.out());
            assertTrue(r.out().contains("unreachable: [silent-server]"), r.out());
            for (TestFleet.Host h : fleet.hosts()) {
                assertTrue(r.out().contains("changed: [" + h.name() + "]"), r.out());
            }
            assertTrue(seconds < 30, "the silent server was given up within the connect timeout: " + seconds + " s");
            for (Socket s : accepted) {
                s.close();
            }
        }
    }

    @Test
    void checkModeDriftAndConvergedExitCodes() throws Exception {
        Path inv = inventory("");
        Path pb = playbook("");
        assertEquals(7, sysfleet(args("check", pb, inv)).exit(), "drift pending");
        for (TestFleet.Host h : fleet.hosts()) {
            assertEquals("60", sh(h, "cat /proc/sys/net/ipv4/tcp_fin_timeout").strip(), "check changes nothing");
        }
        assertEquals(0, sysfleet(args("run", pb, inv)).exit());
        assertEquals(0, sysfleet(args("check", pb, inv)).exit(), "no drift after converging");
    }

    @Test
    void sigintStopsNewHostsFinishesRunningOnesAndExits99() throws Exception {
        Path jar = TestFleet.projectRoot().resolve("target/sysfleet.jar");
        assertTrue(Files.isRegularFile(jar), "the launcher's jar is built by mvn package before integration tests");
        List<String> cmd = new ArrayList<>(List.of("java", "-jar", jar.toString()));
        cmd.addAll(List.of(args("run", playbook(""), inventory(""), "--forks", "1")));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        // The signal is sent by a shell started now and waiting for one line: no process is started between the
        // first finished host and the signal (on a loaded machine a fork took long enough for every host to finish).
        Process killer = new ProcessBuilder("sh", "-c", "read go && kill -INT " + p.pid()).start();
        StringBuilder out = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            boolean sent = false;
            while ((line = r.readLine()) != null) {
                out.append(line).append('\n');
                if (!sent && line.startsWith("changed: [")) {
                    killer.getOutputStream().write('\n');
                    killer.getOutputStream().flush();
                    sent = true;
                }
            }
        } finally {
            killer.destroy();
        }
        assertTrue(p.waitFor(2, TimeUnit.MINUTES));
        assertEquals(99, p.exitValue(), out.toString());
        assertTrue(out.toString().contains("not run: interrupted"), out.toString());
        assertTrue(out.toString().contains("PLAY RECAP"), out.toString());
        int converged = 0;
        for (TestFleet.Host h : fleet.hosts()) {
            String file = sh(h, "cat /etc/sysctl.conf");
            String live = sh(h, "cat /proc/sys/net/ipv4/tcp_fin_timeout").strip();
            boolean done = file.equals("net.ipv4.tcp_fin_timeout = 30\n") && live.equals("30");
            boolean untouched = file.equals("net.ipv4.tcp_fin_timeout = 60\n") && live.equals("60");
            assertTrue(done || untouched, h.name() + " is never half-done: file " + file + " live " + live);
            converged += done ? 1 : 0;
        }
        assertTrue(converged >= 1 && converged < 4, "some hosts ran, the rest were not started: " + converged);
        assertFalse(out.toString().contains("Exception"), out.toString());
    }

    @Test
    void aMixedRunGivesTheRightRecapReportsAndExitCode() throws Exception {
        // host0 asks for a key the container kernel refuses; one more host is a closed port; the rest converge.
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        // vegas: a congestion control this kernel lacks, so sysctl -p fails on it and sysfleet undoes host0
        // (nf_conntrack_max, the key this test used, is now refused before any change in a container).
        Path inv = inventory("    closed-port:\n      ansible_port: " + closedPort + "\n",
                "k: net.ipv4.tcp_congestion_control\n      v: vegas");
        Path json = tmp.resolve("out/report.json");
        Path junit = tmp.resolve("out/report.xml");
        Run r = sysfleet(args("run", playbook(""), inv, "--forks", "5", "--report-json", json.toString(),
                "--report-junit", junit.toString()));
        assertEquals(2, r.exit(), "a failed host outranks an unreachable one: " + r.out());
        String h0 = fleet.host(0).name();
        assertTrue(r.out().matches("(?s).*" + h0 + " +: ok=0 +changed=0 +unreachable=0 +failed=1 .*"), r.out());
        assertTrue(r.out().matches("(?s).*closed-port +: ok=0 +changed=0 +unreachable=1 +failed=0 .*"), r.out());
        for (int i = 1; i < 4; i++) {
            assertTrue(r.out().matches("(?s).*" + fleet.host(i).name() + " +: ok=1 +changed=1 +unreachable=0 +failed=0 .*"),
                    r.out());
        }
        assertEquals("net.ipv4.tcp_fin_timeout = 60\n", sh(fleet.host(0), "cat /etc/sysctl.conf"), "host0 undone");

        com.fasterxml.jackson.databind.JsonNode report = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(json.toFile());
        assertEquals(2, report.get("exitCode").asInt());
        assertEquals(3, report.get("summary").get("changed").asInt());
        assertEquals(1, report.get("summary").get("failed").asInt());
        assertEquals(1, report.get("summary").get("unreachable").asInt());
        com.fasterxml.jackson.databind.JsonNode failed = null;
        for (com.fasterxml.jackson.databind.JsonNode h : report.get("plays").get(0).get("hosts")) {
            if (h.get("name").asText().equals(h0)) {
                failed = h;
            }
        }
        assertTrue(failed != null && failed.get("undone").asBoolean(), String.valueOf(failed));
        assertEquals("failed", failed.get("status").asText());
        assertTrue(failed.get("keys").get(0).get("error").asText().contains("No such file or directory"),
                failed.toString());
        assertTrue(failed.get("keys").get(0).get("old").isTextual(), "the live value before: " + failed);
        assertEquals(false, failed.get("keys").get(0).get("changed").asBoolean(), "undone: nothing changed");

        javax.xml.validation.SchemaFactory.newInstance(javax.xml.XMLConstants.W3C_XML_SCHEMA_NS_URI)
                .newSchema(TestFleet.projectRoot().resolve("src/test/resources/report/junit-report.xsd").toFile())
                .newValidator().validate(new javax.xml.transform.stream.StreamSource(junit.toFile()));
        String xml = Files.readString(junit);
        assertTrue(xml.contains("<error") && xml.contains("closed-port"), xml);
        assertTrue(xml.contains("No such file or directory"), xml);
        org.w3c.dom.Element suites = javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(junit.toFile()).getDocumentElement();
        assertEquals("1", suites.getAttribute("errors"), "one unreachable host");
        assertTrue(Integer.parseInt(suites.getAttribute("failures")) >= 1, "the refused key fails");
    }
}
