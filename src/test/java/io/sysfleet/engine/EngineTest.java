package io.sysfleet.engine;

import io.sysfleet.core.ConfigException;
import io.sysfleet.core.SysfleetException;
import io.sysfleet.journal.Journal;
import io.sysfleet.journal.JournalView;
import io.sysfleet.journal.RunRecord;
import io.sysfleet.report.TextReport;
import io.sysfleet.result.HostResult;
import io.sysfleet.result.Phase;
import io.sysfleet.result.RunReport;
import io.sysfleet.testing.LocalFleet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine end to end without Docker: the scheduler, the per-host runner (facts, plan, apply, verify, undo) and
 * rollback, with the production remote scripts run through the local transport over a temporary directory
 * ({@link LocalFleet}: its proc directory and sysctl test double stand in for the kernel, see there why).
 * The same behaviour is checked against real sshd containers and a real kernel in FleetIT, ApplyIT, RollbackIT.
 */
class EngineTest {
    private static final String FIN = "net/ipv4/tcp_fin_timeout";
    private static final String SYN = "net/ipv4/tcp_syncookies";
    private static final String CT_MAX = "net/netfilter/nf_conntrack_max";
    private static final String TWO_KEYS = """
            - hosts: all
              gather_facts: false
              tasks:
                - sysctl: {name: net.ipv4.tcp_fin_timeout, value: '30', sysctl_file: '{{ conf }}'}
                - sysctl: {name: net.ipv4.tcp_syncookies, value: '1', sysctl_file: '{{ conf }}'}
            """;

    @TempDir
    Path dir;
    private LocalFleet fleet;
    private StringWriter text;

    private String realFin;

    @BeforeEach
    void setUp() throws Exception {
        fleet = new LocalFleet(dir, Map.of(FIN, "60", SYN, "0", CT_MAX, "65536"), "h1", "h2");
        text = new StringWriter();
        realFin = realFinTimeout();
    }

    @AfterEach
    void thisMachinesKernelWasNotTouched() throws Exception {
        assertEquals(realFin, realFinTimeout(), "the tests change only the fleet's stand-in for /proc/sys");
    }

    private static String realFinTimeout() throws Exception {
        try (var in = Files.newInputStream(Path.of("/proc/sys/net/ipv4/tcp_fin_timeout"))) {
            return new String(in.readAllBytes()).strip();
        }
    }

    private TextReport listener() {
        return new TextReport(new PrintWriter(text, true), false, 1);
    }

    private Engine.RunRequest request(Path playbook, boolean check) {
        return new Engine.RunRequest(playbook, InventorySources.of(fleet.inventory("")), null, check, false, 5, List.of(), null,
                Duration.ofSeconds(20), false, Engine.Reports.NONE, fleet.sysctlPaths());
    }

    private Engine.Outcome run(Engine engine, String yaml) {
        return engine.run(request(fleet.playbook("p.yml", yaml), false), listener());
    }

    private Engine.RollbackRequest rollback(String runId, boolean check, boolean force) {
        return new Engine.RollbackRequest(runId, InventorySources.of(fleet.inventory("")), null, check, force, 5, 0, Duration.ofSeconds(20),
                Engine.Reports.NONE);
    }

    @Test
    void aRunConvergesEveryHostVerifiesJournalsAndASecondRunChangesNothing() {
        Engine engine = fleet.engine("h1");
        Engine.Outcome first = run(engine, TWO_KEYS);
        assertEquals(0, first.exitCode(), text.toString());
        for (String h : List.of("h1", "h2")) {
            assertEquals("30", fleet.live(h, FIN), "sysctl -p (the test double) set the value");
            assertEquals("1", fleet.live(h, SYN));
            assertEquals("\n# Added by sysfleet\nnet.ipv4.tcp_fin_timeout = 30\nnet.ipv4.tcp_syncookies = 1\n"
                    .substring(1), fleet.file(h));
        }
        assertTrue(text.toString().contains("net.ipv4.tcp_fin_timeout: 60 -> 30 [verified] [changed]"), text.toString());
        JournalView j = Journal.read(fleet.stateDir(), first.report().runId());
        assertEquals("finished", j.record().status());
        assertEquals(0, j.record().exitCode());
        assertEquals(Map.of("h1", "changed", "h2", "changed"), j.record().hosts());
        assertEquals(2, j.changes().size());
        assertTrue(j.changes().stream().allMatch(c -> c.outcome() != null && c.outcome().status().equals("applied")));
        assertTrue(text.toString().contains("run " + first.report().runId() + " journaled in "), text.toString());

        Engine.Outcome again = run(engine, TWO_KEYS);
        assertEquals(0, again.exitCode());
        assertTrue(again.report().allHosts().stream().allMatch(h -> h.status() == HostResult.Status.OK),
                again.report().allHosts().toString());
        assertTrue(Journal.read(fleet.stateDir(), again.report().runId()).intents().isEmpty(), "nothing to journal");
    }

    @Test
    void aValueABootFileOverridesIsAWarningAfterARunAndDriftInACheck() throws Exception {
        // h1 is a systemd host: sysctl.conf is read through the 99-sysctl.conf link, and 99-zz-tuning.conf,
        // sorted after it, sets the key back at boot
        Path d = Files.createDirectories(fleet.etc("h1").resolve("sysctl.d"));
        Files.createSymbolicLink(d.resolve("99-sysctl.conf"), Path.of("../sysctl.conf"));
        Files.writeString(d.resolve("99-zz-tuning.conf"), "net.ipv4.tcp_fin_timeout = 60\n");
        Engine engine = fleet.engine("h1");
        Path pb = fleet.playbook("p.yml", TWO_KEYS);
        Engine.Outcome run = engine.run(new Engine.RunRequest(pb, InventorySources.of(fleet.inventory("")), "h1", false, false, 5,
                List.of(), null, Duration.ofSeconds(20), false, new Engine.Reports(dir.resolve("r.json"), null), fleet.sysctlPaths()),
                listener());
        assertEquals(0, run.exitCode(), "the run did its job: " + text);
        HostResult h1 = run.report().allHosts().get(0);
        assertEquals(HostResult.Status.CHANGED, h1.status());
        String why = "will not survive a reboot: " + d.resolve("99-zz-tuning.conf") + ":1 sets "
                + "net.ipv4.tcp_fin_timeout = 60 after " + fleet.conf("h1");
        assertEquals(List.of(why), h1.warnings());
        assertTrue(text.toString().contains("  [WARNING] " + why), text.toString());
        assertTrue(Files.readString(dir.resolve("r.json")).contains(why), "and in the report");
        Engine.Outcome check = engine.run(new Engine.RunRequest(pb, InventorySources.of(fleet.inventory("")), "h1", true, false, 5,
                List.of(), null, Duration.ofSeconds(20), false, Engine.Reports.NONE, fleet.sysctlPaths()), listener());
        assertEquals(7, check.exitCode(), "file and live values are right, but a reboot would undo one: drift");
    }

    @Test
    void aConvergedHostCostsOneCommandPerPlayFactsAndBootFilesTogether() {
        Engine engine = fleet.engine("h1");
        assertEquals(0, run(engine, TWO_KEYS).exitCode(), text.toString());
        int before = fleet.commands("h1");
        assertEquals(0, run(engine, TWO_KEYS).exitCode());
        assertEquals(1, fleet.commands("h1") - before, "a converged host: one command, the facts with its boot files");
        before = fleet.commands("h1");
        assertEquals(0, engine.run(request(fleet.playbook("p.yml", TWO_KEYS), true), listener()).exitCode());
        assertEquals(1, fleet.commands("h1") - before, "and the same for a check");
    }

    @Test
    void aChangedHostCostsTwoCommandsWhenTheFactsCoverEveryKeyTheFileMayTouch() throws Exception {
        Engine engine = fleet.engine("h1");
        int before = fleet.commands("h1");
        Engine.Outcome first = run(engine, TWO_KEYS);
        assertEquals(0, first.exitCode(), text.toString());
        assertEquals(2, fleet.commands("h1") - before, "facts, then apply: the facts' live values are the intent's");
        JournalView j = Journal.read(fleet.stateDir(), first.report().runId());
        Map<String, String> recorded = j.intents().stream().filter(i -> i.host().equals("h1")).findFirst()
                .orElseThrow().live();
        assertEquals(Map.of(FIN, "60", SYN, "0"), recorded, "what the snapshot command would have read");

        // A key of the file that the play does not set may change on sysctl -p: the facts did not read it, so the
        // snapshot command does, and the intent has it.
        fleet.live("h1", FIN, "60");
        fleet.live("h1", "vm/swappiness", "60");
        Files.writeString(fleet.conf("h1"), "vm.swappiness = 10\n");
        before = fleet.commands("h1");
        Engine.Outcome second = run(engine, TWO_KEYS);
        assertEquals(0, second.exitCode(), text.toString());
        assertEquals(3, fleet.commands("h1") - before, "facts, snapshot, apply");
        Map<String, String> withOther = Journal.read(fleet.stateDir(), second.report().runId()).intents().stream()
                .filter(i -> i.host().equals("h1")).findFirst().orElseThrow().live();
        assertEquals("60", withOther.get("vm/swappiness"), withOther.toString());
        assertEquals("60", withOther.get(FIN), withOther.toString());
        assertEquals(0, engine.rollback(rollback(second.report().runId(), false, false), listener()).exitCode(),
                text.toString());
        assertEquals("60", fleet.live("h1", "vm/swappiness"), "rollback restored the live value the facts never read");
    }

    @Test
    void factsStandInForTheSnapshotOnlyForPlainPresentOrAbsentKeys() {
        Map<String, io.sysfleet.facts.LiveValue> facts = Map.of(
                FIN, new io.sysfleet.facts.LiveValue(io.sysfleet.facts.LiveValue.State.PRESENT, "4096\t87380\n6291456"),
                SYN, new io.sysfleet.facts.LiveValue(io.sysfleet.facts.LiveValue.State.ABSENT, null),
                "odd/u", new io.sysfleet.facts.LiveValue(io.sysfleet.facts.LiveValue.State.PRESENT, "caf\u00e9"),
                "odd/x", new io.sysfleet.facts.LiveValue(io.sysfleet.facts.LiveValue.State.UNREADABLE, null));
        Map<String, String> both = io.sysfleet.apply.Applier.fromFacts(new java.util.LinkedHashSet<>(List.of(FIN, SYN)), facts);
        assertEquals("4096 87380 6291456", both.get(FIN), "folded as val folds tabs and newlines");
        assertTrue(both.containsKey(SYN) && both.get(SYN) == null, "absent, as before-absent");
        assertEquals(null, io.sysfleet.apply.Applier.fromFacts(java.util.Set.of(FIN, "odd/u"), facts), "non-ASCII: snapshot");
        assertEquals(null, io.sysfleet.apply.Applier.fromFacts(java.util.Set.of("odd/x"), facts), "unreadable: snapshot");
        assertEquals(null, io.sysfleet.apply.Applier.fromFacts(java.util.Set.of("vm/swappiness"), facts), "not read: snapshot");
        assertEquals(null, io.sysfleet.apply.Applier.fromFacts(java.util.Set.of(FIN), Map.of()), "no facts: snapshot");
    }

    @Test
    void eachHostGetsOneSessionForAllPlaysAndItsBecome() {
        Engine engine = fleet.engine("h1");
        String twoPlays = """
                - hosts: all
                  gather_facts: false
                  become: true
                  tasks:
                    - sysctl: {name: net.ipv4.tcp_fin_timeout, value: '30', sysctl_file: '{{ conf }}'}
                - hosts: all
                  gather_facts: false
                  become: true
                  tasks:
                    - sysctl: {name: net.ipv4.tcp_syncookies, value: '1', sysctl_file: '{{ conf }}'}
                """;
        assertEquals(0, run(engine, twoPlays).exitCode(), text.toString());
        assertEquals(2, fleet.opened().size(), "one session per host for both plays: " + fleet.opened());
        assertTrue(fleet.becomes().stream().allMatch(b -> b != null && b.user().equals("root")), fleet.becomes().toString());
    }

    @Test
    void aTaskBlockOrRoleThatBecomesOfItsOwnMakesTheHostsSessionBecome() throws Exception {
        Engine engine = fleet.engine("h1");
        int from = fleet.becomes().size();
        // as in real roles: the play does not become, the sysctl task does (ansible-playbook runs it as root)
        assertEquals(0, run(engine, """
                - hosts: all
                  gather_facts: false
                  tasks:
                    - name: a task that becomes
                      become: true
                      sysctl: {name: net.ipv4.tcp_fin_timeout, value: '30', sysctl_file: '{{ conf }}'}
                """).exitCode(), text.toString());
        assertEquals(2, fleet.becomes().size(), fleet.becomes().toString());
        assertTrue(fleet.becomes().subList(from, fleet.becomes().size()).stream().allMatch(b -> b != null && b.user().equals("root")), fleet.becomes().toString());

        // a block's become (with its become_user) is inherited by the tasks in it
        from = fleet.becomes().size();
        assertEquals(0, run(engine, """
                - hosts: all
                  gather_facts: false
                  tasks:
                    - block:
                        - sysctl: {name: net.ipv4.tcp_syncookies, value: '1', sysctl_file: '{{ conf }}'}
                      become: "{{ 'yes' }}"
                      become_user: operator
                """).exitCode(), text.toString());
        assertTrue(fleet.becomes().size() > from && fleet.becomes().subList(from, fleet.becomes().size()).stream().allMatch(b -> b != null
                && b.user().equals("operator")), fleet.becomes().toString());

        // a role entry's become (and become_user) is inherited by the role's tasks
        Path pb = fleet.playbook("r.yml", """
                - hosts: all
                  gather_facts: false
                  roles:
                    - {role: tune, become: true, become_user: tuner}
                """);
        Path tasks = Files.createDirectories(pb.getParent().resolve("roles/tune/tasks"));
        Files.writeString(tasks.resolve("main.yml"),
                "- sysctl: {name: net.ipv4.tcp_fin_timeout, value: '29', sysctl_file: '{{ conf }}'}\n");
        from = fleet.becomes().size();
        assertEquals(0, engine.run(request(pb, false), listener()).exitCode(), text.toString());
        assertTrue(fleet.becomes().size() > from && fleet.becomes().subList(from, fleet.becomes().size()).stream()
                .allMatch(b -> b != null && b.user().equals("tuner")), fleet.becomes().toString());

        // a task that becomes but is skipped for the host does not, nor does a task of another module
        from = fleet.becomes().size();
        assertEquals(0, run(engine, """
                - hosts: all
                  gather_facts: false
                  tasks:
                    - sysctl: {name: net.ipv4.tcp_syncookies, value: '1', sysctl_file: '{{ conf }}'}
                    - sysctl: {name: net.ipv4.tcp_fin_timeout, value: '31', sysctl_file: '{{ conf }}'}
                      become: true
                      when: inventory_hostname == 'nobody'
                """).exitCode(), text.toString());
        assertTrue(fleet.becomes().subList(from, fleet.becomes().size()).stream().allMatch(java.util.Objects::isNull), fleet.becomes().toString());
    }

    @Test
    void aKeyTheKernelRefusesIsUndoneAndTheOtherHostsGoOn() {
        fleet.refuse("h1", CT_MAX);
        Engine engine = fleet.engine("h1");
        Engine.Outcome o = run(engine, """
                - hosts: all
                  gather_facts: false
                  tasks:
                    - sysctl: {name: net.ipv4.tcp_fin_timeout, value: '30', sysctl_file: '{{ conf }}'}
                    - sysctl: {name: net.netfilter.nf_conntrack_max, value: '655350', sysctl_file: '{{ conf }}'}
                """);
        assertEquals(2, o.exitCode(), text.toString());
        HostResult h1 = o.report().allHosts().get(0);
        assertEquals(HostResult.Status.FAILED, h1.status());
        assertEquals(Phase.VERIFY, h1.phase());
        assertTrue(h1.undone());
        assertTrue(h1.error().contains("setting key \"net.netfilter.nf_conntrack_max\": Invalid argument"), h1.error());
        assertEquals("", fleet.file("h1"), "the file is back as it was");
        assertEquals("60", fleet.live("h1", FIN), "and the live value sysctl -p changed");
        assertEquals(HostResult.Status.CHANGED, o.report().allHosts().get(1).status());
        assertEquals("655350", fleet.live("h2", CT_MAX));
    }

    @Test
    void checkModeChangesNothingAndJournalsNothing() throws Exception {
        Engine engine = fleet.engine("h1");
        Engine.Outcome o = engine.run(request(fleet.playbook("p.yml", TWO_KEYS), true), listener());
        assertEquals(7, o.exitCode(), text.toString());
        assertEquals("60", fleet.live("h1", FIN));
        assertEquals("", fleet.file("h1"));
        assertFalse(Files.exists(Journal.runsDir(fleet.stateDir())), "check mode has no journal");
    }

    @Test
    void anUnreachableHostIsItsOwnResult() {
        fleet.makeUnreachable("h2");
        Engine.Outcome o = run(fleet.engine("h1"), TWO_KEYS);
        assertEquals(3, o.exitCode(), text.toString());
        assertEquals(HostResult.Status.CHANGED, o.report().allHosts().get(0).status());
        HostResult h2 = o.report().allHosts().get(1);
        assertEquals(HostResult.Status.UNREACHABLE, h2.status());
        assertEquals(Phase.CONNECT, h2.phase());
        assertEquals("30", fleet.live("h1", FIN));
    }

    @Test
    void anAbortedRunIsRolledBackWhenAsked() {
        fleet.refuse("h1", CT_MAX);
        Path pb = fleet.playbook("p.yml", """
                - hosts: all
                  gather_facts: false
                  serial: 1
                  max_fail_percentage: 0
                  tasks:
                    - sysctl: {name: net.ipv4.tcp_fin_timeout, value: '30', sysctl_file: '{{ conf }}'}
                    - sysctl: {name: net.netfilter.nf_conntrack_max, value: "{{ ct | default('65536') }}", sysctl_file: '{{ conf }}'}
                """);
        // h2 first (converges), then h1 (refused, fails): the play aborts and h2 is rolled back
        Path inv = fleet.inventory("");
        String yaml = "all:\n  hosts:\n    h2:\n      conf: " + fleet.conf("h2") + "\n    h1:\n      conf: "
                + fleet.conf("h1") + "\n      ct: '655350'\n";
        try {
            Files.writeString(inv, yaml);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Engine.Outcome o = fleet.engine("h1").run(new Engine.RunRequest(pb, InventorySources.of(inv), null, false, false, 5, List.of(),
                null, Duration.ofSeconds(20), true, Engine.Reports.NONE, fleet.sysctlPaths()), listener());
        assertEquals(2, o.exitCode(), text.toString());
        assertTrue(text.toString().contains("--rollback-on-abort rolls back every host it changed"), text.toString());
        assertEquals("60", fleet.live("h2", FIN), "h2 is back as before the run");
        assertEquals("", fleet.file("h2"));
        List<RunRecord> runs = Journal.list(fleet.stateDir());
        assertEquals(List.of("run", "rollback"), runs.stream().map(RunRecord::kind).toList());
        assertEquals(runs.get(0).id(), runs.get(1).rollbackOf());
    }

    @Test
    void rollbackRestoresBytesAndLiveValuesAndRefusesForeignEditsUnlessForced() throws Exception {
        Files.writeString(fleet.conf("h1"), "# by hand\nnet.ipv4.tcp_fin_timeout = 60\n");
        Engine engine = fleet.engine("h1");
        Engine.Outcome r = run(engine, TWO_KEYS);
        assertEquals(0, r.exitCode(), text.toString());
        String runId = r.report().runId();

        Engine.Outcome check = engine.rollback(rollback(runId, true, false), listener());
        assertEquals(7, check.exitCode(), "changes pending: " + text);
        assertEquals("30", fleet.live("h1", FIN), "check changes nothing");

        Engine.Outcome back = engine.rollback(rollback(runId, false, false), listener());
        assertEquals(0, back.exitCode(), text.toString());
        assertEquals("# by hand\nnet.ipv4.tcp_fin_timeout = 60\n", fleet.file("h1"));
        assertEquals("", fleet.file("h2"), "h2 had an empty file");
        for (String h : List.of("h1", "h2")) {
            assertEquals("60", fleet.live(h, FIN), h);
            assertEquals("0", fleet.live(h, SYN), h + ": a key the run appended is written back too");
        }
        Engine.Outcome idle = engine.rollback(rollback(runId, false, false), listener());
        assertEquals(0, idle.exitCode());
        assertTrue(idle.report().allHosts().stream().allMatch(h -> h.status() == HostResult.Status.OK),
                "a second rollback has nothing to do");

        Engine.Outcome again = run(engine, TWO_KEYS);
        Files.writeString(fleet.conf("h1"), fleet.file("h1") + "vm.swappiness = 10\n");
        Engine.Outcome refused = engine.rollback(rollback(again.report().runId(), false, false), listener());
        assertEquals(2, refused.exitCode());
        HostResult h1 = refused.report().allHosts().stream().filter(h -> h.host().equals("h1")).findFirst().orElseThrow();
        assertTrue(h1.error().contains("changed since run"), text.toString());
        assertTrue(fleet.file("h1").contains("vm.swappiness = 10"), "refused: nothing touched");
        Engine.Outcome forced = engine.rollback(rollback(again.report().runId(), false, true), listener());
        assertEquals(0, forced.exitCode(), text.toString());
        assertEquals("# by hand\nnet.ipv4.tcp_fin_timeout = 60\n", fleet.file("h1"));
    }

    @Test
    void rollbackLastCountsAPartialRollbackPerHost() {
        Engine engine = fleet.engine("h1");
        String runId = run(engine, TWO_KEYS).report().runId();
        Engine.Outcome onlyH1 = engine.rollback(new Engine.RollbackRequest(null, InventorySources.of(fleet.inventory("")), "h1", false,
                false, 5, 0, Duration.ofSeconds(20), Engine.Reports.NONE), listener());
        assertEquals(0, onlyH1.exitCode(), text.toString());
        assertEquals("60", fleet.live("h1", FIN));
        assertEquals("30", fleet.live("h2", FIN), "--limit h1 left h2 alone");
        assertEquals(new Engine.LastRun(runId, null), engine.lastRun(), "h2 is not rolled back yet");
        Engine.Outcome rest = engine.rollback(rollback(null, false, false), listener());
        assertEquals(0, rest.exitCode(), text.toString());
        assertEquals("60", fleet.live("h2", FIN));
        assertEquals(new Engine.LastRun(runId, rest.report().runId()), engine.lastRun());
        Engine.Outcome retry = engine.rollback(rollback(null, false, false), listener());
        assertEquals(0, retry.exitCode());
        assertEquals(null, retry.report(), "nothing ran");
        assertTrue(text.toString().contains("run " + runId + " was already rolled back by " + rest.report().runId()),
                text.toString());
    }

    @Test
    void theControllersCopyRestoresAFileWhoseRemoteBackupIsGone() throws Exception {
        Files.writeString(fleet.conf("h1"), "net.ipv4.tcp_fin_timeout = 60\n");
        Engine engine = fleet.engine("h1");
        String runId = run(engine, TWO_KEYS).report().runId();
        Path backup = fleet.conf("h1").resolveSibling("sysctl.conf.sysfleet-" + runId + ".bak");
        assertTrue(Files.exists(backup));
        Files.delete(backup);
        Engine.Outcome back = engine.rollback(rollback(runId, false, false), listener());
        assertEquals(0, back.exitCode(), text.toString());
        assertEquals("net.ipv4.tcp_fin_timeout = 60\n", fleet.file("h1"));
        assertTrue(text.toString().contains("restored from the controller's copy"), text.toString());
    }

    @Test
    void offlineContactsNoHost() {
        Engine engine = fleet.engine("h1");
        Engine.Outcome o = engine.run(new Engine.RunRequest(fleet.playbook("p.yml", TWO_KEYS), InventorySources.of(fleet.inventory("")),
                null, true, true, 5, List.of(), null, Duration.ofSeconds(20), false, Engine.Reports.NONE, fleet.sysctlPaths()), listener());
        assertEquals(0, o.exitCode(), text.toString());
        assertEquals(List.of(), fleet.opened());
        assertTrue(text.toString().contains("want 30"), text.toString());
    }

    @Test
    void anInterruptedEngineStartsNoHost() {
        Engine engine = fleet.engine("h1");
        engine.interrupt();
        Engine.Outcome o = run(engine, TWO_KEYS);
        assertEquals(99, o.exitCode());
        assertTrue(o.report().allHosts().stream().allMatch(h -> h.status() == HostResult.Status.SKIPPED
                && h.error().equals("not run: interrupted")), o.report().allHosts().toString());
        assertEquals(List.of(), fleet.opened());
        RunRecord rec = Journal.list(fleet.stateDir()).get(0);
        assertEquals("interrupted", rec.status());
        assertEquals(99, rec.exitCode());
    }

    @Test
    void badInputFailsBeforeAnyRunExists() {
        Engine engine = fleet.engine("h1");
        Path bad = fleet.playbook("bad.yml", "- hosts: all\n  tasks:\n    - shell: reboot\n");
        assertThrows(ConfigException.class, () -> engine.run(request(bad, false), listener()));
        Path pb = fleet.playbook("p.yml", TWO_KEYS);
        SysfleetException limit = assertThrows(SysfleetException.class, () -> engine.run(
                new Engine.RunRequest(pb, InventorySources.of(fleet.inventory("")), "~(", false, false, 5, List.of(), null,
                        Duration.ofSeconds(20), false, Engine.Reports.NONE, fleet.sysctlPaths()), listener()));
        assertEquals(5, limit.exitCode().code(), limit.getMessage());
        assertFalse(Files.exists(Journal.runsDir(fleet.stateDir())), "no run was journaled");
        assertEquals(List.of(), fleet.opened());
    }

    @Test
    void aLimitThatMatchesNoHostStopsBeforeAnyRunAndUnmatchedPartsAreWarningsAsInAnsible() {
        Engine engine = fleet.engine("h1");
        Path pb = fleet.playbook("p.yml", TWO_KEYS);
        SysfleetException none = assertThrows(SysfleetException.class, () -> engine.run(
                new Engine.RunRequest(pb, InventorySources.of(fleet.inventory("")), "ghost", false, false, 5, List.of(),
                        null, Duration.ofSeconds(20), false, Engine.Reports.NONE, fleet.sysctlPaths()), listener()));
        assertEquals(5, none.exitCode().code(), none.getMessage());
        assertEquals("--limit ghost: leaves no hosts to target (it matches no host of the inventory)", none.getMessage());
        assertFalse(Files.exists(Journal.runsDir(fleet.stateDir())), "no run was journaled");
        assertEquals(List.of(), fleet.opened());

        Engine.Outcome some = engine.run(new Engine.RunRequest(fleet.playbook("q.yml", TWO_KEYS.replace("hosts: all",
                        "hosts: all:web-old")), InventorySources.of(fleet.inventory("")), "h1,gh\u001bost", false, false, 5,
                List.of(), null, Duration.ofSeconds(20), false, Engine.Reports.NONE, fleet.sysctlPaths()), listener());
        assertEquals(0, some.exitCode(), text.toString());
        assertTrue(text.toString().contains("[WARNING]: could not match host pattern 'web-old', ignoring it"), text.toString());
        assertTrue(text.toString().contains("[WARNING]: could not match host pattern 'gh\\eost', ignoring it"),
                text.toString());
        assertEquals(List.of("h1"), some.report().allHosts().stream().map(HostResult::host).distinct().toList());
    }

    @Test
    void reportsAreWrittenWhateverTheOutcome() throws Exception {
        fleet.makeUnreachable("h1");
        fleet.makeUnreachable("h2");
        Path json = dir.resolve("out/r.json");
        Path junit = dir.resolve("out/r.xml");
        Engine.Outcome o = fleet.engine("h1").run(new Engine.RunRequest(fleet.playbook("p.yml", TWO_KEYS),
                InventorySources.of(fleet.inventory("")), null, false, false, 5, List.of(), null, Duration.ofSeconds(20), false,
                new Engine.Reports(json, junit), fleet.sysctlPaths()), listener());
        assertEquals(3, o.exitCode());
        RunReport report = o.report();
        assertNotNull(report);
        assertTrue(Files.readString(json).contains("\"exitCode\" : 3"), Files.readString(json));
        assertTrue(Files.readString(junit).contains("type=\"unreachable\""));
    }
}
