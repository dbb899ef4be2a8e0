package io.sysfleet.diagnose;

import io.sysfleet.result.Phase;

import java.time.Duration;
import java.util.List;

/**
 * The diagnosis of one host: what was measured and what it means, or why the host could not be diagnosed.
 *
 * @param host     the inventory host
 * @param status   diagnosed, failed or unreachable
 * @param phase    where a failure happened (connect, collect, ...), else null
 * @param error    the failure, one line, else null
 * @param sample   the measurements; null unless diagnosed
 * @param findings the findings, in table row order
 * @param elapsed  the host's wall time
 */
public record HostDiagnosis(String host, Status status, Phase phase, String error, HostSample sample,
                            List<Finding> findings, Duration elapsed) {

    /** Whether the host was diagnosed. */
    public enum Status {
        DIAGNOSED, FAILED, UNREACHABLE;

        public String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public HostDiagnosis {
        findings = List.copyOf(findings);
    }

    public static HostDiagnosis failure(String host, Status status, Phase phase, String error) {
        return new HostDiagnosis(host, status, phase, error, null, List.of(), Duration.ZERO);
    }

    public HostDiagnosis withElapsed(Duration d) {
        return new HostDiagnosis(host, status, phase, error, sample, findings, d);
    }

    /** The highest severity among the findings, or null when there are none. */
    public Severity worst() {
        return findings.stream().map(Finding::severity).max(Enum::compareTo).orElse(null);
    }
}
