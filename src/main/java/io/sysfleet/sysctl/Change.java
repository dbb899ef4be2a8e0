package io.sysfleet.sysctl;

/**
 * One change the editor made.
 *
 * @param key the key
 * @param oldValue value before (null for APPENDED)
 * @param newValue value after (null for COMMENTED_OUT)
 * @param line 1-based line number of the changed or added line in the <em>new</em> text
 * @param kind what was done
 */
public record Change(SysctlKey key, String oldValue, String newValue, int line, Kind kind) {

    /** What the editor did to a line. */
    public enum Kind {
        /** The value of an existing line was replaced in place. */
        UPDATED,
        /** A new line was added under the sysfleet marker. */
        APPENDED,
        /** An active line was turned into a comment (state absent, or a superseded earlier duplicate). */
        COMMENTED_OUT
    }
}
