package io.sysfleet.engine;

import io.sysfleet.catalog.KeyCatalog;
import io.sysfleet.core.ConfigException;
import io.sysfleet.facts.BootFiles;
import io.sysfleet.inventory.Group;
import io.sysfleet.inventory.Host;
import io.sysfleet.inventory.Inventory;
import io.sysfleet.playbook.Playbook;
import io.sysfleet.playbook.PlaybookLoader;
import io.sysfleet.plan.Planner;
import io.sysfleet.plan.StaticCheck;
import io.sysfleet.result.HostResult;
import io.sysfleet.result.Phase;
import io.sysfleet.result.PlayResult;
import io.sysfleet.result.RunListener;
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
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
        Inventory inv = new Inventory(List.of(dir.resolve("inv.yml").toString()), groups, hosts, List.of());
        // The static check before any connection plans every host too. A failure the template engine turns into
        // its own error (the stack overflow, the NPE) is a problem of that host's value, named with the host; an
        // Error it does not handle (the OOM) is left for the host's run, where it becomes that host's result. The
        // check itself never crashes, and never blames the good hosts.
        ConfigException e = assertThrows(ConfigException.class,
                () -> StaticCheck.check(playbook, inv, null, new Planner(KeyCatalog.load())));
        assertTrue(e.getMessage().contains("(host overflow)") && e.getMessage().contains("(host npe)"),
                e.getMessage());
        assertFalse(e.getMessage().contains("good") || e.getMessage().contains("oom"), e.getMessage());
        HostRunner hostRunner = new HostRunner(new HostRunner.Settings(true, true, Duration.ofSeconds(5), null,
                BootFiles.STANDARD, null), KeyCatalog.load());
        Connections none = (host, become) -> {
            throw new AssertionError("offline: nothing connects");
        };
        List<HostResult> heard = Collections.synchronizedList(new ArrayList<>());
        List<PlayResult> plays;
        try (Scheduler scheduler = new Scheduler(2, "sysfleet-test", Clock.systemUTC(), new AtomicBoolean());
             Sessions sessions = new Sessions(none)) {
            plays = new PlaybookRun(new PlaybookRun.Settings(List.of(), null, null, true), hostRunner, scheduler,
                    sessions, null).run(playbook, inv, new RunListener() {
                        @Override
                        public void playStarted(String name, int n, boolean check) {
                        }

                        @Override
                        public void hostFinished(HostResult r) {
                            heard.add(r);
                        }
                    });
        }
        PlayResult play = plays.get(0);
        assertEquals(List.of("good1", "overflow", "oom", "npe", "good2"), play.hosts().stream().map(HostResult::host).toList());
        assertEquals(5, heard.size(), "the listener heard every host");
        for (HostResult r : play.hosts()) {
            if (r.host().startsWith("good")) {
                assertEquals(HostResult.Status.OK, r.status(), r.toString());
                assertEquals(1, r.keys().size(), r.toString());
            } else {
                assertEquals(HostResult.Status.FAILED, r.status(), r.toString());
                assertEquals(Phase.PLAN, r.phase());
            }
        }
        // the template engine turns a stack overflow inside a template into its own one-line error
        String overflow = play.hosts().get(1).error();
        assertTrue(overflow.contains("nests too deeply") || overflow.contains("StackOverflowError"), overflow);
        assertTrue(play.hosts().get(2).error().startsWith("internal error: OutOfMemoryError"), play.hosts().get(2).error());
        assertTrue(play.hosts().get(3).error().contains("test double"), play.hosts().get(3).error());
    }
}
