package io.sysfleet.lab;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which hosts a lab has. The default lab is the one {@code inventory.example.yml} describes (two debian12, two
 * centos7, one centos6, one centos5 on 127.0.0.1:2201-2206); {@link #of} makes any other mix.
 */
public record LabSpec(List<LabHost> hosts) {
    /** Lab hosts listen on this address only. */
    public static final String ADDRESS = "127.0.0.1";
    /** The first port of the default lab. */
    public static final int DEFAULT_PORT_BASE = 2201;
    /**
     * The most hosts one lab may have: the benchmark's largest fleet (200) with room to spare. A 2-core machine
     * is CPU-bound long before (every host is an sshd container and a Docker port proxy).
     */
    public static final int MAX_HOSTS = 250;

    private static final List<LabProfile> DEFAULT_MIX = List.of(LabProfile.DEBIAN12, LabProfile.DEBIAN12,
            LabProfile.CENTOS7, LabProfile.CENTOS7, LabProfile.CENTOS6, LabProfile.CENTOS5);
    private static final List<LabProfile> ALL = List.of(LabProfile.values());

    public LabSpec {
        hosts = List.copyOf(hosts);
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException("a lab needs at least one host");
        }
        Set<String> names = new HashSet<>();
        Set<Integer> ports = new HashSet<>();
        for (LabHost h : hosts) {
            if (!names.add(h.name()) || !ports.add(h.port())) {
                throw new IllegalArgumentException("duplicate lab host name or port: " + h);
            }
        }
    }

    /** The hosts of inventory.example.yml. */
    public static LabSpec defaultLab() {
        return of(DEFAULT_MIX, DEFAULT_PORT_BASE);
    }

    /**
     * The lab for the command-line options (null = not given): no options give the default lab; {@code
     * --profiles} alone gives one host per listed profile; {@code --hosts N} gives N hosts, cycling through the
     * listed profiles (default: all four).
     */
    public static LabSpec fromOptions(Integer hostCount, List<String> profileNames, Integer portBase) {
        List<LabProfile> profiles = null;
        if (profileNames != null) {
            profiles = new ArrayList<>();
            for (String n : profileNames) {
                profiles.add(LabProfile.parse(n.strip()));
            }
            if (profiles.isEmpty()) {
                throw new IllegalArgumentException("--profiles needs at least one profile (" + LabProfile.known() + ")");
            }
        }
        int base = portBase == null ? DEFAULT_PORT_BASE : portBase;
        if (hostCount == null && profiles == null) {
            return of(DEFAULT_MIX, base);
        }
        if (hostCount == null) {
            return of(profiles, base);
        }
        if (hostCount < 1 || hostCount > MAX_HOSTS) {
            throw new IllegalArgumentException("--hosts must be from 1 to " + MAX_HOSTS + ", got " + hostCount);
        }
        List<LabProfile> cycle = profiles == null ? ALL : profiles;
        List<LabProfile> perHost = new ArrayList<>();
        for (int i = 0; i < hostCount; i++) {
            perHost.add(cycle.get(i % cycle.size()));
        }
        return of(perHost, base);
    }

    /** One host per entry, on ports portBase, portBase+1, ...; names deb12-a, deb12-b, c7-a, ... */
    public static LabSpec of(List<LabProfile> perHost, int portBase) {
        if (perHost.isEmpty() || perHost.size() > MAX_HOSTS) {
            throw new IllegalArgumentException("a lab has 1 to " + MAX_HOSTS + " hosts, got " + perHost.size());
        }
        if (portBase < 1024 || portBase + perHost.size() - 1 > 65535) {
            throw new IllegalArgumentException("--port-base must leave ports from 1024 to 65535 for "
                    + perHost.size() + " hosts, got " + portBase);
        }
        Map<LabProfile, Integer> seen = new EnumMap<>(LabProfile.class);
        List<LabHost> hosts = new ArrayList<>();
        for (int i = 0; i < perHost.size(); i++) {
            LabProfile p = perHost.get(i);
            int n = seen.merge(p, 1, Integer::sum) - 1;
            hosts.add(new LabHost(p.shortName() + "-" + letters(n), p, portBase + i));
        }
        return new LabSpec(hosts);
    }

    /** 0 -> a, 25 -> z, 26 -> aa, 27 -> ab, ... */
    static String letters(int n) {
        StringBuilder sb = new StringBuilder();
        int x = n + 1;
        while (x > 0) {
            x--;
            sb.insert(0, (char) ('a' + x % 26));
            x /= 26;
        }
        return sb.toString();
    }

    /** Whether this is the lab inventory.example.yml describes. */
    public boolean isDefault() {
        return equals(defaultLab());
    }

    /** The host named {@code name}, or null. */
    public LabHost host(String name) {
        return hosts.stream().filter(h -> h.name().equals(name)).findFirst().orElse(null);
    }
}
