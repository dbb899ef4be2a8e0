package io.sysfleet.engine;

import io.sysfleet.inventory.Inventory;
import io.sysfleet.inventory.InventoryLoader;
import io.sysfleet.report.ReportContext;
import io.sysfleet.vault.VaultSecrets;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Where a run's inventory comes from: the {@code -i} sources in order (files, directories, host lists) and the
 * vault passwords that decrypt them. The engine loads it, records it in the journal and repeats it in the
 * commands it suggests (undo).
 *
 * @param sources the sources as given, in order; later ones win, as in Ansible
 * @param vault   the vault passwords ({@link VaultSecrets#none()} without any)
 */
public record InventorySources(List<String> sources, VaultSecrets vault) {
    public InventorySources {
        sources = List.copyOf(sources);
        if (sources.isEmpty()) {
            throw new IllegalArgumentException("no inventory source");
        }
        vault = vault == null ? VaultSecrets.none() : vault;
    }

    /** One inventory file or directory, without vault passwords. */
    public static InventorySources of(Path source) {
        return new InventorySources(List.of(source.toString()), VaultSecrets.none());
    }

    /**
     * The inventory, with its variables.
     *
     * @throws io.sysfleet.core.ConfigException with every problem (exit 4)
     * @throws io.sysfleet.vault.VaultException when a vaulted file cannot be decrypted (exit 9)
     */
    public Inventory load() {
        return InventoryLoader.load(sources, InventoryLoader.Options.defaults().withVault(vault));
    }

    /** The sources as they would be given again on a command line: {@code -i a -i b}, quoted where needed. */
    public String display() {
        return sources.stream().map(s -> "-i " + ReportContext.shellWord(s)).collect(Collectors.joining(" "));
    }

    /** The sources for a report header: comma-separated as given. */
    public String names() {
        return String.join(", ", sources);
    }

    /** The sources as the journal records them: paths made absolute, a host list as given. */
    public String journalForm() {
        return sources.stream().map(InventorySources::absolute).collect(Collectors.joining(", "));
    }

    private static String absolute(String source) {
        Path p = Path.of(source);
        return source.contains(",") && !Files.exists(p) ? source : p.toAbsolutePath().toString();
    }
}
