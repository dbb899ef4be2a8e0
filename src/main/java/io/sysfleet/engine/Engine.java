package io.sysfleet.engine;

import io.sysfleet.apply.Applier;
import io.sysfleet.apply.LocalBackups;
import io.sysfleet.catalog.KeyCatalog;
import io.sysfleet.core.ExitCode;
import io.sysfleet.core.Problem;
import io.sysfleet.core.SysfleetException;
import io.sysfleet.facts.BootFiles;
import io.sysfleet.inventory.Host;
import io.sysfleet.inventory.Inventory;
import io.sysfleet.journal.Journal;
import io.sysfleet.journal.JournalView;
import io.sysfleet.journal.RunRecord;
import io.sysfleet.plan.Planner;
import io.sysfleet.plan.ConnectionTemplates;
import io.sysfleet.plan.StaticCheck;
import io.sysfleet.plan.expand.RunSettings;
import io.sysfleet.playbook.Playbook;
import io.sysfleet.playbook.PlaybookLoader;
import io.sysfleet.report.HtmlReport;
import io.sysfleet.report.JUnitReport;
import io.sysfleet.report.JsonReport;
import io.sysfleet.report.MarkdownReport;
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
     * @param tasks           {@code --tags}, {@code --skip-tags}, {@code --sysctl-only}
     */
    public record RunRequest(Path playbook, InventorySources inventory, String limit, boolean check, boolean offline, int forks,
                             List<String> serial, Double maxFailPercent, Duration timeout, boolean rollbackOnAbort,
                             Reports reports, TaskSelection tasks) {
        public RunRequest {
            serial = List.copyOf(serial);
        }

        /** A request that runs every task (no tags) and refuses modules sysfleet does not run. */
        public RunRequest(Path playbook, InventorySources inventory, String limit, boolean check, boolean offline,
                          int forks, List<String> serial, Double maxFailPercent, Duration timeout,
                          boolean rollbackOnAbort, Reports reports) {
            this(playbook, inventory, limit, check, offline, forks, serial, maxFailPercent, timeout, rollbackOnAbort,
                    reports, TaskSelection.ALL);
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
     */
    public record RollbackRequest(String runId, InventorySources inventory, String limit, boolean check, boolean force, int forks,
                                  int serial, Duration timeout, Reports reports) {
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
        Connections none = (host, become) -> {
            throw new IllegalStateException("this engine reaches no host");
        };
        return new Engine(new Context(stateDir, none, null, clock, RunIds.secure(clock), null, null,
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
        Planner planner = new Planner(ctx.catalog(), inventory, new RunSettings(req.tasks().tags(),
                req.tasks().skipTags(), req.check()));
        StaticCheck.check(playbook, inventory, req.limit(), planner, req.tasks().sysctlOnly());
        if (!req.offline()) {
            ConnectionTemplates.check(playbook, inventory, req.limit());
        }
        String runId = ctx.ids().next();
        Journal journal = req.check() ? null : openJournal(runId, "run", null, req.playbook(), req.inventory());
        Instant started = ctx.clock().instant();
        HostRunner hosts = new HostRunner(new HostRunner.Settings(req.check(), req.offline(), req.timeout(),
                ctx.becomePassword(), ctx.boot()), planner);
        Applier applier = journal == null ? null : new Applier(runId, new LocalBackups(ctx.stateDir(), runId),
                req.timeout(), journal, ctx.clock());
        List<PlayResult> plays;
        try (Scheduler scheduler = new Scheduler(req.forks(), "sysfleet-host", ctx.clock(), interrupted);
             Sessions sessions = new Sessions(ctx.connections())) {
            plays = new PlaybookRun(new PlaybookRun.Settings(req.serial(), req.maxFailPercent(), req.limit(),
                    req.check()), hosts, scheduler, sessions, applier).run(playbook, inventory, out);
        }
        RunReport report = new RunReport(runId, req.check(), started, ctx.clock().instant(), plays);
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
        if (selected != null) {
            targets.keySet().retainAll(selected);
        }
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
        RunReport report = new RunReport(runId, req.check(), started, ctx.clock().instant(), List.of(play));
        return new Outcome(conclude(report, journal, req.reports(), context, out, "it can be rolled back too"),
                report);
    }

    private HostResult restore(Host host, String name, List<RestoreTarget> targets, JournalView view,
                               HostRollback restorer) {
        if (host == null) {
            return HostResult.failure(name, HostResult.Status.FAILED, Phase.INVENTORY,
                    name + " is in run " + view.record().id() + " but not in the inventory");
        }
        RestoreTarget first = targets.get(0);
        Become become = first.become()
                ? new Become(first.becomeUser() == null ? Become.ROOT : first.becomeUser(), ctx.becomePassword())
                : null;
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
        return inventory;
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
