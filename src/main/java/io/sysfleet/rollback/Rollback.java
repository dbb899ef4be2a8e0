package io.sysfleet.rollback;

import io.sysfleet.apply.Applier;
import io.sysfleet.apply.ApplyOutput;
import io.sysfleet.apply.HostResult;
import io.sysfleet.apply.KeyResult;
import io.sysfleet.apply.LocalBackups;
import io.sysfleet.apply.Privilege;
import io.sysfleet.apply.RemoteScripts;
import io.sysfleet.core.SysfleetException;
import io.sysfleet.facts.FactsProbe;
import io.sysfleet.facts.FileFact;
import io.sysfleet.fleet.Connector;
import io.sysfleet.fleet.FleetRunner;
import io.sysfleet.inventory.Host;
import io.sysfleet.inventory.Inventory;
import io.sysfleet.journal.Intent;
import io.sysfleet.journal.Journal;
import io.sysfleet.journal.JournalView;
import io.sysfleet.journal.Outcome;
import io.sysfleet.report.PlayResult;
import io.sysfleet.report.RunListener;
import io.sysfleet.report.RunReport;
import io.sysfleet.sysctl.SysctlFile;
import io.sysfleet.sysctl.SysctlKey;
import io.sysfleet.sysctl.UnifiedDiff;
import io.sysfleet.transport.Command;
import io.sysfleet.transport.ExecResult;
import io.sysfleet.transport.Transport;
import io.sysfleet.transport.TransportException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Puts hosts back as they were before a journaled run: each file's original bytes (from the remote backup, or
 * the controller's copy when that is gone) and the live value of every key the run could have touched, then
 * checks both. A file that changed since the run wrote it is refused unless {@code force}. A rollback is a run
 * of its own with its own journal, so it can be rolled back too; a second rollback finds nothing to do.
 */
public final class Rollback {

    /** How a rollback was asked for. */
    public record Options(boolean check, boolean force, int forks, int serial, Duration timeout) {
    }

    private final Options options;
    private final Connector connector;
    private final Clock clock;
    private final Journal journal;
    private final LocalBackups copies;
    private final String runId;
    private final AtomicBoolean interrupted = new AtomicBoolean();

    /** {@code journal} is this rollback's own journal (null only in check mode). */
    public Rollback(Options options, Connector connector, Clock clock, String runId, Journal journal, Path stateDir) {
        this.options = options;
        this.connector = connector;
        this.clock = clock;
        this.runId = runId;
        this.journal = journal;
        this.copies = new LocalBackups(stateDir, runId);
    }

    public void interrupt() {
        interrupted.set(true);
    }

    public boolean wasInterrupted() {
        return interrupted.get();
    }

    /** Rolls back the hosts of {@code view} that {@code selected} names (all when null). */
    public RunReport run(JournalView view, Inventory inventory, Set<String> selected, RunListener listener) {
        Instant started = clock.instant();
        Map<String, List<RestoreTarget>> targets = new LinkedHashMap<>(RestoreTarget.of(view));
        if (selected != null) {
            targets.keySet().retainAll(selected);
        }
        String name = "rollback of run " + view.record().id();
        listener.playStarted(name, targets.size(), options.check());
        List<String> hosts = List.copyOf(targets.keySet());
        List<HostResult> results = new ArrayList<>();
        ExecutorService pool = FleetRunner.workers(options.forks(), "sysfleet-rollback");
        try {
            int batch = options.serial() <= 0 ? Math.max(1, hosts.size()) : options.serial();
            for (int i = 0; i < hosts.size(); i += batch) {
                List<Future<HostResult>> running = new ArrayList<>();
                for (String h : hosts.subList(i, Math.min(hosts.size(), i + batch))) {
                    running.add(pool.submit(() -> {
                        Instant start = clock.instant();
                        HostResult r = (interrupted.get() ? HostResult.notRun(h, "interrupted")
                                : host(inventory.host(h), h, targets.get(h), view))
                                .withElapsed(java.time.Duration.between(start, clock.instant()));
                        listener.hostFinished(r);
                        return r;
                    }));
                }
                for (Future<HostResult> f : running) {
                    try {
                        results.add(f.get());
                    } catch (Exception e) {
                        throw new IllegalStateException("rollback worker failed", e);
                    }
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return new RunReport(runId, options.check(), started, clock.instant(), List.of(new PlayResult(name, results, null)));
    }

    private HostResult host(Host host, String name, List<RestoreTarget> targets, JournalView view) {
        if (host == null) {
            return HostResult.failure(name, HostResult.Status.FAILED, "inventory",
                    name + " is in run " + view.record().id() + " but not in the inventory");
        }
        RestoreTarget first = targets.get(0);
        try (Transport t = connector.open(host, new Privilege(first.become(), first.becomeUser()))) {
            List<KeyResult> keys = new ArrayList<>();
            List<String> diffs = new ArrayList<>();
            boolean changed = false;
            for (RestoreTarget target : targets) {
                FileResult fr = file(t, name, target, view);
                keys.addAll(fr.keys);
                if (fr.diff != null) {
                    diffs.add(fr.diff);
                }
                changed |= fr.changed;
                if (fr.error != null) {
                    return new HostResult(name, HostResult.Status.FAILED, keys, diffs, List.of(), fr.phase, fr.error, false);
                }
            }
            return new HostResult(name, changed ? HostResult.Status.CHANGED : HostResult.Status.OK, keys, diffs,
                    List.of(), null, null, false);
        } catch (TransportException e) {
            return HostResult.failure(name, Connector.unreachable(e) ? HostResult.Status.UNREACHABLE
                    : HostResult.Status.FAILED, e.phase(), e.getMessage());
        } catch (SysfleetException e) {
            return HostResult.failure(name, HostResult.Status.FAILED, e.phase() == null ? "rollback" : e.phase(),
                    e.getMessage());
        } catch (RuntimeException e) {
            return HostResult.failure(name, HostResult.Status.FAILED, "rollback",
                    "internal error: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private record FileResult(List<KeyResult> keys, String diff, boolean changed, String phase, String error) {
    }

    private FileResult file(Transport t, String host, RestoreTarget target, JournalView view) {
        FileFact now = FactsProbe.gather(t, target.file(), List.of(), options.timeout()).sysctlFile();
        String shaNow = now.exists() ? now.sha256() : "absent";
        List<String> paths = List.copyOf(target.live().keySet());
        Map<String, String> liveNow = snapshot(t, paths);
        byte[] original = original(target, view);
        boolean fileOk = shaNow.equals(target.shaOriginal());
        // Keys the run found absent have nothing to write back; the rest must equal their value before the run.
        Map<String, String> toRestore = new LinkedHashMap<>();
        for (String p : paths) {
            String before = target.live().get(p);
            String current = liveNow.get(p);
            if (before != null && (current == null || !same(current, before))) {
                toRestore.put(p, before);
            }
        }
        String diff = fileOk ? null : UnifiedDiff.of(host + ":" + target.file() + " (now)",
                host + ":" + target.file() + " (before run " + view.record().id() + ")",
                now.exists() ? Applier.text(now.content()) : "", original == null ? "" : Applier.text(original));
        if (!fileOk && !shaNow.equals(target.shaWritten()) && !options.force()) {
            return new FileResult(keyResults(paths, target, liveNow, null, false), diff, false, "rollback",
                    target.file() + " changed since run " + view.record().id() + " wrote it (sha256 now "
                            + shaNow + ", it wrote " + target.shaWritten() + "): refusing to overwrite someone "
                            + "else's edit; check it, then use --force to restore the original anyway");
        }
        if (fileOk && toRestore.isEmpty()) {
            return new FileResult(keyResults(paths, target, liveNow, liveNow, false), null, false, null, null);
        }
        if (options.check()) {
            return new FileResult(keyResults(paths, target, liveNow, null, true), diff, true, null, null);
        }
        if (target.existed() && original == null && (target.remoteBackup() == null)) {
            return new FileResult(List.of(), diff, false, "rollback", "no backup of " + target.file() + " left");
        }
        String localCopy = now.exists() ? copies.runDir().relativize(
                copies.saveOriginal(host, target.file(), now.content())).toString() : null;
        String newBackup = target.file() + ".sysfleet-" + runId + ".bak";
        journal.intent(new Intent(host, target.file(), now.exists(), now.mode(), now.owner(), now.group(), shaNow,
                target.shaOriginal(), now.exists() ? newBackup : null, localCopy, target.become(), target.becomeUser(),
                liveNow, clock.instant().toString()));
        List<String> args = new ArrayList<>(List.of(target.file(), options.force() ? "any" : shaNow, newBackup,
                target.remoteBackup() == null ? "-" : target.remoteBackup(), target.shaOriginal(),
                target.existed() ? "1" : "0", original != null ? "1" : "0",
                Objects.requireNonNullElse(target.mode(), "0644"), Objects.requireNonNullElse(target.owner(), "root"),
                Objects.requireNonNullElse(target.group(), "root")));
        toRestore.forEach((p, v) -> {
            args.add(p);
            args.add(v);
        });
        ExecResult r = t.exec(Command.script(RemoteScripts.RESTORE, args)
                .withStdin(original == null ? new byte[0] : original), options.timeout());
        ApplyOutput out = ApplyOutput.parse(r.stdoutText());
        Map<String, String> after = snapshot(t, paths);
        List<String> problems = new ArrayList<>();
        if (out.conflict() != null) {
            problems.add(target.file() + " changed while rolling back (sha256 now " + out.conflict() + "); nothing done");
        } else if (!out.complete()) {
            problems.add("restore script stopped early: " + r.stderrText().strip());
        }
        if (out.error() != null) {
            problems.add(out.error());
        }
        if (out.conflict() == null && !target.shaOriginal().equals(out.restored())) {
            problems.add(target.file() + " sha256 is " + out.restored() + " after the rollback, expected "
                    + target.shaOriginal());
        }
        for (String p : toRestore.keySet()) {
            if (after.get(p) == null || !same(after.get(p), toRestore.get(p))) {
                problems.add("/proc/sys/" + p + " is " + after.get(p) + ", expected " + toRestore.get(p));
            }
        }
        String error = problems.isEmpty() ? null : String.join("; ", problems);
        journal.outcome(new Outcome(host, target.file(), error == null ? "applied" : "failed", out.restored(), after,
                error, clock.instant().toString()));
        List<KeyResult> keys = keyResults(paths, target, liveNow, after, true);
        if (error == null && "local".equals(out.source()) && target.remoteBackup() != null) {
            keys = new ArrayList<>(keys);
            keys.add(new KeyResult("restore " + target.file(), null, null, null, null, false, true, false,
                    "the remote backup " + target.remoteBackup() + " was gone or changed: restored from the "
                            + "controller's copy", null));
        }
        return new FileResult(keys, diff, true, error == null ? null : "rollback", error);
    }

    private static List<KeyResult> keyResults(List<String> paths, RestoreTarget target, Map<String, String> now,
                                              Map<String, String> after, boolean changing) {
        List<KeyResult> out = new ArrayList<>();
        for (String p : paths) {
            String before = target.live().get(p);
            String current = now.get(p);
            boolean differs = before != null && (current == null || !same(current, before));
            String got = after == null ? null : after.get(p);
            boolean verified = before == null || (got != null && same(got, before));
            out.add(new KeyResult("restore " + target.file(), SysctlKey.toPath(p), before, current, got,
                    changing && differs, after != null && verified, false,
                    before == null ? "the key did not exist before the run" : differs ? "restore" : "as before the run",
                    null));
        }
        return out;
    }

    private Map<String, String> snapshot(Transport t, List<String> paths) {
        if (paths.isEmpty()) {
            return Map.of();
        }
        // the paths go on stdin, one per line (a long list would exceed the argument size limit)
        ExecResult r = t.exec(Command.script(RemoteScripts.SNAPSHOT, List.of())
                .withStdin((String.join("\n", paths) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                options.timeout());
        ApplyOutput out = ApplyOutput.parse(r.stdoutText());
        if (!out.complete()) {
            throw new SysfleetException(io.sysfleet.core.ExitCode.HOST_FAILED, "rollback", t.host(),
                    "cannot read live values: " + r.stderrText().strip(), null);
        }
        return out.before();
    }

    /** The original bytes from the controller's copy, or null when there is none (the remote copy must do). */
    private static byte[] original(RestoreTarget target, JournalView view) {
        if (!target.existed()) {
            return new byte[0];
        }
        if (target.localCopy() == null) {
            return null;
        }
        try {
            byte[] bytes = Files.readAllBytes(view.dir().resolve(target.localCopy()));
            return Applier.sha256(bytes).equals(target.shaOriginal()) ? bytes : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static boolean same(String a, String b) {
        return SysctlFile.normalizeValue(a).equals(SysctlFile.normalizeValue(b));
    }
}
