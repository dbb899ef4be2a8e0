package io.sysfleet.template;

/**
 * A value that is data, never a template: what a host reports (facts, command output), as Ansible marks such
 * values {@code !unsafe}. Wrap it with {@link #of} wherever it sits (a whole variable, or one entry of a list or
 * mapping); the engine hands the wrapped value to expressions as it is and never renders its strings, however
 * many {@code {{ }}} they contain.
 */
public record Unsafe(Object value) {

    /** Wraps a value; wrapping twice gives one wrapper. */
    public static Unsafe of(Object value) {
        return value instanceof Unsafe u ? u : new Unsafe(value);
    }
}
