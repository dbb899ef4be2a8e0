package io.sysfleet.plan;

import io.sysfleet.catalog.Platform;
import io.sysfleet.sysctl.SysctlKey;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * What the planner knows of one host, taken from its facts: the platform, the text of each sysctl file the
 * play touches (a path mapped to null: the file does not exist), and the live value of every key probed
 * (a key without an entry has no /proc/sys entry on that host).
 */
public record HostState(Platform platform, Map<String, String> files, Map<SysctlKey, String> live) {

    public HostState {
        files = Collections.unmodifiableMap(new HashMap<>(files));
        live = Map.copyOf(live);
    }
}
