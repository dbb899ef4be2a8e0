package io.sysfleet.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which files sysfleet may manage on a host. By default only sysctl files: {@code /etc/sysctl.conf} and
 * {@code *.conf} files directly in {@code /etc/sysctl.d/}, {@code /run/sysctl.d/} and {@code /usr/lib/sysctl.d/},
 * the places systemd-sysctl and procps read. {@code --allow-sysctl-path PATH} adds one file, or with a trailing
 * '/' every file directly in that directory. A path must be normalised: absolute, no '.' or '..' segment, no
 * '//', no trailing '/', only letters, digits and {@code . _ + @ -}. Anything else (say {@code /etc/shadow}, whose
 * lines a read-only {@code check --diff} would otherwise print) is refused before any host is contacted.
 */
public final class SysctlPaths {
    private static final Pattern NORMAL = Pattern.compile("(?:/[A-Za-z0-9_.+@-]+)+");
    private static final List<String> DEFAULT_DIRS = List.of("/etc/sysctl.d/", "/run/sysctl.d/", "/usr/lib/sysctl.d/");
    private static final String DEFAULT_FILE = "/etc/sysctl.conf";
    private static final SysctlPaths DEFAULT = new SysctlPaths(List.of());

    private final List<String> allowed;

    private SysctlPaths(List<String> allowed) {
        this.allowed = List.copyOf(allowed);
    }

    /** The default policy: sysctl files only. */
    public static SysctlPaths defaults() {
        return DEFAULT;
    }

    /**
     * The default policy plus {@code extra} paths (files, or directories written with a trailing '/').
     *
     * @throws IllegalArgumentException naming an entry that is not a normalised absolute path
     */
    public static SysctlPaths allowing(List<String> extra) {
        List<String> ok = new ArrayList<>();
        for (String e : extra) {
            String bare = e.endsWith("/") && e.length() > 1 ? e.substring(0, e.length() - 1) : e;
            if (normalisation(bare).isPresent()) {
                throw new IllegalArgumentException("--allow-sysctl-path '" + printable(e) + "': "
                        + normalisation(bare).get());
            }
            ok.add(e);
        }
        return ok.isEmpty() ? DEFAULT : new SysctlPaths(ok);
    }

    /** Why {@code path} may not be managed, or empty when it may. */
    public Optional<String> refusal(String path) {
        Optional<String> bad = normalisation(path);
        if (bad.isPresent()) {
            return Optional.of("sysctl_file '" + printable(path) + "' " + bad.get());
        }
        if (path.equals(DEFAULT_FILE) || DEFAULT_DIRS.stream().anyMatch(d -> inDir(path, d) && path.endsWith(".conf"))
                || allowed.stream().anyMatch(a -> a.endsWith("/") ? inDir(path, a) : a.equals(path))) {
            return Optional.empty();
        }
        return Optional.of("sysctl_file '" + path + "' is not a sysctl file: sysfleet manages " + DEFAULT_FILE
                + " and *.conf in " + String.join(", ", DEFAULT_DIRS)
                + (allowed.isEmpty() ? "" : " and " + String.join(", ", allowed))
                + " (allow another path with --allow-sysctl-path)");
    }

    private static boolean inDir(String path, String dir) {
        return path.startsWith(dir) && path.indexOf('/', dir.length()) < 0 && path.length() > dir.length();
    }

    private static Optional<String> normalisation(String path) {
        if (path.isEmpty() || path.charAt(0) != '/') {
            return Optional.of("must be an absolute path");
        }
        if (path.contains("//") || path.length() > 1 && path.endsWith("/")) {
            return Optional.of("must be a normalised path (no '//', no trailing '/')");
        }
        for (String part : path.substring(1).split("/")) {
            if (part.equals(".") || part.equals("..")) {
                return Optional.of("must be a normalised path (no '.' or '..')");
            }
        }
        if (!NORMAL.matcher(path).matches()) {
            return Optional.of("may contain only letters, digits and . _ + @ - between '/'");
        }
        return Optional.empty();
    }

    private static String printable(String s) {
        return io.sysfleet.core.TerminalText.escape(s);
    }
}
