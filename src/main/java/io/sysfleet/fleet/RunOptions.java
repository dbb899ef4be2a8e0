package io.sysfleet.fleet;

import io.sysfleet.transport.HostKeyPolicy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How a run was asked for.
 *
 * @param playbook       the playbook file
 * @param inventory      the inventory file
 * @param limit          an extra host pattern (--limit), or null
 * @param check          plan only, change nothing (check mode)
 * @param offline        with check: do not contact hosts, show desired values only
 * @param stateDir       where runs keep their local backups
 * @param knownHosts     known_hosts file, or null for ~/.ssh/known_hosts
 * @param hostKeyPolicy  strict (default) or accept-new
 * @param connectTimeout SSH connect timeout
 * @param commandTimeout timeout of one remote command
 * @param forks          how many hosts run at once
 * @param serial         batches for plays that set no {@code serial} (empty: one batch)
 * @param maxFailPercent max_fail_percentage for plays that set none (null: none)
 * @param sysctlPaths    which sysctl files may be managed (--allow-sysctl-path)
 */
public record RunOptions(Path playbook, Path inventory, String limit, boolean check, boolean offline, Path stateDir,
                         Path knownHosts, HostKeyPolicy hostKeyPolicy, Duration connectTimeout,
                         Duration commandTimeout, int forks, List<String> serial, Double maxFailPercent,
                         io.sysfleet.plan.SysctlPaths sysctlPaths) {

    /** The default number of hosts run at once: well above Ansible's 5; hosts mostly wait on the network. */
    public static final int DEFAULT_FORKS = 25;

    public RunOptions {
        if (forks < 1) {
            throw new IllegalArgumentException("forks must be at least 1, got " + forks);
        }
        serial = List.copyOf(serial);
        sysctlPaths = sysctlPaths == null ? io.sysfleet.plan.SysctlPaths.defaults() : sysctlPaths;
    }
}
