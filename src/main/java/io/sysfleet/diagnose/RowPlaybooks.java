package io.sysfleet.diagnose;

import io.sysfleet.config.YNode;
import io.sysfleet.config.YamlLoader;
import io.sysfleet.playbook.Play;
import io.sysfleet.playbook.PlaybookLoader;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The troubleshooting table's playbooks as shipped in the jar (the build copies {@code playbooks/*.yml}), so a
 * diagnosis checks and emits exactly what {@code playbooks/} holds. A play can be taken with other play vars
 * (the numbers a row leaves to the operator) and written out for other hosts.
 */
public final class RowPlaybooks {
    static final String RESOURCE_DIR = "/io/sysfleet/playbooks/";

    private final Map<String, List<Object>> trees = new LinkedHashMap<>();
    private final Map<String, List<Play>> plays = new LinkedHashMap<>();

    private RowPlaybooks() {
    }

    /** The bundled playbook of every finding code that has one. */
    public static RowPlaybooks bundled() {
        RowPlaybooks r = new RowPlaybooks();
        for (FindingCode c : FindingCode.values()) {
            if (c.playbook() != null && !r.trees.containsKey(c.playbook())) {
                r.add(c.playbook(), read(c.playbook()));
            }
        }
        return r;
    }

    private void add(String file, String text) {
        Path name = Path.of("playbooks", file);
        YNode root = YamlLoader.parse(text, name.toString());
        @SuppressWarnings("unchecked")
        List<Object> tree = (List<Object>) root.toJava();
        trees.put(file, tree);
        plays.put(file, PlaybookLoader.parse(text, name).plays());
    }

    /** The keys the bundled playbooks' tasks set, with each play's own vars (dotted, in playbook order). */
    public Set<String> keys() {
        Set<String> keys = new java.util.LinkedHashSet<>();
        for (List<Play> ps : plays.values()) {
            for (Play p : ps) {
                for (io.sysfleet.playbook.SysctlTask t : p.tasks()) {
                    keys.add(t.resolve(p.vars()).key().dotted());
                }
            }
        }
        return keys;
    }

    /** The playbook's plays, with {@code vars} merged over each play's own vars. */
    public List<Play> plays(String file, Map<String, Object> vars) {
        List<Play> out = new ArrayList<>();
        for (Play p : require(file, plays)) {
            Map<String, Object> v = new LinkedHashMap<>(p.vars());
            v.putAll(vars);
            out.add(new Play(p.name(), p.hosts(), v, p.become(), p.becomeUser(), p.gatherFacts(), p.serial(),
                    p.maxFailPercentage(), p.anyErrorsFatal(), p.tasks(), p.location(), p.modprobes(),
                    p.tree() == null ? null : p.tree().withVars(vars)));
        }
        return out;
    }

    /**
     * The playbook's plays as YAML list items for a plan: {@code hosts} replaced by the list {@code hosts},
     * {@code vars} merged over the play's vars, {@code suffix} appended to each play's name. Keys, tasks,
     * conditions and tags are as in the playbook.
     */
    public String playsYaml(String file, List<String> hosts, Map<String, Object> vars, String suffix) {
        DumperOptions o = new DumperOptions();
        o.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        o.setIndent(2);
        o.setIndicatorIndent(2);
        o.setIndentWithIndicator(true);
        o.setWidth(4096);
        o.setSplitLines(false);
        Yaml yaml = new Yaml(o);
        List<Object> items = new ArrayList<>();
        for (Object item : require(file, trees)) {
            @SuppressWarnings("unchecked")
            Map<String, Object> play = new LinkedHashMap<>((Map<String, Object>) item);
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<String, Object> e : play.entrySet()) {
                switch (e.getKey()) {
                    case "name" -> out.put("name", e.getValue() + suffix);
                    case "hosts" -> out.put("hosts", List.copyOf(hosts));
                    case "vars" -> {
                        @SuppressWarnings("unchecked")
                        Map<String, Object> v = new LinkedHashMap<>((Map<String, Object>) e.getValue());
                        v.putAll(vars);
                        out.put("vars", v);
                    }
                    default -> out.put(e.getKey(), e.getValue());
                }
            }
            if (!out.containsKey("vars") && !vars.isEmpty()) {
                out.put("vars", new LinkedHashMap<>(vars));
            }
            items.add(out);
        }
        return yaml.dump(items);
    }

    /** The vars a play of the playbook sets itself (the defaults the plan may override). */
    public Map<String, Object> defaults(String file) {
        Map<String, Object> v = new LinkedHashMap<>();
        require(file, plays).forEach(p -> v.putAll(p.vars()));
        return v;
    }

    private static <T> T require(String file, Map<String, T> m) {
        T t = m.get(file);
        if (t == null) {
            throw new IllegalArgumentException("no bundled playbook " + file);
        }
        return t;
    }

    private static String read(String file) {
        try (InputStream in = RowPlaybooks.class.getResourceAsStream(RESOURCE_DIR + file)) {
            if (in == null) {
                throw new IllegalStateException("the bundled playbook " + file + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
