package io.sysfleet.transport;

import io.sysfleet.result.Phase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The part every transport shares: file reads and atomic writes as POSIX shell scripts (so they work the
 * same over SSH and locally, with /bin/sh being dash or bash), the default become, and the translation of
 * sudo's refusals into clear errors. Subclasses only run a shell line.
 */
public abstract class ShellTransport implements Transport {
    private static final Pattern MODE = Pattern.compile("0?[0-7]{3,4}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,31}\\$?");

    /** cat a file; a clear message and exit 3 when it is missing or unreadable. */
    static final String READ_SCRIPT = """
            if [ ! -e "$1" ]; then echo "no such file: $1" >&2; exit 3; fi
            if [ -d "$1" ]; then echo "is a directory: $1" >&2; exit 3; fi
            exec cat -- "$1"
            """;

    /**
     * Atomic replace: temp file next to the target, content from stdin, mode/owner/group from the arguments or
     * the existing file, SELinux context copied when possible, fsync, rename. The trap removes the temp file
     * on every failure.
     */
    static final String WRITE_SCRIPT = """
            set -e
            f=$1; mode=$2; owner=$3; group=$4
            if [ -L "$f" ]; then f=$(readlink -f -- "$f"); fi
            dir=$(dirname -- "$f"); base=$(basename -- "$f")
            [ -d "$dir" ] || { echo "directory does not exist: $dir" >&2; exit 3; }
            tmp=$(mktemp "$dir/.$base.sysfleet.XXXXXX")
            trap 'rm -f "$tmp"' EXIT
            trap 'exit 143' TERM HUP INT
            cat > "$tmp"
            if [ -e "$f" ]; then
              chmod --reference="$f" "$tmp"
              if [ "$(id -u)" = 0 ]; then chown --reference="$f" "$tmp"; fi
              if command -v chcon >/dev/null 2>&1; then chcon --reference="$f" "$tmp" 2>/dev/null || true; fi
            else
              chmod 0644 "$tmp"
            fi
            if [ -n "$mode" ]; then chmod "$mode" "$tmp"; fi
            if [ -n "$owner" ]; then chown "$owner" "$tmp"; fi
            if [ -n "$group" ]; then chgrp "$group" "$tmp"; fi
            sync -- "$tmp" 2>/dev/null || sync
            mv -f -- "$tmp" "$f"
            sync -- "$dir" 2>/dev/null || true
            """;

    private final String host;
    private final Become defaultBecome;
    private final Duration fileTimeout;

    protected ShellTransport(String host, Become defaultBecome, Duration fileTimeout) {
        this.host = host;
        this.defaultBecome = defaultBecome;
        this.fileTimeout = fileTimeout;
    }

    @Override
    public String host() {
        return host;
    }

    /** The become applied to file operations and to commands without their own; may be null. */
    public Become defaultBecome() {
        return defaultBecome;
    }

    /** Runs the shell line of {@code cmd} with {@code stdin}; kills it after {@code timeout}. */
    protected abstract ExecResult run(Command cmd, Duration timeout);

    @Override
    public ExecResult exec(Command cmd, Duration timeout) {
        Command effective = cmd.becomeSpec() == null && defaultBecome != null ? cmd.become(defaultBecome) : cmd;
        ExecResult r = run(effective, timeout);
        checkSudo(effective, r);
        return r;
    }

    private void checkSudo(Command cmd, ExecResult r) {
        Become b = cmd.becomeSpec();
        if (b == null || r.ok()) {
            return;
        }
        String err = r.stderrText();
        if (err.contains("sudo: a password is required") || err.contains("sudo: a terminal is required")) {
            throw new TransportException(Phase.BECOME, host, "sudo requires a password to become " + b.user()
                    + "; set the become password environment variable (e.g. SYSFLEET_BECOME_PASSWORD)");
        }
        if (err.contains("incorrect password attempt") || err.contains("Sorry, try again")) {
            throw new TransportException(Phase.BECOME, host,
                    "sudo rejected the become password from " + b.password().source() + " for " + b.user());
        }
        if (err.contains("is not in the sudoers file") || err.contains("is not allowed to execute")
                || err.contains("may not run sudo")) {
            throw new TransportException(Phase.BECOME, host, "sudo refused to become " + b.user() + ": "
                    + firstLine(err));
        }
        if (err.contains("sudo: command not found") || err.contains("sudo: not found")) {
            throw new TransportException(Phase.BECOME, host, "sudo is not installed; cannot become " + b.user());
        }
    }

    @Override
    public byte[] readFile(String path) {
        requireAbsolute(path);
        ExecResult r = exec(Command.script(READ_SCRIPT, List.of(path)), fileTimeout);
        if (!r.ok()) {
            throw new TransportException(Phase.READ, host, "cannot read " + path + ": " + firstLine(r.stderrText()));
        }
        return r.stdout();
    }

    @Override
    public void writeFileAtomic(String path, byte[] content, String mode, String owner, String group) {
        requireAbsolute(path);
        if (mode != null && !MODE.matcher(mode).matches()) {
            throw new IllegalArgumentException("invalid file mode: '" + mode + "'");
        }
        for (String n : new String[] {owner, group}) {
            if (n != null && !NAME.matcher(n).matches()) {
                throw new IllegalArgumentException("invalid owner/group name: '" + n + "'");
            }
        }
        List<String> args = new ArrayList<>(List.of(path, nz(mode), nz(owner), nz(group)));
        ExecResult r = exec(Command.script(WRITE_SCRIPT, args).withStdin(content), fileTimeout);
        if (!r.ok()) {
            throw new TransportException(Phase.WRITE, host, "cannot write " + path + ": " + firstLine(r.stderrText()));
        }
    }

    private void requireAbsolute(String path) {
        if (path == null || !path.startsWith("/") || path.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("remote path must be absolute: '" + path + "'");
        }
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    static String firstLine(String s) {
        String t = s.strip();
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl);
    }
}
