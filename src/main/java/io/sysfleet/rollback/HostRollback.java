package io.sysfleet.rollback;

import io.sysfleet.apply.Applier;
import io.sysfleet.apply.ApplyOutput;
import io.sysfleet.apply.LocalBackups;
import io.sysfleet.apply.RemoteScripts;
import io.sysfleet.core.ExitCode;
import io.sysfleet.core.SysfleetException;
import io.sysfleet.facts.FactsProbe;
import io.sysfleet.facts.FileFact;
import io.sysfleet.journal.Intent;
import io.sysfleet.journal.Journal;
import io.sysfleet.journal.JournalView;
import io.sysfleet.journal.Outcome;
import io.sysfleet.result.HostResult;
import io.sysfleet.result.KeyResult;
import io.sysfleet.result.Phase;
import io.sysfleet.sysctl.SysctlKey;
import io.sysfleet.sysctl.SysctlValue;
import io.sysfleet.sysctl.UnifiedDiff;
import io.sysfleet.transport.Command;
import io.sysfleet.transport.ExecResult;
import io.sysfleet.transport.Transport;
import io.sysfleet.transport.TransportException;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Puts one host back as it was before a journaled run: each file's original bytes (from the remote backup, or
 * the controller's copy when that is gone) and the live value of every key the run could have touched, then
 * checks both. A file that changed since the run wrote it is refused unless {@code force}. The restore is itself
 * journaled (intent before, outcome after) in the rollback's own journal, so it can be rolled back too; a second
 * rollback finds nothing to do. Scheduling the hosts is the engine's.
 */
public final class HostRollback {

    /** How a rollback was asked for. */
    public record Options(boolean check, boolean force, Duration timeout) {
    }

    private final Options options;
    private final Clock clock;
    private final Journal journal;
    private final LocalBackups copies;
    private final String runId;
    private final JournalView view;

    /**
     * @param view    the run being rolled back
     * @param runId   this rollback's own run id
     * @param journal this rollback's own journal (null only in check mode)
     * @param copies  where this rollback saves the files it replaces
     */
    public HostRollback(Options options, JournalView view, String runId, Journal journal, LocalBackups copies,
                        Clock clock) {
        if (journal == null && !options.check()) {
            throw new IllegalArgumentException("a rollback that changes hosts needs a journal");
        }
        this.options = options;
        this.view = view;
        this.runId = runId;
        this.journal = journal;
        this.copies = copies;
        this.clock = clock;
    }

    /**
     * Restores {@code name}'s files on transport {@code t}, in journal order, stopping at the first failure. Never
     * throws for a host-level failure: it becomes the host's result.
     */
    public HostResult restore(Transport t, String name, List<RestoreTarget> targets) {
        try {
            List<KeyResult> keys = new ArrayList<>();
            List<String> diffs = new ArrayList<>();
            boolean changed = false;
            for (RestoreTarget target : targets) {
                FileResult fr = file(t, name, target);
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
            return HostResult.failure(name, e.unreachable() ? HostResult.Status.UNREACHABLE
                    : HostResult.Status.FAILED, e.phase(), e.getMessage());
        } catch (SysfleetException e) {
            return HostResult.failure(name, HostResult.Status.FAILED, e.phase() == null ? Phase.ROLLBACK : e.phase(),
                    e.getMessage());
        } catch (RuntimeException e) {
            return HostResult.failure(name, HostResult.Status.FAILED, Phase.ROLLBACK,
                    "internal error: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private record FileResult(List<KeyResult> keys, String diff, boolean changed, Phase phase, String error) {
    }

    private FileResult file(Transport t, String host, RestoreTarget target) {
        FileFact now = FactsProbe.gather(t, target.file(), List.of(), options.timeout()).sysctlFile();
        String shaNow = now.exists() ? now.sha256() : "absent";
        List<String> paths = List.copyOf(target.live().keySet());
        Map<String, String> liveNow = snapshot(t, paths);
        byte[] original = original(target);
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
            return new FileResult(keyResults(paths, target, liveNow, null, false), diff, false, Phase.ROLLBACK,
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
            return new FileResult(List.of(), diff, false, Phase.ROLLBACK, "no backup of " + target.file() + " left");
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
        return new FileResult(keys, diff, true, error == null ? null : Phase.ROLLBACK, error);
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
            out.add(new KeyResult("restore " + target.file(), SysctlKey.ofPath(p), before, current, got,
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
        ExecResult r = t.exec(Command.script(RemoteScripts.SNAPSHOT, paths), options.timeout());
        ApplyOutput out = ApplyOutput.parse(r.stdoutText());
        if (!out.complete()) {
            throw new SysfleetException(ExitCode.HOST_FAILED, Phase.ROLLBACK, t.host(),
                    "cannot read live values: " + r.stderrText().strip(), null);
        }
        return out.before();
    }

    /** The original bytes from the controller's copy, or null when there is none (the remote copy must do). */
    private byte[] original(RestoreTarget target) {
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
        return SysctlValue.same(a, b);
    }
}
