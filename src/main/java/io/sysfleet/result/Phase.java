package io.sysfleet.result;

import java.util.Locale;

/**
 * Where something happened or failed: the closed set of phases that errors, host results, the JSON report
 * ({@code "phase"}) and the JUnit report ({@code <failure type="PHASE">}) name. Reports write {@link #label()},
 * the lower-case name ({@code connect}, {@code verify}, ...).
 */
public enum Phase {
    // Talking to a host (a transport failure).
    /** TCP connect, SSH handshake, or a connection lost later. */
    CONNECT,
    /** SSH authentication. */
    AUTH,
    /** The host key check. */
    HOSTKEY,
    /** sudo (become) refused or wanted a password. */
    BECOME,
    /** A command could not run or timed out. */
    EXEC,

    // A host's pipeline.
    /** The host is not usable as the inventory describes it (e.g. a journaled host gone from the inventory). */
    INVENTORY,
    /** Reading the host's facts. */
    FACTS,
    /** Planning: variables, templates, values, keys the kernel lacks. */
    PLAN,
    /** The controller-side backup of a file. */
    BACKUP,
    /** Writing a file and loading it ({@code sysctl -p}). */
    APPLY,
    /** Reading the live values back. */
    VERIFY,
    /** Restoring a host after a failed apply. */
    UNDO,
    /** Restoring a host from a run's journal. */
    ROLLBACK,
    /** {@code diagnose}: measuring a host (the collector's one round trip). */
    COLLECT,
    /** {@code diagnose}: judging the measurements (the rules, the remedy check). */
    DIAGNOSE,

    // The controller.
    /** Invalid input files (inventory, playbook, YAML). */
    CONFIG,
    /** Decrypting vaulted inventory values and files, reading vault passwords. */
    VAULT,
    /** The run journal in the state directory. */
    JOURNAL,
    /** Writing a report file. */
    REPORT,
    /** Deleting old runs' state. */
    PRUNE,
    /** The local lab of containers. */
    LAB;

    /** The word reports and messages use: the lower-case name. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether a failure in this phase means the host was not reached (Ansible's UNREACHABLE). */
    public boolean unreachable() {
        return this == CONNECT || this == AUTH || this == HOSTKEY;
    }

    @Override
    public String toString() {
        return label();
    }
}
