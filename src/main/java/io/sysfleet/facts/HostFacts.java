package io.sysfleet.facts;

import java.util.Map;

/**
 * What one probe learnt about a host. {@code osRelease} and {@code redhatRelease} are the files' text or null
 * when absent; {@code kernelRelease} is {@code uname -r}; {@code live} maps every probed key to its value.
 */
public record HostFacts(String osRelease, String redhatRelease, String kernelRelease, FileFact sysctlFile,
        Map<String, LiveValue> live) {

    public HostFacts {
        live = Map.copyOf(live);
    }
}
