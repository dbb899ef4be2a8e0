package io.sysfleet.inventory;

import io.sysfleet.core.SourceLocation;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** Variables with the place each one was set, merged with Ansible's default "replace" behaviour. */
final class VarMap {
    private final Map<String, Object> values = new LinkedHashMap<>();
    private final Map<String, SourceLocation> origins = new HashMap<>();

    void put(String name, Object value, SourceLocation where) {
        values.put(name, value);
        origins.put(name, where);
    }

    void putAll(VarMap other) {
        values.putAll(other.values);
        origins.putAll(other.origins);
    }

    Map<String, Object> values() {
        return values;
    }

    SourceLocation origin(String name) {
        return origins.get(name);
    }
}
