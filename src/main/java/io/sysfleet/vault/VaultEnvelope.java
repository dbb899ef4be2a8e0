package io.sysfleet.vault;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * The text form of Ansible Vault data: a header {@code $ANSIBLE_VAULT;1.1;AES256} (or
 * {@code $ANSIBLE_VAULT;1.2;AES256;LABEL}) and then hex lines. The hex decodes to three lines: the hex of the
 * salt, the hex of the HMAC, the hex of the ciphertext. Pure parsing; {@link VaultCipher} decrypts.
 *
 * @param version   "1.1" or "1.2"
 * @param cipher    the cipher name; only "AES256" exists
 * @param vaultId   the label of a 1.2 envelope, or null (Ansible then uses "default")
 * @param salt      the PBKDF2 salt
 * @param hmac      HMAC-SHA256 of the ciphertext
 * @param ciphertext AES-256-CTR ciphertext of the PKCS#7-padded plaintext
 */
public record VaultEnvelope(String version, String cipher, String vaultId, byte[] salt, byte[] hmac,
                            byte[] ciphertext) {
    /** The header every vault text starts with. */
    public static final String HEADER = "$ANSIBLE_VAULT";

    /** Whether the text is vault data (it starts with the header, as Ansible checks). */
    public static boolean isVault(String text) {
        return text != null && text.startsWith(HEADER);
    }

    /** Whether the bytes are vault data. */
    public static boolean isVault(byte[] bytes) {
        byte[] h = HEADER.getBytes(StandardCharsets.US_ASCII);
        if (bytes.length < h.length) {
            return false;
        }
        for (int i = 0; i < h.length; i++) {
            if (bytes[i] != h[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Parses vault text.
     *
     * @throws IllegalArgumentException with a one-line reason when the envelope is malformed
     */
    public static VaultEnvelope parse(String text) {
        if (!isVault(text)) {
            throw new IllegalArgumentException("not vault data (no " + HEADER + " header)");
        }
        String[] lines = text.split("\r\n|\r|\n");
        String[] header = lines[0].strip().split(";", -1);
        if (header.length < 3) {
            throw new IllegalArgumentException("vault header must be " + HEADER + ";VERSION;CIPHER[;LABEL], got '"
                    + lines[0].strip() + "'");
        }
        String version = header[1].strip();
        String cipher = header[2].strip();
        String id = header.length >= 4 ? header[3].strip() : null;
        if (!version.equals("1.1") && !version.equals("1.2")) {
            throw new IllegalArgumentException("vault format version " + version + " is not supported (1.1 and 1.2 are)");
        }
        if (!cipher.equals("AES256")) {
            throw new IllegalArgumentException("vault cipher '" + cipher + "' is not supported (AES256 is)");
        }
        StringBuilder hex = new StringBuilder();
        for (int i = 1; i < lines.length; i++) {
            hex.append(lines[i]);
        }
        byte[] inner = unhex(hex.toString(), "vault data");
        String body = new String(inner, StandardCharsets.ISO_8859_1);
        String[] parts = body.split("\n", 3);
        if (parts.length != 3) {
            throw new IllegalArgumentException("vault data must hold salt, HMAC and ciphertext");
        }
        return new VaultEnvelope(version, cipher, id == null || id.isEmpty() ? null : id,
                unhex(parts[0], "vault salt"), unhex(parts[1], "vault HMAC"), unhex(parts[2], "vault ciphertext"));
    }

    private static byte[] unhex(String s, String what) {
        if (s.length() % 2 != 0) {
            throw new IllegalArgumentException(what + " is not hexadecimal (odd length)");
        }
        try {
            return HexFormat.of().parseHex(s);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " is not hexadecimal");
        }
    }
}
