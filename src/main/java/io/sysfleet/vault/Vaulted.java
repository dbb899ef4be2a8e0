package io.sysfleet.vault;

import io.sysfleet.transport.Secret;

import java.util.List;
import java.util.Map;

/**
 * A variable value that came from Ansible Vault: either an inline {@code !vault} value (the vault text is kept,
 * and decrypted only when the value is used), or a variable of a vault-encrypted file (already decrypted when
 * the file was read). {@link #toString()} never shows the plaintext; only {@link #reveal()} and
 * {@link #secret()} give it out. Thread-safe.
 */
public final class Vaulted {
    private final String vaultText;
    private final String origin;
    private final VaultSecrets secrets;
    private Object plain;
    private boolean decrypted;

    private Vaulted(String vaultText, String origin, VaultSecrets secrets, Object plain, boolean decrypted) {
        this.vaultText = vaultText;
        this.origin = origin;
        this.secrets = secrets;
        this.plain = plain;
        this.decrypted = decrypted;
    }

    /** An inline {@code !vault} value: {@code vaultText} is the tagged scalar, {@code origin} its file:line:col. */
    public static Vaulted inline(String vaultText, String origin, VaultSecrets secrets) {
        return new Vaulted(vaultText, origin, secrets, null, false);
    }

    /** A value read from a vault-encrypted file: {@code value} is plain data (string, number, list, map). */
    public static Vaulted fromFile(Object value, String file) {
        return new Vaulted(null, file, null, value, true);
    }

    /** Whether this is an inline {@code !vault} value (else it came from an encrypted file). */
    public boolean isInline() {
        return vaultText != null;
    }

    /** The vault text of an inline value (header and hex lines), exactly as written; null for a file value. */
    public String vaultText() {
        return vaultText;
    }

    /** Where the value was written: file:line:col of an inline value, the file of a file value. */
    public String origin() {
        return origin;
    }

    /**
     * The plaintext value: a string for an inline value, plain data for a file value. Pass it only to the place
     * that needs it.
     *
     * @throws VaultException when there is no vault password or none fits
     */
    public synchronized Object reveal() {
        if (!decrypted) {
            plain = secrets.decryptText(vaultText, origin);
            decrypted = true;
        }
        return plain;
    }

    /**
     * The plaintext as a {@link Secret} (a password, a key passphrase).
     *
     * @throws VaultException when it cannot be decrypted or is not a single text value
     */
    public Secret secret() {
        Object v = reveal();
        if (v instanceof String s) {
            return Secret.of("vault " + origin, s);
        }
        if (v instanceof Number || v instanceof Boolean) {
            return Secret.of("vault " + origin, v instanceof Boolean b ? (b ? "True" : "False") : v.toString());
        }
        throw new VaultException(origin + ": the vaulted value is " + (v instanceof Map ? "a mapping"
                : v instanceof List ? "a list" : "null") + ", not text");
    }

    /** What is shown instead of the plaintext (inventory output of file values, logs). */
    @Override
    public String toString() {
        return "****(vault " + origin + ")";
    }
}
