package io.sysfleet.config;

import io.sysfleet.core.ConfigException;
import io.sysfleet.core.SourceLocation;
import io.sysfleet.vault.VaultEnvelope;
import io.sysfleet.vault.VaultSecrets;
import io.sysfleet.vault.Vaulted;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.DumperOptions.ScalarStyle;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Safe YAML loading with limits and source positions. Only the standard YAML 1.1 tags are accepted (no
 * Java objects, no custom tags), aliases and size are bounded, duplicate keys are an error (Ansible warns
 * and keeps the last, which hides mistakes), and every node keeps its file:line:col.
 */
public final class YamlLoader {
    /** Largest YAML file accepted, in bytes. */
    public static final long MAX_BYTES = InputFiles.MAX_BYTES;
    /**
     * Nodes a document may expand to through aliases, beyond twice its own nodes: an alias bomb (a few aliases
     * per level, each level doubling or more) passes snakeyaml's alias count but would expand exponentially.
     */
    static final int MAX_EXPANSION = 100_000;
    private static final int MAX_ALIASES = 100;
    private static final int MAX_DEPTH = 64;
    private static final String VAULT_TAG = "!vault";

    private YamlLoader() {
    }

    /** Loads a file of one YAML document; an empty file gives null. */
    public static YNode load(Path file) {
        String text = readText(file);
        return parse(text, file.toString());
    }

    /** Parses YAML text; {@code name} is used in locations. An empty document gives null. */
    public static YNode parse(String text, String name) {
        return parse(text, name, null);
    }

    /**
     * Parses YAML text in which {@code !vault} values are allowed (inventories and their variable files): each
     * becomes a {@link Vaulted} scalar value, decrypted with {@code vault} only when it is used.
     *
     * @param vault the vault passwords; null refuses {@code !vault} like any other unknown tag
     * @throws YamlSyntaxException when the text is not YAML
     */
    public static YNode parse(String text, String name, VaultSecrets vault) {
        LoaderOptions opts = new LoaderOptions();
        opts.setMaxAliasesForCollections(MAX_ALIASES);
        opts.setNestingDepthLimit(MAX_DEPTH);
        opts.setCodePointLimit((int) MAX_BYTES);
        opts.setAllowRecursiveKeys(false);
        ScalarBuilder ctor = new ScalarBuilder(opts);
        Yaml yaml = new Yaml(ctor, new Representer(new DumperOptions()), new DumperOptions(), opts);
        Node root;
        try (Reader r = new StringReader(text)) {
            Iterable<Node> docs = yaml.composeAll(r);
            root = null;
            int count = 0;
            for (Node n : docs) {
                if (count++ == 0) {
                    root = n;
                } else {
                    throw new ConfigException(loc(name, n.getStartMark()),
                            "more than one YAML document in the file; sysfleet reads one");
                }
            }
        } catch (MarkedYAMLException e) {
            Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String problem = e.getProblem() != null ? e.getProblem() : e.getMessage();
            throw new YamlSyntaxException(loc(name, m), "invalid YAML: " + oneLine(problem));
        } catch (YAMLException e) {
            String msg = String.valueOf(e.getMessage());
            if (msg.startsWith("Nesting Depth exceeded")) {
                throw new ConfigException(tooDeep(text, name), "YAML nested deeper than " + MAX_DEPTH + " levels");
            }
            throw new YamlSyntaxException(SourceLocation.file(Path.of(name)), "invalid YAML: " + oneLine(msg));
        } catch (IOException e) {
            throw new ConfigException(SourceLocation.file(Path.of(name)), "cannot read: " + e.getMessage());
        }
        if (root == null) {
            return null;
        }
        return new Converter(name, ctor, vault, MAX_EXPANSION + 2L * distinctNodes(root)).convert(root, 0);
    }

    /**
     * A file's text, as the YAML loader reads it: a regular file of at most {@link #MAX_BYTES} bytes of UTF-8
     * ({@link InputFiles}).
     *
     * @throws ConfigException naming the file when it is missing, not a regular file, too large or not UTF-8
     */
    public static String readText(Path file) {
        return InputFiles.readText(file, MAX_BYTES);
    }

    static SourceLocation loc(String name, Mark m) {
        if (m == null) {
            return new SourceLocation(name, 0, 0);
        }
        return new SourceLocation(name, m.getLine() + 1, m.getColumn() + 1);
    }

    /**
     * Where a document first nests deeper than {@link #MAX_DEPTH}: snakeyaml's composer says only that it does. The
     * parser's events are a flat stream (no recursion), so any depth is safe to walk.
     */
    private static SourceLocation tooDeep(String text, String name) {
        LoaderOptions opts = new LoaderOptions();
        opts.setCodePointLimit((int) MAX_BYTES);
        int depth = 0;
        try {
            for (org.yaml.snakeyaml.events.Event ev : new Yaml(opts).parse(new StringReader(text))) {
                if (ev instanceof org.yaml.snakeyaml.events.CollectionStartEvent) {
                    if (++depth > MAX_DEPTH) {
                        return loc(name, ev.getStartMark());
                    }
                } else if (ev instanceof org.yaml.snakeyaml.events.CollectionEndEvent) {
                    depth--;
                }
            }
        } catch (YAMLException e) {
            // fall through: the file as a whole
        }
        return SourceLocation.file(Path.of(name));
    }

    /** The nodes of a document as composed, each anchor's node once, without following aliases twice. */
    private static long distinctNodes(Node root) {
        Set<Node> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        java.util.ArrayDeque<Node> todo = new java.util.ArrayDeque<>();
        todo.push(root);
        while (!todo.isEmpty()) {
            Node n = todo.pop();
            if (!seen.add(n)) {
                continue;
            }
            if (n instanceof SequenceNode seq) {
                seq.getValue().forEach(todo::push);
            } else if (n instanceof MappingNode map) {
                for (NodeTuple t : map.getValue()) {
                    todo.push(t.getKeyNode());
                    todo.push(t.getValueNode());
                }
            }
        }
        return seen.size();
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s*\\n\\s*", " ").trim();
    }

    /** Exposes SafeConstructor's scalar typing (YAML 1.1, like PyYAML). */
    private static final class ScalarBuilder extends SafeConstructor {
        ScalarBuilder(LoaderOptions opts) {
            super(opts);
        }

        Object value(ScalarNode node) {
            return constructObject(node);
        }
    }

    private static final class Converter {
        private final String name;
        private final ScalarBuilder ctor;
        private final VaultSecrets vault;
        private final Set<Node> inProgress = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        private final long maxNodes;
        private long nodes;

        Converter(String name, ScalarBuilder ctor, VaultSecrets vault, long maxNodes) {
            this.name = name;
            this.ctor = ctor;
            this.vault = vault;
            this.maxNodes = maxNodes;
        }

        YNode convert(Node node, int depth) {
            SourceLocation where = loc(name, node.getStartMark());
            if (++nodes > maxNodes) {
                throw new ConfigException(where, "YAML aliases expand to more than " + maxNodes
                        + " nodes (an alias bomb?); write the values out or use fewer aliases");
            }
            if (depth > MAX_DEPTH) {
                throw new ConfigException(where, "YAML nested deeper than " + MAX_DEPTH + " levels");
            }
            if (!inProgress.add(node)) {
                throw new ConfigException(where, "recursive YAML alias");
            }
            try {
                if (vault != null && VAULT_TAG.equals(node.getTag().getValue())) {
                    if (!(node instanceof ScalarNode s)) {
                        throw new ConfigException(where, "a !vault value must be a string of vault text");
                    }
                    if (!VaultEnvelope.isVault(s.getValue())) {
                        throw new ConfigException(where, "a !vault value must start with "
                                + VaultEnvelope.HEADER + ";VERSION;AES256");
                    }
                    return new YNode.YScalar(where, Vaulted.inline(s.getValue(), where.toString(), vault),
                            s.getValue(), false);
                }
                if (node instanceof ScalarNode s) {
                    return scalar(s, where);
                }
                if (node instanceof SequenceNode seq) {
                    List<YNode> items = new ArrayList<>();
                    for (Node child : seq.getValue()) {
                        items.add(convert(child, depth + 1));
                    }
                    return new YNode.YSeq(where, items);
                }
                MappingNode map = (MappingNode) node;
                List<YNode.Entry> entries = new ArrayList<>();
                Set<String> seen = new HashSet<>();
                for (NodeTuple t : map.getValue()) {
                    Node k = t.getKeyNode();
                    SourceLocation kloc = loc(name, k.getStartMark());
                    if (!(k instanceof ScalarNode ks)) {
                        throw new ConfigException(kloc, "a mapping key must be a plain value, not " +
                                (k instanceof MappingNode ? "a mapping" : "a list"));
                    }
                    if ("<<".equals(ks.getValue()) && !ks.getScalarStyle().equals(ScalarStyle.DOUBLE_QUOTED)
                            && !ks.getScalarStyle().equals(ScalarStyle.SINGLE_QUOTED)) {
                        throw new ConfigException(kloc, "YAML merge keys (<<) are not supported; write the keys out");
                    }
                    Object kv = scalar(ks, kloc).value();
                    String key = kv == null ? "" : String.valueOf(kv);
                    if (kv instanceof String) {
                        key = (String) kv;
                    } else if (kv != null) {
                        key = ks.getValue();
                    }
                    if (!seen.add(key)) {
                        throw new ConfigException(kloc, "duplicate key '" + key + "'");
                    }
                    entries.add(new YNode.Entry(key, kloc, convert(t.getValueNode(), depth + 1)));
                }
                return new YNode.YMap(where, entries);
            } finally {
                inProgress.remove(node);
            }
        }

        private YNode.YScalar scalar(ScalarNode s, SourceLocation where) {
            Object value;
            try {
                value = ctor.value(s);
            } catch (YAMLException e) {
                String tag = s.getTag() == null ? "" : s.getTag().getValue();
                throw new ConfigException(where, "unsupported YAML tag '" + tag + "'");
            } catch (RuntimeException e) {
                // e.g. !!binary with bad base64, !!int out of range: snakeyaml's constructors throw plain exceptions
                String tag = s.getTag() == null ? "" : s.getTag().getValue();
                throw new ConfigException(where, "the value is not a valid " + tag.replace("tag:yaml.org,2002:", "!!")
                        + ": " + oneLine(e.getMessage()));
            }
            if (value instanceof java.util.Date || value instanceof byte[]) {
                value = s.getValue();
            }
            boolean quoted = s.getScalarStyle() == ScalarStyle.DOUBLE_QUOTED
                    || s.getScalarStyle() == ScalarStyle.SINGLE_QUOTED;
            return new YNode.YScalar(where, value, s.getValue(), quoted);
        }
    }
}
