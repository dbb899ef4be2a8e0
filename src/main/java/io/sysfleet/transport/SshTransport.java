package io.sysfleet.transport;

import com.jcraft.jsch.AgentIdentityRepository;
import com.jcraft.jsch.AgentProxyException;
import com.jcraft.jsch.ChannelExec;
import com.jcraft.jsch.ConfigRepository;
import com.jcraft.jsch.HostKeyRepository;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.KeyPair;
import com.jcraft.jsch.OpenSSHConfig;
import com.jcraft.jsch.SSHAgentConnector;
import com.jcraft.jsch.Session;
import com.jcraft.jsch.UnixDomainSocketFactory;
import io.sysfleet.result.Phase;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * SSH transport on JSch: one session per host, reused for every command (one exec channel each).
 *
 * <p>Authentication: the identity files (from the options, else ~/.ssh/config IdentityFile), else ssh-agent
 * ({@code SSH_AUTH_SOCK}), else ~/.ssh/id_ed25519, id_ecdsa, id_rsa; key passphrase from
 * {@value #ENV_KEY_PASSPHRASE}; password authentication only when {@value #ENV_PASSWORD} is set. Host keys are
 * checked against the known_hosts file (strict by default, see {@link HostKeyPolicy}); a changed key is
 * always refused. Connect, auth and host-key failures are {@link TransportException}s with exit code
 * UNREACHABLE.
 */
public final class SshTransport extends ShellTransport {
    /** Environment variable with the SSH login password (password authentication). */
    public static final String ENV_PASSWORD = "SYSFLEET_SSH_PASSWORD";
    /** Environment variable with the passphrase of encrypted private keys. */
    public static final String ENV_KEY_PASSPHRASE = "SYSFLEET_SSH_KEY_PASSPHRASE";

    private final Session session;
    private final Clock clock;
    private final String target;

    private SshTransport(String host, Become become, Session session, Clock clock,
            String target) {
        super(host, become);
        this.session = session;
        this.clock = clock;
        this.target = target;
    }

    /**
     * Connects and authenticates; the host key is checked before anything else is sent.
     *
     * @param host inventory name (also the ssh config alias and, without {@code hostName}, the address)
     * @param env the process environment (secrets and SSH_AUTH_SOCK are read from it, never from arguments)
     * @param clock time source for command deadlines
     */
    public static SshTransport connect(String host, SshOptions o, Map<String, String> env, Clock clock) {
        return connect(host, o, env, clock, new KnownHostsCache());
    }

    /**
     * As {@link #connect(String, SshOptions, Map, Clock)}, with known_hosts files read through {@code knownHosts}:
     * a run shares one, so a file of 600 lines is parsed once for 200 hosts, not once per host.
     */
    public static SshTransport connect(String host, SshOptions o, Map<String, String> env, Clock clock,
                                       KnownHostsCache knownHosts) {
        ConfigRepository.Config cfg = sshConfig(host, o);
        String address = first(o.hostName(), cfg == null ? null : cfg.getHostname(), host);
        int port = o.port() != null ? o.port() : cfg != null && cfg.getPort() > 0 ? cfg.getPort() : 22;
        String user = first(o.user(), cfg == null ? null : cfg.getUser(), env.get("USER"),
                System.getProperty("user.name"));
        String target = user + "@" + address + ":" + port;

        Become become = o.become();

        JSch jsch = new JSch();
        HostKeyVerifier verifier;
        try {
            verifier = new HostKeyVerifier(knownHosts.repository(o.knownHostsFile(), o.hostKeyPolicy()), o.knownHostsFile(),
                    o.hostKeyPolicy());
        } catch (JSchException e) {
            throw new TransportException(Phase.HOSTKEY, host,
                    "cannot read known_hosts file " + o.knownHostsFile() + ": " + e.getMessage(), e);
        }
        Secret password = Secret.fromEnv(env, ENV_PASSWORD);
        setUpIdentities(jsch, host, o, cfg, env);

        Session s;
        try {
            s = jsch.getSession(user, address, port);
            s.setHostKeyRepository(verifier);
            s.setConfig("StrictHostKeyChecking", "yes");
            s.setConfig("PreferredAuthentications", password == null ? "publickey" : "publickey,password");
            if (password != null) {
                s.setPassword(password.reveal());
            }
            s.setServerAliveInterval((int) o.keepAliveInterval().toMillis());
            s.setServerAliveCountMax(3);
            s.setDaemonThread(true);
            s.connect((int) o.connectTimeout().toMillis());
        } catch (JSchException e) {
            throw classify(host, target, verifier, e);
        }
        return new SshTransport(host, become, s, clock, target);
    }

    private static ConfigRepository.Config sshConfig(String host, SshOptions o) {
        Path f = o.sshConfigFile();
        if (f == null || !Files.isRegularFile(f)) {
            return null;
        }
        try {
            return OpenSSHConfig.parseFile(f.toString()).getConfig(host);
        } catch (IOException e) {
            throw new TransportException(Phase.CONNECT, host, "cannot read ssh config " + f + ": " + e.getMessage(), e);
        }
    }

    private static void setUpIdentities(JSch jsch, String host, SshOptions o, ConfigRepository.Config cfg,
            Map<String, String> env) {
        List<Path> files = new ArrayList<>(o.identityFiles());
        Path home = Path.of(first(env.get("HOME"), System.getProperty("user.home")));
        if (files.isEmpty() && cfg != null && cfg.getValues("IdentityFile") != null) {
            for (String v : cfg.getValues("IdentityFile")) {
                files.add(v.startsWith("~/") ? home.resolve(v.substring(2)) : Path.of(v));
            }
            files.removeIf(p -> !Files.exists(p));
        }
        String sock = env.get("SSH_AUTH_SOCK");
        if (files.isEmpty() && sock != null && !sock.isEmpty()) {
            try {
                jsch.setIdentityRepository(new AgentIdentityRepository(
                        new SSHAgentConnector(new UnixDomainSocketFactory(), Path.of(sock))));
                return;
            } catch (AgentProxyException e) {
                throw new TransportException(Phase.AUTH, host, "cannot use ssh-agent at " + sock + ": "
                        + e.getMessage(), e);
            }
        }
        if (files.isEmpty()) {
            for (String n : List.of("id_ed25519", "id_ecdsa", "id_rsa")) {
                Path p = home.resolve(".ssh").resolve(n);
                if (Files.isRegularFile(p)) {
                    files.add(p);
                }
            }
        }
        Secret passphrase = Secret.fromEnv(env, ENV_KEY_PASSPHRASE);
        for (Path p : files) {
            addIdentity(jsch, host, p, passphrase);
        }
    }

    private static void addIdentity(JSch jsch, String host, Path p, Secret passphrase) {
        try {
            KeyPair kp = KeyPair.load(jsch, p.toString());
            byte[] pass = null;
            if (kp.isEncrypted()) {
                if (passphrase == null) {
                    throw new TransportException(Phase.AUTH, host, "private key " + p
                            + " is encrypted; set " + ENV_KEY_PASSPHRASE + " or use ssh-agent");
                }
                pass = passphrase.reveal().getBytes(StandardCharsets.UTF_8);
                if (!kp.decrypt(pass)) {
                    throw new TransportException(Phase.AUTH, host, "wrong passphrase (" + ENV_KEY_PASSPHRASE
                            + ") for private key " + p);
                }
            }
            kp.dispose();
            jsch.addIdentity(p.toString(), pass);
        } catch (JSchException e) {
            throw new TransportException(Phase.AUTH, host, "cannot load private key " + p + ": " + e.getMessage(), e);
        }
    }

    private static TransportException classify(String host, String target, HostKeyVerifier v, JSchException e) {
        if (v.outcome() == HostKeyRepository.CHANGED) {
            return new TransportException(Phase.HOSTKEY, host, "HOST KEY CHANGED for " + v.offeredHost()
                    + ": it offered " + v.offeredFingerprint() + " but " + v.file() + " has "
                    + String.join(", ", v.knownFingerprints(v.offeredHost()))
                    + "; refusing to connect (possible man-in-the-middle). If the host was really reinstalled, "
                    + "remove the old key with: ssh-keygen -R '" + v.offeredHost() + "' -f " + v.file(), e);
        }
        if (v.outcome() == HostKeyRepository.NOT_INCLUDED) {
            return new TransportException(Phase.HOSTKEY, host, "unknown host key for " + v.offeredHost() + " ("
                    + v.offeredFingerprint() + ") is not in " + v.file()
                    + "; verify it and add it to known_hosts, or use host key policy accept-new", e);
        }
        String msg = String.valueOf(e.getMessage());
        if (msg.startsWith("Auth fail") || msg.startsWith("Auth cancel") || msg.contains("USERAUTH fail")) {
            return new TransportException(Phase.AUTH, host, "authentication failed for " + target
                    + " (key, agent or " + ENV_PASSWORD + " not accepted)", e);
        }
        Throwable c = e.getCause();
        String why = c instanceof ConnectException ? "connection refused"
                : c instanceof UnknownHostException ? "unknown host name"
                : c instanceof NoRouteToHostException ? "no route to host"
                : c instanceof SocketTimeoutException || msg.contains("timeout") ? "timed out"
                : msg;
        return new TransportException(Phase.CONNECT, host, "cannot connect to " + target + ": " + why, e);
    }

    @Override
    protected ExecResult run(Command cmd, Duration timeout) {
        if (!session.isConnected()) {
            throw new TransportException(Phase.CONNECT, host(), "connection to " + target + " was lost");
        }
        ChannelExec ch;
        ClosingStream out = ClosingStream.stdout();
        ClosingStream err = out.stderr();
        OutputStream stdin;
        try {
            ch = (ChannelExec) session.openChannel("exec");
            ch.setCommand(cmd.toShell().getBytes(StandardCharsets.UTF_8));
            // No setInputStream: JSch would start a thread per channel to copy it. The caller writes stdin.
            ch.setOutputStream(out);
            ch.setErrStream(err);
            stdin = ch.getOutputStream();
            ch.connect((int) Math.max(1000, Math.min(timeout.toMillis(), Integer.MAX_VALUE)));
        } catch (JSchException | IOException e) {
            throw new TransportException(session.isConnected() ? Phase.EXEC : Phase.CONNECT, host(),
                    "cannot start command on " + target + ": " + e.getMessage(), e);
        }
        try {
            long deadline = clock.millis() + timeout.toMillis();
            writeStdin(ch, stdin, cmd.wireStdin());
            if (!out.awaitClosed(ch, session, deadline, clock)) {
                if (!session.isConnected()) {
                    throw new TransportException(Phase.CONNECT, host(), "connection to " + target
                            + " was lost while running " + cmd);
                }
                kill(ch);
                throw new TransportException(Phase.EXEC, host(),
                        "command timed out after " + timeout.toMillis() + " ms and was killed: " + cmd);
            }
            if (ch.getExitStatus() < 0 && ch.getExitSignal() == null && lost()) {
                throw new TransportException(Phase.CONNECT, host(), "connection to " + target
                        + " was lost while running " + cmd);
            }
            out.check(host(), "stdout", cmd);
            err.check(host(), "stderr", cmd);
            return new ExecResult(exitCode(ch), out.toByteArray(), err.toByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill(ch);
            throw new TransportException(Phase.EXEC, host(), "interrupted", e);
        } finally {
            ch.disconnect();
        }
    }

    /**
     * Sends the command's stdin and then EOF (an empty stdin is just EOF, so a script reading stdin never waits).
     * A command that exits without reading all of it closes the channel: the rest is dropped, as a pipe would.
     */
    private void writeStdin(ChannelExec ch, OutputStream stdin, byte[] bytes) {
        try {
            stdin.write(bytes);
            stdin.close();
        } catch (IOException e) {
            if (!ch.isClosed() && !ch.isEOF()) {
                throw new TransportException(session.isConnected() ? Phase.EXEC : Phase.CONNECT, host(),
                        "cannot send stdin to " + target + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * The command's stdout or stderr; closing either wakes the thread waiting in {@link #awaitClosed} on stdout.
     * JSch closes stdout at the remote EOF, before the exit status and the channel's close have arrived, and then
     * forgets it; stderr it closes when the channel closes, after marking the channel closed. So the stderr close is
     * the one that tells the waiting thread the command ended, at once and without polling. (Waiting on stdout
     * alone, about half the commands that run a moment, such as anything through sudo, were seen to end only at
     * the next one-second recheck.)
     */
    static final class ClosingStream extends BoundedOutput {
        private static final long RECHECK_MILLIS = 1000;
        private final Object monitor;

        private ClosingStream(Object monitor) {
            this.monitor = monitor == null ? this : monitor;
        }

        /** A command's stdout, to wait on. */
        static ClosingStream stdout() {
            return new ClosingStream(null);
        }

        /** The same command's stderr: closing it wakes the thread waiting on this stdout. */
        ClosingStream stderr() {
            return new ClosingStream(monitor);
        }

        @Override
        public void close() {
            synchronized (monitor) {
                monitor.notifyAll();
            }
        }

        /**
         * Waits until the channel is closed or {@code deadline} ({@code clock} millis) has passed; returns whether
         * it closed. Wakes at least every second to notice a session that died without closing its channels.
         */
        boolean awaitClosed(ChannelExec ch, Session session, long deadline, Clock clock) throws InterruptedException {
            return await(ch::isClosed, session::isConnected, deadline, clock, RECHECK_MILLIS);
        }

        /** {@link #awaitClosed} over any channel and session state, rechecking every {@code recheckMillis}. */
        boolean await(java.util.function.BooleanSupplier closed, java.util.function.BooleanSupplier connected,
                      long deadline, Clock clock, long recheckMillis) throws InterruptedException {
            synchronized (monitor) {
                while (!closed.getAsBoolean()) {
                    long left = deadline - clock.millis();
                    if (left <= 0 || !connected.getAsBoolean()) {
                        return closed.getAsBoolean();
                    }
                    monitor.wait(Math.min(left, recheckMillis));
                }
                return true;
            }
        }
    }

    /**
     * Whether the session is gone, for a channel that closed with neither exit status nor exit signal. When the
     * connection drops, JSch closes the session's channels first and only then marks the session disconnected: the
     * waiting thread, woken by the close, can still see it connected. So wait a moment for the session's verdict.
     */
    private boolean lost() throws InterruptedException {
        long until = clock.millis() + LOST_GRACE_MILLIS;
        while (session.isConnected() && clock.millis() < until) {
            Thread.sleep(10);
        }
        return !session.isConnected();
    }

    private static final long LOST_GRACE_MILLIS = 2000;

    /** Exit status, or 128+n for a command killed by signal n (as a shell would report it). */
    private static int exitCode(ChannelExec ch) {
        int st = ch.getExitStatus();
        if (st >= 0) {
            return st;
        }
        String sig = ch.getExitSignal();
        return switch (sig == null ? "" : sig) {
            case "HUP" -> 129;
            case "INT" -> 130;
            case "KILL" -> 137;
            case "TERM" -> 143;
            default -> 255;
        };
    }

    /** TERM (sudo relays it to the command), a short grace, then KILL; then the channel is closed. */
    private void kill(ChannelExec ch) {
        try {
            ch.sendSignal("TERM");
            long until = clock.millis() + 1000;
            while (!ch.isClosed() && clock.millis() < until) {
                Thread.sleep(10);
            }
            if (!ch.isClosed()) {
                ch.sendSignal("KILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // the channel is going away anyway
        }
        ch.disconnect();
    }

    /** {@code user@address:port} this transport is connected to. */
    public String target() {
        return target;
    }

    @Override
    public void close() {
        session.disconnect();
    }

    @SafeVarargs
    private static <T> T first(T... values) {
        for (T v : values) {
            if (v != null) {
                return v;
            }
        }
        return null;
    }
}
