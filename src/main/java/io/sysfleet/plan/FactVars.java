package io.sysfleet.plan;

import io.sysfleet.catalog.Platform;
import io.sysfleet.template.Vars;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Ansible fact variables sysfleet provides to {@code when} and templates when a play gathers facts,
 * named and valued as Ansible's setup module names them, so a condition means the same to both tools:
 * {@code ansible_facts['os_family']} and the alias {@code ansible_os_family}. Facts are what a host says,
 * so every value is data, never a template ({@link Vars#facts}).
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

    /** {@code kernel}, {@code distribution}, its version, major version and os family, as facts. */
    public static Map<String, Object> of(Platform p) {
        Map<String, Object> facts = new LinkedHashMap<>();
        if (p.kernelRelease() != null) {
            facts.put("kernel", p.kernelRelease());
        }
        if (p.osId() != null) {
            facts.put("distribution", DISTRIBUTION.getOrDefault(p.osId(), p.osId()));
        }
        if (p.osVersion() != null) {
            facts.put("distribution_version", p.osVersion());
            facts.put("distribution_major_version", p.osVersion().split("\\.")[0]);
        }
        String family = p.family();
        if (family != null) {
            facts.put("os_family", FAMILY.getOrDefault(family, family));
        }
        return Vars.facts(facts);
    }
}
