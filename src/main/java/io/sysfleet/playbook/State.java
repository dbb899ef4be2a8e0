package io.sysfleet.playbook;

/** The sysctl module's {@code state}. */
public enum State {
    PRESENT, ABSENT;

    /** The word used in playbooks. */
    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
