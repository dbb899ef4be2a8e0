package io.sysfleet.catalog;

import io.sysfleet.sysctl.SysctlKey;

/**
 * What a requested key means on one platform.
 *
 * @param requested    the key as the playbook wrote it
 * @param name         the name to use on that platform (the requested key when the catalog does not know it)
 * @param availability whether the key can be written there
 * @param reason       a short human explanation, never null (for example "removed in Linux 4.12")
 */
public record KeyResolution(SysctlKey requested, SysctlKey name, Availability availability, String reason) {

    /** Whether a key can be written on a platform. */
    public enum Availability {
        /** The key exists on the platform (as far as the catalog knows; callers still check /proc/sys). */
        AVAILABLE,
        /** The platform's kernel is at or above the version that removed the key. */
        REMOVED,
        /** The catalog does not know the key; callers warn and may still use it. */
        UNKNOWN_KEY
    }
}
