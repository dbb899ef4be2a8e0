package io.sysfleet.sysctl;

/**
 * One line of a sysctl.conf file, with its exact original text.
 *
 * <p>{@code raw} is the whole line including its ending; {@code raw == prefix + value + suffix + ending}
 * holds for {@link Kind#SETTING} lines, so the value can be replaced without touching anything else.
 *
 * @param number 1-based line number
 * @param raw the exact line text including its line ending
 * @param ending "\n", "\r\n" or "" (last line without newline)
 * @param kind what sysctl makes of the line
 * @param key for SETTING and EXCLUDE lines the dotted key (see {@link SysctlKey#dottedForm}; may be a glob), else null
 * @param ignoreFailure the key was written with a leading '-' (sysctl ignores errors setting it)
 * @param prefix text before the value: indentation, optional '-', key, spacing, '=', spacing
 * @param value the value exactly as sysctl reads it (rest of the line, whitespace-trimmed); null if not a SETTING
 * @param suffix trailing whitespace after the value, before the line ending
 */
public record SysctlLine(int number, String raw, String ending, Kind kind, String key, boolean ignoreFailure,
                         String prefix, String value, String suffix) {

    /** How procps sysctl -p treats a line. */
    public enum Kind {
        /** Empty or whitespace only. */
        BLANK,
        /** First non-blank character is '#' or ';'. */
        COMMENT,
        /** {@code key = value} (also {@code -key = value}): sysctl writes value to key. */
        SETTING,
        /** {@code -key} without '=': a glob exclusion for sysctl; never edited. */
        EXCLUDE,
        /** Anything else (no '=', empty key, whitespace in the key): sysctl warns or skips it; kept as is. */
        INVALID
    }

    /** The line text without its line ending. */
    public String content() {
        return raw.substring(0, raw.length() - ending.length());
    }

    /** True for a line sysctl -p would apply. */
    public boolean isSetting() {
        return kind == Kind.SETTING;
    }
}
