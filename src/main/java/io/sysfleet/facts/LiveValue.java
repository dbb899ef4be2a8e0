package io.sysfleet.facts;

/**
 * A key's live kernel value as read from /proc/sys. {@code value} is the text without its trailing newline
 * (multi-field values keep their tabs), and is null unless {@code state} is PRESENT.
 */
public record LiveValue(State state, String value) {

    /** What /proc/sys/&lt;path&gt; turned out to be. */
    public enum State {
        /** The key exists and was read. */
        PRESENT,
        /** The kernel has no such key (e.g. tcp_tw_recycle since Linux 4.12, a module not loaded). */
        ABSENT,
        /** The key exists but the connecting user cannot read it. */
        UNREADABLE,
        /** The path is a directory, not a key. */
        DIRECTORY,
        /** The probe refused the key (it would leave /proc/sys). */
        INVALID
    }

    public LiveValue {
        if ((state == State.PRESENT) != (value != null)) {
            throw new IllegalArgumentException("value must be given exactly when the key is present");
        }
    }

    public boolean present() {
        return state == State.PRESENT;
    }
}
