package io.sysfleet.inventory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Read-only copies of variable maps (insertion order kept, null values allowed). */
final class Vars {
    private Vars() {
    }

    static Map<String, Object> frozen(Map<String, Object> vars) {
        Map<String, Object> copy = new LinkedHashMap<>();
        vars.forEach((k, v) -> copy.put(k, deep(v)));
        return Collections.unmodifiableMap(copy);
    }

    @SuppressWarnings("unchecked")
    private static Object deep(Object v) {
        if (v instanceof Map<?, ?> m) {
            return frozen((Map<String, Object>) m);
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            l.forEach(x -> out.add(deep(x)));
            return Collections.unmodifiableList(out);
        }
        return v;
    }
}
