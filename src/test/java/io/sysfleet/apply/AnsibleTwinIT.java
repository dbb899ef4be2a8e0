package io.sysfleet.apply;

import io.sysfleet.testing.Cli;
import io.sysfleet.testing.TestFleet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.Container;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The real ansible-playbook is the oracle: the same playbook, from the same drifted start, run by Ansible on one
 * twin container and by sysfleet on the other, must leave the same live values (and the same effective file
 * settings) for every key the playbook names. Fails, never skips, without ansible-playbook: CI installs it.
 */
class AnsibleTwinIT {
    private static final String KEYS = "net/ipv4/tcp_fin_timeout net/ipv4/tcp_syncookies net/ipv4/tcp_tw_reuse "
            + "net/ipv4/tcp_max_syn_backlog net/ipv4/tcp_max_tw_buckets net/ipv4/tcp_timestamps";
    private static TestFleet fleet;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startFleet() {
        fleet = TestFleet.start("debian12", "debian12");
    }

    @AfterAll
    static void stopFleet() {
        if (fleet != null) {
            fleet.close();
        }
    }

    private static String sh(TestFleet.Host h, String script) throws Exception {
        Container.ExecResult r = h.container().execInContainer("sh", "-c", script);
        assertEquals(0, r.getExitCode(), h.name() + ": " + script + ": " + r.getStderr());
        return r.getStdout();
    }

    /** Live values of the compared keys, and the file's effective settings as sysctl itself parses them. */
    private static Map<String, String> state(TestFleet.Host h) throws Exception {
        Map<String, String> out = new TreeMap<>();
        for (String k : KEYS.split(" ")) {
            out.put("live " + k, sh(h, "cat /proc/sys/" + k).strip());
        }
        for (String line : sh(h, "LANG=C sysctl --dry-run -p /etc/sysctl.conf 2>&1 || true").split("\n")) {
            if (line.contains(" = ")) {
                String[] kv = line.split(" = ", 2);
                out.put("file " + kv[0].strip(), kv[1].strip());
            }
        }
        return out;
    }

    private static void drift(TestFleet.Host h) throws Exception {
        sh(h, "printf '# drifted\\nnet.ipv4.tcp_fin_timeout = 60\\nnet.ipv4.tcp_syncookies=0\\n' > /etc/sysctl.conf && "
                + "sysctl -q -w net.ipv4.tcp_fin_timeout=60 net.ipv4.tcp_syncookies=0 net.ipv4.tcp_tw_reuse=2 "
                + "net.ipv4.tcp_max_syn_backlog=512 net.ipv4.tcp_max_tw_buckets=4096 net.ipv4.tcp_timestamps=1");
    }

    private Path inventory(String name, TestFleet.Host h) throws IOException {
        Path inv = tmp.resolve(name + ".yml");
        Files.writeString(inv, "all:\n  vars:\n    ansible_user: sysfleet\n    ansible_become: true\n"
                + "    ansible_python_interpreter: /usr/bin/python3\n"
                + "    ansible_ssh_private_key_file: " + fleet.privateKey() + "\n"
                + "    ansible_ssh_common_args: '-o UserKnownHostsFile=" + fleet.knownHosts()
                + " -o StrictHostKeyChecking=yes'\n"
                + "  hosts:\n    " + h.name() + ":\n      ansible_host: 127.0.0.1\n      ansible_port: " + h.port() + "\n");
        return inv;
    }

    private void ansible(Path inventory, Path playbook) throws Exception {
        Path home = Files.createDirectories(tmp.resolve("ansible-home"));
        ProcessBuilder pb = new ProcessBuilder("ansible-playbook", "-i", inventory.toString(), playbook.toString())
                .directory(tmp.toFile()).redirectErrorStream(true);
        pb.environment().put("HOME", home.toString());
        pb.environment().put("ANSIBLE_CONFIG", home.resolve("none.cfg").toString());
        pb.environment().put("ANSIBLE_HOST_KEY_CHECKING", "True");
        pb.environment().put("ANSIBLE_NOCOLOR", "1");
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            fail("ansible-playbook is the oracle of this test and must be installed (CI installs it): " + e);
            return;
        }
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "ansible-playbook timed out");
        assertEquals(0, p.exitValue(), "ansible-playbook failed:\n" + out);
    }

    private void sysfleet(Path inventory, Path playbook) {
        Cli.Result r = Cli.runMerged("run", playbook.toString(), "-i", inventory.toString(),
                "--known-hosts", fleet.knownHosts().toString(), "--state-dir", tmp.resolve("state").toString());
        assertEquals(0, r.exit(), r.out());
    }

    @ParameterizedTest
    @ValueSource(strings = {"site.yml", "05-fin-wait2.yml", "01-nat-reset.yml"})
    void ansibleAndSysfleetLeaveTheSameValues(String name) throws Exception {
        TestFleet.Host viaAnsible = fleet.host(0);
        TestFleet.Host viaSysfleet = fleet.host(1);
        drift(viaAnsible);
        drift(viaSysfleet);
        assertEquals(state(viaAnsible), state(viaSysfleet), "both twins start the same");
        Map<String, String> start = state(viaSysfleet);
        Path playbook = TestFleet.projectRoot().resolve("playbooks").resolve(name);

        ansible(inventory("ansible", viaAnsible), playbook);
        sysfleet(inventory("sysfleet", viaSysfleet), playbook);

        Map<String, String> theirs = state(viaAnsible);
        Map<String, String> ours = state(viaSysfleet);
        assertEquals(theirs, ours, "same live values and file settings after " + name);
        assertTrue(!ours.equals(start), "the playbook changed something, so the comparison means something");
    }
}
