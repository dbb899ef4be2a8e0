package io.sysfleet.inventory;

import java.util.Map;

/**
 * An inventory host with its effective variables, merged the way Ansible merges them (all, parent groups,
 * child groups, host; {@code group_vars/} and {@code host_vars/} files included). The helpers read the
 * connection variables; the loader has already checked them, so they only fail on a hand-made Host.
 */
public record Host(String name, Map<String, Object> vars) {
    public Host {
        vars = Vars.frozen(vars);
    }

    /** {@code ansible_host}, or the inventory name. */
    public String address() {
        String a = ConnectionVars.string(this, ConnectionVars.HOST);
        return a == null ? name : a;
    }

    /** {@code ansible_port}, or null: use 22 or what the SSH configuration says. */
    public Integer port() {
        return ConnectionVars.port(this);
    }

    /** {@code ansible_user}, or null. */
    public String user() {
        return ConnectionVars.string(this, ConnectionVars.USER);
    }

    /** {@code ansible_ssh_private_key_file}, or null; as written (relative paths are relative to the caller). */
    public String privateKeyFile() {
        return ConnectionVars.string(this, ConnectionVars.KEY_FILE);
    }

    /** {@code ansible_connection}: "ssh" (the default; Ansible's "smart" means ssh) or "local". */
    public String connection() {
        return ConnectionVars.connection(this);
    }

    /** {@code ansible_become} read as an Ansible boolean; false when unset. */
    public boolean become() {
        return ConnectionVars.become(this);
    }

    /** {@code ansible_become_user}, or null (Ansible's default is root). */
    public String becomeUser() {
        return ConnectionVars.string(this, ConnectionVars.BECOME_USER);
    }
}
