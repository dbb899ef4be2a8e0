package io.sysfleet.apply;

import io.sysfleet.transport.RemoteShell;

/**
 * The trusted shell scripts that change hosts: snapshot, apply, undo (after a failed apply) and restore
 * (rollback). User data never becomes part of a script: it arrives as positional arguments of fixed number and
 * on stdin (every list of keys or key/value pairs travels on stdin, {@link RemoteShell#stdin}, so its length is not bounded
 * by the argument size limit: 4,000 keys exceed the 128 KiB a single argument may have). Each script prints
 * tab-separated records the controller parses ({@link ApplyOutput}); values read from /proc/sys have tabs and
 * newlines folded to spaces. Files are written only by {@link RemoteShell#LIB}'s {@code put}, which the transport
 * contract suite runs on every transport (symlinks, modes, missing files, hash mismatches, read-only directories).
 */
public final class RemoteScripts {
    private RemoteScripts() {
    }

    /** The shared functions, the file writer {@code put} and the stdin list reader {@code readlist} among them. */
    private static final String LIB = RemoteShell.LIB;

    /**
     * Snapshot: stdin = one PROC_PATH per line; prints the live value of each path (before-absent when missing).
     */
    public static final String SNAPSHOT = LIB + """
            paths=; while IFS= read -r p; do paths=$paths$p$nl; done
            snap before
            printf 'done\\n'
            """;

    /**
     * Apply: {@code FILE WANT_SHA BACKUP MODE OWNER GROUP WRITE RELOAD IGNORE NEW_SHA N [KEY VALUE]*},
     * stdin = N lines of PROC_PATH, then the new file content (read only when WRITE is 1). Refuses when the file changed since the facts
     * were read; backs the file up beside itself (0600) before writing, once per run (a later play of the same
     * run keeps the copy of the file as it was before the run); runs {@code sysctl -p FILE} when RELOAD
     * is 1 and {@code sysctl -w KEY=VALUE} for each pair (sysctl_set); snapshots the N live values before and
     * after.
     */
    public static final String APPLY = LIB + """
            f=$1; want=$2; bak=$3; mode=$4; owner=$5; group=$6; write=$7; reload=$8; ignore=$9; shift 9
            newsha=$1; n=$2; shift 2
            readlist "$n"; paths=$list
            setkeys() {
              while [ "$#" -ge 2 ]; do
                err=$(LANG=C LC_ALL=C sysctl -w "$1=$2" 2>&1 >/dev/null); printf 'set\\t%s\\t%s\\n' "$1" "$?"; errlines "$err"; shift 2
              done; }
            run=${bak##*.sysfleet-}; run=${run%.bak}
            lock "$f" "$run" || exit 0
            shav "$f"; cur=$_h
            if [ "$cur" != "$want" ]; then printf 'conflict\\t%s\\n' "$cur"; exit 0; fi
            snap before
            if { [ "$reload" = 1 ] || [ "$#" -gt 0 ]; } && ! command -v sysctl >/dev/null 2>&1; then
              printf 'error\\tsysctl\\tthere is no sysctl command on this host (install procps)\\n'; exit 0
            fi
            if [ "$write" = 1 ]; then
              if [ -e "$f" ] && [ ! -e "$bak" ]; then
                if ! cp -p "$f" "$bak" || ! chmod 600 "$bak"; then printf 'error\\tbackup\\tcannot copy %s to %s\\n' "$f" "$bak"; exit 0; fi
                printf 'backup\\t%s\\n' "$bak"
              fi
              if ! put "$f" "$mode" "$owner" "$group" "$newsha"; then printf 'error\\twrite\\tcannot write %s (or the bytes received were not the bytes sent)\\n' "$f"; exit 0; fi
              printf 'written\\t%s\\n' "$newsha"  # put installed exactly these bytes
            fi
            if [ "$reload" = 1 ]; then
              if [ "$ignore" = 1 ]; then e=-e; else e=; fi
              err=$(LANG=C LC_ALL=C sysctl $e -p "$f" 2>&1 >/dev/null); printf 'sysctl\\t%s\\n' "$?"; errlines "$err"
            fi
            setkeys "$@"
            snap after
            printf 'done\\n'
            """;

    /**
     * Restore (rollback): {@code FILE EXPECT_SHA NEW_BACKUP SOURCE WANT_SHA EXISTED HAVE_LOCAL MODE OWNER GROUP N},
     * stdin = N lines {@code PROC_PATH<TAB>VALUE}, then the original bytes from the controller (when HAVE_LOCAL is 1). Refuses when the
     * file is not what the controller saw (EXPECT_SHA, or "any"); backs the current file up to NEW_BACKUP; puts
     * the original back from the remote backup SOURCE when it is there with the right hash, else from stdin
     * (or removes a file the run created); writes back the live values; prints what is there now.
     */
    public static final String RESTORE = LIB + """
            f=$1; expect=$2; newbak=$3; src=$4; want=$5; existed=$6; havelocal=$7; mode=$8; owner=$9; shift 9
            group=$1; n=$2
            readlist "$n"; pairs=$list
            run=${newbak##*.sysfleet-}; run=${run%.bak}
            of=-; case "$src" in *.sysfleet-*.bak) of=${src##*.sysfleet-}; of=${of%.bak} ;; esac
            lock "$f" "$run" "$of" || exit 0
            shav "$f"; cur=$_h
            if [ "$expect" != any ] && [ "$cur" != "$expect" ]; then printf 'conflict\\t%s\\n' "$cur"; exit 0; fi
            if [ -e "$f" ] && [ ! -e "$newbak" ]; then
              if ! cp -p "$f" "$newbak" || ! chmod 600 "$newbak"; then printf 'error\\tbackup\\tcannot copy %s to %s\\n' "$f" "$newbak"; exit 0; fi
              printf 'backup\\t%s\\n' "$newbak"
            fi
            if [ "$cur" != "$want" ]; then
              if [ "$existed" = 0 ]; then
                rm -f "$f" || printf 'error\\trestore\\tcannot remove %s\\n' "$f"
              elif [ "$src" != - ] && [ -f "$src" ] && { shav "$src"; [ "$_h" = "$want" ]; }; then
                if put "$f" "$mode" "$owner" "$group" "$want" < "$src"; then printf 'source\\tremote\\n'; else printf 'error\\trestore\\tcannot write %s\\n' "$f"; fi
              elif [ "$havelocal" = 1 ]; then
                if put "$f" "$mode" "$owner" "$group" "$want"; then printf 'source\\tlocal\\n'; else printf 'error\\trestore\\tcannot write %s\\n' "$f"; fi
              else
                printf 'error\\trestore\\tno backup of %s left: the remote copy %s is gone or changed and there is no local copy\\n' "$f" "$src"
              fi
            fi
            shav "$f"; printf 'restored\\t%s\\n' "$_h"
            printf '%s' "$pairs" | while IFS= read -r l; do
              p=${l%%"$tab"*}; v=${l#*"$tab"}
              if ! printf '%s\\n' "$v" > "$proc/$p" 2>/dev/null; then printf 'error\\tlive\\tcannot write back /proc/sys/%s\\n' "$p"; fi
            done
            printf 'done\\n'
            """;

    /**
     * Modprobe: {@code MODULE ACTION [PARAM]*}, ACTION {@code load}, {@code unload} or {@code status} (change
     * nothing): prints the module's state
     * before and after ({@code loaded}: in /proc/modules or under /sys/module; {@code absent}), modprobe's exit
     * code and its stderr lines. The module name was checked by the controller (letters, digits, '_', '-').
     */
    public static final String MODPROBE = LIB + """
            m=$1; action=$2; shift 2
            mu=$(printf '%s' "$m" | tr - _)
            modstate() {
              if [ -r /proc/modules ] && grep -q -e "^$mu " /proc/modules; then echo loaded
              elif [ -d "/sys/module/$mu" ]; then echo loaded
              else echo absent; fi
            }
            printf 'module-before\\t%s\\n' "$(modstate)"
            if [ "$action" = status ]; then printf 'done\\n'; exit 0; fi
            if [ "$action" = load ]; then err=$(LANG=C LC_ALL=C modprobe -- "$m" "$@" 2>&1 >/dev/null); rc=$?
            else err=$(LANG=C LC_ALL=C modprobe -r -- "$m" 2>&1 >/dev/null); rc=$?; fi
            printf 'modprobe\\t%s\\n' "$rc"; errlines "$err"
            printf 'module-after\\t%s\\n' "$(modstate)"
            printf 'done\\n'
            """;

    /**
     * Read-back after an apply whose answer was lost (timeout, dropped connection): {@code FILE WAIT_SECONDS},
     * stdin = one PROC_PATH per line. Waits up to WAIT_SECONDS for the file's lock to go or go stale (the apply
     * script ignores SIGHUP and runs to its end after a drop), prints {@code busy OWNER} if its script still runs, then the file's
     * sha256 ({@code restored}) and each live value ({@code after}).
     */
    public static final String READBACK = LIB + """
            f=$1; w=$2; i=0
            held() { [ -d "$f.sysfleet-lock" ] || return 1; set -- $(cat "$f.sysfleet-lock/owner" 2>/dev/null); [ $# -lt 5 ] || kill -0 "$4" 2>/dev/null; }
            while held && [ "$i" -lt "$w" ]; do sleep 1; i=$((i+1)); done
            if held; then printf 'busy\\t%s\\n' "$(tr '\\t\\n' '  ' < "$f.sysfleet-lock/owner" 2>/dev/null)"; fi
            shav "$f"; printf 'restored\\t%s\\n' "$_h"
            paths=; while IFS= read -r p; do paths=$paths$p$nl; done
            snap after
            printf 'done\\n'
            """;

    /**
     * Undo: {@code FILE ORIG_EXISTS MODE OWNER GROUP ORIG_SHA N [WRITTEN_SHA [RUN]]}, stdin = N lines
     * {@code PROC_PATH<TAB>VALUE}, then the original file content. Compare-and-swap: when the file is neither what
     * the run wrote (WRITTEN_SHA; "any" skips the check) nor the original, someone else changed it since: prints
     * {@code conflict} and changes nothing. Otherwise puts the original bytes back (or removes a file the run
     * created), writes back previous live values, then prints what is there now. Holds the file's lock (taking
     * over a stale lock of its own run RUN).
     */
    public static final String UNDO = LIB + """
            f=$1; existed=$2; mode=$3; owner=$4; group=$5; wantsha=$6; n=$7; written=${8:-any}; run=${9:--}
            readlist "$n"; pairs=$list
            lock "$f" "$run" || exit 0
            shav "$f"; cur=$_h
            if [ "$written" != any ] && [ "$cur" != "$written" ] && [ "$cur" != "$wantsha" ]; then
              printf 'conflict\\t%s\\n' "$cur"; exit 0
            fi
            if [ "$existed" = 1 ]; then
              if ! put "$f" "$mode" "$owner" "$group" "$wantsha"; then printf 'error\\trestore\\tcannot write %s\\n' "$f"; fi
            else
              rm -f "$f" || printf 'error\\trestore\\tcannot remove %s\\n' "$f"
            fi
            shav "$f"; printf 'restored\\t%s\\n' "$_h"
            paths=; set -f; IFS=$nl
            for l in $pairs; do
              p=${l%%"$tab"*}; v=${l#*"$tab"}; paths=$paths$p$nl
              if ! printf '%s\\n' "$v" > "$proc/$p" 2>/dev/null; then printf 'error\\tlive\\tcannot write back /proc/sys/%s\\n' "$p"; fi
            done
            unset IFS; set +f
            snap after
            printf 'done\\n'
            """;
}
