package io.sysfleet.transport;

/**
 * Shell text the remote scripts share, and the one file writer that runs on hosts. User data never becomes part
 * of it: scripts get their data as positional arguments and on stdin ({@link Command#script}). Only POSIX sh and
 * coreutils are used, so it runs on dash, minbase Debian and CentOS 5.
 */
public final class RemoteShell {
    /**
     * The one place the remote scripts take {@code /proc/sys} from: {@code $proc}, which is
     * {@code $SYSFLEET_PROC_SYS} when that is set and {@code /proc/sys} otherwise. It is a test seam: unit tests
     * run the production scripts through the local transport against a temporary directory (with a sysctl test
     * double on PATH) so that they never touch this machine's kernel. On a real host the variable is never set:
     * sshd passes no such variable and sudo resets the environment.
     */
    public static final String PROC_SYS_ENV = "SYSFLEET_PROC_SYS";

    /** Sets {@code $proc}; the first line of every script that reads or writes live values. */
    public static final String PROC = "proc=${" + PROC_SYS_ENV + ":-/proc/sys}\n";

    /**
     * The functions of the scripts that change hosts (apply, undo, restore):
     * <ul>
     *   <li>{@code sha FILE}: its sha256 (through a symlink), or {@code absent};</li>
     *   <li>{@code val PATH}: the live value under {@code $proc}, tabs and newlines folded to spaces;</li>
     *   <li>{@code errlines TEXT}: each line as a {@code stderr} record;</li>
     *   <li>{@code put FILE MODE OWNER GROUP SHA < BYTES}: <b>the one file writer</b>. It writes through a
     *       symlink: the file the link resolves to is replaced and the link stays a link (Debian's
     *       {@code /etc/sysctl.d/99-sysctl.conf -> ../sysctl.conf}, or a symlinked /etc/sysctl.conf). The bytes go
     *       to a temporary file in that file's directory; it is installed (renamed over the file) only if the bytes
     *       received have the sha256 the controller announced, so a controller that dies mid-send never leaves a
     *       torn file; it gets MODE, OWNER:GROUP and the file's SELinux context ({@code chcon --reference}, where
     *       the file has one) and is fsynced before the rename, the directory after. Any failure (a read-only
     *       directory, a bad owner, a hash mismatch) removes the temporary file and leaves the file as it
     *       was; the exit status says so.</li>
     * </ul>
     * The scripts ignore SIGHUP and SIGPIPE: a change is never left half-done because the controller died.
     */
    public static final String LIB = PROC + """
            set -u
            umask 077
            trap '' HUP PIPE
            sha() { if [ -e "$1" ]; then sha256sum < "$1" | cut -d' ' -f1; else echo absent; fi; }
            val() { if [ -r "$proc/$1" ]; then printf '%s' "$(cat "$proc/$1" 2>/dev/null)" | tr '\\t\\n' '  '; return 0; fi; return 1; }
            errlines() { printf '%s\\n' "$1" | while IFS= read -r l; do [ -n "$l" ] && printf 'stderr\\t%s\\n' "$l"; done; }
            label() { # label REF FILE: FILE gets REF's SELinux context; a failure counts only where REF has one
              [ -e "$1" ] || return 0
              command -v chcon >/dev/null 2>&1 || return 0
              chcon --reference="$1" "$2" 2>/dev/null && return 0
              ctx=$(stat -c %C -- "$1" 2>/dev/null) || return 0
              case "$ctx" in ''|'?') return 0 ;; esac
              return 1
            }
            put() {
              t=$1
              if [ -L "$t" ]; then t=$(readlink -f -- "$1") || return 1; fi
              d=$(dirname -- "$t"); b=$(basename -- "$t")
              tmp=$(mktemp "$d/.$b.sysfleet.XXXXXX" 2>/dev/null) || return 1
              if ! { cat > "$tmp" && [ "$(sha "$tmp")" = "$5" ] && chmod "$2" "$tmp" && chown "$3:$4" "$tmp" \\
                  && label "$t" "$tmp" && { sync "$tmp" 2>/dev/null || sync; } && mv -f -- "$tmp" "$t"; }; then
                rm -f "$tmp"; return 1
              fi
              sync "$d" 2>/dev/null || true
            }
            """;

    private RemoteShell() {
    }
}
