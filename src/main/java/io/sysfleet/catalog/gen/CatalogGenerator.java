package io.sysfleet.catalog.gen;

import io.sysfleet.catalog.KernelKey;
import io.sysfleet.catalog.KeyCatalog;
import io.sysfleet.catalog.Scope;
import io.sysfleet.catalog.ValueType;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Generates sysfleet's key catalog ({@code src/main/resources/io/sysfleet/catalog/keys.yml}) from three
 * inputs: the kernel's sysctl documentation as installed by Debian's {@code linux-doc-6.1} package, the
 * hand-curated {@code src/catalog/overrides.yml} and the committed live snapshot
 * {@code src/catalog/live-snapshot.tsv}. The output depends on nothing else (no clock, no machine state),
 * so re-running it on the same inputs gives the same bytes; a unit test checks the committed catalog is the
 * generator's output.
 *
 * <p>Precedence, lowest first: rules by name pattern, the documents, the live snapshot (namespace scope,
 * read-only, the type where the documents give none), per-key overrides. Run through {@code scripts/gen-catalog}:
 * <pre>
 *   scripts/gen-catalog             # regenerate keys.yml, print a report of what came from where
 *   scripts/gen-catalog --check     # exit 1 if keys.yml is not what the inputs give
 *   scripts/gen-catalog snapshot    # (root) rewrite the live snapshot from this machine's /proc/sys
 * </pre>
 */
public final class CatalogGenerator {
    /** The documentation sysfleet's catalog is generated from, as Debian installs it. */
    public static final Path DEFAULT_DOCS = Path.of("/usr/share/doc/linux-doc-6.1/Documentation");
    public static final Path OVERRIDES = Path.of("src/catalog/overrides.yml");
    public static final Path SNAPSHOT = Path.of("src/catalog/live-snapshot.tsv");
    public static final Path OUTPUT = Path.of("src/main/resources/io/sysfleet/catalog/keys.yml");

    private static final Pattern DOCS_VERSION = Pattern.compile("linux-doc-([0-9]+\\.[0-9]+)");

    /** The generated catalog's text and a report of how each fact was found. */
    public record Result(String yaml, List<String> report, Map<String, Integer> bySubsystem) { }

    private CatalogGenerator() {
    }

    /** Generates the catalog from a documentation tree, an overrides file and a snapshot file. */
    public static Result generate(Path docs, Path overridesFile, Path snapshotFile) throws IOException {
        Overrides o = Overrides.parse(Files.readString(overridesFile), overridesFile.toString());
        LiveSnapshot live = LiveSnapshot.parse(Files.readString(snapshotFile));
        List<String> report = new ArrayList<>();
        Map<String, String> hashes = new LinkedHashMap<>();
        Map<String, KeyDraft> drafts = new TreeMap<>();
        for (String doc : o.documents) {
            Path file = docs.resolve(doc + ".gz");
            if (!Files.exists(file)) {
                file = docs.resolve(doc);
            }
            if (!Files.exists(file)) {
                throw new IOException("kernel document " + doc + " not found under " + docs
                        + " (install Debian's linux-doc-6.1: apt-get install linux-doc-6.1; scripts/setup.sh does)");
            }
            hashes.put(doc, sha256(KernelDocs.bytes(file)));
            for (DocEntry e : KernelDocs.read(file, doc)) {
                addEntry(e, o, live, drafts, report);
            }
        }
        // Keys the documents no longer describe (removed ones, the CentOS 5 names) come from the overrides.
        for (Map.Entry<String, Map<String, Object>> e : o.keys.entrySet()) {
            KeyDraft d = drafts.get(e.getKey());
            if (d == null) {
                if (!e.getValue().containsKey("type") || !e.getValue().containsKey("source")) {
                    throw new IllegalArgumentException(overridesFile + ": " + e.getKey()
                            + " is in no document, so it needs 'type' and 'source'");
                }
                d = new KeyDraft(e.getKey());
                drafts.put(e.getKey(), d);
                report.add("added from overrides: " + e.getKey());
            }
        }
        addLiveOnly(o, live, drafts, report);
        List<KernelKey> keys = new ArrayList<>();
        Map<String, Integer> bySubsystem = new TreeMap<>();
        for (KeyDraft d : drafts.values()) {
            for (Overrides.Rule r : o.rules) {
                if (r.regex().matcher(d.name).matches()) {
                    Overrides.apply(d, r.facts(), "rule " + r.match(), true);
                }
            }
            applySnapshot(d, live);
            Map<String, Object> own = o.keys.get(d.name);
            if (own != null) {
                Overrides.apply(d, own, "overrides.yml", false);
            }
            checkShape(d, live, report);
            KernelKey k;
            try {
                k = d.build();
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException("cannot build " + d.name + ": " + ex.getMessage() + " " + d.why, ex);
            }
            if (k.defaultValue() != null && k.checkValue(k.defaultValue()).isPresent()) {
                report.add("default dropped: " + k.name() + " = " + k.defaultValue() + " "
                        + k.checkValue(k.defaultValue()).get() + " (" + d.why.get("default") + ")");
                d.defaultValue = null;
                k = d.build();
            }
            keys.add(k);
            if (!d.why.isEmpty()) {
                report.add("why " + k.name() + ": " + d.why);
            }
            bySubsystem.merge(subsystem(k.name()), 1, Integer::sum);
        }
        String version = docsVersion(docs);
        String yaml = CatalogWriter.write(keys, o.moduleNames, header(version, hashes, live), about(version, live));
        KeyCatalog.parse(yaml, "generated keys.yml"); // the app must be able to read what we write
        return new Result(yaml, report, bySubsystem);
    }

    private static void addEntry(DocEntry e, Overrides o, LiveSnapshot live, Map<String, KeyDraft> drafts,
                                 List<String> report) {
        String name = o.rename.getOrDefault(e.name(), e.name());
        if (!name.equals(e.name())) {
            report.add("renamed: " + e.name() + " -> " + name + " (" + e.file() + ":" + e.line() + ")");
        }
        if (!o.included(name) || o.dropped(name)) {
            return;
        }
        boolean inSnapshot = live.find(name).isPresent();
        if (!inSnapshot && live.isDirectory(name) && !e.prose()) {
            // A heading that names a directory ("random", "pty"): the keys below it, as the kernel has them.
            for (LiveSnapshot.Key k : live.keys().values()) {
                if (k.name().startsWith(name + ".") && o.included(k.name()) && !o.dropped(k.name())) {
                    KeyDraft d = drafts.computeIfAbsent(k.name(), KeyDraft::new);
                    if (d.source == null) {
                        d.source = e.file();
                        d.why.put("name", e.file() + ":" + e.line() + " documents the directory " + name
                                + "; keys from the live snapshot");
                    }
                }
            }
            return;
        }
        if (e.prose() && !inSnapshot) {
            report.add("prose mention not kept (not a key in the live snapshot): " + name + " (" + e.file() + ":"
                    + e.line() + ")");
            return;
        }
        KeyDraft fresh = DocFacts.read(e);
        fresh.name = name;
        fresh.prose = e.prose();
        // conf/all/x documented separately from the per-interface conf/*/x: one key, facts merged.
        String pattern = name.replaceFirst("^(net\\.ipv[46]\\.conf)\\.(all|default)\\.", "$1.*.");
        String target = !pattern.equals(name) && (drafts.containsKey(pattern) || o.included(pattern)) ? pattern : name;
        KeyDraft existing = drafts.get(target);
        if (existing == null || (existing.prose && !e.prose())) {
            // A key's own entry beats a mention of it in another document's running text.
            fresh.name = target;
            if (existing != null) {
                fresh.fillFrom(existing);
            }
            drafts.put(target, fresh);
        } else {
            existing.fillFrom(fresh);
            report.add("merged: " + name + " (" + e.file() + ":" + e.line() + ") into " + target);
        }
    }

    /**
     * Keys the live kernel has that no document describes ({@code net.ipv4.neigh.default.gc_interval}): real
     * keys that playbooks set, so the catalog knows them, typed by their live value and marked as such.
     * Per-interface keys become patterns when the snapshot has them for {@code lo} as well.
     */
    private static void addLiveOnly(Overrides o, LiveSnapshot live, Map<String, KeyDraft> drafts, List<String> report) {
        Map<String, KeyDraft> known = new TreeMap<>(drafts);
        int added = 0;
        for (LiveSnapshot.Key k : live.keys().values()) {
            String name = interfacePattern(k.name(), live);
            if (!o.included(name) || o.dropped(name) || known.containsKey(name)) {
                continue;
            }
            if (known.values().stream().anyMatch(d -> d.build().matches(name))) {
                continue;
            }
            KeyDraft d = new KeyDraft(name);
            d.source = "live snapshot (Linux " + live.header().getOrDefault("kernel", "?") + "; not in the documents)";
            d.why.put("name", "live snapshot only");
            drafts.put(name, d);
            known.put(name, d);
            added++;
        }
        // neigh.default.x where interfaces have neigh.*.x: its own key when a new namespace treats it otherwise
        // (a new network namespace has per-interface neighbour settings but no neigh.default).
        int split = 0;
        for (LiveSnapshot.Key k : live.keys().values()) {
            Matcher m = Pattern.compile("^(net\\.ipv[46]\\.(?:conf|neigh))\\.(all|default)\\.([^.]+)$").matcher(k.name());
            KeyDraft pattern = known.get(m.matches() ? m.group(1) + ".*." + m.group(3) : "");
            Optional<LiveSnapshot.Key> sample = pattern == null ? Optional.empty() : live.find(pattern.name);
            if (pattern == null || known.containsKey(k.name()) || sample.isEmpty() || sample.get().netns() == k.netns()
                    || !o.included(k.name()) || o.dropped(k.name())) {
                continue;
            }
            KeyDraft d = new KeyDraft(k.name());
            d.fillFrom(pattern);
            d.source = pattern.source;
            d.notes = pattern.notes;
            d.module = pattern.module;
            d.why.put("name", "live snapshot: " + k.name() + " differs from " + pattern.name + " in a new network namespace");
            drafts.put(k.name(), d);
            known.put(k.name(), d);
            split++;
        }
        report.add("live-only keys added (in the snapshot, in no document): " + added + "; per-interface keys whose"
                + " default/all entry is global: " + split);
    }

    /** {@code net.ipv4.conf.lo.x} and friends as {@code net.ipv4.conf.*.x} when every interface has the key. */
    private static String interfacePattern(String name, LiveSnapshot live) {
        Matcher m = Pattern.compile("^(net\\.ipv[46]\\.(?:conf|neigh))\\.(all|default|lo)\\.([^.]+)$").matcher(name);
        if (!m.matches()) {
            return name;
        }
        boolean perInterface = live.keys().containsKey(m.group(1) + ".lo." + m.group(3));
        return perInterface ? m.group(1) + ".*." + m.group(3) : name;
    }

    private static void applySnapshot(KeyDraft d, LiveSnapshot live) {
        Optional<LiveSnapshot.Key> found = live.find(d.name);
        if (found.isEmpty()) {
            return;
        }
        LiveSnapshot.Key k = found.get();
        String kernel = live.header().getOrDefault("kernel", "?");
        if (d.name.startsWith("net.") && k.init() == LiveSnapshot.Access.RW) {
            boolean perNetns = k.netns() == LiveSnapshot.Access.RW;
            d.scope = perNetns ? Scope.NETNS : Scope.GLOBAL;
            d.why.put("scope", "live snapshot (Linux " + kernel + "): " + (perNetns ? "writable"
                    : k.netns() == LiveSnapshot.Access.ABSENT ? "absent" : "read-only") + " in a new network namespace");
        }
        if (k.init() == LiveSnapshot.Access.RO && d.readOnly == null) {
            d.readOnly = true;
            d.why.put("read_only", "live snapshot (Linux " + kernel + "): read-only");
        }
        if (d.type == null) {
            String s = k.shape();
            if (s.equals("int")) {
                d.type = ValueType.INT;
            } else if (s.startsWith("int*")) {
                d.type = ValueType.INT_VECTOR;
                d.fields = Integer.parseInt(s.substring(4));
            } else if (s.equals("text") || s.equals("empty")) {
                d.type = ValueType.STRING;
            }
            if (d.type != null) {
                d.why.put("type", "live snapshot (Linux " + kernel + "): value shape " + s);
            }
        }
    }

    /** Reports a key whose type (after every input) does not fit the shape of its live value. */
    private static void checkShape(KeyDraft d, LiveSnapshot live, List<String> report) {
        Optional<LiveSnapshot.Key> found = live.find(d.name);
        if (found.isEmpty() || d.type == null || found.get().shape().equals("unreadable")) {
            return;
        }
        String s = found.get().shape();
        boolean numeric = d.type == ValueType.INT || d.type == ValueType.BOOL || d.type == ValueType.ENUM;
        boolean vector = d.type == ValueType.INT_VECTOR;
        if ((numeric && !s.equals("int")) || (vector && !s.startsWith("int"))
                || (vector && d.fields != null && d.fields > 0 && !s.equals(d.fields == 1 ? "int" : "int*" + d.fields))) {
            report.add("type conflict: " + d.name + " is " + d.type + (vector ? " of " + d.fields : "") + " by "
                    + d.why.get("type") + " but its live value's shape is " + s);
        }
    }

    private static String subsystem(String name) {
        String[] p = name.split("\\.");
        if (p[0].equals("net") && p.length > 2) {
            return p[0] + "." + p[1];
        }
        return p[0].equals("net") ? name : p[0];
    }

    private static String docsVersion(Path docs) {
        Matcher m = DOCS_VERSION.matcher(docs.toAbsolutePath().toString());
        return m.find() ? m.group(1) : "unknown";
    }

    private static List<String> header(String version, Map<String, String> hashes, LiveSnapshot live) {
        List<String> h = new ArrayList<>();
        h.add("sysfleet kernel key catalog. GENERATED by scripts/gen-catalog (io.sysfleet.catalog.gen.CatalogGenerator):");
        h.add("do not edit; change src/catalog/overrides.yml or the generator and run scripts/gen-catalog.");
        h.add("");
        h.add("Sources:");
        h.add("- the Linux " + version + " kernel documentation (Debian package linux-doc-" + version
                + "), sha256 of each document read:");
        hashes.forEach((doc, sha) -> h.add("    " + doc + "  " + sha.substring(0, 16)));
        h.add("- src/catalog/overrides.yml: facts the documents state only in prose or no longer state");
        h.add("  (removed keys, CentOS 5 names, distribution extensions), each with its reason;");
        h.add("- src/catalog/live-snapshot.tsv: /proc/sys of Linux " + live.header().getOrDefault("kernel", "?")
                + ", from the initial and from a new network namespace");
        h.add("  (gives scope, read-only keys, and the type where the documents give none).");
        h.add("");
        h.add("Each key: name (dotted; '*' stands for an interface name), type (int | bool | enum | int_vector |");
        h.add("range_list | string), min/max (inclusive), fields (int_vector: count, 0 = one or more), values (enum),");
        h.add("default (where fixed), unit, added_in/removed_in (Linux version), module (must be loaded for the key to");
        h.add("exist), scope (netns | ipcns | utsns | userns | pidns | global: a container can set only a namespaced key),");
        h.add("read_only, platform_names (name on a platform tag such as rhel5), source (the document), notes.");
        return h;
    }

    private static Map<String, String> about(String version, LiveSnapshot live) {
        Map<String, String> a = new LinkedHashMap<>();
        a.put("kernel_docs", "Linux " + version + " (Debian linux-doc-" + version + ")");
        a.put("live_snapshot", "Linux " + live.header().getOrDefault("kernel", "?"));
        a.put("generator", "scripts/gen-catalog");
        return a;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * {@code [generate] [--check] [--explain] [--quiet] [--docs DIR] [--out FILE] [--overrides FILE]
     * [--snapshot FILE]}, {@code snapshot [--snapshot FILE]}, {@code view} (this namespace's /proc/sys, for
     * the snapshot's child process): see the class comment. Exit 1 when --check finds the output stale, 5 on
     * bad arguments.
     */
    public static void main(String[] args) throws Exception {
        try {
            run(args);
        } catch (IOException | IllegalArgumentException | io.sysfleet.core.ConfigException e) {
            System.err.println("gen-catalog: " + (e instanceof io.sysfleet.core.ConfigException c ? c.oneLine() : e.getMessage()));
            System.exit(4);
        }
    }

    private static void run(String[] args) throws Exception {
        String mode = args.length > 0 && !args[0].startsWith("-") ? args[0] : "generate";
        Path docs = DEFAULT_DOCS;
        Path out = OUTPUT;
        Path overrides = OVERRIDES;
        Path snapshot = SNAPSHOT;
        boolean check = false;
        boolean quiet = false;
        boolean explain = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--docs" -> docs = Path.of(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--overrides" -> overrides = Path.of(args[++i]);
                case "--snapshot" -> snapshot = Path.of(args[++i]);
                case "--check" -> check = true;
                case "--quiet" -> quiet = true;
                case "--explain" -> explain = true;
                default -> {
                    if (i != 0 || args[i].startsWith("-")) {
                        System.err.println("gen-catalog: unknown argument " + args[i]);
                        System.exit(5);
                    }
                }
            }
        }
        switch (mode) {
            case "view" -> System.out.print(LiveSnapshot.of(List.copyOf(LiveSnapshot.view(Path.of("/proc/sys")).values()),
                    Map.of()).format());
            case "snapshot" -> Snapshotter.write(snapshot);
            case "generate" -> {
                Result r = generate(docs, overrides, snapshot);
                boolean explainAll = explain;
                if (!quiet) {
                    r.report().stream().filter(l -> explainAll || !l.startsWith("why ")).forEach(System.err::println);
                    System.err.println("keys by subsystem: " + r.bySubsystem() + ", total "
                            + r.bySubsystem().values().stream().mapToInt(Integer::intValue).sum());
                }
                String current = Files.exists(out) ? Files.readString(out) : "";
                if (check) {
                    if (!current.equals(r.yaml())) {
                        System.err.println("gen-catalog: " + out + " is not up to date; run scripts/gen-catalog");
                        System.exit(1);
                    }
                    System.err.println("gen-catalog: " + out + " is up to date");
                } else {
                    Files.writeString(out, r.yaml(), StandardCharsets.UTF_8);
                    System.err.println("gen-catalog: wrote " + out);
                }
            }
            default -> {
                System.err.println("gen-catalog: unknown mode " + mode + " (generate, snapshot)");
                System.exit(5);
            }
        }
    }
}
