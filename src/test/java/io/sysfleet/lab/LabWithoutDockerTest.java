package io.sysfleet.lab;

import io.sysfleet.core.ExitCode;
import io.sysfleet.core.SysfleetException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Without a Docker engine every lab command fails with one clear line that says how to start Docker, before it
 * writes anything. Uses the real docker CLI pointed at a socket nobody listens on (DOCKER_HOST), and a missing
 * program for "no docker CLI": no engine needed.
 */
class LabWithoutDockerTest {
    @TempDir
    Path tmp;

    private Lab lab(Docker docker) {
        return new Lab(tmp.resolve("lab"), docker, new PrintWriter(new StringWriter()),
                new PrintWriter(new StringWriter()), null);
    }

    @Test
    void noEngineMeansAClearErrorNamingStartDocker() {
        Docker dead = new Docker("docker", Map.of("DOCKER_HOST", "unix://" + tmp.resolve("nobody.sock")));
        for (Runnable r : new Runnable[] {
                () -> lab(dead).up(LabSpec.defaultLab(), Lab.DEFAULT_IMAGE, Duration.ofSeconds(5)),
                () -> lab(dead).down(),
                () -> lab(dead).status()}) {
            SysfleetException e = assertThrows(SysfleetException.class, r::run);
            assertEquals(ExitCode.ERROR, e.exitCode());
            assertTrue(e.getMessage().contains("scripts/start-docker.sh"), e.getMessage());
            assertFalse(e.oneLine().contains("\n"), e.oneLine());
        }
        assertFalse(Files.exists(tmp.resolve("lab")), "nothing may be written before Docker answers");
    }

    @Test
    void noDockerCliMeansAClearError() {
        Docker missing = new Docker(tmp.resolve("no-such-docker").toString(), Map.of());
        SysfleetException e = assertThrows(SysfleetException.class, () -> lab(missing).status());
        assertTrue(e.getMessage().startsWith("the docker CLI is not usable"), e.getMessage());
        assertTrue(e.getMessage().contains("scripts/start-docker.sh"), e.getMessage());
    }

    @Test
    void portProbeSeesAListeningSocket() throws Exception {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1,
                java.net.InetAddress.getByName(LabSpec.ADDRESS))) {
            assertFalse(SshProbe.portFree(s.getLocalPort()));
            // something listens, but it is no sshd: it never sends "SSH-"
            assertFalse(SshProbe.answers(s.getLocalPort(), 300));
        }
    }
}
