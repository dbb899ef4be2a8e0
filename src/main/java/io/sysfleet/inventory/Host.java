package io.sysfleet.inventory;

import java.util.Map;

/**
 * An inventory host with its effective variables, merged the way Ansible merges them (see
 * {@link InventoryAssembler}). The helpers read the connection variables ({@link ConnectionVars}); the loader
 * has checked the literal ones. Before a run uses a host, {@link #unmanageable()} says whether sysfleet can
 * reach it at all, and {@link ConnectionVars#resolve} decrypts and renders what the loader could not check.
 */
public record Host(String name, Map<String, Object> vars) {
    public Host {
        vars = Vars.frozen(vars);
    }

    /** {@code ansible_host} (or {@code ansible_ssh_host}), or the inventory name. */
    public String address() {
        String a = ConnectionVars.string(this, ConnectionVars.Setting.ADDRESS);
        return a == null ? name : a;
    }

    /** {@code ansible_port}, or null: use 22 or what the SSH configuration says. */
    public Integer port() {
        return ConnectionVars.port(this);
    }

    /** {@code ansible_user} (or {@code ansible_ssh_user}), or null. */
    public String user() {
        return ConnectionVars.string(this, ConnectionVars.Setting.USER);
    }

    /**
     * {@code ansible_ssh_private_key_file} (or {@code ansible_private_key_file}), or null; as written (relative
     * paths are relative to the caller).
     */
    public String privateKeyFile() {
        return ConnectionVars.string(this, ConnectionVars.Setting.KEY_FILE);
    }

    /**
     * {@code ansible_connection}: "ssh" (the default; Ansible's "smart" and "paramiko" mean ssh), "local", or
     * the name of a connection sysfleet does not speak (then {@link #unmanageable()} is not null).
     */
    public String connection() {
        return ConnectionVars.connection(this);
    }

    /**
     * Why sysfleet cannot manage this host, or null: e.g. {@code connection 'docker' is not supported: sysfleet
     * manages hosts over ssh or local}. A run refuses such a host before connecting; the others proceed.
     */
    public String unmanageable() {
        return ConnectionVars.unmanageable(this);
    }

    /**
     * {@code ansible_become_password} (or {@code ansible_become_pass}, {@code ansible_sudo_pass}), decrypted when
     * vaulted; null when unset.
     *
     * @throws io.sysfleet.vault.VaultException when it is vaulted and cannot be decrypted
     */
    public io.sysfleet.transport.Secret becomePassword() {
        return ConnectionVars.becomePassword(this);
    }

    /** {@code ansible_become} read as an Ansible boolean; false when unset. */
    public boolean become() {
        return ConnectionVars.become(this);
    }

    /** {@code ansible_become_user} (or {@code ansible_sudo_user}), or null (Ansible's default is root). */
    public String becomeUser() {
        return ConnectionVars.string(this, ConnectionVars.Setting.BECOME_USER);
    }
}
