package io.sysfleet.lint;

import io.sysfleet.core.SysfleetException;
import io.sysfleet.inventory.Host;
import io.sysfleet.inventory.Inventory;
import io.sysfleet.playbook.AnsibleValues;
import io.sysfleet.playbook.Play;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What lint may know about the hosts without contacting them: the kernel they run ({@code --kernel}), and
 * the inventory ({@code -i}), which says which hosts are containers. Either may be absent.
 *
 * @param kernel    a kernel release ({@code 6.1}, {@code 3.10.0-1160.el7.x86_64}), or null
 * @param inventory the inventory the playbooks run against, or null
 */
public record LintTarget(String kernel, Inventory inventory) {
    /** {@code ansible_virtualization_type} values of a container guest. */
    private static final Set<String> CONTAINER_VIRTUALIZATION = Set.of("docker", "lxc", "lxc-libvirt", "podman",
            "container", "containerd", "openvz", "systemd-nspawn", "wsl");

    /** Nothing known about the hosts. */
    public static LintTarget none() {
        return new LintTarget(null, null);
    }

    /**
     * The hosts of {@code play} that the inventory marks as containers, by name: {@code sysfleet_container: true}
     * (or {@code sysfleet_lab: true}, the lab's containers), or {@code ansible_virtualization_type} of a container
     * (with {@code ansible_virtualization_role} guest or unset), as a fact cache or an inventory may carry it.
     * sysfleet reaches every host over SSH, so a container is one the inventory says is one.
     */
    public List<String> containerHosts(Play play) {
        if (inventory == null) {
            return List.of();
        }
        List<Host> hosts;
        try {
            hosts = inventory.select(play.hosts());
        } catch (SysfleetException | IllegalArgumentException e) {
            return List.of(); // a templated or bad pattern: run time reports it
        }
        return hosts.stream().filter(LintTarget::isContainer).map(Host::name).toList();
    }

    /** Whether the inventory marks {@code h} as a container. */
    public static boolean isContainer(Host h) {
        if (flag(h, "sysfleet_container") || flag(h, "sysfleet_lab")) {
            return true;
        }
        Object type = h.vars().get("ansible_virtualization_type");
        Object role = h.vars().get("ansible_virtualization_role");
        return type != null && CONTAINER_VIRTUALIZATION.contains(String.valueOf(type).toLowerCase(Locale.ROOT))
                && (role == null || "guest".equalsIgnoreCase(String.valueOf(role)));
    }

    private static boolean flag(Host h, String var) {
        return Boolean.TRUE.equals(AnsibleValues.toBoolean(h.vars().get(var)));
    }
}
