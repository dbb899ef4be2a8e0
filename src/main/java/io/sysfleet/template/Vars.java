package io.sysfleet.template;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The variables one template sees, already merged in precedence order by the caller (inventory, facts, play
 * vars, task vars, loop item, ...). Immutable; {@code with...} returns a new set.
 *
 * <p>Values are plain YAML values ({@link String}, numbers, {@link Boolean}, {@code null}, {@link java.util.List},
 * {@link Map}). Strings are templates and are rendered when used, recursively, as Ansible does: a variable
 * {@code a: "{{ b }}"} means b's value. A value wrapped in {@link Unsafe} (anywhere in a structure) is data
 * and is never rendered: put what comes from a host there ({@link #withData}). A value that is itself a
 * {@code Vars} (each entry of {@code hostvars}) is rendered against its own variables when used.
 *
 * <p>The engine resolves these names itself: {@code omit} (see {@link TemplateEngine#OMIT}), {@code none} and
 * {@code None}; the caller supplies every other magic variable it wants resolvable, e.g.
 * {@code inventory_hostname}, {@code group_names}, {@code groups}, {@code hostvars} (name to {@code Vars}),
 * {@code ansible_check_mode}, and the facts as {@link #facts(Map)} builds them.
 */
public final class Vars {
    private static final Vars EMPTY = new Vars(Map.of());

    private final Map<String, Object> values;

    private Vars(Map<String, Object> values) {
        this.values = values;
    }

    public static Vars empty() {
        return EMPTY;
    }

    /** Templatable variables (values may contain {@link Unsafe} parts). */
    public static Vars of(Map<String, ?> values) {
        return EMPTY.withAll(values);
    }

    /** Adds or replaces a templatable variable. */
    public Vars with(String name, Object value) {
        Map<String, Object> m = new LinkedHashMap<>(values);
        m.put(name, value);
        return new Vars(Collections.unmodifiableMap(m));
    }

    /** Adds or replaces templatable variables, later ones winning. */
    public Vars withAll(Map<String, ?> more) {
        Map<String, Object> m = new LinkedHashMap<>(values);
        m.putAll(more);
        return new Vars(Collections.unmodifiableMap(m));
    }

    /** Adds or replaces a variable that is data, never rendered: facts, command output, a rendered result. */
    public Vars withData(String name, Object value) {
        return with(name, Unsafe.of(value));
    }

    /** {@link #withData} for each entry. */
    public Vars withAllData(Map<String, ?> more) {
        Map<String, Object> m = new LinkedHashMap<>(values);
        more.forEach((k, v) -> m.put(k, Unsafe.of(v)));
        return new Vars(Collections.unmodifiableMap(m));
    }

    /**
     * The variables a host's facts give, as Ansible's setup module names them: {@code ansible_facts} (the
     * mapping, keys without the prefix, e.g. {@code os_family}) and the injected top-level aliases
     * {@code ansible_<key>} (Ansible's default INJECT_FACTS_AS_VARS). Every value is {@link Unsafe}. Layer it
     * where facts rank: over inventory variables, under play variables.
     */
    public static Map<String, Object> facts(Map<String, ?> facts) {
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Object> plain = new LinkedHashMap<>(facts);
        out.put("ansible_facts", Unsafe.of(plain));
        facts.forEach((k, v) -> out.put(k.startsWith("ansible_") ? k : "ansible_" + k, Unsafe.of(v)));
        return out;
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    /** The value as given (a template, or an {@link Unsafe}); null when absent or null. */
    public Object raw(String name) {
        return values.get(name);
    }

    public Set<String> names() {
        return values.keySet();
    }

    /** The variables as given, read-only. */
    public Map<String, Object> asMap() {
        return values;
    }

    @Override
    public String toString() {
        return "Vars" + values.keySet();
    }
}
