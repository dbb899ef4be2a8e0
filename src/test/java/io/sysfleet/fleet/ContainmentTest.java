package io.sysfleet.fleet;

import io.sysfleet.apply.HostResult;
import io.sysfleet.catalog.KeyCatalog;
import io.sysfleet.inventory.Group;
import io.sysfleet.inventory.Host;
import io.sysfleet.inventory.Inventory;
import io.sysfleet.playbook.Playbook;
import io.sysfleet.playbook.PlaybookLoader;
import io.sysfleet.report.PlayResult;
import io.sysfleet.report.RunListener;
import io.sysfleet.report.RunReport;
import io.sysfleet.transport.HostKeyPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An Error or exception while one host is planned becomes that host's result; the other hosts, the listener (the
 * terminal lines) and the report are whole. The fault is injected with a test double, {@link Boom}: a variable
 * value whose {@code toString} throws, standing in for a planning step that runs out of stack or heap on one host's
 * data (no real input of ours does that any more, which is the point of the limits).
 */
class ContainmentTest {
    @TempDir
    Path dir;

    /** Test double: a host variable whose text throws the given error. */
    record Boom(Throwable error) {
        @Override
        public String toString() {
            if (error instanceof Error e) {
                throw e;
            }
            throw (RuntimeException) error;
        }
    }

    @Test
    void anErrorInOneHostsPlanStaysOnThatHost() throws Exception {
        Path pb = dir.resolve("p.yml");
        Files.writeString(pb, """
                - hosts: all
                  gather_facts: false
                  tasks:
                    - ansible.posix.sysctl:
                        name: net.ipv4.tcp_fin_timeout
                        value: "{{ fin }}"
                """);
        Playbook playbook = PlaybookLoader.load(pb);
        Map<String, Host> hosts = new LinkedHashMap<>();
        hosts.put("good1", new Host("good1", Map.of("fin", 30)));
        hosts.put("overflow", new Host("overflow", Map.of("fin", new Boom(new StackOverflowError("test double")))));
        hosts.put("oom", new Host("oom", Map.of("fin", new Boom(new OutOfMemoryError("test double")))));
        hosts.put("npe", new Host("npe", Map.of("fin", new Boom(new NullPointerException("test double")))));
        hosts.put("good2", new Host("good2", Map.of("fin", 40)));
        Map<String, Group> groups = new LinkedHashMap<>();
        groups.put("all", new Group("all", List.of("ungrouped"), List.of(), Map.of(), 0, 1));
        groups.put("ungrouped", new Group("ungrouped", List.of(), List.copyOf(hosts.keySet()), Map.of(), 1, 1));
        Inventory inv = new Inventory(dir.resolve("inv.yml"), groups, hosts, List.of());
        RunOptions options = new RunOptions(pb, dir.resolve("inv.yml"), null, true, true, dir.resolve("state"), null,
                HostKeyPolicy.STRICT, Duration.ofSeconds(5), Duration.ofSeconds(5), 2, List.of(), null, null);
        FleetRunner runner = new FleetRunner(options, new Connector(options, Map.of(), Clock.systemUTC(), dir),
                KeyCatalog.load(), Clock.systemUTC(), "r1", null);
        List<HostResult> heard = Collections.synchronizedList(new ArrayList<>());
        RunReport report = runner.run(playbook, inv, new RunListener() {
            @Override
            public void playStarted(String name, int n, boolean check) {
            }

            @Override
            public void hostFinished(HostResult r) {
                heard.add(r);
            }
        });
        PlayResult play = report.plays().get(0);
        assertEquals(List.of("good1", "overflow", "oom", "npe", "good2"), play.hosts().stream().map(HostResult::host).toList());
        assertEquals(5, heard.size(), "the listener heard every host");
        for (HostResult r : play.hosts()) {
            if (r.host().startsWith("good")) {
                assertEquals(HostResult.Status.OK, r.status(), r.toString());
                assertEquals(1, r.keys().size(), r.toString());
            } else {
                assertEquals(HostResult.Status.FAILED, r.status(), r.toString());
                assertEquals("plan", r.phase());
            }
        }
        // the template engine turns a stack overflow inside a template into its own one-line error
        String overflow = play.hosts().get(1).error();
        assertTrue(overflow.contains("nests too deeply") || overflow.contains("StackOverflowError"), overflow);
        assertTrue(play.hosts().get(2).error().startsWith("internal error: OutOfMemoryError"), play.hosts().get(2).error());
        assertTrue(play.hosts().get(3).error().contains("test double"), play.hosts().get(3).error());
        assertEquals(2, report.exitCode().code(), "failed hosts, not a crashed run");
    }
}
