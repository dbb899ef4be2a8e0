package io.sysfleet.report;

import io.sysfleet.result.HostResult.Status;
import io.sysfleet.result.HostResult;
import io.sysfleet.result.KeyResult;
import io.sysfleet.result.Phase;
import io.sysfleet.result.PlayResult;
import io.sysfleet.result.RunReport;
import io.sysfleet.sysctl.SysctlKey;

import java.time.Instant;
import java.util.List;

/** Hand-built run reports covering every host status and key outcome, shared by the report tests. */
final class SampleRuns {
    static final Instant STARTED = Instant.parse("2024-05-01T10:15:30.250Z");
    static final Instant FINISHED = Instant.parse("2024-05-01T10:15:42.750Z");

    /** Play name with every XML-special character and a dot. */
    static final String PLAY = "Conntrack & TCP <tuning> \"prod\" v1.2 'eu'";
    static final String KERNEL_ERROR = "sysctl: setting key \"net.netfilter.nf_conntrack_max\": Invalid argument";
    static final String DIFF = """
            --- web2:/etc/sysctl.conf (before)
            +++ web2:/etc/sysctl.conf (after)
            @@ -1,2 +1,2 @@
             # réglage <fin> & "délai" — ünïcödé ✓
            -net.ipv4.tcp_fin_timeout = 60
            +net.ipv4.tcp_fin_timeout = 30
            """;
    static final String CONTROL = "odd output \u0001\u001b[0m with a lone \ud800 surrogate and 🚀";

    private SampleRuns() {
    }

    static KeyResult key(String task, String key, String planned, String before, String after, boolean changed,
                         boolean verified, boolean skipped, String note, String error) {
        return new KeyResult(task, key == null ? null : SysctlKey.of(key), planned, before, after, changed, verified,
                skipped, note, error);
    }

    /** An apply run: ok, changed, failed with key error and undo, failed on plan, unreachable, skipped. */
    static RunReport apply() {
        HostResult ok = new HostResult("web1.example.com", Status.OK, List.of(
                key("FIN timeout", "net.ipv4.tcp_fin_timeout", "30", "30", "30", false, true, false, "already set", null),
                key("Old conntrack", "net.ipv4.netfilter.ip_conntrack_max", "65536", null, null, false, false, true,
                        "when: ansible_distribution_major_version == '5' is false", null)),
                List.of(), List.of(), null, null, false);
        HostResult changed = new HostResult("web2", Status.CHANGED, List.of(
                key("FIN timeout", "net.ipv4.tcp_fin_timeout", "30", "60", "30", true, true, false, null, null)),
                List.of(DIFF), List.of("sysctl.conf had CRLF line endings; kept them"), null, null, false);
        HostResult failedKey = new HostResult("db1", Status.FAILED, List.of(
                key("Conntrack max", "net.netfilter.nf_conntrack_max", "999999999999", "65536", "65536", true, false,
                        false, "not applied", KERNEL_ERROR),
                key("FIN timeout", "net.ipv4.tcp_fin_timeout", "30", "60", null, false, false, false, null, null)),
                List.of(), List.of(), Phase.VERIFY,
                KERNEL_ERROR + " (undone: /etc/sysctl.conf and live values restored and verified)", true);
        HostResult failedPlan = HostResult.failure("db2", Status.FAILED, Phase.PLAN,
                "playbooks/tcp.yml:12: unknown key 'net.ipv4.tcp_bogus' for CentOS 7 & <later>");
        HostResult unreachable = HostResult.failure("10.0.0.9", Status.UNREACHABLE, Phase.CONNECT,
                "ssh: connect to 10.0.0.9 port 22: Connection refused");
        HostResult skipped = new HostResult("cache1", Status.SKIPPED, List.of(), List.of(), List.of(), null, null, false);
        HostResult odd = new HostResult("web1.example.com", Status.OK, List.of(
                key("Odd", "net.core.somaxconn", "4096", "4096", "4096", false, true, false, CONTROL, null)),
                List.of(), List.of(CONTROL), null, null, false);
        return new RunReport("20240501T101530-ab12", false, STARTED, FINISHED, List.of(
                new PlayResult(PLAY, List.of(ok, changed, failedKey, failedPlan, unreachable, skipped), null),
                new PlayResult("Second play", List.of(odd), null)));
    }

    /** Markup, quotes, a closing textarea and control characters in every value a host or playbook gives. */
    static final String SCRIPT = "<script>window.pwned=1</script>";
    static final String EVIL_HOST = "evil\"><img src=x onerror=\"window.pwned=2\">";
    static final String EVIL_VALUE = "</textarea>" + SCRIPT + "\"q\" 'a' & \u2028\u2029 \u0007 </script> </";
    static final String EVIL_PLAY = "</title><script>window.pwned=3</script> \"play\"";

    static RunReport hostile() {
        HostResult evil = new HostResult(EVIL_HOST, Status.FAILED, List.of(
                key(SCRIPT, "net.core.somaxconn", EVIL_VALUE, "\"old\" <b>bold</b>", null, false, false, false,
                        "<iframe src=\"javascript:window.pwned=4\"></iframe>", "kernel: " + SCRIPT)),
                List.of("--- a\n+++ b\n@@ -1 +1 @@\n-x = </script><script>window.pwned=5</script>\n+x = " + EVIL_VALUE + "\n"),
                List.of("<style>body{display:none}</style>"), Phase.VERIFY, "sysctl: " + SCRIPT + " " + CONTROL, true);
        return new RunReport("run-<id>\"", false, STARTED, FINISHED,
                List.of(new PlayResult(EVIL_PLAY, List.of(evil), null)));
    }

    /**
     * A large apply run shaped like playbooks/site.yml (three plays, six keys per host): every 100th host fails
     * with the kernel refusing a key and is undone, every 200th is unreachable, every third changes two keys
     * (with a diff), the rest are already converged.
     */
    static RunReport fleet(int hosts) {
        List<HostResult> p1 = new java.util.ArrayList<>();
        List<HostResult> p2 = new java.util.ArrayList<>();
        List<HostResult> p3 = new java.util.ArrayList<>();
        for (int i = 0; i < hosts; i++) {
            String name = String.format("web%04d.dc%d.example.com", i, i % 3 + 1);
            long ms = 900 + (i * 37L) % 1500;
            if (i % 200 == 7) {
                p1.add(HostResult.failure(name, Status.UNREACHABLE, Phase.CONNECT,
                        "ssh: connect to " + name + " port 22: Connection refused").withElapsed(java.time.Duration.ofMillis(ms)));
                continue;
            }
            p1.add(new HostResult(name, Status.OK, List.of(key("Never recycle TIME_WAIT sockets",
                    "net.ipv4.tcp_tw_recycle", "0", null, null, false, true, false, "absent on this kernel, already off",
                    null)), List.of(), List.of(), null, null, false, ms / 3));
            boolean changes = i % 3 == 0;
            String diff = ("--- %s:/etc/sysctl.conf (before)\n+++ %s:/etc/sysctl.conf (after)\n@@ -3,4 +3,4 @@\n"
                    + " # managed by the platform team\n-net.ipv4.tcp_fin_timeout = 60\n+net.ipv4.tcp_fin_timeout = 30\n"
                    + " net.core.somaxconn = 4096\n").formatted(name, name);
            p2.add(new HostResult(name, changes ? Status.CHANGED : Status.OK, List.of(key("FIN timeout",
                    "net.ipv4.tcp_fin_timeout", "30", changes ? "60" : "30", "30", changes, true, false,
                    changes ? null : "already set", null)), changes ? List.of(diff) : List.of(), List.of(), null, null,
                    false, ms / 3));
            if (i % 100 == 42) {
                p3.add(new HostResult(name, Status.FAILED, List.of(
                        key("SYN cookies", "net.ipv4.tcp_syncookies", "1", "1", "1", false, true, false, "already set", null),
                        key("Conntrack max", "net.netfilter.nf_conntrack_max", "655350", "65536", "65536", false, false,
                                false, "not applied", KERNEL_ERROR),
                        key("TIME_WAIT reuse", "net.ipv4.tcp_tw_reuse", "1", "2", null, false, false, false, null, null)),
                        List.of(), List.of(), Phase.VERIFY, "net.netfilter.nf_conntrack_max: " + KERNEL_ERROR
                        + " (undone: /etc/sysctl.conf and live values restored and verified)", true, ms / 3));
                continue;
            }
            p3.add(new HostResult(name, changes ? Status.CHANGED : Status.OK, List.of(
                    key("SYN cookies", "net.ipv4.tcp_syncookies", "1", "1", "1", false, true, false, "already set", null),
                    key("TIME_WAIT reuse", "net.ipv4.tcp_tw_reuse", "1", changes ? "2" : "1", "1", changes, true, false,
                            changes ? null : "already set", null),
                    key("Never recycle", "net.ipv4.tcp_tw_recycle", "0", null, null, false, true, false,
                            "absent on this kernel, already off", null),
                    key("FIN timeout", "net.ipv4.tcp_fin_timeout", "30", "30", "30", false, true, false, "already set", null)),
                    List.of(), i % 50 == 1 ? List.of("will not survive a reboot: /etc/sysctl.d/99-tuning.conf:3 sets "
                    + "net.ipv4.tcp_tw_reuse = 2 after /etc/sysctl.conf") : List.of(), null, null, false, ms / 3));
        }
        return new RunReport("20240501T101530Z-f1ee70", false, STARTED, FINISHED, List.of(
                new PlayResult("Row 8: NAT clients' SYNs dropped", p1, null),
                new PlayResult("Row 2: FIN_WAIT2 timeout", p2, null),
                new PlayResult("Row 3: TIME_WAIT", p3, null)));
    }

    /** A check run with drift: one key would change, one would be removed, one is already right. */
    static RunReport checkWithDrift() {
        HostResult drift = new HostResult("web2", Status.CHANGED, List.of(
                key("FIN timeout", "net.ipv4.tcp_fin_timeout", "30", "60", null, true, false, false, null, null),
                key("Syncookies", "net.ipv4.tcp_syncookies", "1", "1", "1", false, true, false, "already set", null),
                key("No timestamps", "net.ipv4.tcp_timestamps", null, "1", null, true, false, false, null, null)),
                List.of(DIFF), List.of(), null, null, false);
        HostResult clean = new HostResult("web1", Status.OK, List.of(
                key("FIN timeout", "net.ipv4.tcp_fin_timeout", "30", "30", "30", false, true, false, "already set", null)),
                List.of(), List.of(), null, null, false);
        return new RunReport("20240501T101530-cd34", true, STARTED, FINISHED,
                List.of(new PlayResult("TCP", List.of(drift, clean), null)));
    }

    /** A run where every host was reached and fine, or unreachable when {@code unreachable}. */
    static RunReport simple(boolean check, Status status) {
        HostResult h = status == Status.UNREACHABLE
                ? HostResult.failure("h1", status, Phase.CONNECT, "timeout")
                : new HostResult("h1", status, List.of(), List.of(), List.of(), null, null, false);
        return new RunReport("r", check, STARTED, FINISHED, List.of(new PlayResult("p", List.of(h), null)));
    }
}
