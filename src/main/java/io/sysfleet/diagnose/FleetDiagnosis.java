package io.sysfleet.diagnose;

import io.sysfleet.core.ExitCode;

import java.time.Instant;
import java.util.List;

/**
 * A diagnosis of a fleet: every selected host's result, in inventory order.
 *
 * @param started    when the first host started
 * @param finished   when the last host finished
 * @param thresholds the thresholds used
 * @param hosts      one result per host
 */
public record FleetDiagnosis(Instant started, Instant finished, Thresholds thresholds, List<HostDiagnosis> hosts) {
    public FleetDiagnosis {
        hosts = List.copyOf(hosts);
    }

    public List<Finding> findings() {
        return hosts.stream().flatMap(h -> h.findings().stream()).toList();
    }

    /**
     * The documented exit code: 2 when a host could not be diagnosed because of a failure, else 3 when a host was
     * unreachable, else 8 when a finding is at or above {@code failOn} (null: never), else 0. Host problems come
     * first, as in {@code check}: a gate must not pass a fleet it could not see.
     */
    public ExitCode exitCode(Severity failOn) {
        if (hosts.stream().anyMatch(h -> h.status() == HostDiagnosis.Status.FAILED)) {
            return ExitCode.HOST_FAILED;
        }
        if (hosts.stream().anyMatch(h -> h.status() == HostDiagnosis.Status.UNREACHABLE)) {
            return ExitCode.UNREACHABLE;
        }
        if (failOn != null && findings().stream().anyMatch(f -> f.severity().compareTo(failOn) >= 0)) {
            return ExitCode.FINDINGS;
        }
        return ExitCode.OK;
    }
}
