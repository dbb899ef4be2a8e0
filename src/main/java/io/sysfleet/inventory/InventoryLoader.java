package io.sysfleet.inventory;

import io.sysfleet.config.YNode;
import io.sysfleet.config.YNode.YMap;
import io.sysfleet.config.YamlLoader;
import io.sysfleet.config.YamlSyntaxException;
import io.sysfleet.core.ConfigException;
import io.sysfleet.core.Problem;
import io.sysfleet.core.Problems;
import io.sysfleet.core.SourceLocation;
import io.sysfleet.inventory.InventoryGraph.GroupDraft;
import io.sysfleet.inventory.InventoryGraph.HostDraft;
import io.sysfleet.vault.VaultEnvelope;
import io.sysfleet.vault.VaultSecrets;
import io.sysfleet.vault.Vaulted;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads inventory sources the way ansible-core's inventory manager does, into one inventory:
 * <ul>
 *   <li>a source is a file, a directory, or a host list ({@code web1,web2:2222,} — a text with a comma that
 *       is not a path);</li>
 *   <li>a directory is read in sorted name order, recursively; hidden entries, {@code group_vars},
 *       {@code host_vars}, {@code vars_plugins} and names ending in {@code .orig .ini .cfg .retry .pyc .pyo .swp
 *       .bak ~ .rpm .md .txt .rst} are skipped, as Ansible skips them;</li>
 *   <li>a file is tried as YAML (when its name has no extension or ends in {@code .yml}, {@code .yaml} or
 *       {@code .json}), then as INI, whatever its name; a file that is neither is one error naming
 *       file:line;</li>
 *   <li>a vault-encrypted file is decrypted first; its variables are then {@link Vaulted} values;</li>
 *   <li>each file or directory source brings the {@code group_vars/} and {@code host_vars/} beside it (in it,
 *       for a directory); later sources win, as in Ansible (see {@link InventoryAssembler}).</li>
 * </ul>
 * Every problem is reported with file:line:col; where Ansible only warns and skips, sysfleet refuses.
 */
public final class InventoryLoader {
    /**
     * How to load.
     *
     * @param vault the vault passwords ({@link VaultSecrets#none()} leaves inline vault values encrypted and
     *              refuses encrypted files)
     * @param vars  whether to read variables at all; false gives the structure only (hosts without variables,
     *              nothing checked or decrypted), as {@code ansible-inventory --graph} needs
     */
    public record Options(VaultSecrets vault, boolean vars) {
        public static Options defaults() {
            return new Options(VaultSecrets.none(), true);
        }

        public Options withVault(VaultSecrets v) {
            return new Options(v, vars);
        }

        public Options structureOnly() {
            return new Options(vault, false);
        }
    }

    private static final Pattern IGNORED = Pattern.compile("^\\.|^host_vars$|^group_vars$|^vars_plugins$"
            + "|(\\.pyc|\\.pyo|\\.swp|\\.bak|~|\\.rpm|\\.md|\\.txt|\\.rst|\\.orig|\\.ini|\\.cfg|\\.retry)$");
    private static final List<String> YAML_EXTENSIONS = List.of(".yaml", ".yml", ".json");

    private final Options options;
    private final Problems problems = new Problems();
    private final Problems warnings = new Problems();
    private final InventoryGraph graph;
    /** The directory whose group_vars/ and host_vars/ each source brings; null for a host list. */
    private final List<Path> varsDirs = new ArrayList<>();

    private InventoryLoader(Options options, SourceLocation first) {
        this.options = options;
        this.graph = new InventoryGraph(first);
    }

    /**
     * Loads one inventory file or directory, without vault passwords.
     *
     * @throws ConfigException with every problem found (exit code 4)
     */
    public static Inventory load(Path source) {
        return load(List.of(source.toString()), Options.defaults());
    }

    /**
     * Loads inventory sources (the values of {@code -i}, in order) into one inventory.
     *
     * @throws ConfigException with every problem found (exit code 4)
     * @throws io.sysfleet.vault.VaultException when an encrypted file or value cannot be decrypted (exit code 9)
     */
    public static Inventory load(List<String> sources, Options options) {
        if (sources.isEmpty()) {
            throw new IllegalArgumentException("no inventory source");
        }
        InventoryLoader loader = new InventoryLoader(options, new SourceLocation(sources.get(0), 0, 0));
        return loader.read(sources);
    }

    private Inventory read(List<String> sources) {
        for (String source : sources) {
            Path path = Path.of(source);
            if (source.contains(",") && !Files.exists(path)) {
                hostList(source);
                varsDirs.add(null);
                continue;
            }
            if (Files.isDirectory(path)) {
                directory(path);
                varsDirs.add(path.toAbsolutePath().normalize());
            } else if (Files.exists(path)) {
                file(path);
                varsDirs.add(path.toAbsolutePath().normalize().getParent());
            } else {
                throw new ConfigException(SourceLocation.file(path), "no such file");
            }
            problems.throwIfAny();
        }
        graph.reconcile(warnings);
        if (options.vars()) {
            Map<Path, VarsFiles> byDir = new LinkedHashMap<>();
            for (Path dir : varsDirs) {
                VarsFiles files = dir == null ? null
                        : byDir.computeIfAbsent(dir, d -> new VarsFiles(d, problems, warnings, options.vault()));
                for (GroupDraft g : graph.groups.values()) {
                    g.fileVars.add(files == null ? new VarMap() : files.load("group_vars", g.name));
                }
                for (HostDraft h : graph.hosts.values()) {
                    h.fileVars.add(files == null ? new VarMap() : files.load("host_vars", h.name));
                }
            }
            problems.throwIfAny();
        }
        Inventory inventory = InventoryAssembler.assemble(sources, graph, warnings.list(), problems, options.vars());
        problems.throwIfAny();
        return inventory;
    }

    /** Ansible's host_list plugin: comma-separated hosts (with an optional :port) added to ungrouped. */
    private void hostList(String source) {
        SourceLocation where = new SourceLocation("-i " + source, 0, 0);
        for (String part : source.split(",")) {
            String h = part.strip();
            if (h.isEmpty()) {
                continue;
            }
            HostAddress.Parsed parsed = HostAddress.parse(h);
            String name = parsed.recognised() ? parsed.pattern() : h;
            String unsafe = HostAddress.unsafeReason(name);
            if (unsafe != null) {
                problems.add(where, "bad host name '" + printable(name) + "': " + unsafe);
                continue;
            }
            if (!graph.hosts.containsKey(name)) {
                graph.addHosts(graph.groups.get(InventoryGraph.UNGROUPED),
                        new InventoryGraph.Expanded(List.of(name), parsed.port()), where);
            }
        }
    }

    private void directory(Path dir) {
        List<Path> entries;
        try (Stream<Path> s = Files.list(dir)) {
            entries = new ArrayList<>(s.toList());
        } catch (IOException e) {
            throw new ConfigException(SourceLocation.file(dir), "cannot list the inventory directory: "
                    + e.getMessage());
        }
        entries.sort((a, b) -> PyJson.compareCodePoints(a.getFileName().toString(), b.getFileName().toString()));
        for (Path p : entries) {
            if (IGNORED.matcher(p.getFileName().toString()).find()) {
                continue;
            }
            if (Files.isDirectory(p)) {
                directory(p);
            } else if (Files.exists(p)) {
                file(p);
            }
        }
    }

    private void file(Path file) {
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > YamlLoader.MAX_BYTES) {
                throw new ConfigException(SourceLocation.file(file), "file is " + size + " bytes, larger than the "
                        + YamlLoader.MAX_BYTES + " bytes sysfleet accepts");
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ConfigException(SourceLocation.file(file), "cannot read: " + e.getMessage());
        }
        String name = file.getFileName().toString();
        String ext = VarsFiles.extension(name);
        if (bytes.length >= 2 && bytes[0] == '#' && bytes[1] == '!' && anyExecuteBit(file)) {
            throw new ConfigException(SourceLocation.file(file), "is an executable inventory script; sysfleet does"
                    + " not run inventory scripts: save its --list output as a YAML or INI inventory");
        }
        if (ext.equals(".toml")) {
            throw new ConfigException(SourceLocation.file(file), "TOML inventories are not supported; use YAML or INI");
        }
        boolean encrypted = VaultEnvelope.isVault(bytes);
        Function<Object, Object> value = v -> v;
        if (encrypted) {
            String plain = options.vault().decryptText(new String(bytes, StandardCharsets.US_ASCII), file.toString());
            bytes = plain.getBytes(StandardCharsets.UTF_8);
            value = v -> v instanceof Vaulted ? v : Vaulted.fromFile(v, file.toString());
        }
        Problem yamlFailure = null;
        if (ext.isEmpty() || YAML_EXTENSIONS.contains(ext)) {
            String text = utf8(bytes);
            if (text != null) {
                try {
                    YNode root = YamlLoader.parse(text, file.toString(), options.vault());
                    if (root instanceof YMap top) {
                        yaml(file, top, value);
                        return;
                    }
                    if (root != null) {
                        yamlFailure = new Problem(root.location(), "a YAML inventory must be a mapping of group"
                                + " names (all: ...), not " + root.kind());
                    }
                } catch (YamlSyntaxException e) {
                    yamlFailure = e.problems().get(0);
                }
            } else {
                yamlFailure = new Problem(SourceLocation.file(file), "not valid UTF-8 text");
            }
        }
        try {
            new IniInventoryReader(graph, file, warnings, value).read(iniLines(file, bytes));
        } catch (IniInventoryReader.IniException e) {
            SourceLocation at = new SourceLocation(file.toString(), e.line, 0);
            if (yamlFailure == null) {
                throw new ConfigException(at, "not a valid INI inventory: " + e.getMessage());
            }
            String yamlWhy = yamlFailure.message() + (yamlFailure.location().line() > 0
                    ? " (line " + yamlFailure.location().line() + ":" + yamlFailure.location().column() + ")" : "");
            String iniWhy = e.getMessage() + " (line " + e.line + ")";
            if (ext.isEmpty()) {
                throw new ConfigException(at, "neither an INI nor a YAML inventory: as INI: " + e.getMessage()
                        + "; as YAML: " + yamlWhy);
            }
            throw new ConfigException(yamlFailure.location(), "neither a YAML nor an INI inventory: as YAML: "
                    + yamlFailure.message() + "; as INI: " + iniWhy);
        }
    }

    private void yaml(Path file, YMap top, Function<Object, Object> value) {
        if (top.get("plugin") != null) {
            throw new ConfigException(top.entry("plugin").keyLocation(),
                    "inventory plugin configuration files are not supported; write a YAML or INI inventory");
        }
        new YamlInventoryReader(graph, problems, warnings, value).read(top);
        problems.throwIfAny();
    }

    /**
     * The lines of an INI file, as Ansible decodes them: UTF-8; when that fails, comment lines with other bytes
     * become empty and any other line that is not UTF-8 is an error.
     */
    private static List<String> iniLines(Path file, byte[] bytes) {
        String text = utf8(bytes);
        if (text != null) {
            return IniInventoryReader.pySplitLines(text);
        }
        List<String> lines = new ArrayList<>();
        int start = 0;
        int n = 0;
        for (int i = 0; i <= bytes.length; i++) {
            boolean end = i == bytes.length;
            if (end || bytes[i] == '\n' || bytes[i] == '\r') {
                if (end && start == i) {
                    break;
                }
                n++;
                byte[] line = java.util.Arrays.copyOfRange(bytes, start, i);
                String decoded = utf8(line);
                if (decoded == null) {
                    if (line.length > 0 && (line[0] == '#' || line[0] == ';')) {
                        decoded = "";
                    } else {
                        throw new ConfigException(new SourceLocation(file.toString(), n, 0), "not valid UTF-8 text");
                    }
                }
                lines.add(decoded);
                if (!end && bytes[i] == '\r' && i + 1 < bytes.length && bytes[i + 1] == '\n') {
                    i++;
                }
                start = i + 1;
            }
        }
        return lines;
    }

    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static boolean anyExecuteBit(Path file) {
        try {
            Set<PosixFilePermission> p = Files.getPosixFilePermissions(file);
            return p.contains(PosixFilePermission.OWNER_EXECUTE) || p.contains(PosixFilePermission.GROUP_EXECUTE)
                    || p.contains(PosixFilePermission.OTHERS_EXECUTE);
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** The name with control characters made visible, so the error stays on one line. */
    static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        s.codePoints().forEach(cp -> {
            if (Character.isISOControl(cp) || Character.getType(cp) == Character.FORMAT) {
                sb.append(String.format("\\u%04x", cp));
            } else {
                sb.append(Character.toChars(cp));
            }
        });
        return sb.toString();
    }
}
