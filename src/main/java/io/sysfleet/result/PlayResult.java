package io.sysfleet.result;

import io.sysfleet.result.HostResult;

import java.util.List;

/**
 * One play's results, one per selected host, in the play's host order; {@code aborted} says why the play
 * stopped early (null when it ran to its end).
 */
public record PlayResult(String name, List<HostResult> hosts, String aborted) {
    public PlayResult {
        hosts = List.copyOf(hosts);
    }
}
