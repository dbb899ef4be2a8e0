package io.sysfleet.apply;

import io.sysfleet.facts.FileFact;
import io.sysfleet.facts.LiveValue;
import io.sysfleet.journal.Intent;
import io.sysfleet.journal.Journal;
import io.sysfleet.journal.ModuleChange;
import io.sysfleet.plan.ModulePlan;
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
import io.sysfleet.transport.RemoteShell;
import io.sysfleet.transport.Become;
import io.sysfleet.transport.Command;
import io.sysfleet.transport.ExecResult;
import io.sysfleet.transport.Transport;
import io.sysfleet.transport.TransportException;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

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
        for (ModulePlan m : plan.modules()) {
            keys.add(moduleResult(m, m.changes(), !m.changes() && m.action() == ModulePlan.Action.NONE,
                    m.action() == ModulePlan.Action.ERROR ? m.note() : null));
        }
        for (KeyPlan k : plan.keys()) {
            boolean verified = verifiedByFacts(k);
            String error = k.outcome() == KeyPlan.Outcome.ERROR ? k.note() : null;
            keys.add(new KeyResult(k.taskName(), k.key(), k.desired(), k.live(),
                    k.outcome() == KeyPlan.Outcome.OK ? k.live() : null, k.changes(), verified,
                    k.outcome() == KeyPlan.Outcome.SKIPPED, k.note(), error));
        }
        HostResult.Status status = plan.failed() ? HostResult.Status.FAILED
                : plan.hasChanges() ? HostResult.Status.CHANGED : HostResult.Status.OK;
        List<String> diffs = FilePlan.diffs(plan.host().name(), plan.files());
        return new HostResult(plan.host().name(), status, keys, check ? diffs : List.of(), plan.warnings(),
                plan.failed() ? Phase.PLAN : null, plan.error(), false);
    }

    /**
     * Applies the plan. {@code files} maps each planned path to its facts (mode, owner, sha256, bytes);
     * {@code become} is how the transport runs commands (null: no become), recorded so a rollback does the same.
     */
    public HostResult apply(Transport t, HostPlan plan, Map<String, FileFact> files, Become become) {
        return apply(t, plan, files, become, () -> t);
    }

    /**
     * Applies the plan; {@code reconnect} gives a working connection to the same host after the apply's answer was
     * lost (a timeout or a dropped connection), to read back what the host now has.
     */
    public HostResult apply(Transport t, HostPlan plan, Map<String, FileFact> files, Become become,
                            Supplier<Transport> reconnect) {
        return apply(t, plan, files, Map.of(), become, reconnect);
    }

    /**
     * Applies the plan. {@code factsLive} are the live values the facts probe read in this session (by
     * {@code /proc/sys} path): until the first change on the host (a module loaded, a file applied), they are what
     * the write-ahead intent records, so the first file needs no separate snapshot command when they cover every
     * key it may touch (one round trip fewer per changed host). Any key they do not cover, or a later file, is
     * read by the snapshot command as before.
     */
    public HostResult apply(Transport t, HostPlan plan, Map<String, FileFact> files, Map<String, LiveValue> factsLive,
                            Become become, Supplier<Transport> reconnect) {
        if (plan.failed() || !plan.hasChanges()) {
            return withoutApplying(plan, false);
        }
        String host = plan.host().name();
        List<KeyResult> results = new ArrayList<>();
        List<FilePlan> applied = new ArrayList<>();
        List<String> warnings = new ArrayList<>(plan.warnings());
        // Modules first: the sysctl keys they bring must exist before sysctl -p.
        for (ModulePlan m : plan.modules()) {
            if (!m.changes()) {
                results.add(moduleResult(m, false, m.action() == ModulePlan.Action.NONE, null));
                continue;
            }
            factsLive = Map.of(); // a module changes the kernel: what the facts read is no longer current
            String error = applyModule(t, host, m, become);
            results.add(moduleResult(m, error == null, error == null, error));
            if (error != null) {
                return new HostResult(host, HostResult.Status.FAILED, results, List.of(), warnings, Phase.APPLY, error,
                        false);
            }
        }
        for (FilePlan fp : plan.files()) {
            List<KeyPlan> keys = plan.keys().stream()
                    .filter(k -> k.task() != null && k.task().sysctlFile().equals(fp.path())).toList();
            boolean liveWork = keys.stream().anyMatch(KeyPlan::changes);
            if (!fp.changed() && !liveWork) {
                keys.forEach(k -> results.add(unchanged(k)));
                continue;
            }
            FileFact fact = files.get(fp.path());
            FileOutcome fo = applyFile(t, host, fp, fact, keys, factsLive, become, reconnect);
            factsLive = Map.of(); // the host has changed (or may have): later files snapshot for themselves
            results.addAll(fo.keys);
            if (fo.diffApplied && fp.changed()) {
                applied.add(fp);
            }
            if (fo.error != null) {
                // Files applied earlier in this play stay applied: each file is verified on its own.
                return new HostResult(host, HostResult.Status.FAILED, results, FilePlan.diffs(host, applied), warnings,
                        fo.phase, fo.error,
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
        List<String> diffs = FilePlan.diffs(host, applied);
        boolean changed = results.stream().anyMatch(KeyResult::changed) || !diffs.isEmpty();
        return new HostResult(host, changed ? HostResult.Status.CHANGED : HostResult.Status.OK, results, diffs,
                warnings, null, null, false);
    }

    private record FileOutcome(List<KeyResult> keys, boolean diffApplied, Phase phase, String error, boolean undone) {
    }

    /**
     * The live values of {@code paths} as the snapshot command would print them ({@code val}: tabs and newlines
     * folded to spaces; null for a key that is not there), from the facts probe's reading; null unless the facts
     * cover every path with a present or absent key of plain ASCII (anything else is read by the snapshot command).
     */
    public static Map<String, String> fromFacts(Set<String> paths, Map<String, LiveValue> factsLive) {
        if (factsLive.isEmpty()) {
            return null;
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String p : paths) {
            LiveValue v = factsLive.get(p);
            if (v == null) {
                return null;
            }
            if (v.state() == LiveValue.State.ABSENT) {
                out.put(p, null);
            } else if (v.state() == LiveValue.State.PRESENT && v.value().chars().allMatch(c -> c >= 0x20 && c < 0x7f
                    || c == '\t' || c == '\n')) {
                out.put(p, v.value().replace('\t', ' ').replace('\n', ' '));
            } else {
                return null;
            }
        }
        return out;
    }

    private FileOutcome applyFile(Transport t, String host, FilePlan fp, FileFact fact, List<KeyPlan> keys,
                                  Map<String, LiveValue> factsLive, Become become, Supplier<Transport> reconnect) {
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
                sha256(bytes(fp.newText())), String.valueOf(paths.size())));
        args.addAll(setPairs);
        byte[] content = fp.changed() ? bytes(fp.newText()) : new byte[0];
        byte[] stdin = RemoteShell.stdin(paths, content);

        // Write ahead: the original bytes and every live value the change can touch are on the controller's
        // disk before the host is changed.
        String localCopy = null;
        if (exists) {
            localCopy = backups.runDir().relativize(backups.saveOriginal(host, fp.path(), fact.content())).toString();
        }
        Map<String, String> beforeValues = fromFacts(paths, factsLive);
        if (beforeValues == null) {
            ExecResult snap = t.exec(Command.script(RemoteScripts.SNAPSHOT, List.of())
                    .withStdin(RemoteShell.stdin(paths, new byte[0])), timeout);
            ApplyOutput before = ApplyOutput.parse(snap.stdoutText());
            if (!before.complete()) {
                return new FileOutcome(planned(keys), false, Phase.APPLY, "cannot read live values before the change: "
                        + snap.stderrText().strip() + "; nothing was changed", false);
            }
            beforeValues = before.before();
        }
        String shaBefore = exists ? fact.sha256() : "absent";
        journal.intent(new Intent(host, fp.path(), exists, exists ? fact.mode() : null, exists ? fact.owner() : null,
                exists ? fact.group() : null, shaBefore, fp.changed() ? sha256(content) : shaBefore,
                exists ? backupPath(fp.path()) : null, localCopy, become != null, become == null ? null : become.user(),
                beforeValues, clock.instant().toString()));

        ExecResult r;
        try {
            r = t.exec(Command.script(RemoteScripts.APPLY, args).withStdin(stdin), timeout);
        } catch (TransportException e) {
            return lost(reconnect, host, fp, shaBefore, fp.changed() ? sha256(content) : shaBefore, paths,
                    beforeValues, keys, e);
        }
        ApplyOutput out = ApplyOutput.parse(r.stdoutText());
        FileOutcome result = finishFile(t, fp, fact, keys, r, out);
        journal.outcome(new Outcome(host, fp.path(), result.error == null ? "applied"
                : result.undone ? "undone" : out.conflict() != null ? "conflict" : out.lock() != null ? "locked"
                : "failed",
                out.written() != null ? out.written() : null, out.after(), result.error, clock.instant().toString()));
        return result;
    }

    /** Loads or unloads one module, journaled before and after; returns the error, or null. */
    private String applyModule(Transport t, String host, ModulePlan m, Become become) {
        String action = m.action() == ModulePlan.Action.LOAD ? "load" : "unload";
        String params = m.action() == ModulePlan.Action.LOAD ? m.task().params() : "";
        journal.module(new ModuleChange(host, m.module(), action, params, "intent", become != null,
                become == null ? null : become.user(), null, clock.instant().toString()));
        List<String> args = new ArrayList<>(List.of(m.module(), action));
        if (m.action() == ModulePlan.Action.LOAD) {
            args.addAll(m.task().paramList());
        }
        String error = Modprobe.run(t, m.module(), action, args.subList(2, args.size()), timeout);
        journal.module(new ModuleChange(host, m.module(), action, params, error == null ? "applied" : "failed",
                become != null, become == null ? null : become.user(), error, clock.instant().toString()));
        return error == null ? null : m.task().location() + ": " + error;
    }

    private static KeyResult moduleResult(ModulePlan m, boolean changed, boolean verified, String error) {
        return new KeyResult(m.task().name(), null, m.task().state() == io.sysfleet.playbook.State.PRESENT
                ? "loaded" : "absent", null, null, changed, verified, m.action() == ModulePlan.Action.SKIPPED,
                "module " + m.module() + ": " + m.note(), error);
    }

    /**
     * The bytes of a file text (one char per byte, see {@link #text}). A char above U+00FF would mean a value was
     * put in without {@link io.sysfleet.plan.Planner}'s UTF-8 step: refused, never written as '?'.
     */
    static byte[] bytes(String fileText) {
        for (int i = 0; i < fileText.length(); i++) {
            if (fileText.charAt(i) > 0xff) {
                throw new IllegalStateException("file text holds U+" + Integer.toHexString(fileText.charAt(i))
                        + ": not one char per byte");
            }
        }
        return fileText.getBytes(StandardCharsets.ISO_8859_1);
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

    /**
     * The apply's answer was lost ({@code e}: a timeout, whose script the transport killed, or a dropped
     * connection, after which the script runs to its end): the host may have been changed. Reads back, over a
     * new connection, what the file and the live values are now (after waiting for the file's lock), and journals
     * which it is: {@code unchanged}, {@code changed} (written, not verified: rollback restores it) or
     * {@code unknown} (nothing could be read: rollback restores it from the journal's intent).
     */
    private FileOutcome lost(Supplier<Transport> reconnect, String host, FilePlan fp, String shaBefore,
                             String shaNew, Set<String> paths, Map<String, String> liveBefore, List<KeyPlan> keys,
                             TransportException e) {
        String why = "apply of " + fp.path() + ": " + e.getMessage();
        String hint = "; `sysfleet rollback --last` restores it from the journal, or run again";
        ApplyOutput now;
        try {
            Transport again = reconnect.get();
            long wait = Math.max(1, Math.min(timeout.toSeconds(), 60));
            ExecResult r = again.exec(Command.script(RemoteScripts.READBACK, List.of(fp.path(), String.valueOf(wait)))
                    .withStdin(RemoteShell.stdin(paths, new byte[0])), timeout.plusSeconds(wait));
            now = ApplyOutput.parse(r.stdoutText());
            if (!now.complete()) {
                throw new TransportException(Phase.APPLY, host, "read-back stopped early: " + r.stderrText().strip());
            }
        } catch (RuntimeException again) {
            String msg = why + "; the host MAY HAVE BEEN CHANGED: its state could not be read back ("
                    + again.getMessage() + ")" + hint;
            journal.outcome(new Outcome(host, fp.path(), "unknown", null, Map.of(), msg, clock.instant().toString()));
            return new FileOutcome(planned(keys), false, Phase.APPLY, msg, false);
        }
        boolean liveSame = true;
        for (Map.Entry<String, String> b : liveBefore.entrySet()) {
            String a = now.after().get(b.getKey());
            liveSame &= b.getValue() == null ? a == null : a != null && SysctlValue.same(a, b.getValue());
        }
        String busy = now.busy() == null ? "" : " (a sysfleet script still holds the file's lock: " + now.busy() + ")";
        String status;
        String msg;
        if (shaBefore.equals(now.restored()) && liveSame && now.busy() == null) {
            status = "unchanged";
            msg = why + "; read back: the host was not changed (file and live values as before)";
        } else {
            status = "changed";
            msg = why + "; read back: the host IS CHANGED but not verified (" + fp.path() + " sha256 "
                    + now.restored() + (now.restored().equals(shaNew) ? ", the new text" : shaBefore.equals(
                    now.restored()) ? ", the original" : ", neither the original nor the new text")
                    + (liveSame ? "" : "; live values differ from before") + ")" + busy + hint;
        }
        journal.outcome(new Outcome(host, fp.path(), status, now.restored(), now.after(), msg,
                clock.instant().toString()));
        return new FileOutcome(planned(keys), false, Phase.APPLY, msg, false);
    }

    private FileOutcome finishFile(Transport t, FilePlan fp, FileFact fact, List<KeyPlan> keys, ExecResult r,
                                   ApplyOutput out) {
        if (out.lock() != null) {
            return new FileOutcome(planned(keys), false, Phase.APPLY, lockMessage(fp.path(), out.lock()), false);
        }
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
        List<String> pairs = new ArrayList<>();
        for (Map.Entry<String, String> e : out.before().entrySet()) {
            String now = out.after().get(e.getKey());
            if (e.getValue() != null && !SysctlValue.same(now, e.getValue())) {
                pairs.add(e.getKey() + "\t" + e.getValue()); // live values have no tab or newline (the scripts fold them)
            }
        }
        List<String> args = List.of(fp.path(), existed ? "1" : "0",
                existed ? fact.mode() : "0644", existed ? fact.owner() : "root", existed ? fact.group() : "root",
                existed ? fact.sha256() : "absent", String.valueOf(pairs.size()),
                out.written() != null ? out.written() : sha256(bytes(fp.newText())), runId);
        byte[] original = existed ? fact.content() : new byte[0];
        ExecResult r = t.exec(Command.script(RemoteScripts.UNDO, args).withStdin(RemoteShell.stdin(pairs, original)), timeout);
        ApplyOutput u = ApplyOutput.parse(r.stdoutText());
        String wantSha = existed ? fact.sha256() : "absent";
        List<String> problems = new ArrayList<>();
        if (u.lock() != null) {
            return new FileOutcome(planned(keys), false, Phase.UNDO, why + "; UNDO NOT DONE: "
                    + lockMessage(fp.path(), u.lock()) + " (local backup in " + backups.runDir() + ")", false);
        }
        if (u.conflict() != null) {
            return new FileOutcome(planned(keys), false, Phase.UNDO, why + "; UNDO NOT DONE: " + fp.path()
                    + " was changed by someone else since this run wrote it (sha256 now " + u.conflict()
                    + "): their edit is kept (local backup in " + backups.runDir() + ")", false);
        }
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

    /** The one-line message for a file whose lock another script holds ({@code lock}: locked|stale OWNER). */
    public static String lockMessage(String file, String lock) {
        String[] f = lock.split(" ");
        String owner = f.length >= 5 ? "run " + f[1] + " on " + f[2] + " since " + f[3] + ", pid " + f[4]
                : lock.substring(lock.indexOf(' ') + 1);
        return f[0].equals("stale")
                ? file + " has a STALE lock of " + owner + " (that script is gone: its run was killed): nothing was "
                + "changed; check the host, roll that run back (sysfleet rollback " + (f.length >= 2 ? f[1] : "RUN")
                + "), then remove " + file + ".sysfleet-lock"
                : file + " is locked by another sysfleet script (" + owner + "): nothing was changed; this host is "
                + "skipped, run again when that run is done";
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
