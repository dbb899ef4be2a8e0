package io.sysfleet.engine;

import io.sysfleet.catalog.KeyCatalog;
import io.sysfleet.facts.BootFiles;
import io.sysfleet.result.HostResult;
import io.sysfleet.result.Phase;
import io.sysfleet.result.RunListener;
import io.sysfleet.result.RunReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * A mixed fleet: hosts whose connection sysfleet does not speak are refused one by one before any connection,
 * and the others run. The managed host is the controller itself ({@code ansible_connection: local}) in check mode
 * with a sysctl file in a temp directory, so nothing on this machine changes and no Docker is needed.
 */
class MixedFleetTest {
    @TempDir
    Path dir;

    @Test
    void unsupportedConnectionsAreRefusedPerHostAndTheRestRun() throws IOException {
        Path conf = dir.resolve("sysctl.conf");
        Files.writeString(conf, "net.ipv4.tcp_fin_timeout = 60\n");
        Path inv = dir.resolve("hosts");
        Files.writeString(inv, """
                [linux]
                me ansible_connection=local
                [containers]
                c1 ansible_connection=docker
                c2 ansible_connection=community.docker.docker
                [switches]
                sw1 ansible_connection=network_cli ansible_network_os=ios ansible_port=0
                [templated]
                t1 ansible_connection=local ansible_user="{{ lookup('env', 'SYSFLEET_TEST_UNSET') | default('ops', true) }}"
                """);
        Path pb = dir.resolve("site.yml");
        Files.writeString(pb, "- hosts: all\n  gather_facts: false\n  tasks:\n"
                + "    - ansible.posix.sysctl:\n        name: net.ipv4.tcp_fin_timeout\n        value: '30'\n"
                + "        sysctl_file: " + conf + "\n        reload: false\n");
        Clock clock = Clock.systemUTC();
        // The production connection seam: only the local host is opened (the refused ones never reach it).
        SshConnections connections = new SshConnections(new SshConnections.Settings(null, null,
                Duration.ofSeconds(2)), Map.of(), clock, dir);
        Engine engine = new Engine(new Engine.Context(dir.resolve("state"), connections, KeyCatalog.load(), clock,
                new RunIds(clock, new Random(1)), new Engine.Controller("tester", "controller"), null,
                BootFiles.STANDARD));
        RunReport report = engine.run(new Engine.RunRequest(pb, InventorySources.of(inv), null, true, false, 5,
                List.of(), null, Duration.ofSeconds(20), false, Engine.Reports.NONE), new RunListener() {
            @Override
            public void playStarted(String name, int hosts, boolean check) {
            }

            @Override
            public void hostFinished(HostResult result) {
            }
        }).report();
        Map<String, HostResult> by = report.allHosts().stream()
                .collect(Collectors.toMap(HostResult::host, Function.identity()));
        assertEquals(HostResult.Status.CHANGED, by.get("me").status(), "the local host runs: " + by.get("me"));
        for (String[] refused : List.of(new String[] {"c1", "docker"},
                new String[] {"c2", "community.docker.docker"}, new String[] {"sw1", "network_cli"})) {
            HostResult r = by.get(refused[0]);
            assertEquals(HostResult.Status.FAILED, r.status(), refused[0]);
            assertEquals(Phase.CONNECT, r.phase());
            assertEquals("connection '" + refused[1] + "' is not supported: sysfleet manages hosts over ssh or local",
                    r.error());
        }
        assertEquals(HostResult.Status.CHANGED, by.get("t1").status(),
                "a templated connection variable is rendered before connecting: " + by.get("t1"));
        assertEquals("net.ipv4.tcp_fin_timeout = 60\n", Files.readString(conf), "check mode changed nothing");
        assertNotEquals(0, report.exitCode().code());
    }
}
