package io.sysfleet.transport;

import io.sysfleet.result.Phase;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sysfleet.core.ExitCode;
import io.sysfleet.testing.TestFleet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The transport contract over SSH against a real sshd container (login user sysfleet, sudo to root), plus
 * SSH-only behaviour: session reuse, key types, passphrases, agent, password auth, ~/.ssh/config, errors.
 */
class SshTransportIT extends TransportContract {
    private static TestFleet fleet;
    private static SshTransport ssh;
    private static String scratch;

    @BeforeAll
    static void setUp() {
        fleet = TestFleet.start("debian12");
        ssh = SshTransport.connect("web1", fleet.options(fleet.host(0), TestFleet.USER), fleet.env(),
                Clock.systemUTC());
        scratch = "/home/sysfleet/scratch-" + UUID.randomUUID();
        assertEquals(0, ssh.exec(Command.of("mkdir", scratch), T).exitCode());
        // the contract's spy chcon, ahead of /usr/bin in the PATH sshd gives commands
        inContainer("printf '%s' \"$1\" > /usr/local/bin/chcon && chmod 755 /usr/local/bin/chcon && : > " + SPY_LOG
                + " && chmod 666 " + SPY_LOG, chconSpy(SPY_LOG));
    }

    private static final String SPY_LOG = "/tmp/sysfleet-chcon-spy.log";

    private static void inContainer(String script, String arg) {
        try {
            var r = fleet.host(0).container().execInContainer("sh", "-c", script, "sh", arg);
            assertEquals(0, r.getExitCode(), r.getStderr());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Override
    protected String chconSpyLog() {
        return SPY_LOG;
    }

    /** The login user (sysfleet) cannot write a directory of mode 0555. */
    @Override
    protected String readOnlyDirWith(String name, String content) {
        String ro = scratch + "/ro-" + UUID.randomUUID();
        ExecResult r = ssh.exec(Command.script("mkdir \"$1\" && printf '%s' \"$3\" > \"$1/$2\" && chmod 0555 \"$1\"",
                List.of(ro, name, content)), T);
        assertEquals(0, r.exitCode(), r.stderrText());
        return ro;
    }

    @AfterAll
    static void tearDown() {
        if (ssh != null) {
            ssh.close();
        }
        if (fleet != null) {
            fleet.close();
        }
    }

    @Override
    protected Transport transport() {
        return ssh;
    }

    @Override
    protected String scratchDir() {
        return scratch;
    }

    @Override
    protected String becomeUser() {
        return "root";
    }

    private TestFleet.Host host() {
        return fleet.host(0);
    }

    private static String run(Transport t, String... argv) {
        ExecResult r = t.exec(Command.of(argv), T);
        assertEquals(0, r.exitCode(), r.stderrText());
        return r.stdoutText().strip();
    }

    @Test
    void everyCommandReusesOneSession() {
        Set<String> clientEnds = new HashSet<>();
        for (int i = 0; i < 15; i++) {
            clientEnds.add(ssh.exec(Command.script("echo \"$SSH_CONNECTION\"", List.of()), T).stdoutText());
        }
        assertEquals(1, clientEnds.size(), clientEnds.toString());
        assertEquals("web1", ssh.host());
    }

    /** Makes a key pair of {@code type}, authorises it for sysfleet, returns the private key. */
    private static Path authorisedKey(String type, String bits, String passphrase) {
        Path key = fleet.dir().resolve("key-" + type + "-" + UUID.randomUUID());
        TestFleet.run(fleet.dir(), Duration.ofSeconds(60), "ssh-keygen", "-q", "-t", type, "-b", bits, "-N",
                passphrase, "-f", key.toString());
        try {
            byte[] pub = Files.readAllBytes(Path.of(key + ".pub"));
            ExecResult r = ssh.exec(Command.script("cat >> \"$HOME/.ssh/authorized_keys\"", List.of()).withStdin(pub), T);
            assertEquals(0, r.exitCode(), r.stderrText());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return key;
    }

    private SshTransport connectWith(List<Path> keys, Map<String, String> env) {
        return SshTransport.connect("web1", fleet.options(host(), TestFleet.USER).withIdentityFiles(keys), env,
                Clock.systemUTC());
    }

    @Test
    void authenticatesWithRsaSha2AndEcdsaKeys() {
        for (String[] t : new String[][] {{"rsa", "3072"}, {"ecdsa", "256"}}) {
            try (SshTransport s = connectWith(List.of(authorisedKey(t[0], t[1], "")), fleet.env())) {
                assertEquals("sysfleet", run(s, "id", "-un"));
            }
        }
    }

    @Test
    void encryptedKeyNeedsThePassphraseFromTheEnvironment() {
        Path key = authorisedKey("ed25519", "256", "correct horse");
        TransportException none = assertThrows(TransportException.class, () -> connectWith(List.of(key), fleet.env()));
        assertEquals(Phase.AUTH, none.phase());
        assertTrue(none.getMessage().contains("is encrypted; set SYSFLEET_SSH_KEY_PASSPHRASE"), none.getMessage());
        Map<String, String> wrongEnv = fleet.env();
        wrongEnv.put(SshTransport.ENV_KEY_PASSPHRASE, "wrong");
        TransportException wrong = assertThrows(TransportException.class, () -> connectWith(List.of(key), wrongEnv));
        assertTrue(wrong.getMessage().contains("wrong passphrase"), wrong.getMessage());
        Map<String, String> env = fleet.env();
        env.put(SshTransport.ENV_KEY_PASSPHRASE, "correct horse");
        try (SshTransport s = connectWith(List.of(key), env)) {
            assertEquals("sysfleet", run(s, "id", "-un"));
        }
    }

    @Test
    void authenticatesThroughSshAgent() throws Exception {
        Path sock = fleet.dir().resolve("agent-" + UUID.randomUUID().toString().substring(0, 8) + ".sock");
        Process agent = new ProcessBuilder("ssh-agent", "-D", "-a", sock.toString()).redirectErrorStream(true).start();
        try {
            for (int i = 0; i < 100 && !Files.exists(sock); i++) {
                sleep(50);
            }
            Path key = authorisedKey("ed25519", "256", "");
            ProcessBuilder add = new ProcessBuilder("ssh-add", key.toString()).redirectErrorStream(true);
            add.environment().put("SSH_AUTH_SOCK", sock.toString());
            Process p = add.start();
            assertEquals(0, p.waitFor(), new String(p.getInputStream().readAllBytes()));
            Map<String, String> env = fleet.env();
            env.put("SSH_AUTH_SOCK", sock.toString());
            try (SshTransport s = connectWith(List.of(), env)) {
                assertEquals("sysfleet", run(s, "id", "-un"));
            }
            // without the agent (and no key files in the empty home) authentication fails
            TransportException e = assertThrows(TransportException.class, () -> connectWith(List.of(), fleet.env()));
            assertEquals(Phase.AUTH, e.phase());
        } finally {
            agent.destroy();
        }
    }

    @Test
    void passwordAuthenticationUsesTheEnvironmentVariable() {
        Map<String, String> env = fleet.env();
        env.put(SshTransport.ENV_PASSWORD, fleet.pwUserPassword());
        SshOptions o = fleet.options(host(), TestFleet.PW_USER).withIdentityFiles(List.of(fleet.dir().resolve("none")));
        SshOptions noKeys = new SshOptions(o.hostName(), o.port(), o.user(), null, o.knownHostsFile(),
                o.hostKeyPolicy(), List.of(), o.connectTimeout(), null, null);
        try (SshTransport s = SshTransport.connect("web1", noKeys, env, Clock.systemUTC())) {
            assertEquals("sysfleet-pw", run(s, "id", "-un"));
        }
        env.put(SshTransport.ENV_PASSWORD, "wrong");
        TransportException e = assertThrows(TransportException.class,
                () -> SshTransport.connect("web1", noKeys, env, Clock.systemUTC()));
        assertEquals(Phase.AUTH, e.phase());
        assertEquals(ExitCode.UNREACHABLE, e.exitCode());
        assertTrue(e.oneLine().startsWith("web1: auth: authentication failed for sysfleet-pw@127.0.0.1:"), e.oneLine());
        assertTrue(!e.oneLine().contains("wrong"), e.oneLine());
    }

    @Test
    void honoursSshConfig() throws IOException {
        Path cfg = fleet.dir().resolve("ssh_config");
        Files.writeString(cfg, "Host db-alias\n  HostName 127.0.0.1\n  Port " + host().port() + "\n  User sysfleet\n"
                + "  IdentityFile " + fleet.privateKey() + "\n");
        SshOptions o = SshOptions.defaults(fleet.dir().resolve("home")).withSshConfigFile(cfg)
                .withKnownHosts(fleet.knownHosts(), HostKeyPolicy.STRICT);
        try (SshTransport s = SshTransport.connect("db-alias", o, fleet.env(), Clock.systemUTC())) {
            assertEquals("sysfleet@127.0.0.1:" + host().port(), s.target());
            assertEquals("sysfleet", run(s, "id", "-un"));
        }
    }

    @Test
    void wrongKeyAndClosedPortAreUnreachable() throws IOException {
        Path stranger = fleet.dir().resolve("stranger");
        TestFleet.run(fleet.dir(), Duration.ofSeconds(30), "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f",
                stranger.toString());
        TransportException auth = assertThrows(TransportException.class, () -> connectWith(List.of(stranger), fleet.env()));
        assertEquals(Phase.AUTH, auth.phase());
        assertEquals(ExitCode.UNREACHABLE, auth.exitCode());

        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        SshOptions o = fleet.options(host(), TestFleet.USER).withPort(closed);
        TransportException conn = assertThrows(TransportException.class,
                () -> SshTransport.connect("web9", o, fleet.env(), Clock.systemUTC()));
        assertEquals(Phase.CONNECT, conn.phase());
        assertEquals(ExitCode.UNREACHABLE, conn.exitCode());
        assertEquals("web9: connect: cannot connect to sysfleet@127.0.0.1:" + closed + ": connection refused",
                conn.oneLine());
    }
}
