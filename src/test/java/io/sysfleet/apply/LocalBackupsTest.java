package io.sysfleet.apply;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LocalBackupsTest {
    @TempDir
    Path state;

    @Test
    void namesThatUsedToCollideGetTheirOwnBackups() {
        LocalBackups b = new LocalBackups(state, "r1");
        Path plus = b.saveOriginal("web1", "/etc/sysctl.d/a+b.conf", "plus\n".getBytes(StandardCharsets.UTF_8));
        Path at = b.saveOriginal("web1", "/etc/sysctl.d/a@b.conf", "at\n".getBytes(StandardCharsets.UTF_8));
        Path tokyo = b.saveOriginal("web-東京", "/etc/sysctl.conf", "tokyo\n".getBytes(StandardCharsets.UTF_8));
        Path osaka = b.saveOriginal("web-大阪", "/etc/sysctl.conf", "osaka\n".getBytes(StandardCharsets.UTF_8));
        assertNotEquals(plus, at);
        assertNotEquals(tokyo, osaka);
        assertEquals("%2Fetc%2Fsysctl.d%2Fa%2Bb.conf.orig", plus.getFileName().toString());
        assertEquals("web-%E6%9D%B1%E4%BA%AC", tokyo.getParent().getFileName().toString());
        for (Object[] c : new Object[][] {{plus, "plus\n"}, {at, "at\n"}, {tokyo, "tokyo\n"}, {osaka, "osaka\n"}}) {
            assertArrayEquals(((String) c[1]).getBytes(StandardCharsets.UTF_8), read((Path) c[0]));
        }
    }

    @Test
    void encodingIsOneToOneReversibleAndAPlainFileName() {
        // Property: for random names (ASCII punctuation, '%', '.', '/', control characters, non-Latin scripts,
        // astral characters), the encoding is a plain file name, decodes back to the name, and no two names share it.
        Random r = new Random(20261201);
        String alphabet = "aZ09-_./%+@~ :\u0000\n\u001b\u00e9\u6771\u4eac\u5927\u962a\ud83d\ude00";
        Map<String, String> seen = new HashMap<>();
        for (int n = 0; n < 20_000; n++) {
            StringBuilder sb = new StringBuilder();
            for (int i = r.nextInt(12); i > 0; i--) {
                int k = r.nextInt(alphabet.length());
                if (Character.isHighSurrogate(alphabet.charAt(k))) {
                    sb.append(alphabet, k, k + 2);
                } else if (!Character.isLowSurrogate(alphabet.charAt(k))) {
                    sb.append(alphabet.charAt(k));
                }
            }
            String name = sb.toString();
            String safe = LocalBackups.safe(name);
            assertTrue(safe.matches("[A-Za-z0-9_%-][A-Za-z0-9._%-]*|"), safe);
            assertEquals(name, LocalBackups.unsafe(safe));
            String other = seen.put(safe, name);
            assertTrue(other == null || other.equals(name), name + " and " + other + " both map to " + safe);
        }
        assertTrue(seen.size() > 10_000, "distinct names tried: " + seen.size());
        assertEquals("web1.example.com", LocalBackups.safe("web1.example.com"), "ASCII names stay readable");
        assertEquals("%2E.", LocalBackups.safe(".."), "never . or .. or a hidden file");
    }

    @Test
    void overlongNamesAreShortenedWithADigest() {
        String a = "/etc/sysctl.d/" + "x".repeat(300) + "a.conf";
        String b = "/etc/sysctl.d/" + "x".repeat(300) + "b.conf";
        assertTrue(LocalBackups.safe(a).length() <= LocalBackups.MAX_NAME);
        assertNotEquals(LocalBackups.safe(a), LocalBackups.safe(b));
    }

    private static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
