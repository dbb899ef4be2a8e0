package io.sysfleet.plan;

import io.sysfleet.catalog.KeyCatalog;
import io.sysfleet.catalog.Platform;
import io.sysfleet.core.ConfigException;
import io.sysfleet.facts.RuntimeFacts;
import io.sysfleet.facts.RuntimeFacts.ModuleState;
import io.sysfleet.inventory.Host;
import io.sysfleet.playbook.Play;
import io.sysfleet.playbook.PlaybookLoader;
import io.sysfleet.sysctl.SysctlKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * modprobe tasks where the play's tree puts them (a role, a loop, a block with a when): each is planned per host as
 * a module load from the expansion, before the sysctl edit that needs its keys, as in a plain play.
 */
class ModprobeTreePlanTest {
    private static final Platform DEBIAN12 = Platform.detect("ID=debian\nVERSION_ID=\"12\"\n", null, "6.1.0-28-amd64");
    private static final String CT_MAX = "net.netfilter.nf_conntrack_max";

    @TempDir
    Path dir;

    private final Planner planner = new Planner(KeyCatalog.load());
    private final Host host = new Host("web1", Map.of());

    private Play play(String yaml) throws IOException {
        Path f = dir.resolve("site.yml");
        Files.writeString(f, yaml);
        return PlaybookLoader.load(f, List.of()).plays().get(0);
    }

    private static HostState state(Map<String, ModuleState> modules, String... moduleFiles) {
        Map<String, String> files = new HashMap<>();
        files.put("/etc/sysctl.conf", "");
        for (String f : moduleFiles) {
            files.put(f, null);
        }
        RuntimeFacts rt = new RuntimeFacts(null, null, "", true, true, true, modules, Set.of());
        return new HostState(DEBIAN12, files, new HashMap<SysctlKey, String>(), rt);
    }

    @Test
    void aModprobeTaskInARoleLoadsTheModuleBeforeTheSysctlEditOfThePlay() throws IOException {
        Path tasks = Files.createDirectories(dir.resolve("roles/conntrack/tasks"));
        Files.writeString(tasks.resolve("main.yml"), """
                - name: Load conntrack
                  community.general.modprobe:
                    name: "{{ conntrack_module }}"
                    params: 'hashsize=131072'
                    persistent: present
                """);
        Files.createDirectories(dir.resolve("roles/conntrack/defaults"));
        Files.writeString(dir.resolve("roles/conntrack/defaults/main.yml"), "conntrack_module: nf_conntrack\n");
        Play p = play("""
                - hosts: all
                  roles:
                    - conntrack
                  tasks:
                    - sysctl: {name: net.netfilter.nf_conntrack_max, value: '262144'}
                """);
        assertTrue(planner.probeModules(p, host).contains("nf_conntrack"), "the facts ask for the role's module");
        assertTrue(planner.files(p, host).containsAll(Set.of("/etc/modules-load.d/nf_conntrack.conf",
                "/etc/modprobe.d/nf_conntrack.conf")), "its persistence files are read with the facts");
        HostPlan plan = planner.plan(host, p, state(Map.of("nf_conntrack", ModuleState.ABSENT),
                "/etc/modules-load.d/nf_conntrack.conf", "/etc/modprobe.d/nf_conntrack.conf"));
        assertNull(plan.error(), plan.error());
        assertEquals(1, plan.modules().size());
        ModulePlan m = plan.modules().get(0);
        assertEquals(ModulePlan.Action.LOAD, m.action());
        assertEquals("modprobe nf_conntrack hashsize=131072", m.note());
        assertEquals("conntrack : Load conntrack", m.task().name());
        KeyPlan k = plan.keys().get(0);
        assertEquals(CT_MAX, k.key().dotted());
        assertEquals(KeyPlan.Outcome.CHANGE, k.outcome());
        assertTrue(k.afterModuleLoad(), "set after modprobe: " + k.note());
        assertEquals(List.of("/etc/modules-load.d/nf_conntrack.conf", "/etc/modprobe.d/nf_conntrack.conf",
                "/etc/sysctl.conf"), plan.files().stream().map(FilePlan::path).toList(), "module files first");
    }

    @Test
    void aModprobeLoopLoadsEachItemBeforeTheSysctlEditAndAFalseWhenSkipsIt() throws IOException {
        Play p = play("""
                - hosts: all
                  tasks:
                    - sysctl: {name: net.netfilter.nf_conntrack_max, value: '262144'}
                    - block:
                        - name: modules
                          modprobe:
                            name: "{{ item }}"
                            state: present
                          loop: [nf_conntrack, br_netfilter, dummy]
                          when: item != 'dummy'
                      tags: [kernel]
                """);
        HostPlan plan = planner.plan(host, p, state(Map.of("nf_conntrack", ModuleState.ABSENT,
                "br_netfilter", ModuleState.LOADED)));
        assertNull(plan.error(), plan.error());
        assertEquals(List.of("nf_conntrack:LOAD", "br_netfilter:NONE", "dummy:SKIPPED"), plan.modules().stream()
                .map(m -> m.module() + ":" + m.action()).toList());
        assertEquals("modules (item=nf_conntrack)", plan.modules().get(0).task().name());
        // written before the modprobe task, the key is still set after the module is loaded
        KeyPlan k = plan.keys().get(0);
        assertEquals(KeyPlan.Outcome.CHANGE, k.outcome(), k.note());
        assertTrue(k.afterModuleLoad(), k.note());
        assertEquals(Set.of("nf_conntrack", "br_netfilter"), Set.copyOf(planner.probeModules(p, host)).stream()
                .filter(n -> !n.equals("ip_conntrack")).collect(java.util.stream.Collectors.toSet()));
    }

    @Test
    void aModprobeTaskSkippedByTagsIsNotPlanned() throws IOException {
        Play p = play("""
                - hosts: all
                  tasks:
                    - modprobe: {name: nf_conntrack}
                      tags: [modules]
                    - sysctl: {name: net.ipv4.tcp_fin_timeout, value: '30'}
                """);
        Planner skip = new Planner(KeyCatalog.load(), null,
                new io.sysfleet.plan.expand.RunSettings(Set.of(), Set.of("modules"), false));
        HostPlan plan = skip.plan(host, p, state(Map.of("nf_conntrack", ModuleState.ABSENT)));
        assertTrue(plan.modules().isEmpty(), plan.modules().toString());
        assertEquals(1, plan.keys().size());
    }

    @Test
    void aTemplatedModuleNameIsCheckedAfterRenderingBeforeAnyHost() throws IOException {
        Play p = play("""
                - hosts: all
                  vars:
                    mod: 'nf_conntrack; reboot'
                  tasks:
                    - modprobe: {name: "{{ mod }}"}
                """);
        HostPlan offline = planner.plan(host, p, null);
        assertNotNull(offline.error());
        assertEquals(1, offline.problems().size(), offline.problems().toString());
        assertTrue(offline.problems().get(0).toString().startsWith(dir.resolve("site.yml") + ":5:"),
                offline.problems().toString());
        assertTrue(offline.problems().get(0).toString().contains("modprobe 'name' must be a kernel module name"),
                offline.problems().toString());
        assertTrue(planner.probeModules(p, host).isEmpty(), "a refused name never reaches the facts probe");
        Files.writeString(dir.resolve("hosts"), "web1\n");
        assertThrows(ConfigException.class, () -> StaticCheck.check(
                new io.sysfleet.playbook.Playbook(dir.resolve("site.yml"), List.of(p)),
                io.sysfleet.inventory.InventoryLoader.load(dir.resolve("hosts")), null, planner));
    }
}
