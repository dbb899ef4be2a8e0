package io.sysfleet.facts;

import io.sysfleet.sysctl.SysctlKey;

import java.util.Map;

/**
 * What one probe learnt about a host. {@code osRelease} and {@code redhatRelease} are the files' text or null
 * when absent; {@code kernelRelease} is {@code uname -r}; {@code live} maps the /proc/sys path of every probed
 * key to its value (see {@link #live(SysctlKey)}).
 */
public record HostFacts(String osRelease, String redhatRelease, String kernelRelease, FileFact sysctlFile,
        Map<String, LiveValue> live) {

    public HostFacts {
        live = Map.copyOf(live);
    }

    /** The live value of a probed key, or null when it was not probed. */
    public LiveValue live(SysctlKey key) {
        return live.get(key.path());
    }
}
