package io.sysfleet.result;

import io.sysfleet.sysctl.SysctlKey;

/**
 * The outcome of one key on one host, for reports.
 *
 * @param task     the task's name
 * @param key      the key's name on the host's platform (null for a line that is about a whole file)
 * @param planned  the value wanted (null for state absent)
 * @param before   the live value before the run (null: no such key)
 * @param after    the live value read back at the end (null: not read or no such key)
 * @param changed  whether the run changed the file line or the live value of this key
 * @param verified whether the live value read back equals the planned one
 * @param skipped  whether the task did not apply to this host ({@code when} false, superseded)
 * @param note     explanation: "already set", "absent on this kernel, already off", ...
 * @param error    the kernel's or sysfleet's words when the key failed, else null
 */
public record KeyResult(String task, SysctlKey key, String planned, String before, String after, boolean changed,
                        boolean verified, boolean skipped, String note, String error) {
}
