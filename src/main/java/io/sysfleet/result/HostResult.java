package io.sysfleet.result;

import java.util.List;

/**
 * The outcome of one play on one host. Built for every host, whatever happened: a failure on a host is its
 * result, never an exception that stops the fleet.
 *
 * @param host     inventory name
 * @param status   overall outcome
 * @param keys     per-key outcomes (empty when the host was not reached)
 * @param diffs    unified diffs of the file edits (planned in check mode, applied otherwise)
 * @param warnings notes that do not fail the host
 * @param phase    where it failed (connect, facts, plan, apply, verify, undo, ...), or null
 * @param error    one-line error, or null
 * @param undone   whether a failed apply was rolled back (file bytes and live values restored and verified)
 * @param elapsedMs how long the host took, in milliseconds (0 when not measured)
 */
public record HostResult(String host, Status status, List<KeyResult> keys, List<String> diffs, List<String> warnings,
                         Phase phase, String error, boolean undone, long elapsedMs) {

    public HostResult {
        keys = List.copyOf(keys);
        diffs = List.copyOf(diffs);
        warnings = List.copyOf(warnings);
    }

    /** A result whose time is not measured (yet): the scheduler adds it with {@link #withElapsed}. */
    public HostResult(String host, Status status, List<KeyResult> keys, List<String> diffs, List<String> warnings,
                      Phase phase, String error, boolean undone) {
        this(host, status, keys, diffs, warnings, phase, error, undone, 0);
    }

    public HostResult withElapsed(java.time.Duration elapsed) {
        return new HostResult(host, status, keys, diffs, warnings, phase, error, undone, elapsed.toMillis());
    }

    /** Overall outcome per host, as in Ansible's recap. */
    public enum Status {
        OK, CHANGED, FAILED, UNREACHABLE, SKIPPED;

        /** The word reports and the journal use: the lower-case name. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public static HostResult failure(String host, Status status, Phase phase, String error) {
        return new HostResult(host, status, List.of(), List.of(), List.of(), phase, error, false);
    }

    /** A host that was selected but not run (an earlier batch crossed a failure threshold, or interrupted). */
    public static HostResult notRun(String host, String why) {
        return new HostResult(host, Status.SKIPPED, List.of(), List.of(), List.of(), null, "not run: " + why, false);
    }

    public long changedKeys() {
        return keys.stream().filter(KeyResult::changed).count();
    }
}
