package io.sysfleet.facts;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a host's running kernel says about itself beyond its release, read in the facts round trip
 * ({@link FactsProbe}): the memory a connection-tracking table competes for, the TIME_WAIT sockets there are now,
 * whether the host is a container and which network namespace it is in, which kernel modules it has, and which of
 * the probed keys the kernel offers read-only. Unknown parts are null (an older probe, a file the connecting user
 * cannot read).
 *
 * @param memTotalKb    {@code MemTotal} of {@code /proc/meminfo}, in KiB
 * @param timeWait      TIME_WAIT sockets of the host's network namespace now ({@code tw} of
 *                      {@code /proc/net/sockstat})
 * @param container     the container manager ({@code docker}, {@code podman}, {@code lxc}, ... from PID 1's
 *                      {@code container=} variable, {@code /.dockerenv} or {@code /run/.containerenv}); "" when
 *                      none is seen
 * @param initialNetns  whether the host is in the initial network namespace. {@code net.core.netdev_max_backlog}
 *                      is registered only there (the kernel's {@code net_core_table}; src/catalog/live-snapshot.tsv
 *                      shows it absent in a new namespace), so its presence answers without any privilege
 * @param moduleSupport whether the kernel loads modules at all: {@code /proc/modules} or the
 *                      {@code kernel.modprobe} key exists (both only with CONFIG_MODULES)
 * @param modprobe      whether a {@code modprobe} command is on the host's PATH
 * @param modules       each kernel module asked about, by name, with its state
 * @param readOnly      the /proc/sys paths of the probed keys that exist but that the kernel offers without write
 *                      permission (a global key seen from a container's network namespace: nf_conntrack_max)
 */
public record RuntimeFacts(Long memTotalKb, Long timeWait, String container, Boolean initialNetns,
                           Boolean moduleSupport, Boolean modprobe, Map<String, ModuleState> modules,
                           Set<String> readOnly) {

    /** Kernel module names as modprobe takes them: letters, digits, '_' and '-' (modprobe treats '-' as '_'). */
    public static final Pattern MODULE_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_-]{0,63}");

    /** Where a module stands on a host. */
    public enum ModuleState {
        /** Listed in {@code /proc/modules}, or present under {@code /sys/module} (loaded, or built in). */
        LOADED,
        /** Built into the kernel ({@code modules.builtin}): always there, never loaded or unloaded. */
        BUILTIN,
        /** Neither loaded nor built in. */
        ABSENT;

        /** Whether the module's sysctl keys exist. */
        public boolean available() {
            return this != ABSENT;
        }
    }

    public RuntimeFacts {
        modules = Collections.unmodifiableMap(new LinkedHashMap<>(modules));
        readOnly = Set.copyOf(readOnly);
    }

    /** Nothing known. */
    public static RuntimeFacts unknown() {
        return new RuntimeFacts(null, null, null, null, null, null, Map.of(), Set.of());
    }

    /** Whether the host is known to be a container. */
    public boolean inContainer() {
        return container != null && !container.isEmpty();
    }

    /** Whether the host is known to be outside the initial network namespace (a container with its own). */
    public boolean otherNetns() {
        return Boolean.FALSE.equals(initialNetns);
    }

    /** The state of {@code module} ('-' and '_' are one), or null when it was not asked about. */
    public ModuleState module(String module) {
        ModuleState s = modules.get(module);
        return s != null ? s : modules.get(module.replace('-', '_'));
    }

    /** A copy with what the controller now knows of {@code module} (after a planned load or unload). */
    public RuntimeFacts withModule(String module, ModuleState state) {
        Map<String, ModuleState> m = new LinkedHashMap<>(modules);
        m.put(module, state);
        return new RuntimeFacts(memTotalKb, timeWait, container, initialNetns, moduleSupport, modprobe, m, readOnly);
    }

    /** One line for reports: {@code container docker, other network namespace, MemTotal 2.0 GiB, 12 TIME_WAIT}. */
    public String describe() {
        StringBuilder b = new StringBuilder();
        b.append(container == null ? "container unknown" : inContainer() ? "container " + container : "not a container");
        b.append(initialNetns == null ? ", network namespace unknown"
                : initialNetns ? ", initial network namespace" : ", not the initial network namespace");
        if (memTotalKb != null) {
            b.append(", MemTotal ").append(memTotalKb).append(" kB");
        }
        if (timeWait != null) {
            b.append(", ").append(timeWait).append(" sockets in TIME_WAIT");
        }
        return b.toString();
    }
}
