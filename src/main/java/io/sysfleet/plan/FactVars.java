package io.sysfleet.plan;

import io.sysfleet.catalog.Platform;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Ansible fact variables sysfleet provides to {@code when} and templates when a play gathers facts,
 * named and valued as Ansible's setup module names them, so a condition means the same to both tools.
 */
public final class FactVars {
    private static final Map<String, String> DISTRIBUTION = Map.of(
            "centos", "CentOS", "rhel", "RedHat", "debian", "Debian", "ubuntu", "Ubuntu",
            "rocky", "Rocky", "almalinux", "AlmaLinux", "fedora", "Fedora", "ol", "OracleLinux");
    private static final Map<String, String> FAMILY = Map.of("rhel", "RedHat", "debian", "Debian");

    /** Every fact variable sysfleet may provide (a host provides those its facts allow). */
    public static final java.util.Set<String> NAMES = java.util.Set.of("ansible_kernel", "ansible_distribution",
            "ansible_distribution_version", "ansible_distribution_major_version", "ansible_os_family");

    private FactVars() {
    }

    /** {@code ansible_kernel}, {@code ansible_distribution}, its version, major version and os family. */
    public static Map<String, Object> of(Platform p) {
        Map<String, Object> vars = new LinkedHashMap<>();
        if (p.kernelRelease() != null) {
            vars.put("ansible_kernel", p.kernelRelease());
        }
        if (p.osId() != null) {
            vars.put("ansible_distribution", DISTRIBUTION.getOrDefault(p.osId(), p.osId()));
        }
        if (p.osVersion() != null) {
            vars.put("ansible_distribution_version", p.osVersion());
            vars.put("ansible_distribution_major_version", p.osVersion().split("\\.")[0]);
        }
        String family = p.family();
        if (family != null) {
            vars.put("ansible_os_family", FAMILY.getOrDefault(family, family));
        }
        return vars;
    }
}
