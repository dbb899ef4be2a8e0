package io.sysfleet.apply;

import io.sysfleet.facts.FileFact;
import io.sysfleet.journal.Intent;
import io.sysfleet.journal.Journal;
import io.sysfleet.journal.Outcome;
import io.sysfleet.plan.FilePlan;
import io.sysfleet.plan.HostPlan;
import io.sysfleet.plan.KeyPlan;
import io.sysfleet.result.HostResult;
import io.sysfleet.result.KeyResult;
import io.sysfleet.result.Phase;
import io.sysfleet.sysctl.SysctlFile;
import io.sysfleet.sysctl.SysctlKey;
import io.sysfleet.sysctl.SysctlValue;
import io.sysfleet.transport.Become;
import io.sysfleet.transport.Command;
import io.sysfleet.transport.ExecResult;
import io.sysfleet.transport.Transport;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Executes a {@link HostPlan} on one host: local backup, then in one round trip per file the remote backup,
 * atomic write, {@code sysctl -p}, and the live values read back; when a key the play set did not take (and
 * {@code ignoreerrors} is off), the file bytes and previous live values are restored and checked. Returns a
 * {@link HostResult}; a host-level failure is a result, not an exception.
 *
 * <p>Files are handled as ISO-8859-1 text so every byte of a file survives the edit unchanged.
 */
public final class Applier {
    private final String runId;
    private final LocalBackups backups;
    private final Duration timeout;
    private final Journal journal;
    private final Clock clock;

    public Applier(String runId, LocalBackups backups, Duration timeout, Journal journal, Clock clock) {
        this.runId = runId;
        this.backups = backups;
        this.timeout = timeout;
        this.journal = journal;
        this.clock = clock;
    }

    /** The text of a file as the planner sees it: one char per byte, so writing it back is byte-identical. */
    public static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.ISO_8859_1);
    }

    /** The plan as a result without touching the host (check mode, or nothing to do, or a plan error). */
    public static HostResult withoutApplying(HostPlan plan, boolean check) {
        List<KeyResult> keys = new ArrayList<>();
        for (KeyPlan k : plan.keys()) {
            boolean verified = verifiedByFacts(k);
            String error = k.outcome() == KeyPlan.Outcome.ERROR ? k.note() : null;
            keys.add(new KeyResult(k.taskName(), k.key(), k.desired(), k.live(),
                    k.outcome() == KeyPlan.Outcome.OK ? k.live() : null, k.changes(), verified,
                    k.outcome() == KeyPlan.Outcome.SKIPPED, k.note(), error));
        }
        HostResult.Status status = plan.failed() ? HostResult.Status.FAILED
                : plan.hasChanges() ? HostResult.Status.CHANGED : HostResult.Status.OK;
        List<String> diffs = plan.files().stream().map(f -> f.diff(plan.host().name())).filter(d -> !d.isEmpty()).toList();
        return new HostResult(plan.host().name(), status, keys, check ? diffs : List.of(), plan.warnings(),
                plan.failed() ? Phase.PLAN : null, plan.error(), false);
    }

    /**
     * Applies the plan. {@code files} maps each planned path to its facts (mode, owner, sha256, bytes);
     * {@code become} is how the transport runs commands (null: no become), recorded so a rollback does the same.
     */
    public HostResult apply(Transport t, HostPlan plan, Map<String, FileFact> files, Become become) {
        if (plan.failed() || !plan.hasChanges()) {
            return withoutApplying(plan, false);
        }
        String host = plan.host().name();
        List<KeyResult> results = new ArrayList<>();
        List<String> diffs = new ArrayList<>();
        List<String> warnings = new ArrayList<>(plan.warnings());
        for (FilePlan fp : plan.files()) {
            List<KeyPlan> keys = plan.keys().stream()
                    .filter(k -> k.task() != null && k.task().sysctlFile().equals(fp.path())).toList();
            boolean liveWork = keys.stream().anyMatch(KeyPlan::changes);
            if (!fp.changed() && !liveWork) {
                keys.forEach(k -> results.add(unchanged(k)));
                continue;
            }
            FileFact fact = files.get(fp.path());
            FileOutcome fo = applyFile(t, host, fp, fact, keys, become);
            results.addAll(fo.keys);
            if (fo.diffApplied && fp.changed()) {
                diffs.add(fp.diff(host));
            }
            if (fo.error != null) {
                // Files applied earlier in this play stay applied: each file is verified on its own.
                return new HostResult(host, HostResult.Status.FAILED, results, diffs, warnings, fo.phase, fo.error,
                        fo.undone);
            }
        }
        // Keys that belong to no planned file (skipped by when, absent on this kernel, errors ignored): as planned.
        Set<String> planned = new java.util.HashSet<>();
        plan.files().forEach(f -> planned.add(f.path()));
        for (KeyPlan k : plan.keys()) {
            if (k.task() == null || !planned.contains(k.task().sysctlFile())) {
                results.add(unchanged(k));
            }
        }
        boolean changed = results.stream().anyMatch(KeyResult::changed) || !diffs.isEmpty();
        return new HostResult(host, changed ? HostResult.Status.CHANGED : HostResult.Status.OK, results, diffs,
                warnings, null, null, false);
    }

    private record FileOutcome(List<KeyResult> keys, boolean diffApplied, Phase phase, String error, boolean undone) {
    }

    private FileOutcome applyFile(Transport t, String host, FilePlan fp, FileFact fact, List<KeyPlan> keys,
                                  Become become) {
        boolean exists = fact != null && fact.exists();
        // Every key the new file sets may change on sysctl -p: snapshot all of them, plus the play's keys.
        Set<String> paths = new LinkedHashSet<>();
        for (KeyPlan k : keys) {
            if (k.key() != null && k.task() != null) {
                paths.add(k.key().path());
            }
        }
        for (String key : SysctlFile.parse(fp.newText()).effectiveValues().keySet()) {
            // a glob or a line sysctl would refuse names no single /proc/sys entry: nothing to snapshot
            SysctlKey.parse(key).ifPresent(k -> paths.add(k.path()));
        }
        boolean reload = fp.reload() && keys.stream().anyMatch(k -> k.changes() && k.task().reload());
        List<String> setPairs = new ArrayList<>();
        for (KeyPlan k : keys) {
            if (k.changes() && k.task().sysctlSet() && !k.task().reload() && k.desired() != null) {
                setPairs.add(k.key().dotted());
                setPairs.add(k.desired());
            }
        }
        boolean ignore = keys.stream().anyMatch(k -> k.task().ignoreErrors());
        List<String> args = new ArrayList<>(List.of(fp.path(), exists ? fact.sha256() : "absent",
                backupPath(fp.path()),
                exists ? fact.mode() : "0644", exists ? fact.owner() : "root", exists ? fact.group() : "root",
                fp.changed() ? "1" : "0", reload ? "1" : "0", ignore ? "1" : "0",
                sha256(fp.newText().getBytes(StandardCharsets.ISO_8859_1)), String.valueOf(paths.size())));
        args.addAll(paths);
        args.addAll(setPairs);
        byte[] stdin = fp.changed() ? fp.newText().getBytes(StandardCharsets.ISO_8859_1) : new byte[0];

        // Write ahead: the original bytes and every live value the change can touch are on the controller's
        // disk before the host is changed.
        String localCopy = null;
        if (exists) {
            localCopy = backups.runDir().relativize(backups.saveOriginal(host, fp.path(), fact.content())).toString();
        }
        ExecResult snap = t.exec(Command.script(RemoteScripts.SNAPSHOT, List.copyOf(paths)), timeout);
        ApplyOutput before = ApplyOutput.parse(snap.stdoutText());
        if (!before.complete()) {
            return new FileOutcome(planned(keys), false, Phase.APPLY, "cannot read live values before the change: "
                    + snap.stderrText().strip() + "; nothing was changed", false);
        }
        String shaBefore = exists ? fact.sha256() : "absent";
        journal.intent(new Intent(host, fp.path(), exists, exists ? fact.mode() : null, exists ? fact.owner() : null,
                exists ? fact.group() : null, shaBefore, fp.changed() ? sha256(stdin) : shaBefore,
                exists ? backupPath(fp.path()) : null, localCopy, become != null, become == null ? null : become.user(),
                before.before(), clock.instant().toString()));

        ExecResult r = t.exec(Command.script(RemoteScripts.APPLY, args).withStdin(stdin), timeout);
        ApplyOutput out = ApplyOutput.parse(r.stdoutText());
        FileOutcome result = finishFile(t, fp, fact, keys, r, out);
        journal.outcome(new Outcome(host, fp.path(), result.error == null ? "applied"
                : result.undone ? "undone" : out.conflict() != null ? "conflict" : "failed",
                out.written() != null ? out.written() : null, out.after(), result.error, clock.instant().toString()));
        return result;
    }

    /** The remote backup's path: beside the file, named with the run id. */
    String backupPath(String file) {
        return file + ".sysfleet-" + runId + ".bak";
    }

    public static String sha256(byte[] bytes) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private FileOutcome finishFile(Transport t, FilePlan fp, FileFact fact, List<KeyPlan> keys, ExecResult r,
                                   ApplyOutput out) {
        if (out.conflict() != null) {
            return new FileOutcome(planned(keys), false, Phase.APPLY, fp.path() + " changed on the host since its facts "
                    + "were read (sha256 now " + out.conflict() + "); nothing was changed, run again", false);
        }
        if (out.written() == null && fp.changed() || !out.complete()) {
            String why = out.error() != null ? out.error() : "apply script stopped early (exit " + r.exitCode() + "): "
                    + r.stderrText().strip();
            if (out.written() == null && fp.changed()) {
                return new FileOutcome(planned(keys), false, Phase.APPLY, why + "; the file was not changed", false);
            }
            return undo(t, fp, fact, keys, out, Phase.APPLY, why);
        }
        List<KeyResult> results = new ArrayList<>();
        String firstError = null;
        for (KeyPlan k : keys) {
            KeyResult kr = verify(k, out);
            results.add(kr);
            if (kr.error() != null && !k.task().ignoreErrors() && firstError == null) {
                firstError = k.key() + ": " + kr.error();
            }
        }
        if (firstError != null) {
            FileOutcome undone = undo(t, fp, fact, keys, out, Phase.VERIFY, firstError);
            // Keep the per-key verdicts of the failed apply (values and the kernel's words); once undone, no key
            // counts as changed.
            List<KeyResult> verdicts = results.stream().map(k -> undone.undone ? new KeyResult(k.task(), k.key(),
                    k.planned(), k.before(), k.after(), false, k.verified(), k.skipped(), k.note(), k.error()) : k)
                    .toList();
            return new FileOutcome(verdicts, false, undone.phase, undone.error, undone.undone);
        }
        return new FileOutcome(results, true, null, null, false);
    }

    private static KeyResult verify(KeyPlan k, ApplyOutput out) {
        if (!k.verifiesLive()) {
            // Nothing live to check: skipped, absent on this kernel, state absent, or a file-only task.
            return new KeyResult(k.taskName(), k.key(), k.desired(), k.live(), null, k.changes(),
                    k.outcome() == KeyPlan.Outcome.ABSENT_ON_KERNEL, k.outcome() == KeyPlan.Outcome.SKIPPED,
                    k.note(), k.outcome() == KeyPlan.Outcome.ERROR ? k.note() : null);
        }
        String path = k.key().path();
        String after = out.after().get(path);
        boolean verified = after != null && SysctlValue.same(after, k.desired());
        String error = null;
        if (!verified) {
            List<String> words = out.stderr().stream()
                    .filter(l -> l.contains("\"" + k.key() + "\"") || l.contains(k.key() + " ")
                            || l.contains("/proc/sys/" + path + ":") || l.endsWith("/proc/sys/" + path)
                            || l.contains(k.key() + "=")).toList();
            error = words.isEmpty()
                    ? "live value is " + (after == null ? "missing" : "'" + after + "'") + " after apply, wanted '"
                    + k.desired() + "'"
                    : String.join("; ", words);
        }
        return new KeyResult(k.taskName(), k.key(), k.desired(), k.live(), after, k.changes(), verified, false,
                verified ? k.note() : "not applied", error);
    }

    private FileOutcome undo(Transport t, FilePlan fp, FileFact fact, List<KeyPlan> keys, ApplyOutput out,
                             Phase phase, String why) {
        boolean existed = fact != null && fact.exists();
        List<String> args = new ArrayList<>(List.of(fp.path(), existed ? "1" : "0",
                existed ? fact.mode() : "0644", existed ? fact.owner() : "root", existed ? fact.group() : "root",
                existed ? fact.sha256() : "absent"));
        for (Map.Entry<String, String> e : out.before().entrySet()) {
            String now = out.after().get(e.getKey());
            if (e.getValue() != null && !SysctlValue.same(now, e.getValue())) {
                args.add(e.getKey());
                args.add(e.getValue());
            }
        }
        byte[] original = existed ? fact.content() : new byte[0];
        ExecResult r = t.exec(Command.script(RemoteScripts.UNDO, args).withStdin(original), timeout);
        ApplyOutput u = ApplyOutput.parse(r.stdoutText());
        String wantSha = existed ? fact.sha256() : "absent";
        List<String> problems = new ArrayList<>();
        if (!u.complete()) {
            problems.add("undo script stopped early: " + r.stderrText().strip());
        }
        if (!wantSha.equals(u.restored())) {
            problems.add(fp.path() + " sha256 after undo is " + u.restored() + ", expected " + wantSha);
        }
        for (Map.Entry<String, String> e : u.after().entrySet()) {
            String before = out.before().get(e.getKey());
            if (e.getValue() == null || !SysctlValue.same(e.getValue(), before)) {
                problems.add("/proc/sys/" + e.getKey() + " is " + e.getValue() + " after undo, expected " + before);
            }
        }
        if (u.error() != null) {
            problems.add(u.error());
        }
        if (problems.isEmpty()) {
            return new FileOutcome(planned(keys), false, phase, why + " (undone: " + fp.path()
                    + " and live values restored and verified)", true);
        }
        return new FileOutcome(planned(keys), false, Phase.UNDO, why + "; UNDO INCOMPLETE: " + String.join("; ", problems)
                + " (local backup in " + backups.runDir() + ")", false);
    }

    private static List<KeyResult> planned(List<KeyPlan> keys) {
        return keys.stream().map(k -> new KeyResult(k.taskName(), k.key(), k.desired(), k.live(), null, false,
                false, k.outcome() == KeyPlan.Outcome.SKIPPED, k.note(), null)).toList();
    }

    private static KeyResult unchanged(KeyPlan k) {
        boolean verified = verifiedByFacts(k);
        return new KeyResult(k.taskName(), k.key(), k.desired(), k.live(), k.verifiesLive() ? k.live() : null, false,
                verified, k.outcome() == KeyPlan.Outcome.SKIPPED, k.note(), null);
    }

    /** Whether the facts already show the key as wanted: live value equal, or rightly absent on this kernel. */
    private static boolean verifiedByFacts(KeyPlan k) {
        return k.outcome() == KeyPlan.Outcome.OK && k.verifiesLive() || k.outcome() == KeyPlan.Outcome.ABSENT_ON_KERNEL;
    }
}
