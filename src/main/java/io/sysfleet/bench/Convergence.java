package io.sysfleet.bench;

import io.sysfleet.sysctl.SysctlFile;
import io.sysfleet.sysctl.SysctlKey;
import io.sysfleet.transport.Command;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What the benchmark sets and how it tells a converged host from a drifted one (pure). The six keys are table rows
 * the container kernel takes for real (docs/performance.md); {@code bench/six-keys.yml} sets the same values, and
 * the bare ssh loop of {@link #floorCommand} too. The starting ("drifted") state of every measurement: the image's
 * own /etc/sysctl.conf plus three drifted lines, and all six live values off.
 */
final class Convergence {
    /** Key and the value the playbook sets, in playbook order. */
    static final Map<SysctlKey, String> DESIRED = ordered(
            "net.ipv4.tcp_syncookies", "1",
            "net.ipv4.tcp_tw_reuse", "1",
            "net.ipv4.tcp_fin_timeout", "30",
            "net.ipv4.tcp_max_syn_backlog", "8192",
            "net.ipv4.tcp_max_tw_buckets", "5000",
            "net.netfilter.nf_conntrack_tcp_timeout_established", "1200");

    /** The live values of the starting state: every key off. */
    static final Map<SysctlKey, String> DRIFTED_LIVE = ordered(
            "net.ipv4.tcp_syncookies", "0",
            "net.ipv4.tcp_tw_reuse", "0",
            "net.ipv4.tcp_fin_timeout", "60",
            "net.ipv4.tcp_max_syn_backlog", "1024",
            "net.ipv4.tcp_max_tw_buckets", "65536",
            "net.netfilter.nf_conntrack_tcp_timeout_established", "432000");

    /**
     * Run inside a container with {@code docker exec NAME sh -c SCRIPT bench read|reset}: prints the live values
     * ({@code now PATH VALUE}), the sha256 and every line of /etc/sysctl.conf ({@code file LINE}); with
     * {@code reset}, then restores the starting state (the image's file saved on first use, three drifted lines,
     * the drifted live values, no backups left by a tool) and prints the live values and sha256 again
     * ({@code reset ...}). A constant: it takes no data.
     */
    static final String RESET_SCRIPT = """
            set -eu
            keys="%s"
            state() {
              for p in $keys; do printf '%%s %%s %%s\\n' "$1" "$p" "$(cat "/proc/sys/$p")"; done
              printf '%%s-sha %%s\\n' "$1" "$(sha256sum < /etc/sysctl.conf | cut -d' ' -f1)"
            }
            state now
            sed 's/^/file /' /etc/sysctl.conf
            if [ "$1" = reset ]; then
              [ -f /root/sysctl.conf.bench-orig ] || cp -p /etc/sysctl.conf /root/sysctl.conf.bench-orig
              rm -f /etc/sysctl.conf.sysfleet-*.bak /etc/sysctl.conf.sysfleet.* /etc/.sysctl.conf.sysfleet.*
              { cat /root/sysctl.conf.bench-orig
                printf '%%s\\n' '# drifted by the sysfleet benchmark' 'net.ipv4.tcp_fin_timeout = 60' \\
                  'net.ipv4.tcp_syncookies = 0' 'net.ipv4.tcp_max_syn_backlog = 1024'; } > /etc/sysctl.conf
              chmod 0644 /etc/sysctl.conf
              sysctl -q -w %s
              state reset
            fi
            """.formatted(paths(), DRIFTED_LIVE.entrySet().stream().map(e -> e.getKey().dotted() + "=" + e.getValue())
            .collect(Collectors.joining(" ")));

    private Convergence() {
    }

    /** One host's state as {@link #RESET_SCRIPT} printed it. */
    record Observed(Map<SysctlKey, String> live, String sha256, String fileText, Map<SysctlKey, String> resetLive,
                    String resetSha256) {
    }

    /** Parses the output of {@link #RESET_SCRIPT}; a malformed output is an IllegalArgumentException. */
    static Observed parse(String output) {
        Map<SysctlKey, String> live = new LinkedHashMap<>();
        Map<SysctlKey, String> reset = new LinkedHashMap<>();
        String sha = null;
        String resetSha = null;
        StringBuilder file = new StringBuilder();
        for (String line : output.split("\n", -1)) {
            if (line.startsWith("file ")) {
                file.append(line, 5, line.length()).append('\n');
            } else if (line.equals("file")) {
                file.append('\n');
            } else if (line.startsWith("now-sha ")) {
                sha = line.substring(8).strip();
            } else if (line.startsWith("reset-sha ")) {
                resetSha = line.substring(10).strip();
            } else if (line.startsWith("now ") || line.startsWith("reset ")) {
                String[] f = line.split(" ", 3);
                if (f.length != 3) {
                    throw new IllegalArgumentException("malformed line '" + line + "'");
                }
                (f[0].equals("now") ? live : reset).put(SysctlKey.ofPath(f[1]), f[2].strip());
            } else if (!line.isEmpty()) {
                throw new IllegalArgumentException("unexpected line '" + line + "'");
            }
        }
        if (sha == null || live.size() != DESIRED.size()) {
            throw new IllegalArgumentException("incomplete output (" + live.size() + " live values, sha " + sha + ")");
        }
        return new Observed(live, sha, file.toString(), reset.isEmpty() ? null : reset, resetSha);
    }

    /**
     * Why a host is not converged (empty when it is): every live value and every key's effective line of
     * /etc/sysctl.conf (as {@code sysctl -p} reads it: the last one wins) equal the playbook's value.
     */
    static List<String> notConverged(Observed o) {
        List<String> why = new ArrayList<>();
        Map<String, String> file = SysctlFile.parse(o.fileText()).effectiveValues();
        for (Map.Entry<SysctlKey, String> e : DESIRED.entrySet()) {
            String live = o.live().get(e.getKey());
            if (!e.getValue().equals(live)) {
                why.add(e.getKey() + " is " + live + " in /proc/sys, wanted " + e.getValue());
            }
            String inFile = file.get(e.getKey().dotted());
            if (!e.getValue().equals(inFile)) {
                why.add(e.getKey() + " is " + (inFile == null ? "not set" : "'" + inFile + "'")
                        + " in /etc/sysctl.conf, wanted " + e.getValue());
            }
        }
        return why;
    }

    /**
     * Why a host is not in the starting state (empty when it is): the drifted live values, and exactly the bytes
     * of the starting file ({@code sha256}).
     */
    static List<String> notDrifted(Map<SysctlKey, String> live, String sha, String wantSha) {
        List<String> why = new ArrayList<>();
        for (Map.Entry<SysctlKey, String> e : DRIFTED_LIVE.entrySet()) {
            if (!e.getValue().equals(live.get(e.getKey()))) {
                why.add(e.getKey() + " is " + live.get(e.getKey()) + " in /proc/sys, wanted " + e.getValue());
            }
        }
        if (wantSha != null && !wantSha.equals(sha)) {
            why.add("/etc/sysctl.conf has sha256 " + sha + ", not the starting file's " + wantSha);
        }
        return why;
    }

    /**
     * The bare-ssh floor's remote command, the same for every host: through sudo, one sed deletes every line of the
     * six keys, the six settings are appended, {@code sysctl -p} loads the file. No lock, backup, check or undo.
     */
    static String floorCommand() {
        String keys = DESIRED.keySet().stream().map(k -> k.dotted().replace(".", "\\."))
                .collect(Collectors.joining("|"));
        String lines = DESIRED.entrySet().stream().map(e -> Command.quote(e.getKey().dotted() + " = " + e.getValue()))
                .collect(Collectors.joining(" "));
        String script = "sed -i -E '/^[[:space:]]*(" + keys + ")[[:space:]]*=/d' /etc/sysctl.conf"
                + " && printf '%s\\n' " + lines + " >> /etc/sysctl.conf && sysctl -p >/dev/null";
        return "sudo -n sh -c " + Command.quote(script);
    }

    private static String paths() {
        return DESIRED.keySet().stream().map(SysctlKey::path).collect(Collectors.joining(" "));
    }

    private static Map<SysctlKey, String> ordered(String... kv) {
        Map<SysctlKey, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(SysctlKey.of(kv[i]), kv[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(m);
    }
}
