package io.sysfleet.core;

/**
 * Documented process exit codes. Codes 0-4 and 99 follow ansible-playbook so a CI/CD gate written for
 * Ansible keeps working; 6, 7, 8 and 9 are sysfleet's own.
 */
public enum ExitCode {
    OK(0, "success: every host ok or changed"),
    ERROR(1, "runtime error on the controller (state directory, I/O, bug)"),
    HOST_FAILED(2, "one or more hosts failed"),
    UNREACHABLE(3, "one or more hosts were unreachable"),
    CONFIG(4, "invalid inventory, playbook or YAML"),
    USAGE(5, "bad command-line usage"),
    LINT(6, "lint found errors"),
    DRIFT(7, "check mode found drift (changes pending)"),
    FINDINGS(8, "diagnose found findings at or above --fail-on"),
    VAULT(9, "vault: no vault password, or none of the given passwords decrypts a vaulted value or file"),
    INTERRUPTED(99, "interrupted by the user (SIGINT/SIGTERM)");

    private final int code;
    private final String meaning;

    ExitCode(int code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }

    public int code() {
        return code;
    }

    public String meaning() {
        return meaning;
    }
}
