package io.sysfleet.plan;

import io.sysfleet.catalog.Platform;
import io.sysfleet.facts.RuntimeFacts;
import io.sysfleet.sysctl.SysctlKey;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * What the planner knows of one host, taken from its facts: the platform, the text of each file the play
 * touches (a path mapped to null: the file does not exist), the live value of every key probed (a key without an
 * entry has no /proc/sys entry on that host) and what the running kernel says of itself ({@link RuntimeFacts}:
 * memory, TIME_WAIT sockets, container and network namespace, modules, read-only keys).
 */
public record HostState(Platform platform, Map<String, String> files, Map<SysctlKey, String> live,
                        RuntimeFacts runtime) {

    public HostState {
        files = Collections.unmodifiableMap(new HashMap<>(files));
        live = Map.copyOf(live);
        runtime = runtime == null ? RuntimeFacts.unknown() : runtime;
    }

    /** A state without runtime facts (nothing known of memory, namespaces or modules). */
    public HostState(Platform platform, Map<String, String> files, Map<SysctlKey, String> live) {
        this(platform, files, live, RuntimeFacts.unknown());
    }
}
