package io.sysfleet.result;

import io.sysfleet.core.ExitCode;
import io.sysfleet.result.HostResult;

import java.time.Instant;
import java.util.List;

/** Everything a run did, for the recap, the reports and the exit code. */
public record RunReport(String runId, boolean check, Instant started, Instant finished, List<PlayResult> plays) {
    public RunReport {
        plays = List.copyOf(plays);
    }

    public List<HostResult> allHosts() {
        return plays.stream().flatMap(p -> p.hosts().stream()).toList();
    }

    /** Each host's overall status over all plays: failed over unreachable over changed over ok over skipped. */
    public java.util.Map<String, String> hostStatuses() {
        java.util.Map<String, HostResult.Status> worst = new java.util.LinkedHashMap<>();
        List<HostResult.Status> rank = List.of(HostResult.Status.SKIPPED, HostResult.Status.OK,
                HostResult.Status.CHANGED, HostResult.Status.UNREACHABLE, HostResult.Status.FAILED);
        for (HostResult h : allHosts()) {
            worst.merge(h.host(), h.status(), (a, b) -> rank.indexOf(a) >= rank.indexOf(b) ? a : b);
        }
        java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
        worst.forEach((k, v) -> out.put(k, v.label()));
        return out;
    }

    /**
     * The documented exit code: 2 when a host failed, else 3 when a host was unreachable, else 7 in check mode
     * when changes are pending (drift), else 0.
     */
    public ExitCode exitCode() {
        List<HostResult> all = allHosts();
        if (all.stream().anyMatch(h -> h.status() == HostResult.Status.FAILED)) {
            return ExitCode.HOST_FAILED;
        }
        if (all.stream().anyMatch(h -> h.status() == HostResult.Status.UNREACHABLE)) {
            return ExitCode.UNREACHABLE;
        }
        if (check && all.stream().anyMatch(h -> h.status() == HostResult.Status.CHANGED)) {
            return ExitCode.DRIFT;
        }
        return ExitCode.OK;
    }
}
