package io.sysfleet.plan;

import io.sysfleet.core.ExitCode;
import io.sysfleet.core.SysfleetException;
import io.sysfleet.inventory.Host;
import io.sysfleet.inventory.Inventory;
import io.sysfleet.inventory.InventoryLoader;
import io.sysfleet.playbook.Play;
import io.sysfleet.playbook.Playbook;
import io.sysfleet.playbook.PlaybookLoader;
import io.sysfleet.transport.Secret;
import io.sysfleet.vault.VaultException;
import io.sysfleet.vault.VaultSecrets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Templated connection variables are rendered with the playbooks' template engine, per host and play, before
 * anything connects (issue 9, item 5), in the shapes real inventories use: {@code | default(...)}, a variable
 * named after the host, and {@code ansible_become_password: "{{ vault_become_password }}"} with the value in a
 * vault file beside it (the README's production example, encrypted by the real ansible-vault).
 */
class ConnectionTemplatesTest {
    private static final Path PRODUCTION = Path.of("examples/inventories/production");

    @TempDir
    Path dir;

    private Playbook playbook(String playVars) {
        return PlaybookLoader.parse("- hosts: all\n  gather_facts: false\n" + playVars + "  tasks:\n"
                + "    - ansible.posix.sysctl:\n        name: net.ipv4.tcp_fin_timeout\n        value: '30'\n",
                dir.resolve("site.yml"));
    }

    private Inventory inventory(String yaml) throws IOException {
        Path inv = dir.resolve("hosts.yml");
        Files.writeString(inv, yaml);
        return InventoryLoader.load(inv);
    }

    @Test
    void templatesRenderPerHostWithPlayVarsAndTheHostsName() throws IOException {
        Inventory inv = inventory("""
                all:
                  vars:
                    ansible_user: "{{ deploy_user | default('ops') }}"
                    ansible_host: "{{ inventory_hostname_short }}.{{ domain }}"
                  hosts:
                    web1.dc1:
                      domain: dc1.example.com
                    web2.dc1:
                      domain: dc1.example.com
                      deploy_user: ci
                """);
        Play play = playbook("").plays().get(0);
        Host web1 = ConnectionTemplates.resolve(inv.host("web1.dc1"), play);
        assertEquals("ops", web1.user());
        assertEquals("web1.dc1.example.com", web1.address());
        assertNull(web1.unmanageable());
        assertEquals("ci", ConnectionTemplates.resolve(inv.host("web2.dc1"), play).user());
        Play withVars = playbook("  vars:\n    deploy_user: release\n").plays().get(0);
        assertEquals("release", ConnectionTemplates.resolve(inv.host("web1.dc1"), withVars).user(),
                "play vars are seen, as Ansible templates connection variables with the play's variables");
    }

    @Test
    void aTemplateThatRendersToAnUnsafeValueStopsTheRunBeforeAnyConnectionNamingTheHost() throws IOException {
        Inventory inv = inventory("""
                all:
                  hosts:
                    good: {ansible_user: "{{ u | default('ops') }}"}
                    bad: {ansible_user: "{{ u }}", u: "root; rm -rf /"}
                    missing: {ansible_host: "{{ nowhere }}"}
                """);
        SysfleetException e = assertThrows(SysfleetException.class,
                () -> ConnectionTemplates.check(playbook(""), inv, null));
        assertEquals(ExitCode.CONFIG, e.exitCode());
        List<String> lines = e.getMessage().lines().toList();
        assertEquals(2, lines.size(), e.getMessage());
        assertTrue(lines.get(0).startsWith("bad: ansible_user '{{ u }}' rendered to 'root; rm -rf /': "), lines.get(0));
        assertTrue(lines.get(1).startsWith("missing: ansible_host '{{ nowhere }}' cannot be rendered: "), lines.get(1));
        assertTrue(lines.get(1).contains("nowhere"), lines.get(1));
        ConnectionTemplates.check(playbook(""), inv, "good"); // --limit: only the selected hosts are rendered
    }

    @Test
    void aBecomePasswordFromAVaultFileIsRenderedToASecret() {
        VaultSecrets vault = VaultSecrets.of(List.of(new VaultSecrets.Entry(VaultSecrets.DEFAULT_ID,
                Secret.of("test", readPassword()))));
        Inventory inv = InventoryLoader.load(List.of(PRODUCTION.toString()),
                InventoryLoader.Options.defaults().withVault(vault));
        Play play = playbook("").plays().get(0);
        Host db = ConnectionTemplates.resolve(inv.host("db1.prod.example.com"), play);
        Secret pw = db.becomePassword();
        assertFalse(pw.reveal().isEmpty());
        assertFalse(pw.reveal().contains("{{"), "rendered, not the template");
        assertTrue(pw.toString().startsWith("****"), "a secret never prints itself: " + pw);
        assertFalse(String.valueOf(db.vars()).contains(pw.reveal()), "the host's variables never show it");
    }

    @Test
    void aWrongVaultPasswordIsAVaultErrorNotAHostFailure() throws IOException {
        Path pw = dir.resolve("wrong");
        Files.writeString(pw, "not the password\n");
        VaultSecrets wrong = VaultSecrets.load(List.of(), List.of(pw), Map.of());
        // The vault file is decrypted when the inventory is read: exit 9 before any run starts.
        VaultException e = assertThrows(VaultException.class, () -> InventoryLoader.load(
                List.of(PRODUCTION.toString()), InventoryLoader.Options.defaults().withVault(wrong)));
        assertEquals(ExitCode.VAULT, e.exitCode());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }

    private static String readPassword() {
        try {
            return Files.readString(Path.of("examples/inventories/demo-vault-password.txt")).strip();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
