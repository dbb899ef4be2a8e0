package io.sysfleet.plan;

import io.sysfleet.facts.BootFiles.Entry;
import io.sysfleet.facts.BootFiles.Listing;
import io.sysfleet.facts.BootFiles.State;
import io.sysfleet.facts.BootFiles;
import io.sysfleet.sysctl.SysctlFile;
import io.sysfleet.sysctl.SysctlKey;
import io.sysfleet.sysctl.SysctlLine;
import io.sysfleet.sysctl.SysctlValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which sysctl setting wins at boot (pure). The rule sysfleet models:
 *
 * <ol>
 *   <li><b>sysctl.d files</b> (systemd-sysctl, sysctl.d(5); procps {@code sysctl --system} alike): the
 *       {@code *.conf} entries of /etc/sysctl.d, /run/sysctl.d, /usr/local/lib/sysctl.d, /usr/lib/sysctl.d,
 *       /lib/sysctl.d. An entry masks every same-named entry in a later directory; an entry that is a symlink to
 *       /dev/null masks and is itself empty. The surviving files are sorted by file name (byte order), whatever
 *       their directory, and applied in that order; within and across files the last setting of a key wins.
 *       Entries that are not files (a directory named x.conf) are ignored, as systemd does; dangling symlinks
 *       are skipped (both readers warn and go on).</li>
 *   <li><b>/etc/sysctl.conf</b> depends on the reader ({@link #reader}):
 *     <ul>
 *       <li>{@link Reader#SYSCTL_CONF_ONLY} when no sysctl.d directory exists at all (CentOS 5/6 rc.sysinit
 *           runs {@code sysctl -p /etc/sysctl.conf}): only that file, nothing can shadow it;</li>
 *       <li>{@link Reader#SYSTEMD_SYSCTL} when a surviving sysctl.d entry resolves to /etc/sysctl.conf (Debian,
 *           Ubuntu, RHEL 7+ ship {@code /etc/sysctl.d/99-sysctl.conf -> ../sysctl.conf} with systemd, and
 *           systemd-sysctl reads /etc/sysctl.conf only through such a link): /etc/sysctl.conf is read at that
 *           entry's position, so {@code 99-tuning.conf} (sorted after {@code 99-sysctl.conf}) overrides it;</li>
 *       <li>{@link Reader#PROCPS_SYSTEM} otherwise (procps {@code sysctl --system}, used by sysvinit's
 *           /etc/init.d/procps and by images without systemd): /etc/sysctl.conf is read last, so nothing in
 *           sysctl.d can override it.</li>
 *     </ul></li>
 * </ol>
 * Glob lines ({@code net.ipv4.conf.*.rp_filter = 1}) and exclusions ({@code -net.ipv4.conf.lo.rp_filter}) are
 * ignored: only settings of literal keys are matched.
 *
 * <p>Known gaps (documented, not modelled): a systemd host without the 99-sysctl.conf link does not read
 * /etc/sysctl.conf at boot at all (we model it as read last); procps 3.3 lists /run/sysctl.d before
 * /etc/sysctl.d (only matters for a name present in both); CentOS 6 with an administrator-made /etc/sysctl.d
 * applies its files after /etc/sysctl.conf (we model CentOS 6 hosts, which have no sysctl.d, as conf-only).
 */
public final class BootOrder {

    /** Who applies the files at boot; see the class comment. */
    public enum Reader {
        SYSTEMD_SYSCTL, PROCPS_SYSTEM, SYSCTL_CONF_ONLY
    }

    /**
     * A file applied at boot.
     *
     * @param path the file as messages name it: /etc/sysctl.conf also when it is read through a sysctl.d link
     * @param via the sysctl.d entry it is read through (e.g. /etc/sysctl.d/99-sysctl.conf), or null
     * @param content its bytes
     */
    public record Source(String path, String via, byte[] content) {
        @Override
        public String toString() {
            return path + (via != null ? " (via " + via + ")" : "");
        }
    }

    /** The boot value cannot be told: a file that is applied could not be read or was cut by the size cap. */
    public static final class IncompleteException extends RuntimeException {
        public IncompleteException(String message) {
            super(message);
        }
    }

    private static final Comparator<String> BY_NAME = (a, b) -> {
        // strcmp on UTF-8 bytes orders like code points, not like Java's UTF-16 compareTo
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    };

    private BootOrder() {
    }

    /** The reader this host is modelled with (see the class comment). */
    public static Reader reader(Listing listing) {
        if (listing.noSysctlD()) {
            return Reader.SYSCTL_CONF_ONLY;
        }
        String main = listing.sysctlConf().realPath();
        return sysctlD(listing).stream().anyMatch(e -> e.realPath().equals(main))
                ? Reader.SYSTEMD_SYSCTL : Reader.PROCPS_SYSTEM;
    }

    /** The files in the order they are applied at boot, with the reader chosen by {@link #reader}. */
    public static List<Source> order(Listing listing) {
        return order(listing, reader(listing));
    }

    /**
     * The files in the order {@code reader} applies them.
     *
     * @throws IncompleteException when a file that is applied is unreadable or was left out by the size cap
     */
    public static List<Source> order(Listing listing, Reader reader) {
        Entry main = listing.sysctlConf();
        List<Source> out = new ArrayList<>();
        if (reader != Reader.SYSCTL_CONF_ONLY) {
            for (Entry e : sysctlD(listing)) {
                if (e.realPath().equals(main.realPath())) {
                    // the 99-sysctl.conf -> ../sysctl.conf link: read /etc/sysctl.conf here
                    add(out, main, e.path());
                } else {
                    add(out, e, null);
                }
            }
        }
        if (reader != Reader.SYSTEMD_SYSCTL) {
            add(out, main, null);
        }
        return Collections.unmodifiableList(out);
    }

    /** The sysctl.d entries that survive masking, sorted by name; /dev/null masks are dropped. */
    private static List<Entry> sysctlD(Listing listing) {
        Map<String, Entry> byName = new LinkedHashMap<>();
        for (BootFiles.Dir d : listing.dirs()) {
            if (!d.exists()) {
                continue;
            }
            for (Entry e : listing.entriesIn(d.path())) {
                if (!e.symlink() && e.state() == State.OTHER) {
                    continue; // a directory named x.conf: not a config file, masks nothing
                }
                byName.putIfAbsent(e.name(), e);
            }
        }
        List<Entry> sorted = new ArrayList<>(byName.values());
        sorted.removeIf(Entry::masked);
        sorted.sort(Comparator.comparing(Entry::name, BY_NAME));
        return sorted;
    }

    private static void add(List<Source> out, Entry e, String via) {
        switch (e.state()) {
            case FILE -> out.add(new Source(e.path(), via, e.content()));
            case MISSING, OTHER -> {
                // nothing to read: systemd-sysctl and procps warn and go on
            }
            case UNREADABLE -> throw new IncompleteException(
                    "cannot tell the boot value: " + e.path() + " is not readable");
            case SKIPPED -> throw new IncompleteException("cannot tell the boot value: the boot files exceed "
                    + BootFiles.MAX_BYTES + " bytes, " + e.path() + " was not read");
        }
    }

    /**
     * For each key (dotted, {@link SysctlKey#dottedForm}), the setting that wins at boot: the last setting in
     * the last source that sets it. Files are parsed with {@link SysctlFile}, exactly as sysctl reads them
     * (bytes that are not UTF-8 only affect values); glob keys are ignored.
     */
    public static Map<String, BootSetting> effective(List<Source> sources) {
        Map<String, BootSetting> out = new LinkedHashMap<>();
        for (Source s : sources) {
            for (SysctlLine line : SysctlFile.parse(new String(s.content(), StandardCharsets.UTF_8)).lines()) {
                if (line.isSetting() && !isGlob(line.key())) {
                    out.put(line.key(), new BootSetting(line.key(), line.value(), s.path(), line.number()));
                }
            }
        }
        return Collections.unmodifiableMap(out);
    }

    private static boolean isGlob(String key) {
        return key.indexOf('*') >= 0 || key.indexOf('?') >= 0 || key.indexOf('[') >= 0;
    }

    /**
     * Judges the files as they are now: a message when the key's boot value comes from a file other than
     * {@code managedFile} with a value different from {@code desiredValue} (compared whitespace-normalised),
     * e.g. {@code will not survive a reboot: /etc/sysctl.d/99-tuning.conf:3 sets net.ipv4.tcp_fin_timeout = 60
     * after /etc/sysctl.conf}; also when {@code managedFile} does not set the key at all. Empty when no file
     * sets the key, when {@code managedFile} wins, or when the winning value equals {@code desiredValue}.
     * For check mode before a change use {@link #shadowedAfterApply}, which does not flag files that are read
     * before {@code managedFile}.
     */
    public static Optional<String> shadowed(Map<String, BootSetting> effective, SysctlKey key, String desiredValue,
                                            String managedFile) {
        String k = key.dotted();
        BootSetting s = effective.get(k);
        if (s == null || s.file().equals(managedFile) || SysctlValue.same(s.value(), desiredValue)) {
            return Optional.empty();
        }
        return Optional.of("will not survive a reboot: " + s.location() + " sets " + k + " = " + s.value()
                + " after " + managedFile);
    }

    /**
     * Check mode: would {@code key = desiredValue}, written to {@code managedFile} by this run, survive a
     * reboot? Simulates the edit (the managed file then sets the key last) and applies {@link #order} and
     * {@link #effective} to the result. Messages: {@code will not survive a reboot: F:L sets K = V after
     * MANAGED}, or {@code will not survive a reboot: MANAGED is not read at boot} (e.g. a sysctl.d file masked
     * by a same-named file in an earlier directory, or a path outside the boot files).
     *
     * @throws IncompleteException as {@link #order(Listing)}
     */
    public static Optional<String> shadowedAfterApply(Listing listing, SysctlKey key, String desiredValue,
                                                      String managedFile) {
        String k = key.dotted();
        Listing after = withSetting(listing, managedFile, k, desiredValue);
        List<Source> sources = order(after);
        boolean read = sources.stream().anyMatch(s -> s.path().equals(managedFile));
        BootSetting s = effective(sources).get(k);
        boolean same = s != null && SysctlValue.same(s.value(), desiredValue);
        if (!read) {
            return same ? Optional.empty()
                    : Optional.of("will not survive a reboot: " + managedFile + " is not read at boot"
                            + (s != null ? "; " + s.location() + " sets " + k + " = " + s.value() : ""));
        }
        if (s == null || s.file().equals(managedFile) || same) {
            return Optional.empty();
        }
        return Optional.of("will not survive a reboot: " + s.location() + " sets " + k + " = " + s.value()
                + " after " + managedFile);
    }

    /** The listing as it would be with {@code key = value} appended to {@code file} (created if missing). */
    private static Listing withSetting(Listing l, String file, String key, String value) {
        Entry main = l.sysctlConf();
        if (main.path().equals(file)) {
            return new Listing(l.dirs(), l.entries(), appended(main, key, value));
        }
        List<Entry> entries = new ArrayList<>();
        boolean found = false;
        for (Entry e : l.entries()) {
            if (e.path().equals(file)) {
                entries.add(appended(e, key, value));
                found = true;
            } else {
                entries.add(e);
            }
        }
        int slash = file.lastIndexOf('/');
        String dir = slash > 0 ? file.substring(0, slash) : "/";
        boolean known = l.dirs().stream().anyMatch(d -> d.exists() && d.path().equals(dir));
        if (!found && known && file.endsWith(".conf")) {
            entries.add(new Entry(dir, file.substring(slash + 1), file, null, null, State.FILE,
                    line(key, value)));
        }
        return new Listing(l.dirs(), entries, main);
    }

    private static Entry appended(Entry e, String key, String value) {
        if (e.masked() || e.state() == State.UNREADABLE || e.state() == State.SKIPPED || e.state() == State.OTHER) {
            return e; // an edit cannot change what boot reads here (masked), or we cannot tell
        }
        byte[] old = e.state() == State.FILE ? e.content() : new byte[0];
        byte[] add = line(key, value);
        byte[] all = new byte[old.length + 1 + add.length];
        System.arraycopy(old, 0, all, 0, old.length);
        all[old.length] = '\n';
        System.arraycopy(add, 0, all, old.length + 1, add.length);
        return new Entry(e.dir(), e.name(), e.path(), e.symlinkTarget(), e.resolved(), State.FILE, all);
    }

    private static byte[] line(String key, String value) {
        return (key + " = " + value + "\n").getBytes(StandardCharsets.UTF_8);
    }
}
