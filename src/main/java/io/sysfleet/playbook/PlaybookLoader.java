package io.sysfleet.playbook;

import io.sysfleet.config.YNode.YMap;
import io.sysfleet.config.YNode.YScalar;
import io.sysfleet.config.YNode.YSeq;
import io.sysfleet.config.YNode;
import io.sysfleet.config.YamlLoader;
import io.sysfleet.core.ConfigException;
import io.sysfleet.core.Problem;
import io.sysfleet.core.Problems;
import io.sysfleet.core.SourceLocation;
import io.sysfleet.sysctl.SysctlKey;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Loads a playbook: the strict Ansible subset sysfleet runs. Every keyword outside the subset is an error
 * naming it, its file:line:col and what is supported; all problems of a playbook (and its imports) are
 * collected and thrown together as one {@link ConfigException}.
 */
public final class PlaybookLoader {
    static final String PLAY_KEYS = "name, hosts, vars, vars_files, become, become_user, gather_facts, serial, "
            + "max_fail_percentage, any_errors_fatal, tags, pre_tasks, roles, tasks, post_tasks, handlers";
    static final String TASK_KEYS = "name, tags, when and the modules ansible.posix.sysctl (alias sysctl) and "
            + "community.general.modprobe (alias modprobe)";
    static final String ARG_KEYS = "name, value, state, sysctl_file, reload, sysctl_set, ignoreerrors";
    private static final Set<String> PLAY_KEY_SET = Set.of(PLAY_KEYS.split(", "));
    private static final Set<String> MODULES = Set.of("ansible.posix.sysctl", "sysctl");
    private static final Set<String> MODPROBE = Set.of("community.general.modprobe",
            "community.general.system.modprobe", "modprobe");
    static final String MODPROBE_ARGS = "name, state, params, persistent";
    private static final Set<String> IMPORTS = Set.of("import_playbook", "ansible.builtin.import_playbook");
    private static final Pattern PERCENT = Pattern.compile("\\d+%?");
    private static final int MAX_IMPORT_DEPTH = 20;
    /** A user name sudo can take (as ansible_user and ansible_become_user are checked). */
    private static final Pattern BECOME_USER = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}\\$?");

    private final Problems problems = new Problems();
    private final io.sysfleet.playbook.tree.TreeLoader trees;
    private Path dir = Path.of("");

    private PlaybookLoader(List<Path> rolesPath) {
        this.trees = new io.sysfleet.playbook.tree.TreeLoader(rolesPath);
    }

    private PlaybookLoader() {
        this(RolesPath.of(System.getenv(), Path.of("").toAbsolutePath()));
    }

    /** Loads a playbook, looking for roles in {@code rolesPath} after {@code roles/} beside the playbook. */
    public static Playbook load(Path file, List<Path> rolesPath) {
        PlaybookLoader loader = new PlaybookLoader(rolesPath);
        List<Play> plays = new ArrayList<>();
        loader.loadFile(file.normalize(), new ArrayList<>(), plays);
        loader.problems.addAll(loader.trees.problems());
        if (!loader.problems.isEmpty()) {
            throw new ConfigException(inFileOrder(dedupe(loader.problems.list())));
        }
        return new Playbook(file, plays);
    }

    private static List<Problem> dedupe(List<Problem> list) {
        return List.copyOf(new LinkedHashSet<>(list));
    }

    /**
     * Loads and checks a playbook file and everything it imports, with the roles path Ansible would use here
     * ({@link RolesPath}: {@code ANSIBLE_ROLES_PATH}, {@code roles_path} in ansible.cfg, the defaults).
     */
    public static Playbook load(Path file) {
        return load(file, RolesPath.of(System.getenv(), Path.of("").toAbsolutePath()));
    }

    /**
     * Loads a playbook from text, {@code name} standing for its file in messages and for resolving imports (a
     * bundled playbook, or one generated in memory before it is written).
     */
    public static Playbook parse(String yamlText, Path name) {
        PlaybookLoader loader = new PlaybookLoader();
        List<Play> plays = new ArrayList<>();
        try {
            loader.loadRoot(YamlLoader.parse(yamlText, name.toString()), name.normalize(), new ArrayList<>(), plays);
        } catch (ConfigException e) {
            loader.problems.addAll(e.problems());
        }
        loader.problems.addAll(loader.trees.problems());
        if (!loader.problems.isEmpty()) {
            throw new ConfigException(inFileOrder(dedupe(loader.problems.list())));
        }
        return new Playbook(name, plays);
    }

    /** Problems grouped by file (in the order files were read), by line and column within a file. */
    private static List<Problem> inFileOrder(List<Problem> list) {
        List<String> files = new ArrayList<>();
        for (Problem p : list) {
            String f = p.location() == null ? "" : p.location().file();
            if (!files.contains(f)) {
                files.add(f);
            }
        }
        List<Problem> out = new ArrayList<>(list);
        out.sort(Comparator.comparingInt((Problem p) -> files.indexOf(p.location() == null ? ""
                        : p.location().file()))
                .thenComparingInt(p -> p.location() == null ? 0 : p.location().line())
                .thenComparingInt(p -> p.location() == null ? 0 : p.location().column()));
        return out;
    }

    private void loadFile(Path file, List<Path> chain, List<Play> out) {
        YNode root;
        try {
            root = YamlLoader.load(file);
        } catch (ConfigException e) {
            problems.addAll(e.problems());
            return;
        }
        loadRoot(root, file, chain, out);
    }

    private void loadRoot(YNode root, Path file, List<Path> chain, List<Play> out) {
        if (root == null) {
            problems.add(SourceLocation.file(file), "empty playbook: expected a list of plays");
            return;
        }
        if (!(root instanceof YSeq seq)) {
            problems.add(root.location(), "a playbook must be a list of plays, not " + root.kind());
            return;
        }
        List<Path> here = new ArrayList<>(chain);
        here.add(file.toAbsolutePath().normalize());
        for (YNode item : seq.items()) {
            Path abs = file.toAbsolutePath().normalize();
            dir = abs.getParent() == null ? Path.of("").toAbsolutePath() : abs.getParent();
            if (!(item instanceof YMap map)) {
                problems.add(item.location(), "a play must be a mapping, not " + item.kind());
            } else if (map.entries().stream().anyMatch(e -> IMPORTS.contains(e.key()))) {
                importPlaybook(file, map, here, out);
            } else {
                Play play = play(map);
                if (play != null) {
                    out.add(play);
                }
            }
        }
    }

    private void importPlaybook(Path file, YMap map, List<Path> chain, List<Play> out) {
        YNode.Entry target = null;
        for (YNode.Entry e : map.entries()) {
            if (IMPORTS.contains(e.key())) {
                if (target != null) {
                    problems.add(e.keyLocation(), "'" + e.key() + "' given twice in one item");
                }
                target = e;
            } else if (!e.key().equals("name")) {
                problems.add(e.keyLocation(), "'" + e.key() + "' on import_playbook is not supported by sysfleet "
                        + "(only 'name' is); put it on the imported plays or tasks");
            }
        }
        text(map, "name");
        String rel = text(map, target.key());
        if (rel == null) {
            return;
        }
        if (rel.isBlank() || Templater.isTemplate(rel)) {
            problems.add(target.value().location(), "import_playbook needs a plain file name"
                    + (rel.isBlank() ? "" : ", not a template: '" + rel + "'"));
            return;
        }
        Path dir = file.getParent() == null ? Path.of("") : file.getParent();
        Path imported = dir.resolve(rel).normalize();
        Path abs = imported.toAbsolutePath().normalize();
        if (chain.contains(abs)) {
            String cycle = chain.subList(chain.indexOf(abs), chain.size()).stream()
                    .map(p -> p.getFileName().toString()).collect(Collectors.joining(" -> "));
            problems.add(target.value().location(), "import_playbook cycle: " + cycle + " -> "
                    + abs.getFileName());
            return;
        }
        if (chain.size() >= MAX_IMPORT_DEPTH) {
            problems.add(target.value().location(), "import_playbook nested deeper than " + MAX_IMPORT_DEPTH);
            return;
        }
        if (!Files.isRegularFile(imported)) {
            problems.add(target.value().location(), "import_playbook: no such file '" + rel + "' (looked for "
                    + imported + ")");
            return;
        }
        loadFile(imported, chain, out);
    }

    // ---- plays ----

    private Play play(YMap map) {
        int before = problems.list().size();
        for (YNode.Entry e : map.entries()) {
            if (!PLAY_KEY_SET.contains(e.key())) {
                problems.add(e.keyLocation(), "unsupported play keyword '" + e.key() + "'; sysfleet supports: "
                        + PLAY_KEYS);
            }
        }
        String hosts = hosts(map);
        String name = text(map, "name");
        Map<String, Object> vars = vars(map.get("vars"));
        Boolean become = bool(map, "become");
        String becomeUser = text(map, "become_user");
        if (becomeUser != null && !BECOME_USER.matcher(becomeUser).matches()) {
            problems.add(map.get("become_user").location(), "become_user must be a user name (letters, digits, '_', "
                    + "'.', '-'), got '" + io.sysfleet.core.TerminalText.escape(becomeUser) + "'");
        }
        Boolean gather = bool(map, "gather_facts");
        List<String> serial = serial(map.get("serial"));
        Double maxFail = maxFail(map.get("max_fail_percentage"));
        Boolean fatal = bool(map, "any_errors_fatal");
        List<SysctlTask> tasks = plainTasks(map.get("tasks"));
        List<ModprobeTask> modprobes = plainModprobes(map.get("tasks"));
        io.sysfleet.playbook.tree.PlayTree tree = trees.play(map, dir);
        if (problems.list().size() > before) {
            return null;
        }
        return new Play(name != null ? name : hosts, hosts, vars, become, becomeUser,
                gather == null || gather, serial, maxFail, fatal != null && fatal, tasks, map.location(), modprobes,
                tree);
    }

    private String hosts(YMap map) {
        YNode node = map.get("hosts");
        if (node == null) {
            problems.add(map.location(), "play has no 'hosts'");
            return null;
        }
        List<YNode> items = node instanceof YSeq seq ? seq.items() : List.of(node);
        List<String> parts = new ArrayList<>();
        for (YNode n : items) {
            if (!(n instanceof YScalar s) || !(s.value() instanceof String str) || str.isBlank()) {
                problems.add(n.location(), "hosts must be a host pattern or a list of them, not " + n.kind());
                return null;
            }
            if (Templater.isTemplate(str)) {
                problems.add(n.location(), "templates in 'hosts' are not supported: '" + str + "'");
                return null;
            }
            parts.add(str.strip());
        }
        if (parts.isEmpty()) {
            problems.add(node.location(), "hosts is an empty list");
            return null;
        }
        return String.join(",", parts);
    }

    private Map<String, Object> vars(YNode node) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (node == null || node instanceof YScalar s && s.isNull()) {
            return out;
        }
        if (!(node instanceof YMap map)) {
            problems.add(node.location(), "vars must be a mapping of names to values, not " + node.kind());
            return out;
        }
        for (YNode.Entry e : map.entries()) {
            if (!Templater.VAR_NAME.matcher(e.key()).matches()) {
                problems.add(e.keyLocation(), "'" + e.key() + "' is not a valid variable name "
                        + "(letters, digits and '_', not starting with a digit)");
            }
            out.put(e.key(), e.value().toJava());
        }
        return out;
    }

    private List<String> serial(YNode node) {
        List<String> out = new ArrayList<>();
        if (node == null) {
            return out;
        }
        List<YNode> items = node instanceof YSeq seq ? seq.items() : List.of(node);
        if (items.isEmpty()) {
            problems.add(node.location(), "serial is an empty list");
        }
        for (YNode n : items) {
            Object v = n instanceof YScalar s ? s.value() : null;
            String text = v instanceof Integer || v instanceof Long ? v.toString()
                    : v instanceof String str ? str.strip() : null;
            if (text == null || !PERCENT.matcher(text).matches() || text.length() > 9) {
                problems.add(n.location(), "serial must be a number of hosts (2), a percentage ('30%') or a "
                        + "list of them, not " + (text == null ? n.kind() : "'" + text + "'"));
            } else {
                out.add(text);
            }
        }
        return out;
    }

    private Double maxFail(YNode node) {
        if (node == null) {
            return null;
        }
        Object v = node instanceof YScalar s ? s.value() : null;
        Double d = null;
        if (v instanceof Number n && !(v instanceof Boolean)) {
            d = n.doubleValue();
        } else if (v instanceof String str) {
            try {
                d = Double.parseDouble(str.strip().replace("%", ""));
            } catch (NumberFormatException e) {
                d = null;
            }
        }
        if (d == null || d.isNaN() || d < 0 || d > 100) {
            problems.add(node.location(), "max_fail_percentage must be a number from 0 to 100");
            return null;
        }
        return d;
    }

    // ---- tasks ----

    private static final Set<String> PLAIN_TASK_KEYS = Set.of("name", "tags", "when", "ansible.posix.sysctl",
            "sysctl");

    /**
     * The play's top-level tasks that are plain sysctl tasks (name, tags, when and the module with a mapping of
     * arguments), for lint and diagnose. Every task, these included, is in the play's tree and checked there.
     */
    private List<SysctlTask> plainTasks(YNode node) {
        if (!(node instanceof YSeq seq)) {
            return List.of();
        }
        List<SysctlTask> out = new ArrayList<>();
        for (YNode item : seq.items()) {
            if (item instanceof YMap map && map.entries().stream().allMatch(e -> PLAIN_TASK_KEYS.contains(e.key()))
                    && map.entries().stream().anyMatch(e -> MODULES.contains(e.key())
                    && e.value() instanceof YMap)) {
                PlaybookLoader alone = new PlaybookLoader(List.of());
                SysctlTask t = alone.task(map);
                if (t != null && alone.problems.isEmpty()) {
                    out.add(t);
                }
            }
        }
        return out;
    }

    /**
     * The play's top-level tasks that are plain modprobe tasks with literal arguments (what lint and diagnose
     * read, as {@link #plainTasks}). Every modprobe task, these included, is in the play's tree and checked there.
     */
    private List<ModprobeTask> plainModprobes(YNode node) {
        if (!(node instanceof YSeq seq)) {
            return List.of();
        }
        List<ModprobeTask> out = new ArrayList<>();
        for (YNode item : seq.items()) {
            if (item instanceof YMap map && map.entries().stream().allMatch(e -> PLAIN_TASK_KEYS.contains(e.key())
                    || MODPROBE.contains(e.key())) && map.entries().stream().anyMatch(e -> MODPROBE.contains(e.key())
                    && e.value() instanceof YMap)) {
                PlaybookLoader alone = new PlaybookLoader(List.of());
                ModprobeTask t = alone.modprobeTask(map);
                if (t != null && alone.problems.isEmpty()) {
                    out.add(t);
                }
            }
        }
        return out;
    }

    private SysctlTask task(YMap map) {
        int before = problems.list().size();
        YNode.Entry module = null;
        boolean unknown = false;
        for (YNode.Entry e : map.entries()) {
            if (MODULES.contains(e.key())) {
                if (module != null) {
                    problems.add(e.keyLocation(), "task has both '" + module.key() + "' and '" + e.key()
                            + "'; a task runs one module");
                }
                module = e;
            } else if (!Set.of("name", "tags", "when").contains(e.key())) {
                unknown = true;
                problems.add(e.keyLocation(), "unsupported task keyword or module '" + e.key()
                        + "'; sysfleet supports: " + TASK_KEYS);
            }
        }
        String name = text(map, "name");
        Set<String> tags = tags(map.get("tags"));
        Condition when = when(map.get("when"));
        if (module == null) {
            if (!unknown) {
                    problems.add(map.location(), "task has no module; sysfleet supports ansible.posix.sysctl "
                        + "(alias sysctl)");
            }
            return null;
        }
        Map<String, SourceLocation> locs = new HashMap<>();
        YMap args = args(module);
        if (args == null) {
            return null;
        }
        for (YNode.Entry e : args.entries()) {
            locs.put(e.key(), e.value().location());
            if (!Set.of(ARG_KEYS.split(", ")).contains(e.key())) {
                String hint = e.key().equals("key") ? " (write 'name')" : e.key().equals("val")
                        ? " (write 'value')" : "";
                problems.add(e.keyLocation(), "unsupported sysctl argument '" + e.key() + "'" + hint
                        + "; supported: " + ARG_KEYS);
            }
        }
        String key = keyArg(args);
        State state = state(args);
        String value = valueArg(args, state, key);
        String file = fileArg(args);
        Boolean reload = bool(args, "reload");
        Boolean sysctlSet = bool(args, "sysctl_set");
        Boolean ignore = bool(args, "ignoreerrors");
        checkTemplate(name, map.get("name"));
        checkTemplate(key, args.get("name"));
        checkTemplate(value, args.get("value"));
        checkTemplate(file, args.get("sysctl_file"));
        if (problems.list().size() > before) {
            return null;
        }
        return new SysctlTask(name != null ? name : module.key(), tags, when, key, value, state, file,
                reload == null || reload, sysctlSet != null && sysctlSet, ignore != null && ignore,
                map.location(), locs);
    }

    private ModprobeTask modprobeTask(YMap map) {
        int before = problems.list().size();
        YNode.Entry module = null;
        for (YNode.Entry e : map.entries()) {
            if (MODPROBE.contains(e.key()) || MODULES.contains(e.key())) {
                if (module != null) {
                    problems.add(e.keyLocation(), "task has both '" + module.key() + "' and '" + e.key()
                            + "'; a task runs one module");
                }
                module = e;
            } else if (!Set.of("name", "tags", "when").contains(e.key())) {
                problems.add(e.keyLocation(), "unsupported task keyword or module '" + e.key()
                        + "'; sysfleet supports: " + TASK_KEYS);
            }
        }
        String name = text(map, "name");
        Set<String> tags = tags(map.get("tags"));
        Condition when = when(map.get("when"));
        YMap args = args(module);
        if (args == null) {
            return null;
        }
        Map<String, SourceLocation> locs = new HashMap<>();
        for (YNode.Entry e : args.entries()) {
            locs.put(e.key(), e.value().location());
            if (!Set.of(MODPROBE_ARGS.split(", ")).contains(e.key())) {
                problems.add(e.keyLocation(), "unsupported modprobe argument '" + e.key() + "'; supported: "
                        + MODPROBE_ARGS);
            }
        }
        String moduleName = null;
        YNode nameNode = args.get("name");
        if (nameNode == null) {
            problems.add(args.location(), "modprobe argument 'name' is required");
        } else if (!(nameNode instanceof YScalar s) || !(s.value() instanceof String str)
                || !io.sysfleet.facts.RuntimeFacts.MODULE_NAME.matcher(str.strip()).matches()) {
            String shown = nameNode instanceof YScalar s ? "'" + s.text() + "'" : nameNode.kind();
            problems.add(nameNode.location(), "modprobe 'name' must be a kernel module name such as nf_conntrack "
                    + "(letters, digits, '_' and '-'; no templates), not " + shown);
        } else {
            moduleName = ((String) ((YScalar) nameNode).value()).strip();
        }
        State state = State.PRESENT;
        YNode stateNode = args.get("state");
        if (stateNode != null) {
            Object v = stateNode instanceof YScalar s ? s.value() : null;
            if ("absent".equals(v)) {
                state = State.ABSENT;
            } else if (!"present".equals(v)) {
                problems.add(stateNode.location(), "modprobe state must be present or absent, not "
                        + (v instanceof String str ? "'" + str + "'" : stateNode.kind()));
            }
        }
        String params = "";
        YNode paramsNode = args.get("params");
        if (paramsNode != null && !(paramsNode instanceof YScalar ps && ps.isNull())) {
            Object v = paramsNode instanceof YScalar ps ? ps.value() : null;
            if (!(v instanceof String str)) {
                problems.add(paramsNode.location(), "modprobe 'params' must be a string such as 'hashsize=131072', not "
                        + paramsNode.kind());
            } else {
                params = str.strip();
                for (String p : params.isEmpty() ? new String[0] : params.split("\\s+")) {
                    if (!ModprobeTask.PARAM.matcher(p).matches()) {
                        problems.add(paramsNode.location(), "modprobe parameter '" + p + "' is not NAME=VALUE "
                                + "(letters, digits and '_' before '=', no quotes, spaces or shell characters; "
                                + "no templates)");
                    }
                }
            }
        }
        ModprobeTask.Persistence persistent = ModprobeTask.Persistence.DISABLED;
        YNode persistNode = args.get("persistent");
        if (persistNode != null) {
            Object v = persistNode instanceof YScalar ps ? ps.value() : null;
            persistent = switch (v instanceof String str ? str : "?") {
                case "disabled" -> ModprobeTask.Persistence.DISABLED;
                case "present" -> ModprobeTask.Persistence.PRESENT;
                case "absent" -> ModprobeTask.Persistence.ABSENT;
                default -> {
                    problems.add(persistNode.location(), "modprobe persistent must be disabled, present or absent, not "
                            + (v instanceof String str ? "'" + str + "'" : persistNode.kind()));
                    yield ModprobeTask.Persistence.DISABLED;
                }
            };
        }
        checkTemplate(name, map.get("name"));
        if (problems.list().size() > before) {
            return null;
        }
        return new ModprobeTask(name != null ? name : module.key(), tags, when, moduleName, state, params, persistent,
                map.location(), locs);
    }

    private void checkTemplate(String text, YNode node) {
        if (text == null || node == null || !Templater.isTemplate(text)) {
            return;
        }
        try {
            Templater.checkSyntax(text, node.location(), "template '" + text + "'");
        } catch (ConfigException e) {
            problems.addAll(e.problems());
        }
    }

    private YMap args(YNode.Entry module) {
        YNode v = module.value();
        if (v instanceof YMap m) {
            return m;
        }
        if (v instanceof YScalar s && s.value() instanceof String) {
            problems.add(v.location(), "module arguments as 'key=value' text are not supported; write them as "
                    + "a mapping (name: ..., value: ...)");
        } else {
            problems.add(v.location(), module.key() + " needs a mapping of arguments (name, value, ...), not "
                    + v.kind());
        }
        return null;
    }

    private String keyArg(YMap args) {
        YNode node = args.get("name");
        if (node == null) {
            problems.add(args.location(), "sysctl argument 'name' is required");
            return null;
        }
        if (!(node instanceof YScalar s) || !(s.value() instanceof String str) || str.isBlank()) {
            problems.add(node.location(), "sysctl 'name' must be a sysctl key such as net.ipv4.tcp_tw_reuse, not "
                    + node.kind());
            return null;
        }
        if (!Templater.isTemplate(str)) {
            try {
                SysctlKey.of(str.strip());
            } catch (IllegalArgumentException e) {
                problems.add(node.location(), e.getMessage());
                return null;
            }
        }
        return str;
    }

    private State state(YMap args) {
        YNode node = args.get("state");
        if (node == null) {
            return State.PRESENT;
        }
        Object v = node instanceof YScalar s ? s.value() : null;
        if ("present".equals(v)) {
            return State.PRESENT;
        }
        if ("absent".equals(v)) {
            return State.ABSENT;
        }
        problems.add(node.location(), "state must be present or absent, not "
                + (v instanceof String str ? "'" + str + "'" : node.kind()));
        return State.PRESENT;
    }

    private String valueArg(YMap args, State state, String key) {
        YNode node = args.get("value");
        if (node == null || node instanceof YScalar n && n.isNull()) {
            if (state == State.PRESENT) {
                problems.add(node == null ? args.location() : node.location(),
                        "sysctl argument 'value' is required when state is present");
            }
            return null;
        }
        if (!(node instanceof YScalar s)) {
            problems.add(node.location(), "sysctl 'value' must be a single value, not " + node.kind());
            return null;
        }
        String text;
        if (s.value() instanceof Boolean b) {
            text = b ? "1" : "0";
        } else if (s.value() instanceof String str) {
            text = str;
        } else {
            text = AnsibleValues.pyStr(s.value());
            if (text == null) {
                problems.add(node.location(), "write the value '" + s.text() + "' as a quoted string");
                return null;
            }
        }
        if (!Templater.isTemplate(text)) {
            try {
                Templater.checkValue(AnsibleValues.sysctlValue(text), state, node.location(),
                        key == null ? "?" : key.strip());
            } catch (ConfigException e) {
                problems.addAll(e.problems());
                return null;
            }
        }
        return text;
    }

    private String fileArg(YMap args) {
        YNode node = args.get("sysctl_file");
        if (node == null) {
            return "/etc/sysctl.conf";
        }
        if (!(node instanceof YScalar s) || !(s.value() instanceof String str) || str.isBlank()) {
            problems.add(node.location(), "sysctl_file must be a path, not " + node.kind());
            return null;
        }
        if (!Templater.isTemplate(str) && !str.startsWith("/")) {
            problems.add(node.location(), "sysctl_file must be an absolute path, not '" + str + "'");
            return null;
        }
        return str;
    }

    private Set<String> tags(YNode node) {
        Set<String> out = new LinkedHashSet<>();
        if (node == null) {
            return out;
        }
        if (node instanceof YScalar s && s.value() instanceof String str) {
            for (String t : str.split(",")) {
                out.add(t.strip());
            }
            return out;
        }
        List<YNode> items = node instanceof YSeq seq ? seq.items() : List.of(node);
        for (YNode n : items) {
            String t = n instanceof YScalar s && !s.isNull() ? AnsibleValues.pyStr(s.value()) : null;
            if (t == null) {
                problems.add(n.location(), "tags must be a string or a list of strings, not " + n.kind());
            } else {
                out.add(t);
            }
        }
        return out;
    }

    private Condition when(YNode node) {
        if (node == null) {
            return Condition.always();
        }
        List<YNode> items = node instanceof YSeq seq ? seq.items() : List.of(node);
        List<Condition> parts = new ArrayList<>();
        for (YNode n : items) {
            Object v = n instanceof YScalar s ? s.value() : null;
            if (v instanceof Boolean b) {
                parts.add(Condition.literal(b, n.location()));
            } else if (v instanceof String str) {
                try {
                    parts.add(Condition.parse(str, n.location()));
                } catch (ConfigException e) {
                    problems.addAll(e.problems());
                }
            } else {
                problems.add(n.location(), "when must be an expression, a boolean or a list of them, not "
                        + n.kind());
            }
        }
        return Condition.all(parts);
    }

    // ---- scalars ----

    private String text(YMap map, String key) {
        YNode node = map.get(key);
        if (node == null) {
            return null;
        }
        if (node instanceof YScalar s && s.value() instanceof String str) {
            return str;
        }
        problems.add(node.location(), "'" + key + "' must be a string, not " + node.kind());
        return null;
    }

    private Boolean bool(YMap map, String key) {
        YNode node = map.get(key);
        if (node == null) {
            return null;
        }
        Object v = node instanceof YScalar s ? s.value() : null;
        Boolean b = AnsibleValues.toBoolean(v);
        if (b == null) {
            problems.add(node.location(), "'" + key + "' must be a boolean (true/false, yes/no, 1/0), not "
                    + (v instanceof String str ? "'" + str + "'" : node.kind()));
        }
        return b;
    }
}
