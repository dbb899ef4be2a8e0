package io.sysfleet.engine;

import io.sysfleet.apply.Applier;
import io.sysfleet.apply.LocalBackups;
import io.sysfleet.catalog.KeyCatalog;
import io.sysfleet.core.ExitCode;
import io.sysfleet.core.Problem;
import io.sysfleet.core.SysfleetException;
import io.sysfleet.diagnose.Collector;
import io.sysfleet.diagnose.DiagnoseListener;
import io.sysfleet.diagnose.Diagnoser;
import io.sysfleet.diagnose.FleetDiagnosis;
import io.sysfleet.diagnose.HostDiagnosis;
import io.sysfleet.diagnose.PrometheusMetrics;
import io.sysfleet.diagnose.RemediationPlan;
import io.sysfleet.diagnose.RowPlaybooks;
import io.sysfleet.diagnose.Severity;
import io.sysfleet.diagnose.Thresholds;
import io.sysfleet.facts.BootFiles;
import io.sysfleet.inventory.Host;
import io.sysfleet.inventory.Inventory;
import io.sysfleet.journal.Journal;
import io.sysfleet.journal.JournalView;
import io.sysfleet.journal.RunRecord;
import io.sysfleet.plan.Planner;
import io.sysfleet.plan.ConnectionTemplates;
import io.sysfleet.plan.StaticCheck;
import io.sysfleet.plan.SysctlPaths;
import io.sysfleet.plan.expand.RunSettings;
import io.sysfleet.playbook.Playbook;
import io.sysfleet.playbook.PlaybookLoader;
import io.sysfleet.report.HtmlReport;
import io.sysfleet.report.JUnitReport;
import io.sysfleet.report.JsonReport;
import io.sysfleet.report.DiagnoseHtmlReport;
import io.sysfleet.report.DiagnoseMarkdownReport;
import io.sysfleet.report.MarkdownReport;
import io.sysfleet.report.ReportFiles;
import io.sysfleet.report.ReportContext;
import io.sysfleet.result.HostResult;
import io.sysfleet.result.Phase;
import io.sysfleet.result.PlayResult;
import io.sysfleet.result.RunListener;
import io.sysfleet.result.RunReport;
import io.sysfleet.rollback.HostRollback;
import io.sysfleet.rollback.RestoreTarget;
import io.sysfleet.transport.Become;
import io.sysfleet.transport.Secret;
import io.sysfleet.transport.Transport;
import io.sysfleet.transport.TransportException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A run's lifecycle, in one place, below the command line: load and check the inputs, give the run an id and a
 * journal, schedule the hosts, conclude (recap, reports, journal end state, the note that says how to undo it),
 * roll back an aborted run when asked, and, for {@code rollback}, pick the run to undo and restore its hosts.
 * {@code diagnose} goes through the same scheduler and sessions.
 * {@code runs list|show|prune} read and prune the journals. The command classes parse options, call one method
 * here and print; the engine reaches hosts only through {@link Connections}, so all of this is unit-tested
 * without Docker.
 *
 * <p>The order of a run, and what each step guarantees:
 * <ol>
 *   <li>inventory and playbook are loaded, {@code --limit} is checked (exit 5), and everything else that can be
 *       checked without facts is checked for every selected host ({@link StaticCheck}: exit 4 with every problem
 *       as {@code file:line:col}): nothing has an id or a journal yet, and no host was contacted;</li>
 *   <li>a run that can change hosts gets its id and its journal ({@code run.json} says running);</li>
 *   <li>plays run through the {@link Scheduler}; each host's change is journaled before it is made;</li>
 *   <li>conclusion: recap, reports (whatever the outcome), the journal's end state and exit code;</li>
 *   <li>with {@code rollbackOnAbort}, an aborted run is rolled back at once (a rollback run of its own).</li>
 * </ol>
 */
public final class Engine {
    /** The default number of hosts run at once: well above Ansible's 5; hosts mostly wait on the network. */
    public static final int DEFAULT_FORKS = 25;

    /** Who runs sysfleet, where (recorded in each journal). */
    public record Controller(String user, String hostName) {
    }

    /**
     * What an engine works with.
     *
     * @param stateDir       where runs keep their journals and local backups
     * @param connections    how hosts are reached
     * @param catalog        the key catalog
     * @param clock          the time source (journal times, run ids, durations)
     * @param ids            run id source
     * @param controller     who and where, for the journal
     * @param becomePassword the sudo password for hosts that become (null: sudo -n)
     * @param boot           where hosts keep their boot files ({@link BootFiles#STANDARD} except in tests)
     */
    public record Context(Path stateDir, Connections connections, KeyCatalog catalog, Clock clock, RunIds ids,
                          Controller controller, Secret becomePassword, BootFiles.Layout boot) {
    }

    /** Report files to write after a run, whatever its outcome (null: not wanted). */
    public record Reports(Path json, Path junit, Path html, Path markdown) {
        public static final Reports NONE = new Reports(null, null, null, null);

        /** The machine-readable reports only. */
        public Reports(Path json, Path junit) {
            this(json, junit, null, null);
        }
    }

    /**
     * A run of a playbook (or a check, with {@code check}).
     *
     * @param playbook        the playbook file
     * @param inventory       the inventory sources and vault passwords
     * @param limit           {@code --limit}, or null
     * @param check           plan only, change nothing
     * @param offline         with check: do not contact hosts
     * @param forks           hosts at once
     * @param serial          batches for plays that set no {@code serial}
     * @param maxFailPercent  {@code max_fail_percentage} for plays that set none, or null
     * @param timeout         timeout of one remote command
     * @param rollbackOnAbort roll back every host the run changed when a play is aborted
     * @param reports         report files
     * @param sysctlPaths     the files sysfleet may manage ({@code --allow-sysctl-path}; null: the defaults)
     * @param shard           the part of the selected hosts this controller runs ({@link Shard#ALL}: all of them)
     * @param tasks           {@code --tags}, {@code --skip-tags}, {@code --sysctl-only} (null: every task)
     */
    public record RunRequest(Path playbook, InventorySources inventory, String limit, boolean check, boolean offline, int forks,
                             List<String> serial, Double maxFailPercent, Duration timeout, boolean rollbackOnAbort,
                             Reports reports, SysctlPaths sysctlPaths, Shard shard, TaskSelection tasks) {
        public RunRequest {
            serial = List.copyOf(serial);
            sysctlPaths = sysctlPaths == null ? SysctlPaths.defaults() : sysctlPaths;
            shard = shard == null ? Shard.ALL : shard;
            tasks = tasks == null ? TaskSelection.ALL : tasks;
        }

        /** A run of every task (no tags; modules sysfleet does not run are refused). */
        public RunRequest(Path playbook, InventorySources inventory, String limit, boolean check, boolean offline,
                          int forks, List<String> serial, Double maxFailPercent, Duration timeout,
                          boolean rollbackOnAbort, Reports reports, SysctlPaths sysctlPaths, Shard shard) {
            this(playbook, inventory, limit, check, offline, forks, serial, maxFailPercent, timeout, rollbackOnAbort,
                    reports, sysctlPaths, shard, TaskSelection.ALL);
        }

        /** A run of every selected host (no shard) that may manage the given sysctl files. */
        public RunRequest(Path playbook, InventorySources inventory, String limit, boolean check, boolean offline,
                          int forks, List<String> serial, Double maxFailPercent, Duration timeout,
                          boolean rollbackOnAbort, Reports reports, SysctlPaths sysctlPaths) {
            this(playbook, inventory, limit, check, offline, forks, serial, maxFailPercent, timeout, rollbackOnAbort,
                    reports, sysctlPaths, Shard.ALL, TaskSelection.ALL);
        }

        /** A run of every selected host that may manage only the default sysctl files ({@link SysctlPaths#defaults()}). */
        public RunRequest(Path playbook, InventorySources inventory, String limit, boolean check, boolean offline,
                          int forks, List<String> serial, Double maxFailPercent, Duration timeout,
                          boolean rollbackOnAbort, Reports reports) {
            this(playbook, inventory, limit, check, offline, forks, serial, maxFailPercent, timeout, rollbackOnAbort,
                    reports, null, Shard.ALL, TaskSelection.ALL);
        }
    }

    /**
     * Which tasks run: {@code --tags} (empty: all), {@code --skip-tags}, and {@code --sysctl-only} (tasks of other
     * modules are left for ansible-playbook instead of refused).
     */
    public record TaskSelection(Set<String> tags, Set<String> skipTags, boolean sysctlOnly) {
        public static final TaskSelection ALL = new TaskSelection(Set.of(), Set.of(), false);

        public TaskSelection {
            tags = Set.copyOf(tags);
            skipTags = Set.copyOf(skipTags);
        }
    }

    /**
     * A rollback.
     *
     * @param runId     the run to roll back, or null for the last one ({@code --last})
     * @param inventory the inventory sources and vault passwords
     * @param limit     {@code --limit}, or null
     * @param check     show what would be restored, change nothing
     * @param force     restore files that changed since the run wrote them
     * @param forks     hosts at once
     * @param serial    hosts per batch (0: all at once)
     * @param timeout   timeout of one remote command
     * @param reports   report files
     * @param shard     the part of the run's hosts this controller restores ({@link Shard#ALL}: all of them)
     */
    public record RollbackRequest(String runId, InventorySources inventory, String limit, boolean check, boolean force, int forks,
                                  int serial, Duration timeout, Reports reports, Shard shard) {
        public RollbackRequest {
            shard = shard == null ? Shard.ALL : shard;
        }

        /** A rollback of every host of the run (no shard). */
        public RollbackRequest(String runId, InventorySources inventory, String limit, boolean check, boolean force,
                               int forks, int serial, Duration timeout, Reports reports) {
            this(runId, inventory, limit, check, force, forks, serial, timeout, reports, Shard.ALL);
        }
    }

    /** What a command ends with: its exit code, and the report of what ran (null when nothing ran). */
    public record Outcome(int exitCode, RunReport report) {
    }

    /** A journaled run and the rollbacks of it (their ids, oldest first). */
    public record RunEntry(RunRecord record, List<String> rolledBackBy) {
        public RunEntry {
            rolledBackBy = List.copyOf(rolledBackBy);
        }
    }

    /**
     * What {@code rollback --last} means: the run to roll back, or, when that run is already rolled back on every
     * host it changed, the rollback that did it ({@code rolledBackBy}, and nothing is to be done).
     */
    public record LastRun(String runId, String rolledBackBy) {
    }

    private final Context ctx;
    private final AtomicBoolean interrupted = new AtomicBoolean();

    public Engine(Context context) {
        this.ctx = context;
    }

    /** An engine that only reads and prunes the journals in {@code stateDir} ({@code runs list|show|prune}). */
    public static Engine forJournals(Path stateDir, Clock clock) {
        return forJournals(stateDir, clock, null);
    }

    /** As {@link #forJournals(Path, Clock)}, recording {@code controller} in what it journals ({@link #merge}). */
    public static Engine forJournals(Path stateDir, Clock clock, Controller controller) {
        Connections none = (host, become) -> {
            throw new IllegalStateException("this engine reaches no host");
        };
        return new Engine(new Context(stateDir, none, null, clock, RunIds.secure(clock), controller, null,
                BootFiles.STANDARD));
    }

    /** Asks the run to stop: hosts already running finish (with their undo); no new host starts. */
    public void interrupt() {
        interrupted.set(true);
    }

    public boolean interrupted() {
        return interrupted.get();
    }

    // ---------------------------------------------------------------------------------------------- run, check

    /** Runs (or checks) a playbook; see the class comment for the order of things. */
    public Outcome run(RunRequest req, RunListener out) {
        Playbook playbook = PlaybookLoader.load(req.playbook());
        Inventory inventory = loadInventory(req.inventory(), out);
        Planner planner = new Planner(ctx.catalog(), req.sysctlPaths(), inventory,
                new RunSettings(req.tasks().tags(), req.tasks().skipTags(), req.check()));
        StaticCheck.check(playbook, inventory, req.limit(), planner, req.tasks().sysctlOnly());
        warnUnmatched(inventory, playbook, req.limit(), out);
        if (!req.offline()) {
            ConnectionTemplates.check(playbook, inventory, req.limit());
        }
        String runId = ctx.ids().next();
        Journal journal = req.check() ? null : openJournal(runId, "run", null, req.playbook(), req.inventory());
        Instant started = ctx.clock().instant();
        HostRunner hosts = new HostRunner(new HostRunner.Settings(req.check(), req.offline(), req.timeout(),
                ctx.becomePassword(), ctx.boot(), req.sysctlPaths()), planner);
        Applier applier = journal == null ? null : new Applier(runId, new LocalBackups(ctx.stateDir(), runId),
                req.timeout(), journal, ctx.clock());
        List<PlayResult> plays;
        try (Scheduler scheduler = new Scheduler(req.forks(), "sysfleet-host", ctx.clock(), interrupted);
             Sessions sessions = new Sessions(ctx.connections())) {
            plays = new PlaybookRun(new PlaybookRun.Settings(req.serial(), req.maxFailPercent(), req.limit(),
                    req.check(), req.shard()), hosts, scheduler, sessions, applier).run(playbook, inventory, out);
        }
        RunReport report = new RunReport(runId, req.check(), started, ctx.clock().instant(), plays,
                req.shard().all() ? null : req.shard().toString());
        String undo = "sysfleet rollback --run " + runId + " " + req.inventory().display();
        ReportContext context = new ReportContext(req.check() ? "check" : "run", ctx.controller().user(),
                ctx.controller().hostName(), req.playbook().toString(), req.inventory().names(), null, null,
                req.check() ? null : undo);
        int exit = conclude(report, journal, req.reports(), context, out, "undo it with: " + undo);
        if (journal != null && !interrupted.get() && req.rollbackOnAbort()
                && plays.stream().anyMatch(p -> p.aborted() != null)) {
            out.note("the run was aborted: --rollback-on-abort rolls back every host it changed");
            rollback(Journal.read(ctx.stateDir(), runId), inventory, null, new RollbackRequest(runId,
                    req.inventory(), null, false, false, req.forks(), 0, req.timeout(), Reports.NONE), out);
        }
        return new Outcome(exit, report);
    }

    // ---------------------------------------------------------------------------------------------- rollback

    /**
     * Rolls back {@code req.runId()}, or ({@code --last}) the run {@link #lastRun()} names. When that run is already
     * rolled back, nothing is done: a note says so and the exit code is 0, so a retried pipeline step is safe.
     */
    public Outcome rollback(RollbackRequest req, RunListener out) {
        Inventory inventory = loadInventory(req.inventory(), out);
        Set<String> selected = checkLimit(inventory, req.limit());
        String id = req.runId();
        if (id == null) {
            LastRun last = lastRun();
            if (last.rolledBackBy() != null) {
                out.note("run " + last.runId() + " was already rolled back by " + last.rolledBackBy()
                        + "; nothing to do (to undo that rollback: sysfleet rollback --run " + last.rolledBackBy()
                        + ")");
                return new Outcome(ExitCode.OK.code(), null);
            }
            id = last.runId();
        }
        JournalView view = Journal.read(ctx.stateDir(), id);
        return rollback(view, inventory, selected, req, out);
    }

    /**
     * Which run {@code rollback --last} means: the newest <em>apply</em> run (never a check, never a rollback) that
     * may have changed a host (a change journaled as applied or failed, or with no outcome: the controller died).
     * That run counts as rolled back when, for every host it may have changed, a rollback of it ended ok or changed
     * on that host and was not itself undone there (by a rollback of the rollback). Then {@link LastRun#rolledBackBy}
     * names the newest such rollback, and {@code --last} does nothing; an older run is never picked instead, so
     * retrying {@code rollback --last} never re-applies or undoes anything. A rollback is undone only by naming
     * it: {@code rollback --run ID}.
     */
    public LastRun lastRun() {
        List<RunRecord> runs = Journal.list(ctx.stateDir());
        Map<String, List<RunRecord>> rollbacksOf = rollbacksOf(runs);
        for (int i = runs.size() - 1; i >= 0; i--) {
            RunRecord r = runs.get(i);
            if (!"run".equals(r.kind()) || r.check()) {
                continue;
            }
            Set<String> changed = Journal.read(ctx.stateDir(), r.id()).changes().stream()
                    .filter(JournalView.Change::mayHaveChanged).map(c -> c.intent().host())
                    .collect(Collectors.toCollection(LinkedHashSet::new));
            if (changed.isEmpty()) {
                continue;
            }
            boolean all = changed.stream().allMatch(h -> undone(r.id(), h, rollbacksOf));
            String by = null;
            if (all) {
                for (RunRecord y : rollbacksOf.getOrDefault(r.id(), List.of())) {
                    if (changed.stream().anyMatch(h -> covers(y, h) && !undone(y.id(), h, rollbacksOf))) {
                        by = y.id(); // newest last: keep the last match
                    }
                }
            }
            return new LastRun(r.id(), by);
        }
        throw new SysfleetException(ExitCode.USAGE, "no run with changes in " + Journal.runsDir(ctx.stateDir()));
    }

    /** Whether {@code host}'s changes by run {@code runId} are undone by a rollback that is not itself undone. */
    private static boolean undone(String runId, String host, Map<String, List<RunRecord>> rollbacksOf) {
        for (RunRecord y : rollbacksOf.getOrDefault(runId, List.of())) {
            if (covers(y, host) && !undone(y.id(), host, rollbacksOf)) {
                return true;
            }
        }
        return false;
    }

    /** Whether rollback {@code y} ended with {@code host} as before the run (it restored it, or found it so). */
    private static boolean covers(RunRecord y, String host) {
        String status = y.hosts() == null ? null : y.hosts().get(host);
        return "ok".equals(status) || "changed".equals(status);
    }

    /** The rollbacks that changed or could change hosts (not check mode), by the run they roll back, oldest first. */
    private static Map<String, List<RunRecord>> rollbacksOf(List<RunRecord> runs) {
        Map<String, List<RunRecord>> out = new LinkedHashMap<>();
        for (RunRecord r : runs) {
            if ("rollback".equals(r.kind()) && !r.check() && r.rollbackOf() != null) {
                out.computeIfAbsent(r.rollbackOf(), k -> new ArrayList<>()).add(r);
            }
        }
        return out;
    }

    private Outcome rollback(JournalView view, Inventory inventory, Set<String> selected, RollbackRequest req,
                             RunListener out) {
        if (req.serial() < 0) {
            throw new SysfleetException(ExitCode.USAGE, "--serial must be 0 or more");
        }
        Map<String, List<RestoreTarget>> targets = new LinkedHashMap<>(RestoreTarget.of(view));
        for (io.sysfleet.journal.ModuleChange m : view.modules()) {
            if (!view.moduleChanges(m.host()).isEmpty()) {
                targets.putIfAbsent(m.host(), new ArrayList<>()); // a host whose only change was a module
            }
        }
        if (selected != null) {
            targets.keySet().retainAll(selected);
        }
        targets.keySet().removeIf(h -> !req.shard().contains(h));
        String runId = ctx.ids().next();
        Journal journal = req.check() ? null : openJournal(runId, "rollback", view.record().id(), null, req.inventory());
        Instant started = ctx.clock().instant();
        HostRollback restorer = new HostRollback(new HostRollback.Options(req.check(), req.force(), req.timeout()),
                view, runId, journal, new LocalBackups(ctx.stateDir(), runId), ctx.clock());
        String undo = "sysfleet rollback --run " + runId + " " + req.inventory().display();
        ReportContext context = new ReportContext("rollback", ctx.controller().user(), ctx.controller().hostName(),
                null, req.inventory().names(), view.record().id(), null, req.check() ? null : undo);
        String name = "rollback of run " + view.record().id();
        out.playStarted(name, targets.size(), req.check());
        List<String> hosts = List.copyOf(targets.keySet());
        PlayResult play;
        try (Scheduler scheduler = new Scheduler(req.forks(), "sysfleet-rollback", ctx.clock(), interrupted)) {
            play = scheduler.run(name, hosts, batches(hosts.size(), req.serial()), Scheduler.AbortRule.NEVER,
                    h -> restore(inventory.host(h), h, targets.get(h), view, restorer), out);
        }
        RunReport report = new RunReport(runId, req.check(), started, ctx.clock().instant(), List.of(play),
                req.shard().all() ? null : req.shard().toString());
        return new Outcome(conclude(report, journal, req.reports(), context, out, "it can be rolled back too"),
                report);
    }

    private HostResult restore(Host host, String name, List<RestoreTarget> targets, JournalView view,
                               HostRollback restorer) {
        if (host == null) {
            return HostResult.failure(name, HostResult.Status.FAILED, Phase.INVENTORY,
                    name + " is in run " + view.record().id() + " but not in the inventory");
        }
        boolean sudo;
        String sudoUser;
        if (!targets.isEmpty()) {
            sudo = targets.get(0).become();
            sudoUser = targets.get(0).becomeUser();
        } else {
            io.sysfleet.journal.ModuleChange m = view.moduleChanges(name).get(0);
            sudo = m.become();
            sudoUser = m.becomeUser();
        }
        Become become = sudo ? new Become(sudoUser == null ? Become.ROOT : sudoUser, ctx.becomePassword()) : null;
        try (Transport t = ctx.connections().open(host, become)) {
            return restorer.restore(t, name, targets);
        } catch (TransportException e) {
            return HostResult.failure(name, e.unreachable() ? HostResult.Status.UNREACHABLE
                    : HostResult.Status.FAILED, e.phase(), e.getMessage());
        }
    }

    private static List<Integer> batches(int hosts, int serial) {
        int size = serial <= 0 ? Math.max(1, hosts) : serial;
        List<Integer> out = new ArrayList<>();
        for (int left = hosts; left > 0; left -= size) {
            out.add(Math.min(size, left));
        }
        return out;
    }

    // ---------------------------------------------------------------------------------------------- diagnose

    /**
     * A diagnosis ({@code sysfleet diagnose}).
     *
     * @param inventory  the inventory sources and vault passwords
     * @param limit      {@code --limit}, or null
     * @param forks      hosts at once
     * @param timeout    timeout of the collector command
     * @param become     {@code --become}: collect as root where the host's variables do not say otherwise
     * @param thresholds when a figure becomes a finding
     * @param failOn     the lowest severity that makes the exit code 8 (null: never)
     * @param files      files to write after the diagnosis, whatever its outcome
     */
    public record DiagnoseRequest(InventorySources inventory, String limit, int forks, Duration timeout,
                                  boolean become, Thresholds thresholds, Severity failOn, DiagnoseFiles files) {
    }

    /**
     * The files a diagnosis writes (null: not wanted): the HTML and Markdown reports, the remediation plan
     * ({@code --emit-plan}) and the Prometheus text file.
     */
    public record DiagnoseFiles(Path html, Path markdown, Path plan, Path prometheus) {
        public static final DiagnoseFiles NONE = new DiagnoseFiles(null, null, null, null);
    }

    /** What a diagnosis ends with: its exit code, the fleet's diagnosis, and the plan that fixes it. */
    public record DiagnoseOutcome(ExitCode exit, FleetDiagnosis diagnosis, RemediationPlan plan) {
        public int exitCode() {
            return exit.code();
        }
    }

    /**
     * Diagnoses the selected hosts: the inventory is loaded, {@code --limit} checked (exit 5) and every host's
     * connection variables rendered (exit 4) before the first connection; then the hosts go through the same
     * {@link Scheduler} and {@link Sessions} as a run, each diagnosed by {@link Diagnoser}; then the files are
     * written. Changes nothing on any host and keeps no journal.
     */
    public DiagnoseOutcome diagnose(DiagnoseRequest req, DiagnoseListener out) {
        Inventory inventory = req.inventory().load();
        for (Problem w : inventory.warnings()) {
            out.warning(w.toString());
        }
        List<Host> selected;
        try {
            selected = inventory.select("all", req.limit());
        } catch (IllegalArgumentException e) {
            throw new SysfleetException(ExitCode.USAGE, "--limit: " + e.getMessage());
        }
        Map<String, Host> hosts = DiagnoseRun.resolve(selected);
        RowPlaybooks playbooks = RowPlaybooks.bundled();
        Diagnoser.Context context = new Diagnoser.Context(req.thresholds(), Collector.Limits.DEFAULT, req.timeout(),
                ctx.catalog(), playbooks);
        Instant started = ctx.clock().instant();
        out.started(hosts.size());
        List<HostDiagnosis> results;
        try (Scheduler scheduler = new Scheduler(req.forks(), "sysfleet-diagnose", ctx.clock(), interrupted);
             Sessions sessions = new Sessions(ctx.connections())) {
            results = new DiagnoseRun(context, req.become(), ctx.becomePassword()).run(hosts, scheduler, sessions,
                    out);
        }
        FleetDiagnosis d = new FleetDiagnosis(started, ctx.clock().instant(), req.thresholds(), results);
        ExitCode exit = interrupted.get() ? ExitCode.INTERRUPTED : d.exitCode(req.failOn());
        out.finished(d);
        RemediationPlan plan = RemediationPlan.of(d, playbooks);
        String shown = req.inventory().display();
        DiagnoseFiles files = req.files();
        if (files.plan() != null) {
            ReportFiles.writeAtomically(files.plan(), plan.yaml(playbooks, shown, ctx.clock().instant()),
                    "the remediation plan");
        }
        if (files.prometheus() != null) {
            ReportFiles.writeAtomically(files.prometheus(), PrometheusMetrics.render(d), "the Prometheus metrics");
        }
        ReportContext people = new ReportContext("diagnose", ctx.controller().user(), ctx.controller().hostName(),
                null, req.inventory().names(), null, exit, null);
        if (files.html() != null) {
            DiagnoseHtmlReport.write(d, people, req.failOn(), shown, playbooks, files.html());
        }
        if (files.markdown() != null) {
            DiagnoseMarkdownReport.write(d, people, req.failOn(), shown, playbooks, files.markdown());
        }
        return new DiagnoseOutcome(exit, d, plan);
    }

    // ---------------------------------------------------------------------------------------------- merge

    /**
     * {@code sysfleet report merge}: the shards of one run ({@code run --shard K/N} on N controllers) as one run.
     *
     * @param reports   the shards' JSON reports, one per shard
     * @param journals  state directories to look for the shards' journals in (besides this engine's and each
     *                  report's directory)
     * @param hostOrder the inventory's host names in its order: the merged plays list their hosts so, as a single
     *                  controller does (null: by name)
     * @param inventory the inventory as {@code -i} words for the undo command (null: from the shards' journals)
     * @param out       the merged run's reports
     */
    public record MergeRequest(List<Path> reports, List<Path> journals, List<String> hostOrder, String inventory,
                               Reports out) {
        public MergeRequest {
            reports = List.copyOf(reports);
            journals = List.copyOf(journals);
            hostOrder = hostOrder == null ? null : List.copyOf(hostOrder);
        }
    }

    /**
     * Merges shard runs into one: their reports become one report (written as {@code out} asks); for apply runs,
     * their journals become one journaled run in this engine's state directory (the header, every intent and
     * outcome, every local backup), which {@code rollback --run ID} (or {@code --last}) rolls back like a run of
     * a single controller. Nothing is written unless every shard is there, once, and every apply shard's journal
     * is found.
     */
    public Outcome merge(MergeRequest req, RunListener out) {
        List<ShardMerge.Input> inputs = new ArrayList<>();
        for (Path f : req.reports()) {
            inputs.add(new ShardMerge.Input(f, JsonReport.read(f)));
        }
        java.util.function.ToIntFunction<String> order = req.hostOrder() == null ? h -> 0
                : ShardMerge.orderOf(req.hostOrder());
        String runId = ctx.ids().next();
        RunReport report = ShardMerge.combine(inputs, runId, order);
        List<JournalView> views = new ArrayList<>();
        if (!report.check()) {
            for (ShardMerge.Input in : ShardMerge.inShardOrder(inputs)) {
                views.add(shardJournal(in, req.journals()));
            }
        }
        for (JournalView v : views) {
            checkLocalCopies(v, views);
        }
        Journal journal = null;
        if (!report.check()) {
            RunRecord first = views.get(0).record();
            journal = Journal.create(ctx.stateDir(), new RunRecord(runId, "run", null, report.started().toString(),
                    null, joined(views, RunRecord::user), joined(views, RunRecord::controller), first.playbook(),
                    first.inventory(), false, "running", null, Map.of()));
            for (JournalView v : views) {
                copyShard(v, journal);
            }
        }
        String inventoryWords = req.inventory() != null ? req.inventory() : views.isEmpty() ? "-i INVENTORY"
                : java.util.Arrays.stream(views.get(0).record().inventory().split(", "))
                        .map(w -> "-i " + ReportContext.shellWord(w)).collect(Collectors.joining(" "));
        String undo = "sysfleet rollback --run " + runId + " " + inventoryWords;
        Controller me = ctx.controller() != null ? ctx.controller() : new Controller(null, null);
        ReportContext context = new ReportContext(report.check() ? "check" : "run",
                views.isEmpty() ? me.user() : joined(views, RunRecord::user),
                views.isEmpty() ? me.hostName() : joined(views, RunRecord::controller),
                views.isEmpty() ? null : views.get(0).record().playbook(),
                views.isEmpty() ? null : views.get(0).record().inventory(), null, null,
                report.check() ? null : undo);
        out.note("merged " + inputs.size() + " shard(s) of " + (report.check() ? "a check" : "a run") + ": "
                + ShardMerge.inShardOrder(inputs).stream().map(i -> i.report().runId()).collect(Collectors.joining(", ")));
        return new Outcome(conclude(report, journal, req.out(), context, out, "undo it with: " + undo), report);
    }

    /** The journal of one apply shard: in the given state directories, this engine's, or beside the report. */
    private JournalView shardJournal(ShardMerge.Input in, List<Path> dirs) {
        String id = in.report().runId();
        List<Path> where = new ArrayList<>(dirs);
        where.add(ctx.stateDir());
        Path parent = in.file().toAbsolutePath().getParent();
        if (parent != null) {
            where.add(parent);
            where.add(parent.resolve("state"));
        }
        for (Path d : where) {
            if (Files.isRegularFile(Journal.runsDir(d).resolve(id).resolve(Journal.HEADER))) {
                JournalView v = Journal.read(d, id);
                if (!"run".equals(v.record().kind()) || v.record().check()) {
                    throw new SysfleetException(ExitCode.CONFIG, "report merge: " + Journal.runsDir(d).resolve(id)
                            + " is not the journal of an apply run");
                }
                return v;
            }
        }
        throw new SysfleetException(ExitCode.USAGE, "report merge: no journal of shard " + in.report().shard()
                + " (run " + id + ", " + in.file() + ") in " + where.stream().map(Path::toString)
                .collect(Collectors.joining(", ")) + "; give the shard's state directory with --journals DIR");
    }

    /**
     * Before anything is written: every local backup {@code v}'s intents name is a readable file inside its run's
     * directory, and no other shard saved a different file under the same name.
     */
    private static void checkLocalCopies(JournalView v, List<JournalView> all) {
        for (io.sysfleet.journal.Intent i : v.intents()) {
            if (i.localCopy() == null) {
                continue;
            }
            Path from = v.dir().resolve(i.localCopy()).normalize();
            if (!from.startsWith(v.dir()) || !Files.isRegularFile(from) || !Files.isReadable(from)) {
                throw new SysfleetException(ExitCode.CONFIG, "report merge: " + v.dir().resolve(Journal.LOG)
                        + ": local backup '" + i.localCopy() + "' of " + i.host() + " is missing or outside the run's"
                        + " directory");
            }
            for (JournalView other : all) {
                if (other != v && other.intents().stream().anyMatch(o -> i.localCopy().equals(o.localCopy()))) {
                    throw new SysfleetException(ExitCode.CONFIG, "report merge: " + v.dir() + " and " + other.dir()
                            + " both saved a local backup as " + i.localCopy() + ": the shards overlap");
                }
            }
        }
    }

    /** A shard's intents, outcomes and local backups, into the merged run's journal. */
    private static void copyShard(JournalView v, Journal into) {
        for (io.sysfleet.journal.Intent i : v.intents()) {
            if (i.localCopy() != null) {
                Path from = v.dir().resolve(i.localCopy()).normalize();
                Path to = into.dir().resolve(i.localCopy()).normalize();
                if (!from.startsWith(v.dir()) || !to.startsWith(into.dir())) {
                    throw new SysfleetException(ExitCode.CONFIG, "report merge: " + v.dir().resolve(Journal.LOG)
                            + ": local copy '" + i.localCopy() + "' is outside the run's directory");
                }
                try {
                    byte[] bytes = Files.readAllBytes(from);
                    if (Files.exists(to) && !java.util.Arrays.equals(Files.readAllBytes(to), bytes)) {
                        throw new SysfleetException(ExitCode.CONFIG, "report merge: two shards saved different "
                                + "originals as " + i.localCopy());
                    }
                    io.sysfleet.core.AtomicFiles.mkdirsPrivate(to.getParent());
                    io.sysfleet.core.AtomicFiles.write(to, bytes, io.sysfleet.core.AtomicFiles.PRIVATE);
                } catch (IOException e) {
                    throw new SysfleetException(ExitCode.ERROR, Phase.JOURNAL, i.host(), "report merge: cannot copy "
                            + from + " to " + to + ": " + e.getMessage(), e);
                }
            }
            into.intent(i);
        }
        v.outcomes().forEach(into::outcome);
    }

    private static String joined(List<JournalView> views, java.util.function.Function<RunRecord, String> field) {
        return views.stream().map(v -> field.apply(v.record())).filter(java.util.Objects::nonNull).distinct()
                .collect(Collectors.joining(", "));
    }

    // ---------------------------------------------------------------------------------------------- runs

    /** Every journaled run, oldest first, with the rollbacks of it. */
    public List<RunEntry> runs() {
        List<RunRecord> runs = Journal.list(ctx.stateDir());
        Map<String, List<RunRecord>> rollbacksOf = rollbacksOf(runs);
        return runs.stream().map(r -> new RunEntry(r, rollbacksOf.getOrDefault(r.id(), List.of()).stream()
                .map(RunRecord::id).toList())).toList();
    }

    /** One run: its header and its changes with their outcomes. */
    public JournalView show(String runId) {
        return Journal.read(ctx.stateDir(), runId);
    }

    /** Deletes all but the newest {@code keep} runs' state; returns how many runs were removed. */
    public int prune(int keep) {
        if (keep < 0) {
            throw new SysfleetException(ExitCode.USAGE, "--keep must be 0 or more");
        }
        List<RunRecord> runs = Journal.list(ctx.stateDir());
        int removed = 0;
        for (RunRecord r : runs.subList(0, Math.max(0, runs.size() - keep))) {
            delete(Journal.runsDir(ctx.stateDir()).resolve(r.id()));
            removed++;
        }
        return removed;
    }

    /** Where the runs are kept (for messages). */
    public Path runsDir() {
        return Journal.runsDir(ctx.stateDir());
    }

    private static void delete(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new SysfleetException(ExitCode.ERROR, Phase.PRUNE, null, "cannot delete " + dir + ": "
                    + e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------------------------------------- shared

    private Inventory loadInventory(InventorySources sources, RunListener out) {
        Inventory inventory = sources.load();
        for (Problem w : inventory.warnings()) {
            out.warning(w.toString());
        }
        if (inventory.hosts().isEmpty()) {
            out.warning("the inventory has no hosts: nothing will run on any host (ansible-playbook: \"provided "
                    + "hosts list is empty\")");
        }
        return inventory;
    }

    /**
     * Warns, as ansible-playbook does, about each part of a play's hosts pattern and of {@code --limit} that matches
     * no host ("could not match host pattern 'web-old', ignoring it"); the patterns were checked before.
     */
    private static void warnUnmatched(Inventory inventory, Playbook playbook, String limit, RunListener out) {
        if (inventory.hosts().isEmpty()) {
            return; // said once, above
        }
        Set<String> said = new LinkedHashSet<>();
        List<String> patterns = new ArrayList<>();
        playbook.plays().forEach(p -> patterns.add(p.hosts()));
        if (limit != null) {
            patterns.add(limit);
        }
        for (String pattern : patterns) {
            for (String part : io.sysfleet.inventory.HostPattern.unmatched(inventory, pattern)) {
                if (said.add(part)) {
                    out.warning("could not match host pattern '" + io.sysfleet.core.TerminalText.escape(part)
                            + "', ignoring it");
                }
            }
        }
    }

    /** The hosts {@code --limit} selects (null without one); a bad pattern is a usage error (exit 5). */
    private static Set<String> checkLimit(Inventory inventory, String limit) {
        if (limit == null) {
            return null;
        }
        try {
            return inventory.select("all", limit).stream().map(Host::name).collect(Collectors.toSet());
        } catch (IllegalArgumentException e) {
            throw new SysfleetException(ExitCode.USAGE, "--limit: " + e.getMessage());
        }
    }

    private Journal openJournal(String runId, String kind, String rollbackOf, Path playbook,
                                InventorySources inventory) {
        return Journal.create(ctx.stateDir(), new RunRecord(runId, kind, rollbackOf, ctx.clock().instant().toString(),
                null, ctx.controller().user(), ctx.controller().hostName(),
                playbook == null ? null : playbook.toAbsolutePath().toString(), inventory.journalForm(),
                false, "running", null, Map.of()));
    }

    /**
     * After a run or rollback: the recap, the reports, the journal's end state, and a note naming the journal;
     * returns the exit code. The reports a person reads get {@code context} (who ran what, and its undo, which
     * a run that changed nothing has not).
     */
    private int conclude(RunReport report, Journal journal, Reports reports, ReportContext context, RunListener out,
                         String undoHint) {
        out.runFinished(report);
        ExitCode exitCode = interrupted.get() ? ExitCode.INTERRUPTED : report.exitCode();
        boolean changed = journal != null && journal.intentCount() > 0;
        ReportContext people = new ReportContext(context.command(), context.user(), context.controller(),
                context.playbook(), context.inventory(), context.rollbackOf(), exitCode,
                changed ? context.undo() : null);
        if (reports.json() != null) {
            JsonReport.write(report, reports.json());
        }
        if (reports.junit() != null) {
            JUnitReport.write(report, reports.junit());
        }
        if (reports.html() != null) {
            HtmlReport.write(report, people, reports.html());
        }
        if (reports.markdown() != null) {
            MarkdownReport.write(report, people, reports.markdown());
        }
        int exit = exitCode.code();
        if (journal != null) {
            boolean aborted = report.plays().stream().anyMatch(p -> p.aborted() != null);
            String status = interrupted.get() ? "interrupted" : aborted ? "aborted" : "finished";
            journal.finish(journal.record().finished(ctx.clock().instant().toString(), status, exit,
                    report.hostStatuses()));
            out.note(journal.record().kind() + " " + journal.record().id() + " journaled in " + journal.dir() + " ("
                    + (journal.intentCount() > 0 ? undoHint : "it changed nothing") + ")");
        }
        return exit;
    }
}
