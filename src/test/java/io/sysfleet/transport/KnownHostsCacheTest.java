package io.sysfleet.transport;

import com.jcraft.jsch.HostKeyRepository;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

/** A run parses a known_hosts file once under the strict policy, and afresh per connection under accept-new. */
class KnownHostsCacheTest {
    @TempDir
    Path tmp;

    private static String line(String host) {
        byte[] type = "ssh-ed25519".getBytes();
        byte[] blob = new byte[4 + type.length + 4 + 32];
        blob[3] = (byte) type.length;
        System.arraycopy(type, 0, blob, 4, type.length);
        blob[4 + type.length + 3] = 32;
        return host + " ssh-ed25519 " + Base64.getEncoder().encodeToString(blob) + "\n";
    }

    @Test
    void strictSharesOneParseAcceptNewSeesWhatWasAppended() throws Exception {
        Path kh = tmp.resolve("known_hosts");
        Files.writeString(kh, line("[127.0.0.1]:2201"));
        KnownHostsCache cache = new KnownHostsCache();
        HostKeyRepository a = cache.repository(kh, HostKeyPolicy.STRICT);
        assertSame(a, cache.repository(kh, HostKeyPolicy.STRICT));
        assertEquals(1, a.getHostKey().length);

        Files.writeString(kh, line("[127.0.0.1]:2202"), java.nio.file.StandardOpenOption.APPEND);
        HostKeyRepository fresh = cache.repository(kh, HostKeyPolicy.ACCEPT_NEW);
        assertNotSame(a, fresh);
        assertEquals(2, fresh.getHostKey().length, "accept-new reads the file again");
    }
}
