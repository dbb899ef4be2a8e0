package io.sysfleet.diagnose;

import io.sysfleet.catalog.KernelKey;
import io.sysfleet.catalog.KeyCatalog;
import io.sysfleet.core.ExitCode;
import io.sysfleet.core.SysfleetException;
import io.sysfleet.result.Phase;
import io.sysfleet.sysctl.SysctlKey;
import io.sysfleet.transport.Command;
import io.sysfleet.transport.ExecResult;
import io.sysfleet.transport.Transport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The one remote command that measures a host for {@code diagnose}: one round trip, POSIX sh with coreutils,
 * sed and awk (no netstat, no python). It reads the host's release files and kernel, its clock and uptime, the
 * live value of every catalog key (all platform names) and the conntrack counters, {@code /proc/net/tcp} and
 * {@code tcp6} (awk counts the states on the host, so only the CLOSE_WAIT lines travel; without awk the first
 * lines of the tables travel and are counted here), {@code /proc/net/sockstat} and {@code netstat}, the kernel
 * log lines of the troubleshooting table from {@code journalctl -k}, {@code dmesg}, {@code /var/log/messages}
 * and {@code /var/log/kern.log} (counted on the host over at most the last {@link Limits#logScanBytes} bytes of
 * each, only the latest lines sent), and the processes holding CLOSE_WAIT sockets ({@code ss -tanp}).
 *
 * <p>Every part of the output is bounded ({@link Limits}); every data line travels behind a {@code "| "} prefix
 * and is cut to {@link Limits#lineWidth} bytes, so a host cannot forge the framing. The script is a constant;
 * its only arguments are the limits and the catalog's key names, checked here. {@link SampleParser} reads the
 * output.
 */
public final class Collector {
    /** First output line: the format version. */
    static final String HEADER = "sysfleet-diagnose 1";
    /** Output above this size is refused whatever the host claims (the script's own bounds are far lower). */
    static final int MAX_OUTPUT_BYTES = 48 * 1024 * 1024;
    private static final Pattern KEY = Pattern.compile("[a-z0-9_]+(\\.[a-z0-9_]+)+");

    /**
     * Bounds of what one host sends.
     *
     * @param tableLines   socket lines per table (/proc/net/tcp, tcp6) sent; with awk only CLOSE_WAIT lines travel
     * @param ssLines      lines of ss output
     * @param logLines     latest lines per log pattern and source
     * @param lineWidth    bytes per line (longer lines are cut)
     * @param logScanBytes bytes scanned at the end of each log file or command output
     * @param withoutAwk   do as if the host had no awk (for tests of that path)
     */
    public record Limits(int tableLines, int ssLines, int logLines, int lineWidth, long logScanBytes,
                         boolean withoutAwk) {
        public static final Limits DEFAULT = new Limits(20_000, 2_000, 3, 512, 16L * 1024 * 1024, false);

        public Limits {
            if (tableLines < 1 || ssLines < 1 || logLines < 1 || lineWidth < 80 || logScanBytes < 1) {
                throw new IllegalArgumentException("collector limits must be positive (line width at least 80)");
            }
        }

        /** The largest output a host following the script can send, in bytes (about). */
        long maxOutput() {
            long line = lineWidth + 3L;
            return 2 * tableLines * line + (ssLines + 1) * line + 4 * 2 * logLines * (line + 16) + 64 * 1024 * 2
                    + 256 * 1024;
        }
    }

    static final String SCRIPT = """
            tl=$1; sl=$2; ll=$3; w=$4; lb=$5; noawk=$6; shift 6
            LC_ALL=C; export LC_ALL
            hex() { od -An -tx1 -v | tr -d ' \\n'; }
            pre() { cut -c1-"$w" | sed 's/^/| /'; }
            if [ "$noawk" = 0 ] && command -v awk >/dev/null 2>&1; then awk=1; else awk=0; fi
            echo 'sysfleet-diagnose 1'
            echo '@ host ok'
            printf 'now %s %s\\n' "$(date +%s)" "$(date +%z)"
            if [ -r /proc/uptime ]; then printf 'uptime %s\\n' "$(cut -d' ' -f1 /proc/uptime)"; fi
            printf 'kernel x%s\\n' "$(uname -r | tr -d '\\n' | hex)"
            for f in /etc/os-release /etc/redhat-release; do
              if [ -f "$f" ] && [ -r "$f" ]; then printf 'release %s x%s\\n' "${f##*/}" "$(head -c 65536 "$f" | hex)"; fi
            done
            echo '@ keys ok'
            for key in "$@"; do
              p=/proc/sys/$(printf '%s' "$key" | tr . /)
              k=$(printf '%s' "$key" | hex)
              if [ -f "$p" ]; then
                if v=$(head -c 4096 "$p" 2>/dev/null); then printf 'key x%s present x%s\\n' "$k" "$(printf '%s' "$v" | hex)"
                else printf 'key x%s unreadable\\n' "$k"; fi
              else printf 'key x%s absent\\n' "$k"; fi
            done
            table() {
              if [ ! -e "$2" ]; then echo "@ $1 absent"; return; fi
              if [ ! -r "$2" ]; then echo "@ $1 unreadable"; return; fi
              if [ "$awk" = 1 ]; then
                echo "@ $1 ok counted"
                awk -v max="$tl" -v w="$w" 'NR == 1 { next }
                  { n[$4]++; t++ }
                  $4 == "08" && shown < max { print "| " substr($0, 1, w); shown++ }
                  END { for (s in n) print "count " s " " n[s]; print "total " t + 0 }' "$2"
              else
                echo "@ $1 ok raw"
                tail -n +2 "$2" | head -n "$tl" | pre
                printf 'total %s\\n' "$(($(wc -l < "$2") - 1))"
              fi
            }
            table tcp4 /proc/net/tcp
            table tcp6 /proc/net/tcp6
            for f in sockstat netstat; do
              if [ -r "/proc/net/$f" ]; then echo "@ $f ok"; grep -E '^(TCP|TcpExt):' "/proc/net/$f" | head -n 4 | cut -c1-16384 | sed 's/^/| /'
              else echo "@ $f absent"; fi
            done
            if [ -e /proc/sys/net/netfilter/nf_conntrack_count ] || [ -e /proc/sys/net/ipv4/netfilter/ip_conntrack_count ]; then
              echo '@ conntrack-table skipped'
            elif [ -e /proc/net/nf_conntrack ] || [ -e /proc/net/ip_conntrack ]; then
              f=/proc/net/nf_conntrack; [ -e "$f" ] || f=/proc/net/ip_conntrack
              if [ -r "$f" ]; then printf '@ conntrack-table ok %s\\n' "$(wc -l < "$f")"; else echo '@ conntrack-table unreadable'; fi
            else
              echo '@ conntrack-table absent'
            fi
            scan() {
              tail -c "$lb" | awk -v n="$ll" -v w="$w" '
                index($0, "conntrack: table full, dropping packet") { a++; la[a % n] = substr($0, 1, w) }
                index($0, "time wait bucket table overflow") { b++; lt[b % n] = substr($0, 1, w) }
                END { print "count conntrack_full " a + 0; print "count tw_overflow " b + 0
                      for (i = a - n + 1; i <= a; i++) if (i > 0) print "| conntrack_full " la[i % n]
                      for (i = b - n + 1; i <= b; i++) if (i > 0) print "| tw_overflow " lt[i % n] }'
            }
            if ! command -v awk >/dev/null 2>&1; then
              for s in journalctl dmesg /var/log/messages /var/log/kern.log; do echo "@ log $s no-awk"; done
            else
              if ! command -v journalctl >/dev/null 2>&1; then echo '@ log journalctl absent'
              elif journalctl -k -q --no-pager -n 1 >/dev/null 2>&1; then
                echo '@ log journalctl ok'; journalctl -k -q --no-pager -o short-iso 2>/dev/null | scan
              else echo '@ log journalctl denied'; fi
              if ! command -v dmesg >/dev/null 2>&1; then echo '@ log dmesg absent'
              elif dmesg >/dev/null 2>&1; then echo '@ log dmesg ok'; dmesg 2>/dev/null | scan
              else echo '@ log dmesg denied'; fi
              for f in /var/log/messages /var/log/kern.log; do
                if [ ! -e "$f" ]; then echo "@ log $f absent"
                elif [ ! -r "$f" ] || ! head -c 1 "$f" >/dev/null 2>&1; then echo "@ log $f unreadable"
                else
                  if [ "$(wc -c < "$f")" -gt "$lb" ]; then c=cut; else c=whole; fi
                  printf '@ log %s ok %s\\n' "$f" "$c"; scan < "$f"
                fi
              done
            fi
            if ! command -v ss >/dev/null 2>&1; then echo '@ ss absent'
            elif ss -tan state close-wait >/dev/null 2>&1; then
              printf '@ ss ok %s\\n' "$(id -u)"
              ss -tanp state close-wait 2>/dev/null | head -n "$((sl + 1))" | pre
            else echo '@ ss failed'; fi
            echo '@ end'
            """;

    private Collector() {
    }

    /**
     * Every key diagnose reads: the keys the rules read and the keys the table's playbooks set (under all their
     * platform names, so the remedy check can plan them), and the conntrack counters. Not the whole catalog: the table's symptoms need
     * these, and every extra key costs each host a /proc/sys read and the controller its bytes.
     */
    public static List<String> keys(KeyCatalog catalog, RowPlaybooks playbooks) {
        Set<String> keys = new LinkedHashSet<>();
        Set<String> names = new LinkedHashSet<>(Rules.KEYS);
        names.addAll(playbooks.keys());
        for (String name : names) {
            keys.add(name);
            SysctlKey.parse(name).ifPresent(k -> catalog.allNames(k).forEach(n -> keys.add(n.dotted())));
        }
        keys.addAll(HostSample.CONNTRACK_COUNT_KEYS);
        keys.addAll(HostSample.CONNTRACK_MAX_KEYS);
        return List.copyOf(keys);
    }

    /** The command; {@code keys} must be plain dotted kernel key names. */
    public static Command command(Limits limits, List<String> keys) {
        List<String> args = new ArrayList<>(List.of(String.valueOf(limits.tableLines()),
                String.valueOf(limits.ssLines()), String.valueOf(limits.logLines()), String.valueOf(limits.lineWidth()),
                String.valueOf(limits.logScanBytes()), limits.withoutAwk() ? "1" : "0"));
        for (String k : keys) {
            if (!KEY.matcher(k).matches()) {
                throw new IllegalArgumentException("not a plain kernel key name: '" + k + "'");
            }
            args.add(k);
        }
        return Command.script(SCRIPT, args);
    }

    /**
     * Runs the collector on {@code t} (one round trip) and parses its output.
     *
     * @throws SysfleetException (phase "collect", HOST_FAILED) when it fails or its output is malformed or too
     *     large; transport failures pass through as they are
     */
    public static HostSample collect(Transport t, Limits limits, List<String> keys, Duration timeout) {
        ExecResult r = t.exec(command(limits, keys), timeout);
        if (r.stdout().length > MAX_OUTPUT_BYTES) {
            throw new SysfleetException(ExitCode.HOST_FAILED, Phase.COLLECT, t.host(), "the collector sent "
                    + r.stdout().length + " bytes, more than the " + MAX_OUTPUT_BYTES + " accepted", null);
        }
        if (!r.ok()) {
            throw new SysfleetException(ExitCode.HOST_FAILED, Phase.COLLECT, t.host(), "the collector failed with exit code "
                    + r.exitCode() + ": " + Text.oneLine(r.stderrText(), 300), null);
        }
        try {
            return SampleParser.parse(r.stdout());
        } catch (SampleParser.FormatException e) {
            throw new SysfleetException(ExitCode.HOST_FAILED, Phase.COLLECT, t.host(), e.getMessage(), e);
        }
    }
}
