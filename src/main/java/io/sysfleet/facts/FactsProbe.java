package io.sysfleet.facts;

import io.sysfleet.core.ExitCode;
import io.sysfleet.core.SysfleetException;
import io.sysfleet.result.Phase;
import io.sysfleet.sysctl.SysctlKey;
import io.sysfleet.transport.Command;
import io.sysfleet.transport.ExecResult;
import io.sysfleet.transport.RemoteShell;
import java.time.Duration;
import io.sysfleet.transport.Transport;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The one remote command that gathers a host's facts in one round trip: release files, kernel release, the
 * sysctl file (existence, mode, owner, group, sha256, content) and, for every key, whether
 * {@code /proc/sys/<path>} exists and its live value. Keys travel as their {@link SysctlKey#path() paths} (the
 * key type has already decided the spelling and refused anything that could leave /proc/sys); the output names
 * each value by the path it was asked for. It needs only POSIX sh and coreutils ({@code od},
 * {@code tr}, {@code stat}; {@code sha256sum} when present), so it runs on dash, minbase Debian and CentOS 5.
 * Variable data is hex-encoded ({@code od}, available everywhere, unlike {@code base64} on CentOS 5; short ASCII
 * strings with shell builtins, {@link RemoteShell#HEX}), so any bytes survive; one {@code grep} for all the
 * keys, one {@code stat}, one {@code sha256sum}. Key paths and the file name are positional arguments, never part of the script text.
 * {@link FactsParser} reads the output.
 */
public final class FactsProbe {
    /**
     * The largest sysctl file sysfleet reads and edits: 4 MiB (procps reads any size, but no real sysctl.conf comes
     * near it). A larger file is reported by size only; its content is never sent.
     */
    public static final long MAX_FILE_BYTES = 4L * 1024 * 1024;

    /** Format version on the first output line. */
    static final String HEADER = "sysfleet-facts 1";

    static final String SCRIPT = RemoteShell.PROC + RemoteShell.HEX + """
            opt() {
              if [ -f "$2" ] && [ -r "$2" ]; then printf '%s 1 x' "$1"; hex < "$2"; echo
              else printf '%s 0\\n' "$1"; fi
            }
            f=$1; max=$2; shift 2
            fx() { printf 'file x'; ahex "$f"; printf ' %s %s x' "$1" "$m"; ahex "$o"; printf ' x'; ahex "$g"; }
            echo 'sysfleet-facts 1'
            opt os-release /etc/os-release
            opt redhat-release /etc/redhat-release
            # the kernel release by the read builtin (a string sysctl), uname where that cannot be read
            { read -r kr < /proc/sys/kernel/osrelease; } 2>/dev/null && [ -n "$kr" ] || kr=$(uname -r)
            printf 'kernel x'; ahex "$kr"; echo 0a  # uname's newline, as the probe always sent it
            mt=; tw=
            if [ -r /proc/meminfo ]; then
              while read -r _a _b _c; do if [ "$_a" = MemTotal: ] && [ "$_c" = kB ]; then mt=$_b; break; fi; done < /proc/meminfo
            fi
            if [ -r /proc/net/sockstat ]; then
              while read -r _a _b _c _d _e _f _g _h; do if [ "$_a" = TCP: ] && [ "$_f" = tw ]; then tw=$_g; break; fi; done < /proc/net/sockstat
            fi
            case "$mt" in ''|*[!0-9]*) mt=- ;; esac
            case "$tw" in ''|*[!0-9]*) tw=- ;; esac
            printf 'memtotal %s\\ntimewait %s\\n' "$mt" "$tw"
            ct=
            if [ -r /proc/1/environ ]; then ct=$({ tr '\\000' '\\n' < /proc/1/environ; } 2>/dev/null | sed -n '/^container=/{s///p;q;}'); fi
            if [ -z "$ct" ] && [ -e /.dockerenv ]; then ct=docker; fi
            if [ -z "$ct" ] && [ -e /run/.containerenv ]; then ct=podman; fi
            printf 'container x'; ahex "$ct"; echo
            if [ -e "$proc/net/core/netdev_max_backlog" ]; then ns=initial; elif [ -d "$proc/net/core" ]; then ns=other; else ns=-; fi
            printf 'netns %s\\n' "$ns"
            if [ -r /proc/modules ] || [ -e "$proc/kernel/modprobe" ]; then ms=1; else ms=0; fi
            if command -v modprobe >/dev/null 2>&1; then mp=1; else mp=0; fi
            printf 'modules %s %s\\n' "$ms" "$mp"
            builtin=/lib/modules/$kr/modules.builtin
            if [ -e "$f" ]; then
              st=$(stat -L -c '%a/%s/%U/%G' -- "$f"); m=${st%%/*}; st=${st#*/}; z=${st%%/*}; st=${st#*/}
              o=${st%/*}; g=${st##*/}
              if [ ! -f "$f" ]; then
                fx 4; echo
              elif [ -r "$f" ] && [ "$z" -gt "$max" ]; then
                fx 3; printf ' %s\\n' "$z"
              elif [ -r "$f" ]; then
                if command -v sha256sum >/dev/null 2>&1; then s=$(sha256sum < "$f"); s=${s%% *}; else s=-; fi
                fx 1; printf ' %s x' "$s"; shex "$z" < "$f"; echo
              else
                fx 2; echo
              fi
            else
              printf 'file x'; ahex "$f"; printf ' 0\\n'
            fi
            nl='
            '
            # The keys (stdin, one per line), then one grep for the live values of all that exist: cd'ed into $proc it
            # prefixes each line with the key path it came from (key paths have no ':'). The shell's read builtin
            # cannot read them itself: it reads a byte per call, and the kernel answers a read of an integer sysctl
            # past offset 0 with end of file. The key loop runs on grep's side of the pipe, in the keys' order.
            keys=; gk=
            while IFS= read -r key; do
              keys=$keys$key$nl
              case "$key" in module=*) continue ;; esac
              case "$proc/$key/" in */../*|*/./*|*//*) continue ;; esac
              if [ -e "$proc/$key" ] && [ ! -d "$proc/$key" ]; then gk=$gk$key$nl; fi
            done
            (if [ -z "$gk" ]; then exit 0; fi; cd "$proc" && set -f && IFS=$nl && LC_ALL=C exec grep -a -H -e '' -- $gk) 2>/dev/null | {
            set -f; IFS=$nl
            present=; held=; eof=
            for key in $keys; do
              case "$key" in
                module=*)
                  m=${key#module=}; mu=$(printf '%s' "$m" | tr - _)
                  if [ -r /proc/modules ] && grep -q -e "^$mu " /proc/modules; then st=loaded
                  elif [ -r "$builtin" ] && { grep -q -e "/$m\\.ko\\$" "$builtin" || grep -q -e "/$mu\\.ko\\$" "$builtin"; }; then st=builtin
                  elif [ -d "/sys/module/$mu" ]; then st=loaded
                  else st=absent; fi
                  printf 'module x'; ahex "$m"; printf ' %s\\n' "$st"; continue ;;
              esac
              p=$proc/$key
              case "$p/" in
                */../*|*/./*|*//*) printf 'live x'; ahex "$key"; printf ' invalid\\n'; continue ;;
              esac
              if [ -d "$p" ]; then st=dir
              elif [ -e "$p" ]; then
                # this key's lines from grep (held: a line read ahead that belongs to a later key)
                v=; got=; pend=
                while :; do
                  if [ -z "$held" ] && [ -z "$eof" ]; then IFS= read -r held || { held=; eof=1; }; fi
                  [ -n "$held" ] && [ "${held%%:*}" = "$key" ] || break
                  l=${held#*:}; held=
                  if [ -z "$got" ]; then v=$l; got=1; else pend=$pend$nl; if [ -n "$l" ]; then v=$v$pend$l; pend=; fi; fi
                done
                # no line: an empty value, or one the kernel would not give (cat tells which)
                if [ -n "$got" ] || v=$(cat -- "$p" 2>/dev/null); then
                  printf 'live x'; ahex "$key"; printf ' present x'; ahex "$v"; echo
                  present="$present$p
            "
                  continue
                fi
                st=unreadable
              else st=absent; fi
              printf 'live x'; ahex "$key"; printf ' %s\\n' "$st"
            done
            # the keys the kernel offers read-only here (not writable by their owner): one stat for all
            if [ -n "$present" ]; then
              stat -L -c '%a %n' -- $present 2>/dev/null | while IFS=' ' read -r a n; do
                case "$a" in [2367]??) ;; *) printf 'ro x'; ahex "${n#"$proc/"}"; echo ;; esac
              done
            fi
            }
            echo end
            """;

    private FactsProbe() {
    }

    /**
     * The probe for {@code sysctlFile} (absolute path, e.g. /etc/sysctl.conf) and the sysctl {@code keys} the
     * play touches (each asked for once, by its path).
     *
     * @throws IllegalArgumentException for a relative file path
     */
    public static Command command(String sysctlFile, Collection<SysctlKey> keys) {
        return command(sysctlFile, keys, List.of());
    }

    /**
     * The probe, also asking for the state of each kernel module in {@code modules}. A module travels as the
     * line {@code module=NAME}, which no key path can be ({@link SysctlKey} has no '=').
     *
     * @throws IllegalArgumentException for a relative file path or a module name that is not one
     */
    public static Command command(String sysctlFile, Collection<SysctlKey> keys, Collection<String> modules) {
        if (sysctlFile == null || !sysctlFile.startsWith("/")) {
            throw new IllegalArgumentException("sysctl file must be an absolute path: '" + sysctlFile + "'");
        }
        List<String> args = new ArrayList<>();
        args.add(sysctlFile);
        args.add(String.valueOf(MAX_FILE_BYTES));
        // The keys go on stdin, one path per line: a play's list is not bounded by the argument size limit.
        List<String> lines = new ArrayList<>();
        for (String m : new LinkedHashSet<>(modules)) {
            if (m == null || !RuntimeFacts.MODULE_NAME.matcher(m).matches()) {
                throw new IllegalArgumentException("not a kernel module name: '" + m + "'");
            }
            lines.add("module=" + m);
        }
        lines.addAll(new LinkedHashSet<>(keys.stream().map(SysctlKey::path).toList()));
        return Command.script(SCRIPT, List.copyOf(args)).withStdin(RemoteShell.stdin(lines,
                new byte[0]));
    }

    /**
     * Runs the probe on {@code t} and parses it.
     *
     * @throws SysfleetException (phase "facts", exit code HOST_FAILED) when the probe fails or its output is
     *     malformed; transport failures pass through as they are
     */
    public static HostFacts gather(Transport t, String sysctlFile, Collection<SysctlKey> keys, Duration timeout) {
        return gather(t, sysctlFile, keys, null, timeout);
    }

    /**
     * As {@link #gather(Transport, String, Collection, Duration)}, with the host's boot files of {@code boot}
     * ({@link BootFiles#command(BootFiles.Layout)}) in the same round trip; {@code boot} null: without them.
     */
    public static HostFacts gather(Transport t, String sysctlFile, Collection<SysctlKey> keys, BootFiles.Layout boot,
                                   Duration timeout) {
        return gather(t, sysctlFile, keys, List.of(), boot, timeout);
    }

    /** As {@link #gather(Transport, String, Collection, BootFiles.Layout, Duration)}, with {@code modules}' states. */
    public static HostFacts gather(Transport t, String sysctlFile, Collection<SysctlKey> keys,
                                   Collection<String> modules, BootFiles.Layout boot, Duration timeout) {
        ExecResult r = t.exec(command(sysctlFile, keys, modules, boot), timeout);
        if (!r.ok()) {
            throw new SysfleetException(ExitCode.HOST_FAILED, Phase.FACTS, t.host(),
                    "facts probe failed with exit code " + r.exitCode() + ": " + r.stderrText().strip(), null);
        }
        byte[] out = r.stdout();
        byte[] facts = out;
        byte[] listing = null;
        if (boot != null) {
            int at = indexOf(out, ("\n" + BootFiles.HEADER + "\n").getBytes(StandardCharsets.US_ASCII));
            if (at < 0) {
                throw new SysfleetException(ExitCode.HOST_FAILED, Phase.FACTS, t.host(),
                        "facts probe output has no boot files listing", null);
            }
            facts = Arrays.copyOfRange(out, 0, at + 1);
            listing = Arrays.copyOfRange(out, at + 1, out.length);
        }
        try {
            HostFacts f = FactsParser.parse(facts);
            return listing == null ? f : f.withBootFiles(BootFiles.parse(listing));
        } catch (FactsParser.FactsFormatException | BootFiles.FormatException e) {
            throw new SysfleetException(ExitCode.HOST_FAILED, Phase.FACTS, t.host(), e.getMessage(), e);
        }
    }

    /**
     * The probe, followed (when {@code boot} is not null) by the boot files listing in the same command. The
     * listing's arguments are the layout's paths, constants of the code (tests point them at a scratch tree),
     * never user data: they are quoted into the script text by {@link Command#quote}.
     */
    public static Command command(String sysctlFile, Collection<SysctlKey> keys, BootFiles.Layout boot) {
        return command(sysctlFile, keys, List.of(), boot);
    }

    /** The probe with modules, followed by the boot files listing when {@code boot} is not null. */
    public static Command command(String sysctlFile, Collection<SysctlKey> keys, Collection<String> modules,
                                  BootFiles.Layout boot) {
        Command probe = command(sysctlFile, keys, modules);
        if (boot == null) {
            return probe;
        }
        List<String> words = new ArrayList<>();
        for (String w : BootFiles.command(boot).scriptArgs()) {
            words.add(Command.quote(w));
        }
        String script = SCRIPT + "bootfiles() {\n" + BootFiles.SCRIPT + "}\nbootfiles " + String.join(" ", words)
                + "\n";
        return Command.script(script, probe.scriptArgs()).withStdin(probe.stdin());
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
