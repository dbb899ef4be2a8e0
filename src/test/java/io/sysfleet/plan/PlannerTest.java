package io.sysfleet.plan;

import io.sysfleet.catalog.KeyCatalog;
import io.sysfleet.catalog.Platform;
import io.sysfleet.inventory.Host;
import io.sysfleet.playbook.Play;
import io.sysfleet.playbook.PlaybookLoader;
import io.sysfleet.sysctl.SysctlFile;
import io.sysfleet.sysctl.SysctlKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.sysfleet.plan.KeyPlan.Outcome.ABSENT_ON_KERNEL;
import static io.sysfleet.plan.KeyPlan.Outcome.CHANGE;
import static io.sysfleet.plan.KeyPlan.Outcome.ERROR;
import static io.sysfleet.plan.KeyPlan.Outcome.OK;
import static io.sysfleet.plan.KeyPlan.Outcome.SKIPPED;
import static io.sysfleet.plan.KeyPlan.Outcome.UNKNOWN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PlannerTest {
    private static final String CONF = "/etc/sysctl.conf";
    private static final Platform DEBIAN12 = Platform.detect("ID=debian\nVERSION_ID=\"12\"\n", null, "6.1.0-28-amd64");
    private static final Platform CENTOS5 = Platform.detect(null, "CentOS release 5.11 (Final)\n", "2.6.18-398.el5");
    private static final Platform CENTOS7 = Platform.detect("ID=\"centos\"\nVERSION_ID=\"7\"\n",
            "CentOS Linux release 7.9.2009 (Core)\n", "3.10.0-1160.el7.x86_64");

    @TempDir
    Path dir;

    private final Planner planner = new Planner(KeyCatalog.load());
    private final Host host = new Host("web1", Map.of());

    private Play play(String tasks) throws IOException {
        Path f = dir.resolve("p.yml");
        Files.writeString(f, "- hosts: all\n  gather_facts: true\n  vars:\n    fin: 30\n  tasks:\n" + tasks);
        return PlaybookLoader.load(f).plays().get(0);
    }

    private static String task(String key, String value) {
        return "    - ansible.posix.sysctl:\n        name: " + key + "\n        value: '" + value + "'\n";
    }

    private static HostState state(Platform p, String file, Map<String, String> live) {
        Map<String, String> files = new HashMap<>();
        files.put(CONF, file);
        Map<SysctlKey, String> values = new HashMap<>();
        live.forEach((k, v) -> values.put(SysctlKey.of(k), v));
        return new HostState(p, files, values);
    }

    @Test
    void aVlanKeyIsOneKeyWithItsOwnProcSysPathInEitherSpelling() throws IOException {
        // procps: the first separator decides; eth0.100 is one interface name (VlanKeyIT runs this for real)
        for (String spelled : List.of("net.ipv4.conf.eth0/100.rp_filter", "net/ipv4/conf/eth0.100/rp_filter")) {
            Play p = play(task(spelled, "2"));
            SysctlKey probed = planner.probeKeys(p, host).iterator().next();
            assertEquals("net/ipv4/conf/eth0.100/rp_filter", probed.path(), spelled);
            HostPlan plan = planner.plan(host, p, state(DEBIAN12, "", Map.of("net.ipv4.conf.eth0/100.rp_filter", "0")));
            assertNull(plan.error(), spelled + ": " + plan.error());
            assertEquals(CHANGE, plan.keys().get(0).outcome());
            assertEquals("0", plan.keys().get(0).live(), "the live value read from eth0.100's entry");
            assertEquals("# Added by sysfleet\nnet.ipv4.conf.eth0/100.rp_filter = 2\n", plan.files().get(0).newText());
        }
    }

    @Test
    void convergesADriftedFileAndLiveValue() throws IOException {
        HostPlan plan = planner.plan(host, play(task("net.ipv4.tcp_fin_timeout", "{{ fin }}")),
                state(DEBIAN12, "# keep me\nnet.ipv4.tcp_fin_timeout = 60\n", Map.of("net.ipv4.tcp_fin_timeout", "60")));
        assertNull(plan.error());
        KeyPlan k = plan.keys().get(0);
        assertEquals(CHANGE, k.outcome());
        assertEquals("60", k.live());
        assertEquals("30", k.desired());
        assertEquals("# keep me\nnet.ipv4.tcp_fin_timeout = 30\n", plan.files().get(0).newText());
        assertTrue(plan.files().get(0).diff("web1").contains("-net.ipv4.tcp_fin_timeout = 60"));
        assertTrue(plan.files().get(0).diff("web1").contains("+net.ipv4.tcp_fin_timeout = 30"));
        assertTrue(plan.hasChanges());
    }

    @Test
    void convergedHostHasNothingToDo() throws IOException {
        HostPlan plan = planner.plan(host, play(task("net.ipv4.tcp_fin_timeout", "30")),
                state(DEBIAN12, "net.ipv4.tcp_fin_timeout=30\n", Map.of("net.ipv4.tcp_fin_timeout", "30")));
        assertEquals(OK, plan.keys().get(0).outcome());
        assertFalse(plan.hasChanges());
        assertFalse(plan.files().get(0).changed());
        assertEquals("", plan.files().get(0).diff("web1"));
    }

    @Test
    void liveDriftAloneIsAChangeWhenReloading() throws IOException {
        HostPlan plan = planner.plan(host, play(task("net.ipv4.tcp_fin_timeout", "30")),
                state(DEBIAN12, "net.ipv4.tcp_fin_timeout=30\n", Map.of("net.ipv4.tcp_fin_timeout", "45")));
        assertEquals(CHANGE, plan.keys().get(0).outcome());
        assertFalse(plan.files().get(0).changed());
        assertTrue(plan.hasChanges());
    }

    @Test
    void centos5UsesTheLegacyConntrackName() throws IOException {
        String t = task("net.netfilter.nf_conntrack_max", "655350");
        HostPlan c5 = planner.plan(host, play(t), state(CENTOS5, "", Map.of("net.ipv4.netfilter.ip_conntrack_max", "65536")));
        assertEquals("net.ipv4.netfilter.ip_conntrack_max", c5.keys().get(0).key().dotted());
        assertTrue(c5.files().get(0).newText().contains("net.ipv4.netfilter.ip_conntrack_max = 655350"),
                c5.files().get(0).newText());
        HostPlan c7 = planner.plan(host, play(t), state(CENTOS7, "", Map.of("net.netfilter.nf_conntrack_max", "65536")));
        assertEquals("net.netfilter.nf_conntrack_max", c7.keys().get(0).key().dotted());
        assertEquals(CHANGE, c7.keys().get(0).outcome());
    }

    @Test
    void twRecycleZeroIsAlreadyOffOnNewKernelsAndItsLineIsCommentedOut() throws IOException {
        Play p = play(task("net.ipv4.tcp_tw_recycle", "0"));
        HostPlan clean = planner.plan(host, p, state(DEBIAN12, "", Map.of()));
        assertEquals(ABSENT_ON_KERNEL, clean.keys().get(0).outcome());
        assertTrue(clean.keys().get(0).note().contains("absent on this kernel"), clean.keys().get(0).note());
        assertFalse(clean.hasChanges());
        HostPlan stale = planner.plan(host, p, state(DEBIAN12, "net.ipv4.tcp_tw_recycle = 1\n", Map.of()));
        assertEquals(CHANGE, stale.keys().get(0).outcome());
        String text = stale.files().get(0).newText();
        assertTrue(SysctlFile.parse(text).effectiveValues().isEmpty(), text);
        assertTrue(text.contains("net.ipv4.tcp_tw_recycle = 1"), "the user's line is kept as a comment: " + text);
        HostPlan old = planner.plan(host, p, state(CENTOS7, "", Map.of("net.ipv4.tcp_tw_recycle", "1")));
        assertEquals(CHANGE, old.keys().get(0).outcome(), "on 3.10 the key exists and is set");
    }

    @Test
    void twRecycleOneOnANewKernelFailsTheHost() throws IOException {
        HostPlan plan = planner.plan(host, play(task("net.ipv4.tcp_tw_recycle", "1")), state(DEBIAN12, "", Map.of()));
        assertEquals(ERROR, plan.keys().get(0).outcome());
        assertTrue(plan.failed());
        assertTrue(plan.error().contains("removed in Linux 4.12"), plan.error());
    }

    @Test
    void aRemovedKeyIsSatisfiedOnlyByItsDefault() throws IOException {
        // The generated catalog knows keys removed for other reasons than tcp_tw_recycle: 0 is not "off" for them.
        HostPlan sched = planner.plan(host, play(task("kernel.sched_migration_cost_ns", "0")), state(DEBIAN12, "", Map.of()));
        assertEquals(ERROR, sched.keys().get(0).outcome());
        assertTrue(sched.error().contains("removed in Linux 5.13"), sched.error());
        HostPlan helper = planner.plan(host, play(task("net.netfilter.nf_conntrack_helper", "0")), state(DEBIAN12, "", Map.of()));
        assertEquals(ABSENT_ON_KERNEL, helper.keys().get(0).outcome(), "0 was its default before Linux 6.0 removed it");
    }

    @Test
    void missingConntrackKeyNamesTheModule() throws IOException {
        HostPlan plan = planner.plan(host, play(task("net.netfilter.nf_conntrack_max", "655350")),
                state(DEBIAN12, "", Map.of()));
        assertTrue(plan.failed());
        assertTrue(plan.error().contains("modprobe nf_conntrack"), plan.error());
        assertTrue(plan.error().startsWith(dir.resolve("p.yml") + ":"), plan.error());
    }

    @Test
    void outOfRangeValueFailsWithTheTaskLocation() throws IOException {
        HostPlan plan = planner.plan(host, play(task("net.ipv4.tcp_syncookies", "7")),
                state(DEBIAN12, "", Map.of("net.ipv4.tcp_syncookies", "1")));
        assertTrue(plan.failed());
        assertTrue(plan.error().startsWith(dir.resolve("p.yml") + ":"), plan.error());
        assertTrue(plan.files().isEmpty() || !plan.files().get(0).newText().contains("= 7"));
    }

    @Test
    void whenFalseSkipsAndFactsAreAnsibleNamed() throws IOException {
        Play p = play("    - sysctl:\n        name: net.ipv4.tcp_tw_recycle\n        value: '0'\n"
                + "      when: ansible_kernel is version('4.12', '<')\n");
        HostPlan deb = planner.plan(host, p, state(DEBIAN12, "", Map.of()));
        assertEquals(SKIPPED, deb.keys().get(0).outcome());
        HostPlan c7 = planner.plan(host, p, state(CENTOS7, "", Map.of("net.ipv4.tcp_tw_recycle", "0")));
        assertEquals(CHANGE, c7.keys().get(0).outcome(), "on 3.10 the task runs: the file gains the line");
    }

    @Test
    void laterTaskForTheSameKeyWins() throws IOException {
        HostPlan plan = planner.plan(host, play(task("net.ipv4.tcp_fin_timeout", "40") + task("net.ipv4.tcp_fin_timeout", "30")),
                state(DEBIAN12, "", Map.of("net.ipv4.tcp_fin_timeout", "60")));
        assertEquals(SKIPPED, plan.keys().get(0).outcome());
        assertEquals(CHANGE, plan.keys().get(1).outcome());
        assertEquals(Map.of("net.ipv4.tcp_fin_timeout", "30"),
                SysctlFile.parse(plan.files().get(0).newText()).effectiveValues());
    }

    @Test
    void undefinedVariableIsAHostErrorNotAnException() throws IOException {
        HostPlan plan = planner.plan(host, play(task("net.ipv4.tcp_fin_timeout", "{{ nope }}")),
                state(DEBIAN12, "", Map.of()));
        assertTrue(plan.failed());
        assertTrue(plan.error().contains("nope"), plan.error());
        // the task is the error (it used to empty the whole plan); the problem keeps its file:line:col
        assertEquals(1, plan.keys().size());
        assertEquals(ERROR, plan.keys().get(0).outcome());
        assertEquals(1, plan.problems().size());
        assertTrue(plan.problems().get(0).toString().matches(".*p\\.yml:\\d+:\\d+: .*nope.*"), plan.problems().toString());
    }

    @Test
    void offlinePlanShowsDesiredValuesOnly() throws IOException {
        HostPlan plan = planner.plan(host, play(task("net.ipv4.tcp_fin_timeout", "{{ fin }}")), null);
        assertEquals(UNKNOWN, plan.keys().get(0).outcome());
        assertEquals("30", plan.keys().get(0).desired());
        assertTrue(plan.files().isEmpty());
        assertEquals(List.of(SysctlKey.of("net.ipv4.tcp_fin_timeout")), List.copyOf(planner.probeKeys(plan.play(), host)));
    }

    @Test
    void absentFileWithNothingToWriteIsNotCreated() throws IOException {
        Path f = dir.resolve("a.yml");
        Files.writeString(f, "- hosts: all\n  tasks:\n    - sysctl:\n        name: net.ipv4.tcp_fin_timeout\n        state: absent\n");
        Map<String, String> files = new HashMap<>();
        files.put(CONF, null);
        HostPlan plan = planner.plan(host, PlaybookLoader.load(f).plays().get(0),
                new HostState(DEBIAN12, files, Map.of(SysctlKey.of("net.ipv4.tcp_fin_timeout"), "60")));
        assertTrue(plan.files().isEmpty());
        assertEquals(OK, plan.keys().get(0).outcome());
    }
}
