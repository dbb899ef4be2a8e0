package io.sysfleet.lab;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The host profiles of the test image (src/image/usr/local/sbin/sysfleet-host-start): the release files a lab
 * host shows. Each has a short name used in host names ({@code deb12-a}).
 */
public enum LabProfile {
    DEBIAN12("debian12", "deb12"),
    CENTOS7("centos7", "c7"),
    CENTOS6("centos6", "c6"),
    CENTOS5("centos5", "c5");

    private final String id;
    private final String shortName;

    LabProfile(String id, String shortName) {
        this.id = id;
        this.shortName = shortName;
    }

    /** The profile argument of the container command, also the inventory group name. */
    public String id() {
        return id;
    }

    /** The prefix of host names of this profile. */
    public String shortName() {
        return shortName;
    }

    /** The profile named {@code name} (exact, lower case); otherwise an error listing the known ones. */
    public static LabProfile parse(String name) {
        for (LabProfile p : values()) {
            if (p.id.equals(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown lab profile '" + name + "' (known: " + known() + ")");
    }

    /** "debian12, centos7, centos6, centos5". */
    public static String known() {
        return Arrays.stream(values()).map(LabProfile::id).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return id.toLowerCase(Locale.ROOT);
    }
}
