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
 * Variable data is hex-encoded ({@code od}, available everywhere, unlike {@code base64} on CentOS 5), so any
 * bytes survive. Key paths and the file name are positional arguments, never part of the script text.
 * {@link FactsParser} reads the output.
 */
public final class FactsProbe {
    /** Format version on the first output line. */
    static final String HEADER = "sysfleet-facts 1";

    static final String SCRIPT = RemoteShell.PROC + """
            hex() { od -An -tx1 -v | tr -d ' \\n'; }
            opt() {
              if [ -f "$2" ] && [ -r "$2" ]; then printf '%s 1 x%s\\n' "$1" "$(hex < "$2")"
              else printf '%s 0\\n' "$1"; fi
            }
            f=$1; shift
            fh=$(printf '%s' "$f" | hex)
            echo 'sysfleet-facts 1'
            opt os-release /etc/os-release
            opt redhat-release /etc/redhat-release
            printf 'kernel x%s\\n' "$(uname -r | hex)"
            if [ -e "$f" ]; then
              m=$(stat -L -c '%a' -- "$f")
              o=$(stat -L -c '%U' -- "$f" | tr -d '\\n' | hex)
              g=$(stat -L -c '%G' -- "$f" | tr -d '\\n' | hex)
              if [ -f "$f" ] && [ -r "$f" ]; then
                if command -v sha256sum >/dev/null 2>&1; then s=$(sha256sum < "$f" | cut -d' ' -f1); else s=-; fi
                printf 'file x%s 1 %s x%s x%s %s x%s\\n' "$fh" "$m" "$o" "$g" "$s" "$(hex < "$f")"
              else
                printf 'file x%s 2 %s x%s x%s\\n' "$fh" "$m" "$o" "$g"
              fi
            else
              printf 'file x%s 0\\n' "$fh"
            fi
            for key in "$@"; do
              k=$(printf '%s' "$key" | hex)
              p=$proc/$key
              case "$p/" in
                */../*|*/./*|*//*) printf 'live x%s invalid\\n' "$k"; continue ;;
              esac
              if [ -d "$p" ]; then st=dir
              elif [ -e "$p" ]; then
                if v=$(cat -- "$p" 2>/dev/null); then
                  printf 'live x%s present x%s\\n' "$k" "$(printf '%s' "$v" | hex)"; continue
                fi
                st=unreadable
              else st=absent; fi
              printf 'live x%s %s\\n' "$k" "$st"
            done
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
        if (sysctlFile == null || !sysctlFile.startsWith("/")) {
            throw new IllegalArgumentException("sysctl file must be an absolute path: '" + sysctlFile + "'");
        }
        Set<String> args = new LinkedHashSet<>();
        args.add(sysctlFile);
        for (SysctlKey k : keys) {
            args.add(k.path());
        }
        return Command.script(SCRIPT, List.copyOf(args));
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
        ExecResult r = t.exec(command(sysctlFile, keys, boot), timeout);
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
        Command probe = command(sysctlFile, keys);
        if (boot == null) {
            return probe;
        }
        List<String> words = new ArrayList<>();
        for (String w : BootFiles.command(boot).scriptArgs()) {
            words.add(Command.quote(w));
        }
        String script = SCRIPT + "bootfiles() {\n" + BootFiles.SCRIPT + "}\nbootfiles " + String.join(" ", words)
                + "\n";
        return Command.script(script, probe.scriptArgs());
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
