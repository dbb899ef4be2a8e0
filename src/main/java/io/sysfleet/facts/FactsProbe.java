package io.sysfleet.facts;

import io.sysfleet.core.ExitCode;
import io.sysfleet.core.SysfleetException;
import io.sysfleet.transport.Command;
import io.sysfleet.transport.ExecResult;
import io.sysfleet.transport.Transport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The one remote command that gathers a host's facts in one round trip: release files, kernel release, the
 * sysctl file (existence, mode, owner, group, sha256, content) and, for every key, whether
 * {@code /proc/sys/<path>} exists and its live value. It needs only POSIX sh and coreutils ({@code od},
 * {@code tr}, {@code stat}; {@code sha256sum} when present), so it runs on dash, minbase Debian and CentOS 5.
 * Variable data is hex-encoded ({@code od}, available everywhere, unlike {@code base64} on CentOS 5), so any
 * bytes survive. Keys and the file name are positional arguments, never part of the script text.
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

    /** A sysctl key: word characters, dots, slashes, dashes (sysctl's own syntax, no globs). */
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.:/-]*");

    static final String SCRIPT = """
            hex() { od -An -tx1 -v | tr -d ' \\n'; }
            opt() {
              if [ -f "$2" ] && [ -r "$2" ]; then printf '%s 1 x%s\\n' "$1" "$(hex < "$2")"
              else printf '%s 0\\n' "$1"; fi
            }
            f=$1; max=$2; shift 2
            fh=$(printf '%s' "$f" | hex)
            echo 'sysfleet-facts 1'
            opt os-release /etc/os-release
            opt redhat-release /etc/redhat-release
            printf 'kernel x%s\\n' "$(uname -r | hex)"
            if [ -e "$f" ]; then
              m=$(stat -L -c '%a' -- "$f")
              o=$(stat -L -c '%U' -- "$f" | tr -d '\\n' | hex)
              g=$(stat -L -c '%G' -- "$f" | tr -d '\\n' | hex)
              if [ ! -f "$f" ]; then
                printf 'file x%s 4 %s x%s x%s\\n' "$fh" "$m" "$o" "$g"
              elif [ -r "$f" ] && [ "$(stat -L -c '%s' -- "$f")" -gt "$max" ]; then
                printf 'file x%s 3 %s x%s x%s %s\\n' "$fh" "$m" "$o" "$g" "$(stat -L -c '%s' -- "$f")"
              elif [ -r "$f" ]; then
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
              first=${key%%[./]*}
              case "${key#"$first"}" in
                /*) p=/proc/sys/$key ;;
                *) p=/proc/sys/$(printf '%s' "$key" | tr './' '/.') ;;
              esac
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
     * play touches.
     *
     * @throws IllegalArgumentException for a relative file path or a malformed key
     */
    public static Command command(String sysctlFile, List<String> keys) {
        if (sysctlFile == null || !sysctlFile.startsWith("/")) {
            throw new IllegalArgumentException("sysctl file must be an absolute path: '" + sysctlFile + "'");
        }
        List<String> args = new ArrayList<>();
        args.add(sysctlFile);
        args.add(String.valueOf(MAX_FILE_BYTES));
        for (String k : keys) {
            checkKey(k);
            args.add(k);
        }
        return Command.script(SCRIPT, args);
    }

    /**
     * Runs the probe on {@code t} and parses it.
     *
     * @throws SysfleetException (phase "facts", exit code HOST_FAILED) when the probe fails or its output is
     *     malformed; transport failures pass through as they are
     */
    public static HostFacts gather(Transport t, String sysctlFile, List<String> keys, Duration timeout) {
        ExecResult r = t.exec(command(sysctlFile, keys), timeout);
        if (!r.ok()) {
            throw new SysfleetException(ExitCode.HOST_FAILED, "facts", t.host(),
                    "facts probe failed with exit code " + r.exitCode() + ": " + r.stderrText().strip(), null);
        }
        try {
            return FactsParser.parse(r.stdout());
        } catch (FactsParser.FactsFormatException e) {
            throw new SysfleetException(ExitCode.HOST_FAILED, "facts", t.host(), e.getMessage(), e);
        }
    }

    /** Rejects keys sysctl would not accept or that could name a path outside /proc/sys. */
    static void checkKey(String key) {
        if (key == null || !KEY.matcher(key).matches() || procPath(key).contains("//")
                || procPath(key).endsWith("/")) {
            throw new IllegalArgumentException("invalid sysctl key: '" + key + "'");
        }
        for (String part : procPath(key).split("/")) {
            if (part.equals(".") || part.equals("..")) {
                throw new IllegalArgumentException("invalid sysctl key: '" + key + "'");
            }
        }
    }

    /**
     * sysctl's key-to-path rule (procps): when the first separator is a dot, dots become slashes and slashes
     * become dots ({@code net.ipv4.conf.eth0/1.rp_filter} is {@code net/ipv4/conf/eth0.1/rp_filter}); a key
     * whose first separator is a slash is already a path. The result is relative to /proc/sys.
     */
    public static String procPath(String key) {
        for (char c : key.toCharArray()) {
            if (c == '/') {
                return key;
            }
            if (c == '.') {
                break;
            }
        }
        StringBuilder sb = new StringBuilder(key.length());
        for (char c : key.toCharArray()) {
            sb.append(c == '.' ? '/' : c == '/' ? '.' : c);
        }
        return sb.toString();
    }
}
