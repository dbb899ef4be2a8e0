package io.sysfleet.sysctl;

/**
 * A wanted state of one sysctl key in a file.
 *
 * @param key dotted ({@code net.ipv4.tcp_fin_timeout}) or path form ({@code net/ipv4/tcp_fin_timeout})
 * @param value the wanted value for PRESENT (compared whitespace-normalised); ignored (may be null) for ABSENT
 * @param state PRESENT: the file must set key to value; ABSENT: no active line may set key
 */
public record Desired(String key, String value, State state) {

    /** Whether the key must be set or must not be set. */
    public enum State { PRESENT, ABSENT }

    /** Shorthand for a PRESENT entry. */
    public static Desired present(String key, String value) {
        return new Desired(key, value, State.PRESENT);
    }

    /** Shorthand for an ABSENT entry. */
    public static Desired absent(String key) {
        return new Desired(key, null, State.ABSENT);
    }
}
