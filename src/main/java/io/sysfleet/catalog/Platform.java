package io.sysfleet.catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The operating system and kernel of one host, as far as they are known. Unknown parts are null.
 *
 * @param osId          the os-release {@code ID} ({@code centos}, {@code debian}, ...), lower case
 * @param osVersion     the release ({@code 5.11}, {@code 7.9.2009}, {@code 12})
 * @param kernelRelease {@code uname -r} ({@code 3.10.0-1160.el7.x86_64})
 */
public record Platform(String osId, String osVersion, String kernelRelease) {

    /** Distribution ids that belong to one family; an id not listed is its own family. */
    private static final Map<String, String> FAMILIES = Map.ofEntries(
            Map.entry("centos", "rhel"), Map.entry("rhel", "rhel"), Map.entry("rocky", "rhel"),
            Map.entry("almalinux", "rhel"), Map.entry("ol", "rhel"), Map.entry("scientific", "rhel"),
            Map.entry("debian", "debian"), Map.entry("ubuntu", "debian"), Map.entry("raspbian", "debian"),
            Map.entry("linuxmint", "debian"), Map.entry("devuan", "debian"),
            Map.entry("sles", "suse"), Map.entry("opensuse", "suse"), Map.entry("opensuse-leap", "suse"),
            Map.entry("opensuse-tumbleweed", "suse"));

    /** {@code /etc/redhat-release} distribution names, longest first, with their os-release ids. */
    private static final List<Map.Entry<String, String>> REDHAT_NAMES = List.of(
            Map.entry("red hat enterprise linux", "rhel"), Map.entry("centos stream", "centos"),
            Map.entry("centos", "centos"), Map.entry("rocky linux", "rocky"), Map.entry("almalinux", "almalinux"),
            Map.entry("scientific linux", "scientific"), Map.entry("oracle linux", "ol"),
            Map.entry("fedora", "fedora"));

    private static final Pattern REDHAT_RELEASE = Pattern.compile("\\brelease\\s+([0-9]+(?:\\.[0-9]+)*)");
    private static final Pattern LEADING_VERSION = Pattern.compile("^([0-9]+(?:\\.[0-9]+)*)");

    public Platform {
        osId = blankToNull(osId);
        osId = osId == null ? null : osId.toLowerCase(Locale.ROOT);
        osVersion = blankToNull(osVersion);
        kernelRelease = blankToNull(kernelRelease);
    }

    /** A platform of which nothing is known: keys resolve to their modern names. */
    public static Platform unknown() {
        return new Platform(null, null, null);
    }

    /**
     * Works out the platform from the texts of {@code /etc/os-release}, {@code /etc/redhat-release} and
     * {@code uname -r}; each may be null (file absent). Pure: reads nothing itself.
     * os-release's {@code ID} and {@code VERSION_ID} come first; {@code /etc/redhat-release} fills in what
     * os-release lacks (CentOS 5 and 6 have no os-release) and gives the full point release when both name
     * the same distribution and major version (CentOS 7 os-release says only {@code 7}).
     */
    public static Platform detect(String osReleaseText, String redhatReleaseText, String kernelRelease) {
        String id = null;
        String version = null;
        if (osReleaseText != null) {
            for (String line : osReleaseText.split("\\R")) {
                String l = line.strip();
                int eq = l.indexOf('=');
                if (l.startsWith("#") || eq <= 0) {
                    continue;
                }
                String key = l.substring(0, eq).strip();
                String value = unquote(l.substring(eq + 1).strip());
                if (key.equals("ID")) {
                    id = value;
                } else if (key.equals("VERSION_ID")) {
                    version = value;
                }
            }
        }
        String rhId = null;
        String rhVersion = null;
        if (redhatReleaseText != null) {
            String first = redhatReleaseText.strip().split("\\R", 2)[0];
            String lower = first.toLowerCase(Locale.ROOT);
            for (Map.Entry<String, String> e : REDHAT_NAMES) {
                if (lower.startsWith(e.getKey())) {
                    rhId = e.getValue();
                    break;
                }
            }
            Matcher m = REDHAT_RELEASE.matcher(lower);
            if (rhId != null && m.find()) {
                rhVersion = m.group(1);
            }
        }
        id = blankToNull(id);
        version = blankToNull(version);
        if (id == null && rhId != null) {
            id = rhId;
            version = rhVersion;
        } else if (rhId != null && rhId.equals(id) && rhVersion != null
                && (version == null || rhVersion.startsWith(version + "."))) {
            version = rhVersion;
        }
        String kernel = kernelRelease == null ? null : kernelRelease.strip();
        return new Platform(id, version, kernel);
    }

    /** The major release number ({@code 5} for {@code 5.11}), or -1 when unknown. */
    public int majorVersion() {
        if (osVersion == null) {
            return -1;
        }
        Matcher m = Pattern.compile("^([0-9]{1,9})").matcher(osVersion);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    /**
     * Whether the kernel is at least {@code version}, comparing the numeric upstream part
     * ({@code 2.6.18-398.el5} is 2.6.18; {@code 4.12.0-rc1} counts as 4.12). False when the kernel is unknown
     * or {@code version} is not a version.
     */
    public boolean kernelAtLeast(String version) {
        List<Long> have = numbers(kernelRelease);
        List<Long> want = numbers(version);
        if (have.isEmpty() || want.isEmpty()) {
            return false;
        }
        for (int i = 0; i < Math.max(have.size(), want.size()); i++) {
            long a = i < have.size() ? have.get(i) : 0;
            long b = i < want.size() ? want.get(i) : 0;
            if (a != b) {
                return a > b;
            }
        }
        return true;
    }

    /** The distribution family: {@code rhel} for CentOS, RHEL, Rocky, Alma; {@code debian}; ...; null if unknown. */
    public String family() {
        return osId == null ? null : FAMILIES.getOrDefault(osId, osId);
    }

    /**
     * The tag the catalog uses for per-platform names: family and major version ({@code rhel5}), or null
     * when either is unknown.
     */
    public String tag() {
        String f = family();
        int major = majorVersion();
        return f == null || major < 0 ? null : f + major;
    }

    private static List<Long> numbers(String version) {
        List<Long> out = new ArrayList<>();
        if (version == null) {
            return out;
        }
        Matcher m = LEADING_VERSION.matcher(version.strip());
        if (!m.find()) {
            return out;
        }
        for (String part : m.group(1).split("\\.")) {
            if (part.length() > 18) {
                return List.of();
            }
            out.add(Long.parseLong(part));
        }
        return out;
    }

    private static String unquote(String v) {
        if (v.length() >= 2 && (v.charAt(0) == '"' || v.charAt(0) == '\'') && v.charAt(v.length() - 1) == v.charAt(0)) {
            return v.substring(1, v.length() - 1);
        }
        return v;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
