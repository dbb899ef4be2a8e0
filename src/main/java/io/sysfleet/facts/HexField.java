package io.sysfleet.facts;

import java.util.HexFormat;

/** The probes' encoding of arbitrary bytes in a line: {@code x} followed by lowercase hex (od, no base64 on CentOS 5). */
final class HexField {
    private HexField() {
    }

    /** The bytes of a field, or null when it is not {@code x} + an even number of hex digits. */
    static byte[] decode(String field) {
        if (!field.startsWith("x") || field.length() % 2 != 1) {
            return null;
        }
        try {
            return HexFormat.of().parseHex(field, 1, field.length());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
