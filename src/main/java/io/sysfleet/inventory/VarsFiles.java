package io.sysfleet.inventory;

import io.sysfleet.config.InputFiles;
import io.sysfleet.config.YNode;
import io.sysfleet.config.YamlLoader;
import io.sysfleet.core.ConfigException;
import io.sysfleet.core.Problems;
import io.sysfleet.core.SourceLocation;
import io.sysfleet.vault.VaultEnvelope;
import io.sysfleet.vault.VaultSecrets;
import io.sysfleet.vault.Vaulted;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Ansible's {@code host_group_vars} plugin: {@code group_vars/NAME} and {@code host_vars/NAME} beside the
 * inventory. The first of NAME, NAME.yml, NAME.yaml, NAME.json that exists is used; a directory is read
 * whole (recursively, sorted, skipping hidden files, backups ending in '~' and other extensions), later files
 * overriding earlier ones. A vault-encrypted file is decrypted; each of its variables is then a {@link Vaulted}
 * value. One instance per inventory source directory; results are cached per name.
 */
final class VarsFiles {
    private static final List<String> EXTENSIONS = List.of(".yml", ".yaml", ".json");

    private final Path baseDir;
    private final Problems problems;
    private final Problems warnings;
    private final VaultSecrets vault;
    private final java.util.Map<String, VarMap> cache = new java.util.HashMap<>();
    private boolean warnedNotDir;

    VarsFiles(Path baseDir, Problems problems, Problems warnings, VaultSecrets vault) {
        this.baseDir = baseDir;
        this.problems = problems;
        this.warnings = warnings;
        this.vault = vault;
    }

    /** The variables of {@code subdir/name*}; subdir is "group_vars" or "host_vars". */
    VarMap load(String subdir, String name) {
        return cache.computeIfAbsent(subdir + "/" + name, k -> {
            VarMap into = new VarMap();
            Path dir = baseDir.resolve(subdir);
            if (!Files.exists(dir) || name.startsWith("/")) {
                return into;
            }
            if (!Files.isDirectory(dir)) {
                if (!warnedNotDir) {
                    warnings.add(SourceLocation.file(dir), subdir + " is not a directory, skipped (as Ansible does)");
                    warnedNotDir = true;
                }
                return into;
            }
            for (Path file : find(dir, name)) {
                read(file, into);
            }
            return into;
        });
    }

    private List<Path> find(Path dir, String name) {
        List<Path> found = new ArrayList<>();
        for (String ext : List.of("", ".yml", ".yaml", ".json")) {
            Path candidate;
            try {
                candidate = dir.resolve(name + ext);
            } catch (java.nio.file.InvalidPathException e) {
                return found;
            }
            if (!candidate.normalize().startsWith(dir.normalize()) || !Files.exists(candidate)) {
                continue;
            }
            if (Files.isDirectory(candidate)) {
                listDir(candidate, found);
            } else {
                found.add(candidate);
            }
            break;
        }
        return found;
    }

    private void listDir(Path dir, List<Path> found) {
        List<Path> entries;
        try (Stream<Path> s = Files.list(dir)) {
            entries = s.sorted((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString())).toList();
        } catch (IOException e) {
            problems.add(SourceLocation.file(dir), "cannot list directory: " + e.getMessage());
            return;
        }
        for (Path p : entries) {
            String n = p.getFileName().toString();
            if (n.startsWith(".") || n.endsWith("~")) {
                continue;
            }
            String ext = extension(n);
            if (Files.isDirectory(p) && ext.isEmpty()) {
                listDir(p, found);
            } else if (Files.isRegularFile(p) && (ext.isEmpty() || EXTENSIONS.contains(ext))) {
                found.add(p);
            }
        }
    }

    /** Python's os.path.splitext extension: from the last dot, unless the dots only lead the name. */
    static String extension(String name) {
        int dot = name.lastIndexOf('.');
        if (dot <= 0 || name.substring(0, dot).chars().allMatch(c -> c == '.')) {
            return "";
        }
        return name.substring(dot);
    }

    private void read(Path file, VarMap into) {
        YNode root;
        boolean encrypted;
        try {
            String text = YamlLoader.readText(file);
            encrypted = VaultEnvelope.isVault(text);
            if (encrypted) {
                text = vault.decryptText(text, file.toString());
            }
            root = YamlLoader.parse(text, file.toString(), vault);
        } catch (ConfigException e) {
            problems.addAll(e.problems());
            return;
        }
        if (root == null || root instanceof YNode.YScalar s && s.isNull()) {
            return;
        }
        if (!(root instanceof YNode.YMap map)) {
            problems.add(root.location(), "a variables file must be a mapping of names to values, not " + root.kind());
            return;
        }
        for (YNode.Entry e : map.entries()) {
            Object v = e.value().toJava();
            into.put(e.key(), encrypted && !(v instanceof Vaulted) ? Vaulted.fromFile(v, file.toString()) : v,
                    e.keyLocation());
        }
    }
}
