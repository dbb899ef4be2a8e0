package io.sysfleet.plan;

import io.sysfleet.catalog.KeyCatalog;
import io.sysfleet.catalog.Platform;
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
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The planner with a host's runtime facts: modprobe tasks, keys a container cannot set, checks with numbers. */
class ExpertPlanTest {
    private static final Platform DEBIAN12 = Platform.detect("ID=debian\nVERSION_ID=\"12\"\n", null, "6.1.0-28-amd64");
    private static final String CT_MAX = "net.netfilter.nf_conntrack_max";
    private static final String LOAD_FILE = "/etc/modules-load.d/nf_conntrack.conf";
    private static final String OPTIONS_FILE = "/etc/modprobe.d/nf_conntrack.conf";

    @TempDir
    Path dir;

    private final Planner planner = new Planner(KeyCatalog.load());
    private final Host host = new Host("web1", Map.of());

    private Play play(String tasks) throws IOException {
        Path f = dir.resolve("p.yml");
        Files.writeString(f, "- hosts: all\n  tasks:\n" + tasks);
        return PlaybookLoader.load(f).plays().get(0);
    }

    private static String sysctl(String key, String value, String extra) {
        return "    - sysctl: {name: " + key + ", value: '" + value + "'" + extra + "}\n";
    }

    private static final String MODPROBE = "    - community.general.modprobe:\n        name: nf_conntrack\n"
            + "        state: present\n        params: 'hashsize=131072'\n        persistent: present\n";

    private static RuntimeFacts runtime(String container, Boolean initialNetns, ModuleState conntrack,
                                        Set<String> readOnly, Long memKb, Long timeWait) {
        Map<String, ModuleState> modules = new HashMap<>();
        if (conntrack != null) {
            modules.put("nf_conntrack", conntrack);
        }
        return new RuntimeFacts(memKb, timeWait, container, initialNetns, true, true, modules, readOnly);
    }

    private static HostState state(Map<String, String> live, RuntimeFacts rt) {
        Map<String, String> files = new HashMap<>();
        files.put("/etc/sysctl.conf", "");
        files.put(LOAD_FILE, null);
        files.put(OPTIONS_FILE, null);
        Map<SysctlKey, String> values = new HashMap<>();
        live.forEach((k, v) -> values.put(SysctlKey.of(k), v));
        return new HostState(DEBIAN12, files, values, rt);
    }

    @Test
    void modprobeLoadsAndPersistsTheModuleBeforeItsKeysAreSet() throws IOException {
        Play p = play(MODPROBE + sysctl(CT_MAX, "262144", ""));
        HostPlan plan = planner.plan(host, p, state(Map.of(), runtime("", true, ModuleState.ABSENT, Set.of(),
                null, null)));
        assertNull(plan.error(), plan.error());
        assertEquals(ModulePlan.Action.LOAD, plan.modules().get(0).action());
        assertEquals("modprobe nf_conntrack hashsize=131072", plan.modules().get(0).note());
        KeyPlan k = plan.keys().get(0);
        assertEquals(KeyPlan.Outcome.CHANGE, k.outcome());
        assertTrue(k.afterModuleLoad() && k.verifiesLive(), "read back after the load");
        // The module files come first, then the sysctl file.
        assertEquals(LOAD_FILE, plan.files().get(0).path());
        assertEquals("nf_conntrack\n", plan.files().get(0).newText());
        assertEquals(OPTIONS_FILE, plan.files().get(1).path());
        assertEquals("options nf_conntrack hashsize=131072\n", plan.files().get(1).newText());
        assertEquals("/etc/sysctl.conf", plan.files().get(2).path());
        assertTrue(planner.files(p, host).containsAll(Set.of(LOAD_FILE, OPTIONS_FILE)), "read with the facts");
        assertTrue(planner.probeModules(p, host).contains("nf_conntrack"));
    }

    @Test
    void aLoadedModuleIsLeftAloneAndAConvergedHostHasNothingToDo() throws IOException {
        Play p = play(MODPROBE + sysctl(CT_MAX, "262144", ""));
        Map<String, String> files = new HashMap<>();
        HostState st = state(Map.of(CT_MAX, "262144"), runtime("", true, ModuleState.LOADED, Set.of(), null, null));
        files.putAll(st.files());
        files.put("/etc/sysctl.conf", "net.netfilter.nf_conntrack_max = 262144\n");
        files.put(LOAD_FILE, "nf_conntrack\n");
        files.put(OPTIONS_FILE, "options nf_conntrack hashsize=131072\n");
        HostPlan plan = planner.plan(host, p, new HostState(DEBIAN12, files, st.live(), st.runtime()));
        assertNull(plan.error());
        assertEquals(ModulePlan.Action.NONE, plan.modules().get(0).action());
        assertFalse(plan.hasChanges(), "idempotent: " + plan.files());
    }

    @Test
    void withoutModprobeTheMissingModuleIsRefusedWithTheExactFix() throws IOException {
        HostPlan plan = planner.plan(host, play(sysctl(CT_MAX, "262144", "")),
                state(Map.of(), runtime("", true, ModuleState.ABSENT, Set.of(), null, null)));
        assertTrue(plan.failed());
        assertTrue(plan.error().contains("add before this task: '- community.general.modprobe: {name: nf_conntrack, "
                + "state: present, persistent: present}'"), plan.error());
        assertEquals(KeyPlan.Outcome.ERROR, plan.keys().get(0).outcome());
    }

    @Test
    void modprobeRefusesWhatTheHostCannotDo() throws IOException {
        Play p = play(MODPROBE);
        RuntimeFacts noModprobe = new RuntimeFacts(null, null, "", true, true, false,
                Map.of("nf_conntrack", ModuleState.ABSENT), Set.of());
        assertTrue(planner.plan(host, p, state(Map.of(), noModprobe)).error().contains("no modprobe command"));
        RuntimeFacts monolithic = new RuntimeFacts(null, null, "", true, false, true,
                Map.of("nf_conntrack", ModuleState.ABSENT), Set.of());
        assertTrue(planner.plan(host, p, state(Map.of(), monolithic)).error().contains("loads no modules"));
        Play unload = play("    - modprobe: {name: nf_conntrack, state: absent}\n");
        assertTrue(planner.plan(host, unload, state(Map.of(), runtime("", true, ModuleState.BUILTIN, Set.of(), null,
                null))).error().contains("built into the kernel"));
        assertEquals(ModulePlan.Action.UNLOAD, planner.plan(host, unload, state(Map.of(), runtime("", true,
                ModuleState.LOADED, Set.of(), null, null))).modules().get(0).action());
    }

    @Test
    void aKeyTheKernelOffersReadOnlyHereIsRefusedBeforeAnythingChanges() throws IOException {
        RuntimeFacts container = runtime("docker", false, ModuleState.LOADED,
                Set.of("net/netfilter/nf_conntrack_max"), null, null);
        HostPlan plan = planner.plan(host, play(sysctl("net.ipv4.tcp_fin_timeout", "30", "")
                + sysctl(CT_MAX, "655350", "")), state(Map.of(CT_MAX, "262144", "net.ipv4.tcp_fin_timeout", "60"),
                container));
        assertTrue(plan.failed());
        assertTrue(plan.error().contains("cannot set net.netfilter.nf_conntrack_max = 655350: the kernel offers it "
                + "read-only here (this host: container docker, not the initial network namespace"), plan.error());
        assertTrue(plan.error().contains("only the initial network namespace (the machine that runs this container) "
                + "can set it"), plan.error());
        // ignoreerrors: a warning, the key is left out of the file, the rest goes ahead.
        HostPlan ignored = planner.plan(host, play(sysctl("net.ipv4.tcp_fin_timeout", "30", "")
                + sysctl(CT_MAX, "655350", ", ignoreerrors: true")), state(Map.of(CT_MAX, "262144",
                "net.ipv4.tcp_fin_timeout", "60"), container));
        assertNull(ignored.error());
        assertEquals(KeyPlan.Outcome.SKIPPED, ignored.keys().get(1).outcome());
        assertFalse(ignored.files().get(0).newText().contains("nf_conntrack_max"), ignored.files().get(0).newText());
        assertTrue(ignored.warnings().stream().anyMatch(w -> w.contains("read-only here")), ignored.warnings().toString());
        // The live value already as wanted: nothing to refuse.
        assertNull(planner.plan(host, play(sysctl(CT_MAX, "262144", "")), state(Map.of(CT_MAX, "262144"),
                container)).error());
    }

    @Test
    void aGlobalKeyOutsideNetIsRefusedOnAContainerOnly() throws IOException {
        Play p = play(sysctl("kernel.panic_on_oops", "1", ""));
        HostPlan onContainer = planner.plan(host, p, state(Map.of("kernel.panic_on_oops", "0"),
                runtime("docker", false, null, Set.of(), null, null)));
        assertTrue(onContainer.failed());
        assertTrue(onContainer.error().contains("refusing to set kernel.panic_on_oops = 1 from a container"),
                onContainer.error());
        HostPlan onMachine = planner.plan(host, p, state(Map.of("kernel.panic_on_oops", "0"),
                runtime("", true, null, Set.of(), null, null)));
        assertNull(onMachine.error(), onMachine.error());
        // A per-namespace key is the container's own.
        assertNull(planner.plan(host, play(sysctl("net.ipv4.tcp_fin_timeout", "30", "")),
                state(Map.of("net.ipv4.tcp_fin_timeout", "60"), runtime("docker", false, null, Set.of(), null, null)))
                .error());
    }

    @Test
    void twBucketsBelowTheMeasuredTimeWaitCountIsWarnedWithTheNumbers() throws IOException {
        Play p = play(sysctl("net.ipv4.tcp_max_tw_buckets", "5000", ""));
        HostPlan plan = planner.plan(host, p, state(Map.of("net.ipv4.tcp_max_tw_buckets", "262144"),
                runtime("", true, null, Set.of(), null, 12000L)));
        assertNull(plan.error());
        assertTrue(plan.warnings().stream().anyMatch(w -> w.contains("net.ipv4.tcp_max_tw_buckets = 5000 is below the "
                + "12000 sockets in TIME_WAIT on this host now") && w.contains("destroy 7000 of them")
                && w.contains("row 6")), plan.warnings().toString());
        HostPlan enough = planner.plan(host, p, state(Map.of("net.ipv4.tcp_max_tw_buckets", "262144"),
                runtime("", true, null, Set.of(), null, 4999L)));
        assertTrue(enough.warnings().stream().noneMatch(w -> w.contains("TIME_WAIT")), enough.warnings().toString());
    }

    @Test
    void aConntrackTableThatTakesMuchOfTheMemoryIsWarned() throws IOException {
        Play p = play(sysctl(CT_MAX, "4194304", ""));
        // 4194304 x 320 B + 262144 x 8 B = 1.25 GiB on a 2 GiB host.
        HostPlan small = planner.plan(host, p, state(Map.of(CT_MAX, "262144", "net.netfilter.nf_conntrack_buckets",
                "262144"), runtime("", true, ModuleState.LOADED, Set.of(), 2L * 1024 * 1024, null)));
        assertTrue(small.warnings().stream().anyMatch(w -> w.contains("a full table takes about 1.3 GiB")
                && w.contains("63% of this host's MemTotal of 2.0 GiB")), small.warnings().toString());
        assertTrue(small.warnings().stream().anyMatch(w -> w.contains("with this host's "
                + "net.netfilter.nf_conntrack_buckets = 262144 puts 16 entries in each hash bucket")
                && w.contains("at least 524288")), small.warnings().toString());
        HostPlan big = planner.plan(host, p, state(Map.of(CT_MAX, "262144", "net.netfilter.nf_conntrack_buckets",
                "1048576"), runtime("", true, ModuleState.LOADED, Set.of(), 64L * 1024 * 1024, null)));
        assertTrue(big.warnings().isEmpty(), big.warnings().toString());
        assertTrue(planner.probeKeys(p, host).contains(SysctlKey.of("net.netfilter.nf_conntrack_buckets")));
    }
}
