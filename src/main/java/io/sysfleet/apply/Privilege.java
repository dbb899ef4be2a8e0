package io.sysfleet.apply;

/** How commands ran on a host: through sudo or not, and as whom. Recorded so a rollback uses the same. */
public record Privilege(boolean become, String becomeUser) {
    public static Privilege none() {
        return new Privilege(false, null);
    }
}
