package io.sysfleet.plan;

/**
 * The setting of one key that wins at boot: the last line setting it in the last file (in boot order) that sets
 * it. See {@link BootOrder}.
 *
 * @param key the dotted key ({@link io.sysfleet.sysctl.SysctlKey#dottedForm})
 * @param value the value as sysctl reads it (trimmed)
 * @param file the file the line is in (/etc/sysctl.conf also when it is read through a sysctl.d symlink)
 * @param line 1-based line number
 */
public record BootSetting(String key, String value, String file, int line) {
    /** {@code file:line}. */
    public String location() {
        return file + ":" + line;
    }
}
