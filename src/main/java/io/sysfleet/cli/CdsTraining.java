package io.sysfleet.cli;

import com.jcraft.jsch.JSch;
import com.jcraft.jsch.KeyPair;
import com.jcraft.jsch.jce.AES128GCM;
import com.jcraft.jsch.jce.SignatureEd25519;
import com.jcraft.jsch.jce.XDH;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The AppCDS training run (pom.xml, package phase): what the JVM loads here goes into {@code target/sysfleet.jsa},
 * which the launcher maps at every start. It first does, in process, the cryptography of one SSH session (an X25519
 * key exchange, Ed25519 signatures, AES-GCM both ways, the user key read from a file) and loads the classes of
 * JSch's key exchange, authentication and exec, then runs the given sysfleet command ({@link Main#main}).
 *
 * <p>Why: the training command (a {@code check} against the local host and a closed port) never completes an SSH
 * handshake, so about 280 classes of a real session (JSch's, the JDK's XDH, EdDSA and GCM) were read from the jar and
 * the JDK image after the first packet of every run, in the middle of the first key exchange. No host is contacted
 * here and nothing is written but a key pair in a temporary directory, removed at once.
 */
public final class CdsTraining {
    /** JSch's names of the algorithms a session may negotiate, whose classes it loads by name. */
    private static final List<String> ALGORITHMS = List.of("curve25519-sha256", "curve25519-sha256@libssh.org",
            "ecdh-sha2-nistp256", "diffie-hellman-group14-sha256", "ssh-ed25519", "ecdsa-sha2-nistp256",
            "rsa-sha2-256", "rsa-sha2-512", "aes128-gcm@openssh.com", "aes256-gcm@openssh.com", "aes128-ctr",
            "aes256-ctr", "hmac-sha2-256", "hmac-sha2-256-etm@openssh.com", "userauth.none", "userauth.publickey",
            "userauth.password", "sha-256", "sha-384", "sha-512", "random", "xdh", "keypairgen.eddsa");
    /** JSch's own session classes that no configuration names. */
    private static final List<String> SESSION_CLASSES = List.of("com.jcraft.jsch.KeyExchange",
            "com.jcraft.jsch.UserAuth", "com.jcraft.jsch.RequestExec", "com.jcraft.jsch.ChannelExec",
            "com.jcraft.jsch.OpenSshCertificateUtil", "com.jcraft.jsch.OpenSshCertificateKeyTypes",
            "com.jcraft.jsch.PortWatcher", "com.jcraft.jsch.IdentityFile", "com.jcraft.jsch.KeyPairEd25519");

    private CdsTraining() {
    }

    public static void main(String[] args) throws Exception {
        sshSession();
        Main.main(args);
    }

    /**
     * Does one SSH session's cryptography and loads its classes; returns how many named classes it loaded.
     *
     * @throws Exception when JSch's API or configuration is not what this expects (a JSch upgrade): the build fails
     *                   rather than archiving less without a word
     */
    static int sshSession() throws Exception {
        JSch jsch = new JSch();
        Path dir = Files.createTempDirectory("sysfleet-cds-");
        Path key = dir.resolve("id_ed25519");
        byte[] data = "sysfleet AppCDS training".getBytes(StandardCharsets.UTF_8);
        try {
            // the user key: generated, then read from its file as SshTransport reads identities
            KeyPair pair = KeyPair.genKeyPair(jsch, KeyPair.ED25519);
            pair.writeOpenSSHv1PrivateKey(key.toString()); // the format ssh-keygen writes
            pair.dispose();
            jsch.addIdentity(key.toString());
            KeyPair loaded = KeyPair.load(jsch, key.toString());
            byte[] signature = loaded.getSignature(data, "ssh-ed25519");
            byte[] blob = loaded.getPublicKeyBlob();
            loaded.dispose();

            // the host key check: an Ed25519 verification
            SignatureEd25519 verifier = new SignatureEd25519();
            verifier.init();
            verifier.setPubKey(Arrays.copyOfRange(blob, blob.length - 32, blob.length));
            verifier.update(data);
            if (!verifier.verify(signature)) {
                throw new IllegalStateException("Ed25519 training signature did not verify");
            }

            // the key exchange: X25519 on both sides
            XDH client = new XDH();
            XDH server = new XDH();
            client.init("X25519", 32);
            server.init("X25519", 32);
            byte[] q = server.getQ();
            if (!client.validate(q) || !Arrays.equals(client.getSecret(q), server.getSecret(client.getQ()))) {
                throw new IllegalStateException("X25519 training exchange disagreed");
            }

            // the packets: AES-GCM out and back
            byte[] k = Arrays.copyOf(q, 16);
            byte[] iv = Arrays.copyOfRange(q, 16, 28);
            byte[] packet = Arrays.copyOf(data, 32);
            byte[] sealed = new byte[packet.length + 16];
            AES128GCM out = new AES128GCM();
            out.init(AES128GCM.ENCRYPT_MODE, k, iv.clone()); // JSch counts packets in the array it is given
            out.updateAAD(packet, 0, 4);
            out.doFinal(packet, 4, packet.length - 4, sealed, 4);
            System.arraycopy(packet, 0, sealed, 0, 4);
            AES128GCM in = new AES128GCM();
            in.init(AES128GCM.DECRYPT_MODE, k, iv.clone());
            in.updateAAD(sealed, 0, 4);
            byte[] opened = new byte[sealed.length];
            in.doFinal(sealed, 4, sealed.length - 4, opened, 4);
            System.arraycopy(sealed, 0, opened, 0, 4);
            if (!Arrays.equals(Arrays.copyOf(opened, packet.length), packet)) {
                throw new IllegalStateException("AES-GCM training packet did not round-trip");
            }
        } finally {
            Files.deleteIfExists(key);
            Files.deleteIfExists(dir.resolve("id_ed25519.pub"));
            Files.deleteIfExists(dir);
        }
        return loadClasses();
    }

    /** Loads (without running) the classes JSch would load by name in a session. */
    private static int loadClasses() throws ClassNotFoundException {
        List<String> names = new ArrayList<>(SESSION_CLASSES);
        for (String algorithm : ALGORITHMS) {
            String c = JSch.getConfig(algorithm);
            if (c == null || c.isEmpty()) {
                throw new IllegalStateException("JSch has no class for " + algorithm);
            }
            names.add(c);
        }
        ClassLoader loader = CdsTraining.class.getClassLoader();
        for (String name : names) {
            Class.forName(name, false, loader);
        }
        return names.size();
    }
}
