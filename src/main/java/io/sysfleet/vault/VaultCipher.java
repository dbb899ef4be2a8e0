package io.sysfleet.vault;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * Ansible Vault's AES256 cipher, with the JDK's own primitives: PBKDF2-HMAC-SHA256 (10000 iterations) derives 80
 * bytes from the password and the envelope's salt (AES key, HMAC key, CTR initial counter), HMAC-SHA256 of the
 * ciphertext is checked in constant time, then AES-256-CTR decrypts and the PKCS#7 padding is removed.
 */
public final class VaultCipher {
    private static final int ITERATIONS = 10_000;
    private static final int KEY_LENGTH = 32;
    private static final int IV_LENGTH = 16;

    private VaultCipher() {
    }

    /**
     * The plaintext, or null when the password does not fit (the HMAC differs).
     *
     * @throws IllegalArgumentException when the password is not UTF-8 text or the data is malformed
     */
    public static byte[] decrypt(VaultEnvelope env, byte[] password) {
        byte[] derived = derive(password, env.salt());
        byte[] aesKey = Arrays.copyOfRange(derived, 0, KEY_LENGTH);
        byte[] macKey = Arrays.copyOfRange(derived, KEY_LENGTH, 2 * KEY_LENGTH);
        byte[] iv = Arrays.copyOfRange(derived, 2 * KEY_LENGTH, 2 * KEY_LENGTH + IV_LENGTH);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(macKey, "HmacSHA256"));
            if (!MessageDigest.isEqual(mac.doFinal(env.ciphertext()), env.hmac())) {
                return null;
            }
            Cipher aes = Cipher.getInstance("AES/CTR/NoPadding");
            aes.init(Cipher.DECRYPT_MODE, new SecretKeySpec(aesKey, "AES"), new IvParameterSpec(iv));
            return unpad(aes.doFinal(env.ciphertext()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks AES-CTR or HmacSHA256: " + e.getMessage(), e);
        } finally {
            Arrays.fill(derived, (byte) 0);
            Arrays.fill(aesKey, (byte) 0);
            Arrays.fill(macKey, (byte) 0);
        }
    }

    private static byte[] derive(byte[] password, byte[] salt) {
        char[] pw;
        try {
            CharBuffer cb = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(password));
            pw = new char[cb.remaining()];
            cb.get(pw);
            if (cb.hasArray()) {
                Arrays.fill(cb.array(), '\0');
            }
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("the vault password is not UTF-8 text");
        }
        // SunJCE's PBKDF2 turns the chars back into exactly these UTF-8 bytes.
        PBEKeySpec spec = new PBEKeySpec(pw, salt, ITERATIONS, (2 * KEY_LENGTH + IV_LENGTH) * 8);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks PBKDF2WithHmacSHA256: " + e.getMessage(), e);
        } finally {
            spec.clearPassword();
            Arrays.fill(pw, '\0');
        }
    }

    private static byte[] unpad(byte[] padded) {
        if (padded.length == 0 || padded.length % 16 != 0) {
            throw new IllegalArgumentException("vault plaintext has a bad length");
        }
        int n = padded[padded.length - 1] & 0xff;
        if (n < 1 || n > 16) {
            throw new IllegalArgumentException("vault plaintext has bad padding");
        }
        for (int i = padded.length - n; i < padded.length; i++) {
            if ((padded[i] & 0xff) != n) {
                throw new IllegalArgumentException("vault plaintext has bad padding");
            }
        }
        return Arrays.copyOf(padded, padded.length - n);
    }
}
