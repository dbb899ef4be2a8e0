package io.sysfleet.config;

import io.sysfleet.core.SourceLocation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML node with the place it came from. Values of scalars are typed the YAML 1.1 way (as PyYAML and
 * therefore Ansible type them: {@code yes} is a boolean, {@code 010} is octal 8, {@code 1.0} a double).
 */
public sealed interface YNode permits YNode.YMap, YNode.YSeq, YNode.YScalar {

    SourceLocation location();

    /** A short name of the node's kind for error messages: "a mapping", "a list", "a string", ... */
    String kind();

    /**
     * The node as plain Java values: Map (ordered), List, String, Integer/Long/BigInteger, Double, Boolean, null,
     * and {@link io.sysfleet.vault.Vaulted} for a {@code !vault} value.
     */
    Object toJava();

    /** One key of a mapping, with the location of the key itself. */
    record Entry(String key, SourceLocation keyLocation, YNode value) { }

    record YMap(SourceLocation location, List<Entry> entries) implements YNode {
        public YMap {
            entries = List.copyOf(entries);
        }

        public YNode get(String key) {
            for (Entry e : entries) {
                if (e.key().equals(key)) {
                    return e.value();
                }
            }
            return null;
        }

        public Entry entry(String key) {
            for (Entry e : entries) {
                if (e.key().equals(key)) {
                    return e;
                }
            }
            return null;
        }

        @Override
        public String kind() {
            return "a mapping";
        }

        @Override
        public Object toJava() {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Entry e : entries) {
                out.put(e.key(), e.value().toJava());
            }
            return out;
        }
    }

    record YSeq(SourceLocation location, List<YNode> items) implements YNode {
        public YSeq {
            items = List.copyOf(items);
        }

        @Override
        public String kind() {
            return "a list";
        }

        @Override
        public Object toJava() {
            List<Object> out = new ArrayList<>(items.size());
            for (YNode n : items) {
                out.add(n.toJava());
            }
            return out;
        }
    }

    /**
     * A scalar. {@code value} is the typed value (null for YAML null), {@code text} the scalar's source text,
     * {@code quoted} whether it was written in quotes.
     */
    record YScalar(SourceLocation location, Object value, String text, boolean quoted) implements YNode {
        public boolean isNull() {
            return value == null;
        }

        @Override
        public String kind() {
            if (value == null) {
                return "null";
            }
            if (value instanceof String) {
                return "a string";
            }
            if (value instanceof Boolean) {
                return "a boolean";
            }
            if (value instanceof Number) {
                return "a number";
            }
            if (value instanceof io.sysfleet.vault.Vaulted) {
                return "a vaulted value";
            }
            return "a " + value.getClass().getSimpleName();
        }

        @Override
        public Object toJava() {
            return value;
        }
    }
}
