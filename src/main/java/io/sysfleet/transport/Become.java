package io.sysfleet.transport;

import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Privilege escalation with sudo, the one become concept: run as {@code user}, with {@code password} (fed to sudo
 * on stdin, never on the command line) or without one ({@code sudo -n}, which fails at once if sudo would ask).
 * "No become" is the absence of a value ({@code null}) wherever a become is taken: in {@link SshOptions}, by
 * {@link LocalTransport}, on a {@link Command}, in the apply step's journal record. {@link #decide} is Ansible's
 * rule for which become a host gets; the password comes from {@value #PASSWORD_ENV} ({@link #password(Map)}).
 */
public record Become(String user, Secret password) {
    /** The environment variable holding the sudo password. */
    public static final String PASSWORD_ENV = "SYSFLEET_BECOME_PASSWORD";
    /** Ansible's default become user. */
    public static final String ROOT = "root";
    private static final Pattern USER = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,31}\\$?");

    public Become {
        Objects.requireNonNull(user, "user");
        if (!USER.matcher(user).matches()) {
            throw new IllegalArgumentException("invalid become user name: '" + user + "'");
        }
    }

    /** sudo to root without a password. */
    public static Become root() {
        return new Become(ROOT, null);
    }

    /** The become password from {@value #PASSWORD_ENV} in {@code env}, or null when it is not set. */
    public static Secret password(Map<String, String> env) {
        return Secret.fromEnv(env, PASSWORD_ENV);
    }

    /**
     * Ansible's rule: a host's connection variables ({@code ansible_become}, {@code ansible_become_user}) win over
     * the play's keywords ({@code become}, {@code become_user}); the user defaults to root.
     *
     * @param hostBecome {@code ansible_become} of the host, or null when the host does not set it
     * @param hostUser   {@code ansible_become_user}, or null
     * @param playBecome the play's {@code become}, or null when it does not set it
     * @param playUser   the play's {@code become_user}, or null
     * @return the become to use, or null for none
     */
    public static Become decide(Boolean hostBecome, String hostUser, Boolean playBecome, String playUser,
                                Secret password) {
        boolean become = hostBecome != null ? hostBecome : Boolean.TRUE.equals(playBecome);
        if (!become) {
            return null;
        }
        String user = hostUser != null ? hostUser : playUser != null ? playUser : ROOT;
        return new Become(user, password);
    }

    public boolean hasPassword() {
        return password != null;
    }

    @Override
    public String toString() {
        return "Become[user=" + user + (password == null ? "" : ", password=" + password) + "]";
    }
}
