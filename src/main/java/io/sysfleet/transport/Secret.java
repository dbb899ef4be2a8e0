package io.sysfleet.transport;

import java.util.Map;
import java.util.Objects;

/**
 * A secret value (a password) read from an environment variable. Its {@link #toString()} never shows the
 * value, so it can sit in records and log lines safely; only {@link #reveal()} gives it out.
 */
public final class Secret {
    private final String source;
    private final String value;

    private Secret(String source, String value) {
        this.source = source;
        this.value = value;
    }

    /**
     * The value of environment variable {@code name} in {@code env}, or {@code null} when it is unset or empty.
     * Secrets are taken from the environment only, never from command-line values.
     */
    public static Secret fromEnv(Map<String, String> env, String name) {
        Objects.requireNonNull(name, "name");
        String v = env.get(name);
        return v == null || v.isEmpty() ? null : new Secret("$" + name, v);
    }

    /** A secret given directly (tests, interactive prompts); {@code source} names where it came from. */
    public static Secret of(String source, String value) {
        return new Secret(Objects.requireNonNull(source), Objects.requireNonNull(value));
    }

    /** The clear text; pass it only to the place that needs it (stdin of sudo, the SSH library). */
    public String reveal() {
        return value;
    }

    /** Where the secret came from, e.g. {@code $SYSFLEET_BECOME_PASSWORD}. */
    public String source() {
        return source;
    }

    @Override
    public String toString() {
        return "****(" + source + ")";
    }
}
