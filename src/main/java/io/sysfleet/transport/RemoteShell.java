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
     * Hex encoding for the probes that read hosts (facts, boot files), with as few processes as can be:
     * <ul>
     *   <li>{@code hex [FILE...]}: the FILEs (or stdin) in lower-case hex ({@code od} and {@code tr}: two processes,
     *       any bytes);</li>
     *   <li>{@code shex SIZE [FILE...]}: the FILEs (or stdin) in hex, as {@code hex} prints them, given their total
     *       size; at most 64 KiB it takes one process: {@code od}'s words are joined by the {@code printf} builtin
     *       (the shell holds them all, so only for a small input). It resets {@code IFS} to the default;</li>
     *   <li>{@code ahex S}: prints S in hex with shell builtins only (no process at all) when S is plain ASCII
     *       (letters, digits, space, tab and {@code ._:/@+=,-}: every key path, kernel release, owner name and
     *       nearly every live value), else through {@code hex}: the same bytes either way.</li>
     * </ul>
     * A probe that hex-encoded each short string with its own {@code printf | od | tr} pipeline spawned about 90
     * processes per host for six keys (130 ms of a host's CPU, against 16 ms for the bare ssh loop's whole remote
     * command: docs/performance.md).
     */
    public static final String HEX = """
            hex() { od -An -tx1 -v -- "$@" | tr -d ' \\n'; }
            shex() {
              _z=$1; shift
              case "$_z" in ''|*[!0-9]*) _z=65537 ;; esac
              if [ "$_z" -le 65536 ]; then unset IFS; printf '%s' $(od -An -tx1 -v -- "$@"); else hex "$@"; fi
            }
            ahex() {
              case "$1" in *[!A-Za-z0-9._:/@+=,\\ \\\t-]*) printf '%s' "$1" | hex; return ;; esac
              _s=$1
              while [ -n "$_s" ]; do _r=${_s#?}; _c=${_s%"$_r"}; printf '%02x' "'$_c"; _s=$_r; done
            }
            """;

    /**
     * The functions of the scripts that change hosts (apply, undo, restore):
     * <ul>
     *   <li>{@code shav FILE}: its sha256 (through a symlink), or {@code absent}, in {@code $_h} (one process,
     *       where {@code $(sha256sum | cut)} took three);</li>
     *   <li>{@code snap LABEL}: a record per path of {@code $paths} with its live value under {@code $proc}, tabs
     *       and newlines folded to spaces, all read by one {@code grep} (it was a {@code cat} and a {@code tr}
     *       per key);</li>
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
            shav() { if [ -e "$1" ]; then _h=$(sha256sum < "$1"); _h=${_h%% *}; else _h=absent; fi; }
            nl='
            '
            tab='	'
            # snap LABEL: for each path of $paths (newline-terminated, distinct), LABEL<TAB>PATH<TAB>VALUE, its live value
            # as `$(cat)` reads it (trailing newlines dropped) with tabs and newlines folded to spaces, or
            # LABEL-absent<TAB>PATH when there is no readable file. One grep reads every value (cd'ed into $proc, it
            # prefixes each line with the path it came from; key paths have no ':'): the shell's read builtin reads a
            # byte per call, and the kernel answers a read of an integer sysctl past offset 0 with end of file.
            snap() {
              [ -n "$paths" ] || return 0
              _label=$1
              (cd "$proc" 2>/dev/null && set -f && IFS=$nl && LC_ALL=C exec grep -a -H -e '' -- $paths) 2>/dev/null | {
                emit() { while :; do case $v in *"$tab"*) v=${v%%"$tab"*}" "${v#*"$tab"} ;; *) break ;; esac; done
                  printf '%s\t%s\t%s\n' "$_label" "$cur" "$v"; }
                none() { if [ -r "$proc/$1" ]; then printf '%s\t%s\t\n' "$_label" "$1"; else printf '%s-absent\t%s\n' "$_label" "$1"; fi; }
                set -f; IFS=$nl; set -- $paths; IFS=' '
                cur=; v=; pend=
                while IFS= read -r l; do
                  k=${l%%:*}; l=${l#*:}
                  if [ -n "$cur" ] && [ "$k" = "$cur" ]; then  # the next line of a value
                    pend="$pend "; if [ -n "$l" ]; then v=$v$pend$l; pend=; fi; continue
                  fi
                  if [ -n "$cur" ]; then emit; shift; cur=; fi
                  while [ $# -gt 0 ] && [ "$1" != "$k" ]; do none "$1"; shift; done
                  [ $# -gt 0 ] || break
                  cur=$k; v=$l; pend=
                done
                if [ -n "$cur" ]; then emit; shift; fi
                for p in "$@"; do none "$p"; done
              }
            }
            # readlist N: the next N lines of stdin into $list (newline-terminated); 'read' takes a pipe one byte
            # at a time, so the rest of stdin stays for the command (a file's bytes after the list).
            readlist() { list=; k=$1; while [ "$k" -gt 0 ]; do IFS= read -r l || break; list="$list$l
            "; k=$((k-1)); done; }
            errlines() { [ -n "$1" ] || return 0; printf '%s\\n' "$1" | while IFS= read -r l; do [ -n "$l" ] && printf 'stderr\\t%s\\n' "$l"; done; }
            label() { # label REF FILE: FILE gets REF's SELinux context; a failure counts only where REF has one
              [ -e "$1" ] || return 0
              command -v chcon >/dev/null 2>&1 || return 0
              chcon --reference="$1" "$2" 2>/dev/null && return 0
              ctx=$(stat -c %C -- "$1" 2>/dev/null) || return 0
              case "$ctx" in ''|'?') return 0 ;; esac
              return 1
            }
            # lock FILE RUN [OF]: one sysfleet script at a time per managed file, across runs and controllers. The lock is
            # the directory FILE.sysfleet-lock (mkdir is atomic) holding the owner's run id, host name, time, pid,
            # boot id and the run it rolls back (OF, or -); it goes when the script exits. Another script's lock prints 'locked OWNER' and returns 1; a lock
            # whose script is gone (pid not running, or another boot) prints 'stale OWNER' and returns 1: it is never
            # broken silently, except that a script of the same run RUN takes over its own stale lock (the run's undo
            # after its own apply was killed), and the rollback of run OF takes over OF's stale lock and that of an
            # earlier rollback of OF (a retry after a timeout), printing 'takeover OWNER'. Where no lock can be made (read-only or full
            # directory) nothing is locked: the write itself then fails and says so.
            lock() {
              lk=$1.sysfleet-lock; me=$2; of=${3:--}
              # boot id and host name by the read builtin (they are string sysctls, which the kernel reads at any offset)
              { read -r bid < /proc/sys/kernel/random/boot_id; } 2>/dev/null && [ -n "$bid" ] || bid=-
              { read -r hn < /proc/sys/kernel/hostname; } 2>/dev/null && [ -n "$hn" ] || hn=$(uname -n)
              k=0
              while [ $k -lt 2 ]; do
                if mkdir "$lk" 2>/dev/null; then
                  printf '%s %s %s %s %s %s\\n' "$me" "$hn" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$$" "$bid" "$of" > "$lk/owner"
                  trap 'rm -rf "$lk"' EXIT
                  return 0
                fi
                [ -d "$lk" ] || return 0
                info=$(tr '\\t\\n' '  ' < "$lk/owner" 2>/dev/null)
                set -- $info
                if [ $# -lt 5 ] || { [ "$5" = "$bid" ] && kill -0 "$4" 2>/dev/null; }; then
                  printf 'locked\\t%s\\n' "$info"; return 1
                fi
                # a stale lock is taken over only by its own run, the rollback of that run, or (field 6: the run a
                # rollback was rolling back) another rollback of the same run, e.g. a retry after a timeout
                if [ "$1" != "$me" ] && [ "$1" != "$of" ] && { [ "$of" = - ] || [ "${6:-}" != "$of" ]; }; then
                  printf 'stale\\t%s\\n' "$info"; return 1
                fi
                printf 'takeover\\t%s\\n' "$info"; rm -rf "$lk"; k=$((k+1))
              done
              return 1
            }
            put() {
              t=$1
              if [ -L "$t" ]; then t=$(readlink -f -- "$1") || return 1; fi
              case "$t" in */*) d=${t%/*}; [ -n "$d" ] || d=/ ;; *) d=. ;; esac; b=${t##*/}
              tmp=$(mktemp "$d/.$b.sysfleet.XXXXXX" 2>/dev/null) || return 1
              if ! { cat > "$tmp" && { shav "$tmp"; [ "$_h" = "$5" ]; } && chmod "$2" "$tmp" && chown "$3:$4" "$tmp" \\
                  && label "$t" "$tmp" && { sync "$tmp" 2>/dev/null || sync; } && mv -f -- "$tmp" "$t"; }; then
                rm -f "$tmp"; return 1
              fi
              sync "$d" 2>/dev/null || true
            }
            """;

    private RemoteShell() {
    }

    /**
     * A script's stdin: each item on its own line (UTF-8), then {@code rest}. An item holding a newline (or NUL)
     * would shift every line after it, so it is refused here, on the controller.
     */
    public static byte[] stdin(java.util.Collection<String> items, byte[] rest) {
        StringBuilder sb = new StringBuilder();
        for (String item : items) {
            if (item.indexOf('\n') >= 0 || item.indexOf('\r') >= 0 || item.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("a list item for a remote script holds a line break or NUL");
            }
            sb.append(item).append('\n');
        }
        byte[] head = sb.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] all = java.util.Arrays.copyOf(head, head.length + rest.length);
        System.arraycopy(rest, 0, all, head.length, rest.length);
        return all;
    }
}
