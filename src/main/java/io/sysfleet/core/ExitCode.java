package io.sysfleet.core;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Documented process exit codes: the one table that the README's "Exit codes" section, every command's
 * {@code --help} and the code agree on (a test holds them together). Codes 0-5 and 99 are ansible-playbook's, so
 * a CI/CD gate written for Ansible keeps working; 6, 7, 8 and 9 are sysfleet's own. Meanings are written as in the
 * README (Markdown code spans in backticks).
 */
public enum ExitCode {
    OK(0, "success: every host ok or changed (and, for `check`, nothing to change; for `lab status`, every host up)"),
    ERROR(1, "runtime error on the controller (state directory, I/O, a bug)"),
    HOST_FAILED(2, "one or more hosts failed"),
    UNREACHABLE(3, "one or more hosts were unreachable (and none failed); `lab status`: a lab host is down"),
    CONFIG(4, "invalid inventory, playbook or YAML, found before any host is contacted (every problem is listed as "
            + "`file:line:col: message`)"),
    USAGE(5, "bad command-line usage (a bad `--limit` too)"),
    LINT(6, "`lint` found errors"),
    DRIFT(7, "`check` / `run --check` found drift: changes are pending"),
    FINDINGS(8, "`diagnose` found a finding at or above `--fail-on` (default `warning`)"),
    VAULT(9, "vault: no vault password was given for a vaulted file or value that is needed, or none of the given"
            + " passwords decrypts it"),
    INTERRUPTED(99, "interrupted (SIGINT/SIGTERM)");

    private final int code;
    private final String meaning;

    ExitCode(int code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }

    public int code() {
        return code;
    }

    /** The meaning as the README writes it (Markdown). */
    public String meaning() {
        return meaning;
    }

    /** The meaning as plain text (for {@code --help}): the README's, without Markdown backticks. */
    public String plainMeaning() {
        return meaning.replace("`", "");
    }

    /** The README's table: a header, then {@code | code | meaning |} per code. */
    public static String markdownTable() {
        StringBuilder sb = new StringBuilder("| code | meaning |\n|---|---|\n");
        for (ExitCode e : values()) {
            sb.append("| ").append(e.code).append(" | ").append(e.meaning).append(" |\n");
        }
        return sb.toString();
    }

    /** Code to plain meaning, in order, for the {@code Exit codes:} section of {@code --help}. */
    public static Map<String, String> helpList() {
        Map<String, String> out = new LinkedHashMap<>();
        for (ExitCode e : values()) {
            out.put(Integer.toString(e.code), e.plainMeaning());
        }
        return out;
    }
}
