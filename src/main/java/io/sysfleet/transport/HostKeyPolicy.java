package io.sysfleet.transport;

/**
 * What to do with a host whose key is not in known_hosts. A key that differs from the recorded one is always
 * refused, whatever the policy.
 */
public enum HostKeyPolicy {
    /** Unknown hosts are refused before any command runs (the default). */
    STRICT,
    /** Unknown hosts are accepted and recorded in the known_hosts file (OpenSSH's {@code accept-new}). */
    ACCEPT_NEW;

    /** The word on the command line: {@code strict}, {@code accept-new}. */
    @Override
    public String toString() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
