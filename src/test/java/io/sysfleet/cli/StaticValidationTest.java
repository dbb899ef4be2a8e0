package io.sysfleet.cli;

import io.sysfleet.testing.Cli;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Everything that can be checked is checked before the first connection. The inventory's hosts point at a port
 * on 127.0.0.1 that counts every TCP connection (and never speaks SSH): an invalid playbook must leave it at zero,
 * exit 4 with one {@code file:line:col} line per problem, and leave no journal and no run id behind.
 */
class StaticValidationTest {
    @TempDir
    Path dir;
    private ServerSocket sshd;
    private final AtomicInteger connections = new AtomicInteger();
    private final List<Socket> accepted = new ArrayList<>();

    @BeforeEach
    void listen() throws IOException {
        sshd = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            try {
                while (true) {
                    Socket s = sshd.accept();
                    connections.incrementAndGet();
                    synchronized (accepted) {
                        accepted.add(s);
                    }
                }
            } catch (IOException e) {
                // closed at the end of the test
            }
        });
        t.setDaemon(true);
        t.start();
    }

    @AfterEach
    void close() throws IOException {
        sshd.close();
        synchronized (accepted) {
            for (Socket s : accepted) {
                s.close();
            }
        }
    }

    private Path inventory(String extra) throws IOException {
        return Files.writeString(dir.resolve("inventory.yml"), "all:\n  vars:\n    ansible_host: 127.0.0.1\n"
                + "    ansible_port: " + sshd.getLocalPort() + "\n  hosts:\n    web1:\n    web2:\n      fin: 45\n"
                + "    web3:\n      fin: soon\n" + extra);
    }

    private Cli.Result run(String playbook, String... more) throws IOException {
        Path pb = Files.writeString(dir.resolve("p.yml"), playbook);
        List<String> a = new ArrayList<>(List.of("run", pb.toString(), "-i", inventory("").toString(),
                "--state-dir", dir.resolve("state").toString(), "--connect-timeout", "1", "--progress", "never"));
        a.addAll(List.of(more));
        return Cli.run(a);
    }

    private void assertNothingStarted(Cli.Result r) {
        assertEquals(0, connections.get(), "no host was contacted: " + r.out() + r.err());
        assertFalse(Files.exists(dir.resolve("state")), "no journal, no run id");
        assertFalse(r.out().contains("journaled"), r.out());
        assertFalse(r.err().contains("Exception"), r.err());
    }

    @Test
    void anInvalidLiteralValueIsExit4WithOneLineAndNoLogin() throws IOException {
        Cli.Result r = run("""
                - hosts: all
                  gather_facts: false
                  tasks:
                    - sysctl: {name: net.ipv4.tcp_fin_timeout, value: banana}
                """);
        assertEquals(4, r.exit(), r.out() + r.err());
        assertEquals("sysfleet: " + dir.resolve("p.yml") + ":4:55: net.ipv4.tcp_fin_timeout must be an integer "
                + "from 1 to 2147483, got 'banana'", r.err().strip(), "one line, however many hosts");
        assertNothingStarted(r);
    }

    @Test
    void templatesFromInventoryAndPlayVariablesAreCheckedForEveryHost() throws IOException {
        Cli.Result r = run("""
                - hosts: all
                  gather_facts: true
                  vars:
                    key: net.ipv4.tcp_fin_timeout
                  tasks:
                    - sysctl: {name: '{{ key }}', value: "{{ fin | default('30') }}"}
                    - sysctl: {name: net.ipv4.tcp_syncookies, value: '1'}
                      when: turbo == 1
                    - name: depends on a fact, so it is checked on the host, after its facts
                      sysctl: {name: net.ipv4.tcp_tw_recycle, value: '{{ ansible_kernel }}'}
                """);
        assertEquals(4, r.exit(), r.out() + r.err());
        String err = r.err();
        assertTrue(err.contains("p.yml:6:42: net.ipv4.tcp_fin_timeout must be an integer from 1 to 2147483, "
                + "got 'soon'"), err);
        assertTrue(err.contains("p.yml:8:13: when 'turbo == 1': 'turbo' is undefined"), err);
        assertFalse(err.contains("ansible_kernel"), "what needs facts waits for them: " + err);
        assertEquals(2, err.strip().lines().count(), err);
        assertTrue(err.indexOf("p.yml:6:42") < err.indexOf("p.yml:8:13"), "in file order: " + err);
        assertNothingStarted(r);
    }

    @Test
    void aBadPlayPatternIsExit4AndABadLimitExit5BeforeAnyJournal() throws IOException {
        Cli.Result pattern = run("- hosts: '~('\n  tasks: []\n");
        assertEquals(4, pattern.exit(), pattern.out() + pattern.err());
        assertTrue(pattern.err().contains("p.yml:1:3: hosts: invalid host pattern '~('"), pattern.err());
        assertNothingStarted(pattern);

        Cli.Result limit = run("- hosts: all\n  tasks: []\n", "--limit", "~(");
        assertEquals(5, limit.exit(), limit.out() + limit.err());
        assertTrue(limit.err().startsWith("sysfleet: --limit: "), limit.err());
        assertNothingStarted(limit);
    }

    @Test
    void aValidPlaybookDoesConnect() throws IOException {
        // the counter counts: without a problem the run goes on to the (silent) hosts, which time out
        Cli.Result r = run("- hosts: web1\n  gather_facts: false\n  tasks:\n"
                + "    - sysctl: {name: net.ipv4.tcp_fin_timeout, value: '30'}\n");
        assertEquals(3, r.exit(), r.out() + r.err());
        assertTrue(connections.get() >= 1, "web1 was contacted");
    }
}
