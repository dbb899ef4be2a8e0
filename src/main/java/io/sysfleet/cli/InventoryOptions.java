package io.sysfleet.cli;

import io.sysfleet.core.Problem;
import io.sysfleet.engine.InventorySources;
import io.sysfleet.inventory.Inventory;
import io.sysfleet.inventory.InventoryLoader;
import io.sysfleet.vault.VaultSecrets;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Where the inventory comes from: {@code -i} (repeatable) and the vault passwords. A picocli mixin. */
final class InventoryOptions {

    @Option(names = {"-i", "--inventory"}, required = true, paramLabel = "SOURCE",
            description = "An inventory: a YAML or INI file, a directory of them (with group_vars/ and host_vars/), "
                    + "or a host list 'a,b,'. Repeat to merge several, later ones winning, as in Ansible.")
    List<String> sources;

    @Option(names = "--vault-password-file", paramLabel = "FILE",
            description = "A vault password file (or an executable that prints the password). Repeatable. "
                    + "Also taken from $ANSIBLE_VAULT_PASSWORD_FILE.")
    List<Path> vaultPasswordFiles = new ArrayList<>();

    @Option(names = "--vault-id", paramLabel = "[LABEL@]FILE",
            description = "A vault password with its vault id: LABEL@FILE, LABEL@prompt or FILE. Repeatable.")
    List<String> vaultIds = new ArrayList<>();

    /** The sources and the vault passwords they name (read now: a missing password file is exit 9). */
    InventorySources sources(Map<String, String> env) {
        return new InventorySources(sources, VaultSecrets.load(vaultIds, vaultPasswordFiles, env));
    }

    /** Loads the inventory; {@code vars} false gives its structure only (no variables read or decrypted). */
    Inventory load(Map<String, String> env, boolean vars, PrintWriter err) {
        InventoryLoader.Options options = InventoryLoader.Options.defaults()
                .withVault(VaultSecrets.load(vaultIds, vaultPasswordFiles, env));
        Inventory inv = InventoryLoader.load(sources, vars ? options : options.structureOnly());
        for (Problem w : inv.warnings()) {
            err.println("[WARNING]: " + w);
        }
        return inv;
    }

    /** The sources as they would be given again on a command line: {@code -i a -i b}, quoted where needed. */
    String display() {
        return new InventorySources(sources, null).display();
    }
}
