package io.sysfleet.playbook;

import io.sysfleet.core.ConfigException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * modprobe tasks in the shapes public roles write them (community.general.modprobe with name only, the short
 * 'modprobe' with state, params and persistent), and the arguments Ansible's module refuses.
 */
class ModprobeTaskTest {
    private static final Path F = Path.of("site.yml");

    private static Play play(String tasks) {
        return PlaybookLoader.parse("- hosts: all\n  tasks:\n" + tasks, F).plays().get(0);
    }

    @Test
    void theShapesRolesUse() {
        Play p = play("""
                    - name: Load nf_conntrack (ip_conntrack) kernel module
                      community.general.modprobe:
                        name: nf_conntrack
                    - name: assert modprobe br_netfilter installed
                      modprobe:
                        name: br_netfilter
                        state: present
                    - name: Add the dummy module
                      community.general.modprobe:
                        name: dummy
                        state: present
                        params: 'numdummies=2'
                        persistent: present
                    - community.general.modprobe: {name: nf_conntrack, state: absent, persistent: absent}
                    - sysctl: {name: net.netfilter.nf_conntrack_max, value: '262144'}
                """);
        assertEquals(1, p.tasks().size());
        List<ModprobeTask> m = p.modprobes();
        assertEquals(4, m.size());
        assertEquals("nf_conntrack", m.get(0).module());
        assertEquals(State.PRESENT, m.get(0).state());
        assertEquals("", m.get(0).params());
        assertEquals(ModprobeTask.Persistence.DISABLED, m.get(0).persistent(), "Ansible's default");
        assertEquals("Load nf_conntrack (ip_conntrack) kernel module", m.get(0).name());
        assertEquals("br_netfilter", m.get(1).module());
        assertEquals(List.of("numdummies=2"), m.get(2).paramList());
        assertEquals(ModprobeTask.Persistence.PRESENT, m.get(2).persistent());
        assertEquals("/etc/modules-load.d/dummy.conf", m.get(2).modulesLoadFile());
        assertEquals("/etc/modprobe.d/dummy.conf", m.get(2).optionsFile());
        assertEquals(State.ABSENT, m.get(3).state());
        assertEquals(ModprobeTask.Persistence.ABSENT, m.get(3).persistent());
        assertEquals("site.yml:16:7", m.get(3).location().toString());
    }

    @Test
    void badArgumentsAreEachReportedWithTheirPlace() {
        ConfigException e = assertThrows(ConfigException.class, () -> play("""
                    - modprobe: {state: present}
                    - modprobe: {name: 'nf_conntrack; reboot'}
                    - modprobe: {name: nf_conntrack, state: loaded, persistent: yes}
                    - modprobe: {name: nf_conntrack, params: 'hashsize=$(id)'}
                    - modprobe: {name: nf_conntrack, blacklist: true}
                """));
        List<String> lines = e.problems().stream().map(Object::toString).toList();
        assertEquals(List.of(
                "site.yml:3:17: modprobe argument 'name' is required",
                "site.yml:4:24: modprobe 'name' must be a kernel module name such as nf_conntrack (letters, digits, "
                        + "'_' and '-'), not 'nf_conntrack; reboot'",
                "site.yml:5:45: modprobe state must be present or absent, not 'loaded'",
                "site.yml:5:65: modprobe persistent must be disabled, present or absent, not a boolean",
                "site.yml:6:46: modprobe parameter 'hashsize=$(id)' is not NAME=VALUE (letters, digits and '_' "
                        + "before '=', no quotes, spaces or shell characters)",
                "site.yml:7:38: unsupported modprobe argument 'blacklist'; supported: name, state, params, persistent"),
                lines);
        assertTrue(lines.stream().allMatch(l -> l.startsWith("site.yml:")));
    }

    @Test
    void aTemplatedNameLoadsAndIsCheckedPerHostOnceRendered() {
        // A template is a name once rendered for a host (roles write name: "{{ item }}" over a list of modules):
        // the loader accepts it, the plan checks what it renders to (ModprobeTreePlanTest).
        Play p = play("""
                    - modprobe: {name: "{{ mod }}"}
                """);
        assertEquals(1, p.tree().mainTasks().size());
        assertTrue(p.modprobes().isEmpty(), "not a plain literal task: only in the tree");
    }
}
