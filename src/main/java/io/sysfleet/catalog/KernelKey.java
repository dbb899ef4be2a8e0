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
import java.util.regex.Pattern;

/**
 * One kernel setting sysfleet knows: its modern name, the values it accepts and how it is named elsewhere.
 *
 * @param name          the modern name ({@code net.netfilter.nf_conntrack_max})
 * @param type          the kind of value
 * @param min           smallest accepted integer (each field of a vector), inclusive; null means no lower bound
 *                      other than a 64-bit long's
 * @param max           largest accepted integer, inclusive; null means no upper bound other than a 64-bit long's
 * @param fields        number of integers in the value (1 unless {@link ValueType#INT_VECTOR})
 * @param removedIn     the Linux version that removed the key ({@code "4.12"}), or null
 * @param module        the kernel module that must be loaded for the key to exist, or null
 * @param platformNames the key's name on platforms that name it differently, by platform tag ({@code rhel5})
 * @param defaultValue  the kernel's default where it is fixed, or null (defaults that scale with memory)
 * @param notes         why the catalog says what it says
 */
public record KernelKey(SysctlKey name, ValueType type, Long min, Long max, int fields, String removedIn,
                        String module, Map<String, SysctlKey> platformNames, String defaultValue, String notes) {

    private static final Pattern INTEGER = Pattern.compile("-?[0-9]+");

    public KernelKey {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        if (fields < 1) {
            throw new IllegalArgumentException(name + ": fields must be at least 1");
        }
        if (type != ValueType.INT_VECTOR && fields != 1) {
            throw new IllegalArgumentException(name + ": only an int vector has more than one field");
        }
        if (min != null && max != null && min > max) {
            throw new IllegalArgumentException(name + ": min " + min + " is above max " + max);
        }
        platformNames = platformNames == null ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(platformNames));
        notes = notes == null ? "" : notes;
    }

    /** The modern name first, then every platform-specific name, without repeats. */
    public List<SysctlKey> allNames() {
        LinkedHashSet<SysctlKey> names = new LinkedHashSet<>();
        names.add(name);
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
        if (type == ValueType.STRING) {
            if (value == null || text.isEmpty()) {
                return Optional.of("must be a non-empty text, got " + shown);
            }
            if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
                return Optional.of("must be one line of text, got " + shown);
            }
            return Optional.empty();
        }
        String[] parts = text.isEmpty() ? new String[0] : text.split(" ");
        // sysctl.conf has one setting per line: a line break inside a value is never valid.
        String inner = value == null ? "" : value.strip();
        boolean ok = parts.length == fields && inner.indexOf('\n') < 0 && inner.indexOf('\r') < 0;
        for (int i = 0; ok && i < parts.length; i++) {
            ok = inRange(parts[i]);
        }
        return ok ? Optional.empty() : Optional.of(expectation() + ", got " + shown);
    }

    private boolean inRange(String part) {
        if (!INTEGER.matcher(part).matches()) {
            return false;
        }
        // Without a bound the kernel still needs the number to fit its 64-bit long.
        BigInteger v = new BigInteger(part);
        return v.compareTo(BigInteger.valueOf(min == null ? Long.MIN_VALUE : min)) >= 0
                && v.compareTo(BigInteger.valueOf(max == null ? Long.MAX_VALUE : max)) <= 0;
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
        if (type == ValueType.INT_VECTOR) {
            return "must be " + fields + " integers separated by whitespace"
                    + (range.isEmpty() ? "" : ", each " + range);
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
