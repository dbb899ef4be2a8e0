package io.sysfleet.facts;

import io.sysfleet.sysctl.SysctlKey;

import java.util.Map;

/**
 * What one probe learnt about a host. {@code osRelease} and {@code redhatRelease} are the files' text or null
 * when absent; {@code kernelRelease} is {@code uname -r}; {@code live} maps the /proc/sys path of every probed
 * key to its value (see {@link #live(SysctlKey)}); {@code bootFiles} are the files the host reads at boot, when
 * they were asked for, else null.
 */
public record HostFacts(String osRelease, String redhatRelease, String kernelRelease, FileFact sysctlFile,
        Map<String, LiveValue> live, BootFiles.Listing bootFiles) {

    public HostFacts {
        live = Map.copyOf(live);
    }

    /** Facts without the boot files. */
    public HostFacts(String osRelease, String redhatRelease, String kernelRelease, FileFact sysctlFile,
                     Map<String, LiveValue> live) {
        this(osRelease, redhatRelease, kernelRelease, sysctlFile, live, null);
    }

    /** The same facts with the host's boot files (read in the same round trip). */
    public HostFacts withBootFiles(BootFiles.Listing listing) {
        return new HostFacts(osRelease, redhatRelease, kernelRelease, sysctlFile, live, listing);
    }

    /** The live value of a probed key, or null when it was not probed. */
    public LiveValue live(SysctlKey key) {
        return live.get(key.path());
    }
}
