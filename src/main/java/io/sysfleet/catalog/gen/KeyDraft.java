package io.sysfleet.catalog.gen;

import io.sysfleet.catalog.KernelKey;
import io.sysfleet.catalog.Scope;
import io.sysfleet.catalog.ValueType;
import io.sysfleet.sysctl.SysctlKey;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A key's facts while the generator gathers them from the documents, the live snapshot and the overrides.
 * Mutable on purpose (one builder per key, owned by one generator run); {@link #build()} makes the immutable
 * {@link KernelKey}. {@code why} records, per fact, where it came from, for the generator's report.
 */
final class KeyDraft {
    String name;
    ValueType type;
    Long min;
    Long max;
    Integer fields;
    List<String> values = new ArrayList<>();
    String defaultValue;
    String unit;
    String addedIn;
    String removedIn;
    String module;
    Scope scope;
    Boolean readOnly;
    Map<String, String> platformNames = new LinkedHashMap<>();
    String notes;
    String source;
    /** Whether the facts so far come only from a mention in running text. */
    boolean prose;
    /** Fact name ({@code type}, {@code range}, {@code default}, ...) to where it came from. */
    final Map<String, String> why = new LinkedHashMap<>();

    KeyDraft(String name) {
        this.name = name;
    }

    /** Fills every fact this draft lacks from {@code other} (used when two documents describe one key). */
    void fillFrom(KeyDraft other) {
        if (type == null) {
            type = other.type;
            fields = other.fields;
            values = new ArrayList<>(other.values);
        }
        if (min == null && max == null) {
            min = other.min;
            max = other.max;
        }
        defaultValue = defaultValue == null ? other.defaultValue : defaultValue;
        unit = unit == null ? other.unit : unit;
        addedIn = addedIn == null ? other.addedIn : addedIn;
        readOnly = readOnly == null ? other.readOnly : readOnly;
        other.why.forEach(why::putIfAbsent);
    }

    KernelKey build() {
        ValueType t = type == null ? ValueType.STRING : type;
        Long lo = min;
        Long hi = max;
        if (t == ValueType.BOOL) {
            lo = 0L;
            hi = 1L;
        }
        if (t == ValueType.STRING || t == ValueType.ENUM) {
            lo = null;
            hi = null;
        }
        int f = t == ValueType.INT_VECTOR ? (fields == null ? 0 : fields) : 1;
        Map<String, SysctlKey> platformKeys = new LinkedHashMap<>();
        platformNames.forEach((tag, n) -> platformKeys.put(tag, SysctlKey.of(n)));
        return new KernelKey(name, t, lo, hi, f, removedIn, module, platformKeys, defaultValue, notes,
                t == ValueType.ENUM ? values : List.of(), unit, addedIn, scope, Boolean.TRUE.equals(readOnly), source);
    }
}
