package io.sysfleet.transport;

import io.sysfleet.result.Phase;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sysfleet.core.ExitCode;
import io.sysfleet.testing.TestFleet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Host-key checking against real sshd hosts: unknown hosts are refused under the strict default before any
 * authentication or command, accept-new records them, and a changed key (here: host B's keys recorded under
 * host A's name, as after a reinstall or a man in the middle) is refused with both fingerprints.
 */
class HostKeyIT {
    private static TestFleet fleet;

    @BeforeAll
    static void setUp() {
        fleet = TestFleet.start("debian12", "debian12");
    }

    @AfterAll
    static void tearDown() {
        if (fleet != null) {
            fleet.close();
        }
    }

    private static Path knownHosts(String content) throws IOException {
        Path p = fleet.dir().resolve("kh-" + UUID.randomUUID());
        Files.writeString(p, content);
        return p;
    }

    private static SshOptions options(TestFleet.Host h, Path knownHosts, HostKeyPolicy policy) {
        return fleet.options(h, TestFleet.USER).withKnownHosts(knownHosts, policy);
    }

    /** How many logins sshd of {@code h} has accepted so far (sshd -e logs each one). */
    private static long acceptedLogins(TestFleet.Host h) {
        return h.container().getLogs().lines().filter(l -> l.contains("Accepted publickey for")).count();
    }

    private static String fingerprint(String keyLine) {
        return HostKeyVerifier.fingerprint(Base64.getDecoder().decode(keyLine.split(" ")[1]));
    }

    @Test
    void unknownHostIsRefusedBeforeAnyLoginUnderStrict() throws IOException {
        TestFleet.Host a = fleet.host(0);
        long before = acceptedLogins(a);
        Path empty = knownHosts("");
        TransportException e = assertThrows(TransportException.class,
                () -> SshTransport.connect("a", options(a, empty, HostKeyPolicy.STRICT), fleet.env(), Clock.systemUTC()));
        assertEquals(Phase.HOSTKEY, e.phase());
        assertEquals(ExitCode.UNREACHABLE, e.exitCode());
        assertTrue(e.oneLine().startsWith("a: hostkey: unknown host key for " + a.knownHostsName()), e.oneLine());
        assertTrue(a.hostKeys().stream().anyMatch(k -> e.getMessage().contains(fingerprint(k))), e.getMessage());
        assertEquals("", Files.readString(empty), "strict must not record anything");
        assertEquals(before, acceptedLogins(a), "no login may happen with an unverified host key");

        Path missing = fleet.dir().resolve("no-such-known-hosts");
        TransportException m = assertThrows(TransportException.class,
                () -> SshTransport.connect("a", options(a, missing, HostKeyPolicy.STRICT), fleet.env(), Clock.systemUTC()));
        assertEquals(Phase.HOSTKEY, m.phase());
        assertFalse(Files.exists(missing));
    }

    @Test
    void acceptNewRecordsTheHostAndStrictTrustsItAfterwards() throws IOException {
        TestFleet.Host a = fleet.host(0);
        Path file = fleet.dir().resolve("accept-new-" + UUID.randomUUID()).resolve("known_hosts");
        try (SshTransport t = SshTransport.connect("a", options(a, file, HostKeyPolicy.ACCEPT_NEW), fleet.env(),
                Clock.systemUTC())) {
            assertEquals(0, t.exec(Command.of("true"), Duration.ofSeconds(10)).exitCode());
        }
        List<String> lines = Files.readAllLines(file);
        assertEquals(1, lines.size(), lines.toString());
        String[] f = lines.get(0).split(" ");
        assertEquals(a.knownHostsName(), f[0]);
        assertTrue(a.hostKeys().contains(f[1] + " " + f[2]), "recorded key is one of the host's keys: " + lines);
        try (SshTransport t = SshTransport.connect("a", options(a, file, HostKeyPolicy.STRICT), fleet.env(),
                Clock.systemUTC())) {
            assertEquals("sysfleet\n", t.exec(Command.of("id", "-un"), Duration.ofSeconds(10)).stdoutText());
        }
        assertEquals(1, Files.readAllLines(file).size(), "a known host is not recorded twice");
    }

    @Test
    void aHostKnownOnlyByItsRsaOrEcdsaKeyIsAccepted() throws IOException {
        TestFleet.Host a = fleet.host(0);
        for (String type : List.of("ssh-rsa", "ecdsa-sha2-nistp256")) {
            String key = a.hostKeys().stream().filter(k -> k.startsWith(type + " ")).findFirst().orElseThrow();
            Path file = knownHosts(a.knownHostsName() + " " + key + "\n");
            try (SshTransport t = SshTransport.connect("a", options(a, file, HostKeyPolicy.STRICT), fleet.env(),
                    Clock.systemUTC())) {
                assertEquals(0, t.exec(Command.of("true"), Duration.ofSeconds(10)).exitCode());
            }
        }
    }

    @Test
    void changedKeyIsRefusedUnderEveryPolicyWithBothFingerprints() throws IOException {
        TestFleet.Host a = fleet.host(0);
        TestFleet.Host b = fleet.host(1);
        StringBuilder swapped = new StringBuilder();
        b.hostKeys().forEach(k -> swapped.append(a.knownHostsName()).append(' ').append(k).append('\n'));
        Path file = knownHosts(swapped.toString());
        long before = acceptedLogins(a);
        for (HostKeyPolicy policy : HostKeyPolicy.values()) {
            TransportException e = assertThrows(TransportException.class,
                    () -> SshTransport.connect("a", options(a, file, policy), fleet.env(), Clock.systemUTC()));
            assertEquals(Phase.HOSTKEY, e.phase());
            assertEquals(ExitCode.UNREACHABLE, e.exitCode());
            String msg = e.oneLine();
            assertTrue(msg.startsWith("a: hostkey: HOST KEY CHANGED for " + a.knownHostsName()), msg);
            assertTrue(a.hostKeys().stream().anyMatch(k -> msg.contains("offered " + k.split(" ")[0] + " "
                    + fingerprint(k))), msg);
            b.hostKeys().forEach(k -> assertTrue(msg.contains(fingerprint(k)), msg));
            assertTrue(msg.contains("ssh-keygen -R"), msg);
        }
        assertEquals(swapped.toString(), Files.readString(file), "known_hosts must stay untouched");
        assertEquals(before, acceptedLogins(a));
    }
}
