package io.sysfleet.transport;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Privilege escalation with sudo: run as {@code user}, with {@code password} (fed to sudo on stdin, never on
 * the command line) or without one ({@code sudo -n}, which fails at once if sudo would ask).
 */
public record Become(String user, Secret password) {
    private static final Pattern USER = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,31}\\$?");

    public Become {
        Objects.requireNonNull(user, "user");
        if (!USER.matcher(user).matches()) {
            throw new IllegalArgumentException("invalid become user name: '" + user + "'");
        }
    }

    /** sudo to root without a password. */
    public static Become root() {
        return new Become("root", null);
    }

    public boolean hasPassword() {
        return password != null;
    }

    @Override
    public String toString() {
        return "Become[user=" + user + (password == null ? "" : ", password=" + password) + "]";
    }
}
