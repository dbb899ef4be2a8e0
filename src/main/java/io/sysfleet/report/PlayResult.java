package io.sysfleet.report;

import io.sysfleet.apply.HostResult;

import java.util.List;

/** One play's results, one per selected host, in inventory order. */
public record PlayResult(String name, List<HostResult> hosts) {
    public PlayResult {
        hosts = List.copyOf(hosts);
    }
}
