package io.sysfleet.vault;

import io.sysfleet.transport.Secret;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The envelope parser's one-line errors, and lazy decryption (real ansible-vault data: VaultOracleTest). */
class VaultEnvelopeTest {
    private static String hex(String s) {
        return HexFormat.of().formatHex(s.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    }

    @Test
    void headersAndIds() {
        String body = hex(hex("salt") + "\n" + hex("mac") + "\n" + hex("cipher"));
        VaultEnvelope v11 = VaultEnvelope.parse("$ANSIBLE_VAULT;1.1;AES256\n" + body.substring(0, 10) + "\n"
                + body.substring(10) + "\n");
        assertNull(v11.vaultId());
        assertEquals("salt", new String(v11.salt()));
        VaultEnvelope v12 = VaultEnvelope.parse("$ANSIBLE_VAULT;1.2;AES256;prod\r\n" + body);
        assertEquals("prod", v12.vaultId());
        assertEquals("cipher", new String(v12.ciphertext()));
    }

    @Test
    void malformedDataIsOneLine() {
        VaultSecrets one = VaultSecrets.of(List.of(new VaultSecrets.Entry("default", Secret.of("t", "pw"))));
        assertEquals("f:1: malformed vault data: vault format version 1.0 is not supported (1.1 and 1.2 are)",
                assertThrows(VaultException.class, () -> one.decrypt("$ANSIBLE_VAULT;1.0;AES\n00", "f:1")).getMessage());
        assertEquals("f:1: malformed vault data: vault cipher 'AES' is not supported (AES256 is)",
                assertThrows(VaultException.class, () -> one.decrypt("$ANSIBLE_VAULT;1.1;AES\n00", "f:1")).getMessage());
        assertEquals("f:1: malformed vault data: vault data is not hexadecimal",
                assertThrows(VaultException.class, () -> one.decrypt("$ANSIBLE_VAULT;1.1;AES256\nzz", "f:1")).getMessage());
        assertEquals("f:1: malformed vault data: vault data must hold salt, HMAC and ciphertext",
                assertThrows(VaultException.class, () -> one.decrypt("$ANSIBLE_VAULT;1.1;AES256\n" + hex("ab"), "f:1"))
                        .getMessage());
    }

    @Test
    void inlineValuesDecryptOnlyWhenUsedAndNeverPrintThemselves() {
        Vaulted v = Vaulted.inline("$ANSIBLE_VAULT;1.1;AES256\n00\n", "hosts.yml:3:7", VaultSecrets.none());
        assertTrue(v.isInline());
        assertEquals("****(vault hosts.yml:3:7)", v.toString());
        VaultException e = assertThrows(VaultException.class, v::reveal);
        assertTrue(e.getMessage().startsWith("hosts.yml:3:7: malformed vault data"), e.getMessage());
        Vaulted file = Vaulted.fromFile(List.of(1, 2), "group_vars/all/vault");
        assertEquals("group_vars/all/vault: the vaulted value is a list, not text",
                assertThrows(VaultException.class, file::secret).getMessage());
        assertEquals(9, e.exitCode().code());
    }
}
