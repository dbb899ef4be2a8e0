package io.sysfleet.inventory;

import io.sysfleet.config.InputFiles;
import io.sysfleet.config.YNode;
import io.sysfleet.config.YamlLoader;
import io.sysfleet.core.ConfigException;
import io.sysfleet.core.Problems;
import io.sysfleet.core.SourceLocation;

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
 * overriding earlier ones.
 */
final class VarsFiles {
    private static final List<String> EXTENSIONS = List.of(".yml", ".yaml", ".json");

    private final Path baseDir;
    private final Problems problems;
    private final Problems warnings;

    VarsFiles(Path baseDir, Problems problems, Problems warnings) {
        this.baseDir = baseDir;
        this.problems = problems;
        this.warnings = warnings;
    }

    /** Reads {@code subdir/name*} into {@code into}; subdir is "group_vars" or "host_vars". */
    void load(String subdir, String name, VarMap into) {
        Path dir = baseDir.resolve(subdir);
        if (!Files.exists(dir) || name.startsWith("/")) {
            return;
        }
        if (!Files.isDirectory(dir)) {
            warnings.add(SourceLocation.file(dir), subdir + " is not a directory, skipped (as Ansible does)");
            return;
        }
        for (Path file : find(dir, name)) {
            read(file, into);
        }
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
        try {
            String text = InputFiles.readText(file);
            if (text.startsWith("$ANSIBLE_VAULT")) {
                problems.add(SourceLocation.file(file), "vault-encrypted variable files are not supported");
                return;
            }
            root = YamlLoader.parse(text, file.toString());
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
            into.put(e.key(), e.value().toJava(), e.keyLocation());
        }
    }
}
