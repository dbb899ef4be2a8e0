package io.sysfleet.catalog;

import io.sysfleet.sysctl.SysctlKey;
import io.sysfleet.sysctl.SysctlValue;

import java.math.BigInteger;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One kernel setting sysfleet knows: its modern name, the values it accepts, how it is named elsewhere and
 * where it lives. Built from the catalog data ({@code keys.yml}, generated from the kernel's documentation).
 *
 * @param name          the modern name, dotted ({@code net.netfilter.nf_conntrack_max}); a per-interface key
 *                      has one {@code *} where the interface goes ({@code net.ipv4.conf.*.rp_filter}). This is
 *                      the catalog's name for the entry, not a key: {@link #key()} is the {@link SysctlKey} of an
 *                      entry that is one key, {@link #matches(String)} tells whether a key is this entry
 * @param type          the kind of value
 * @param min           smallest accepted integer (each field of a vector or range list), inclusive; null means no
 *                      lower bound other than a signed 64-bit long's
 * @param max           largest accepted integer, inclusive; null means no upper bound other than an unsigned
 *                      64-bit long's (the kernel's unsigned long keys, such as kernel.shmmax, go that high)
 * @param fields        number of integers in the value: 1 unless {@link ValueType#INT_VECTOR}, where 0 means
 *                      "one or more" (the count depends on the machine)
 * @param removedIn     the Linux version that removed the key ({@code "4.12"}), or null
 * @param module        the kernel module that must be loaded for the key to exist, or null
 * @param platformNames the key's name on platforms that name it differently, by platform tag ({@code rhel5})
 * @param defaultValue  the kernel's default where it is fixed, or null (defaults that scale with memory)
 * @param notes         why the catalog says what it says, where that needs saying ("" otherwise)
 * @param values        the accepted values of an {@link ValueType#ENUM}, empty for other types
 * @param unit          what the number counts ({@code seconds}, {@code bytes}, {@code pages}), or null
 * @param addedIn       the Linux version that added the key, where known, or null
 * @param scope         per namespace or global (see {@link Scope}), or null where not known
 * @param readOnly      whether the kernel refuses every write (a counter or a report, such as
 *                      {@code net.netfilter.nf_conntrack_count})
 * @param source        where the facts come from: the kernel document ({@code networking/ip-sysctl.rst}) or
 *                      {@code overrides} for keys the documentation no longer has
 */
public record KernelKey(String name, ValueType type, Long min, Long max, int fields, String removedIn,
                        String module, Map<String, SysctlKey> platformNames, String defaultValue, String notes,
                        List<String> values, String unit, String addedIn, Scope scope, boolean readOnly,
                        String source) {

    private static final Pattern INTEGER = Pattern.compile("-?[0-9]+");
    private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger ULONG_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
    private static final Pattern RANGE = Pattern.compile("(-?[0-9]+)(?:-(-?[0-9]+))?");

    public KernelKey {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        if (fields < 0 || (fields == 0 && type != ValueType.INT_VECTOR)) {
            throw new IllegalArgumentException(name + ": fields must be at least 1 (0 only for an int vector)");
        }
        if (type != ValueType.INT_VECTOR && fields != 1) {
            throw new IllegalArgumentException(name + ": only an int vector has more than one field");
        }
        if (min != null && max != null && min > max) {
            throw new IllegalArgumentException(name + ": min " + min + " is above max " + max);
        }
        String why = nameProblem(name);
        if (why != null) {
            throw new IllegalArgumentException(why);
        }
        values = values == null ? List.of() : List.copyOf(values);
        if (type == ValueType.ENUM && values.isEmpty()) {
            throw new IllegalArgumentException(name + ": an enum needs its values");
        }
        if (type != ValueType.ENUM && !values.isEmpty()) {
            throw new IllegalArgumentException(name + ": only an enum lists values");
        }
        platformNames = platformNames == null ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(platformNames));
        if (name.indexOf('*') >= 0 && !platformNames.isEmpty()) {
            throw new IllegalArgumentException(name + ": a per-interface pattern has no platform names");
        }
        notes = notes == null ? "" : notes;
        source = source == null ? "" : source;
    }

    /** A key as the first catalog described it: no enum values, unit, version added, scope or source. */
    public KernelKey(String name, ValueType type, Long min, Long max, int fields, String removedIn,
                     String module, Map<String, SysctlKey> platformNames, String defaultValue, String notes) {
        this(name, type, min, max, fields, removedIn, module, platformNames, defaultValue, notes,
                List.of(), null, null, null, false, null);
    }

    /**
     * Why {@code name} cannot name a catalog entry, or null: it must be a key's dotted form ({@link SysctlKey}'s
     * rules), or such a form with one {@code *} standing for a whole interface name, neither the first nor the
     * last component ({@code net.ipv4.conf.*.rp_filter}).
     */
    public static String nameProblem(String name) {
        if (name == null) {
            return null; // the constructor's requireNonNull says so
        }
        int star = name.indexOf('*');
        if (star != name.lastIndexOf('*')) {
            return name + ": a key pattern has at most one '*'";
        }
        String concrete = name;
        if (star >= 0) {
            boolean whole = star > 0 && name.charAt(star - 1) == '.' && star + 1 < name.length()
                    && name.charAt(star + 1) == '.';
            if (!whole) {
                return "sysctl key '" + SysctlKey.printable(name) + "' is not a valid key pattern: a '*' stands for "
                        + "a whole interface name, between two dots and before the last name";
            }
            concrete = name.substring(0, star) + "x" + name.substring(star + 1);
        }
        try {
            SysctlKey k = SysctlKey.of(concrete);
            if (!k.dotted().equals(concrete)) {
                return "sysctl key '" + SysctlKey.printable(name) + "' must be written dotted in the catalog ("
                        + k.dotted() + ")";
            }
        } catch (IllegalArgumentException e) {
            return star < 0 ? e.getMessage() : e.getMessage().replace("'" + concrete + "'", "'" + name + "'");
        }
        return null;
    }

    /** Whether this entry stands for one key per network interface ({@code net.ipv4.conf.*.rp_filter}). */
    public boolean isPattern() {
        return name.indexOf('*') >= 0;
    }

    /**
     * The key of an entry that is one key.
     *
     * @throws IllegalStateException for a per-interface pattern, which stands for many keys
     */
    public SysctlKey key() {
        if (isPattern()) {
            throw new IllegalStateException(name + " is a per-interface pattern, not one key");
        }
        return SysctlKey.of(name);
    }


    /**
     * Whether the dotted key {@code key} is this entry: equal to its name or, for a pattern, equal but for a
     * non-empty interface name where the {@code *} is ({@code net.ipv4.conf.eth0.rp_filter}).
     */
    public boolean matches(String key) {
        if (key == null) {
            return false;
        }
        int star = name.indexOf('*');
        if (star < 0) {
            return name.equals(key);
        }
        String prefix = name.substring(0, star);
        String suffix = name.substring(star + 1);
        return key.length() > prefix.length() + suffix.length() && key.startsWith(prefix) && key.endsWith(suffix);
    }

    /**
     * The modern name first, then every platform-specific name, without repeats; empty for a per-interface
     * pattern, which names no key by itself ({@link KeyCatalog#allNames(SysctlKey)} gives the names of one
     * interface's key).
     */
    public List<SysctlKey> allNames() {
        if (isPattern()) {
            return List.of();
        }
        LinkedHashSet<SysctlKey> names = new LinkedHashSet<>();
        names.add(key());
        names.addAll(platformNames.values());
        return List.copyOf(names);
    }

    /**
     * Checks a value as it would be written after {@code name =} in sysctl.conf. Never throws.
     *
     * @return empty if the value is acceptable, otherwise a one-line message such as
     *         {@code must be an integer from 0 to 1, got '2'}
     */
    public Optional<String> checkValue(String value) {
        String shown = value == null ? "nothing" : "'" + printable(value) + "'";
        String text = value == null ? "" : SysctlValue.normalise(value);
        // sysctl.conf has one setting per line: a line break inside a value is never valid.
        boolean oneLine = value == null || (value.indexOf('\n') < 0 && value.indexOf('\r') < 0);
        switch (type) {
            case STRING -> {
                if (value == null || text.isEmpty()) {
                    return Optional.of("must be a non-empty text, got " + shown);
                }
                return oneLine ? Optional.empty() : Optional.of("must be one line of text, got " + shown);
            }
            case ENUM -> {
                return value != null && oneLine && values.contains(text) ? Optional.empty()
                        : Optional.of("must be one of " + String.join(", ", values) + ", got " + shown);
            }
            case RANGE_LIST -> {
                return value != null && oneLine && rangeList(text) ? Optional.empty()
                        : Optional.of(expectation() + ", got " + shown);
            }
            default -> {
                String[] parts = text.isEmpty() ? new String[0] : text.split(" ");
                boolean ok = oneLine && (fields == 0 ? parts.length >= 1 : parts.length == fields);
                for (int i = 0; ok && i < parts.length; i++) {
                    ok = inRange(parts[i]);
                }
                return ok ? Optional.empty() : Optional.of(expectation() + ", got " + shown);
            }
        }
    }

    /** What the key accepts, as a phrase: {@code an integer from 0 to 2}, {@code one of 0, 1, 2, 3, 8}. */
    public String accepts() {
        return switch (type) {
            case STRING -> "one line of text";
            case ENUM -> "one of " + String.join(", ", values);
            default -> expectation().substring("must be ".length());
        };
    }

    private boolean inRange(String part) {
        if (!INTEGER.matcher(part).matches()) {
            return false;
        }
        // Without a bound the kernel still needs the number to fit 64 bits: a signed long below, an unsigned
        // long above (kernel.shmmax holds 18446744073692774399 by default).
        BigInteger v = new BigInteger(part);
        return v.compareTo(min == null ? LONG_MIN : BigInteger.valueOf(min)) >= 0
                && v.compareTo(max == null ? ULONG_MAX : BigInteger.valueOf(max)) <= 0;
    }

    private boolean rangeList(String text) {
        if (text.isEmpty()) {
            return true; // writing nothing clears the list
        }
        for (String item : text.split(",", -1)) {
            Matcher m = RANGE.matcher(item.strip());
            if (!m.matches() || !inRange(m.group(1)) || (m.group(2) != null && (!inRange(m.group(2))
                    || new BigInteger(m.group(1)).compareTo(new BigInteger(m.group(2))) > 0))) {
                return false;
            }
        }
        return true;
    }

    private String expectation() {
        String range;
        if (min != null && max != null) {
            range = "from " + min + " to " + max;
        } else if (min != null) {
            range = "of at least " + min;
        } else if (max != null) {
            range = "of at most " + max;
        } else {
            range = "";
        }
        if (type == ValueType.RANGE_LIST) {
            return "must be comma-separated integers or ranges such as 1,2-4" + (range.isEmpty() ? "" : ", each " + range);
        }
        if (type == ValueType.INT_VECTOR) {
            return "must be " + (fields == 0 ? "one or more" : String.valueOf(fields))
                    + " integers separated by whitespace" + (range.isEmpty() ? "" : ", each " + range);
        }
        return "must be an integer" + (range.isEmpty() ? "" : " " + range);
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && b.length() < 80; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> b.append(Character.isISOControl(c) ? '?' : c);
            }
        }
        if (s.length() > 80) {
            b.append("...");
        }
        return b.toString();
    }
}
