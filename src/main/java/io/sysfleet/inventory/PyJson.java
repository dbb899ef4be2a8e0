package io.sysfleet.inventory;

import io.sysfleet.vault.Vaulted;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * JSON exactly as {@code ansible-inventory} prints it, which is Python's
 * {@code json.dumps(value, sort_keys=True, indent=4, ensure_ascii=False)}: keys sorted by code point, four-space
 * indent, {@code ": "} and {@code ","} separators, {@code {}} and {@code []} for empty containers, only control
 * characters, quote and backslash escaped (lower-case hex), floats as Python's {@code repr} writes them
 * ({@code 1e+16}, {@code 0.0001}, {@code 1e-05}, {@code 100.0}), {@code Infinity}/{@code NaN}. An inline vault
 * value prints as Ansible prints it ({@code {"__ansible_vault": "$ANSIBLE_VAULT;..."}}); a value from a
 * vault-encrypted file prints masked. Pure functions.
 */
final class PyJson {
    private static final String INDENT = "    ";

    private PyJson() {
    }

    static String dumps(Object value) {
        StringBuilder sb = new StringBuilder();
        write(sb, value, 0);
        return sb.toString();
    }

    private static void write(StringBuilder sb, Object v, int level) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof Boolean b) {
            sb.append(b ? "true" : "false");
        } else if (v instanceof Double || v instanceof Float) {
            sb.append(pyFloatJson(((Number) v).doubleValue()));
        } else if (v instanceof Integer || v instanceof Long || v instanceof BigInteger || v instanceof Short
                || v instanceof Byte) {
            sb.append(v);
        } else if (v instanceof String s) {
            quote(sb, s);
        } else if (v instanceof Vaulted vault) {
            if (vault.isInline()) {
                write(sb, Map.of("__ansible_vault", vault.vaultText()), level);
            } else {
                quote(sb, vault.toString());
            }
        } else if (v instanceof Map<?, ?> m) {
            if (m.isEmpty()) {
                sb.append("{}");
                return;
            }
            List<Map.Entry<?, ?>> entries = new ArrayList<>(m.entrySet());
            entries.sort((a, b) -> compareKeys(a.getKey(), b.getKey()));
            sb.append("{");
            String sep = "\n";
            for (Map.Entry<?, ?> e : entries) {
                sb.append(sep).append(INDENT.repeat(level + 1));
                quote(sb, keyText(e.getKey()));
                sb.append(": ");
                write(sb, e.getValue(), level + 1);
                sep = ",\n";
            }
            sb.append("\n").append(INDENT.repeat(level)).append("}");
        } else if (v instanceof Collection<?> c) {
            if (c.isEmpty()) {
                sb.append("[]");
                return;
            }
            sb.append("[");
            String sep = "\n";
            for (Object item : c) {
                sb.append(sep).append(INDENT.repeat(level + 1));
                write(sb, item, level + 1);
                sep = ",\n";
            }
            sb.append("\n").append(INDENT.repeat(level)).append("]");
        } else {
            throw new IllegalArgumentException("cannot write a " + v.getClass().getSimpleName() + " as JSON");
        }
    }

    /** Python sorts numbers (and booleans) by value, strings by code point. */
    private static int compareKeys(Object a, Object b) {
        if (isNumeric(a) && isNumeric(b)) {
            if (a instanceof Double || b instanceof Double) {
                return Double.compare(asDouble(a), asDouble(b));
            }
            return asInteger(a).compareTo(asInteger(b));
        }
        return compareCodePoints(keyText(a), keyText(b));
    }

    private static boolean isNumeric(Object k) {
        return k instanceof Boolean || k instanceof Number;
    }

    private static double asDouble(Object k) {
        return k instanceof Boolean b ? (b ? 1 : 0) : ((Number) k).doubleValue();
    }

    private static BigInteger asInteger(Object k) {
        return k instanceof Boolean b ? (b ? BigInteger.ONE : BigInteger.ZERO) : new BigInteger(k.toString());
    }

    /** A dict key as Python's json writes it: str as is, numbers as repr, true/false/null. */
    private static String keyText(Object k) {
        if (k == null) {
            return "null";
        }
        if (k instanceof Double d) {
            return pyFloatJson(d);
        }
        return String.valueOf(k);
    }

    /** Python's str comparison: by code point (Java's compareTo compares UTF-16 units). */
    static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    private static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    /** A float in JSON as Python writes it: repr, with Infinity, -Infinity and NaN. */
    static String pyFloatJson(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "Infinity" : "-Infinity";
        }
        return pyRepr(d);
    }

    /**
     * Python's {@code repr(float)}: the shortest digits that read back as the same double; positional notation
     * when the decimal exponent is from -4 to 15 (with ".0" for whole numbers), else {@code d.ddde+XX}.
     */
    static String pyRepr(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (d == 0) {
            return 1 / d < 0 ? "-0.0" : "0.0";
        }
        BigDecimal exact = new BigDecimal(d);
        BigDecimal shortest = exact;
        for (int p = 1; p <= 17; p++) {
            BigDecimal r = exact.round(new MathContext(p, RoundingMode.HALF_EVEN));
            if (Double.parseDouble(r.toString()) == d) {
                shortest = r;
                break;
            }
        }
        String digits = shortest.unscaledValue().abs().toString();
        int scale = shortest.scale();
        int stripped = digits.length();
        while (stripped > 1 && digits.charAt(stripped - 1) == '0') {
            stripped--;
            scale--;
        }
        digits = digits.substring(0, stripped);
        // value = 0.DIGITS * 10^decpt
        int decpt = digits.length() - scale;
        StringBuilder sb = new StringBuilder();
        if (d < 0) {
            sb.append('-');
        }
        if (decpt > -4 && decpt <= 16) {
            if (decpt <= 0) {
                sb.append("0.").append("0".repeat(-decpt)).append(digits);
            } else if (decpt >= digits.length()) {
                sb.append(digits).append("0".repeat(decpt - digits.length())).append(".0");
            } else {
                sb.append(digits, 0, decpt).append('.').append(digits.substring(decpt));
            }
        } else {
            sb.append(digits.charAt(0));
            if (digits.length() > 1) {
                sb.append('.').append(digits.substring(1));
            }
            int exp = decpt - 1;
            sb.append(exp < 0 ? "e-" : "e+");
            String e = Integer.toString(Math.abs(exp));
            sb.append(e.length() < 2 ? "0" + e : e);
        }
        return sb.toString();
    }
}
