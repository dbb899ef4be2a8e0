package io.sysfleet.transport;

import com.jcraft.jsch.HostKey;
import com.jcraft.jsch.HostKeyRepository;
import com.jcraft.jsch.UserInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Host-key check for one SSH session: delegates to JSch's known_hosts reader, remembers what the server
 * offered (for a clear error message), and under {@link HostKeyPolicy#ACCEPT_NEW} appends unknown hosts to the
 * known_hosts file. A changed key is never accepted.
 */
final class HostKeyVerifier implements HostKeyRepository {
    private final HostKeyRepository known;
    private final Path file;
    private final HostKeyPolicy policy;
    private int outcome = -1;
    private String offeredHost;
    private byte[] offeredKey;
    private boolean recorded;

    HostKeyVerifier(HostKeyRepository known, Path file, HostKeyPolicy policy) {
        this.known = known;
        this.file = file;
        this.policy = policy;
    }

    @Override
    public int check(String host, byte[] key) {
        int r = known.check(host, key);
        outcome = r;
        offeredHost = host;
        offeredKey = key.clone();
        if (r == NOT_INCLUDED && policy == HostKeyPolicy.ACCEPT_NEW) {
            record(host, key);
            return OK;
        }
        return r;
    }

    private void record(String host, byte[] key) {
        String line = host + " " + keyType(key) + " " + Base64.getEncoder().encodeToString(key) + "\n";
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            // One append of one short line: atomic enough for parallel connects within and across processes.
            Files.write(file, line.getBytes(StandardCharsets.UTF_8), StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND, StandardOpenOption.WRITE);
            recorded = true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record host key in " + file, e);
        }
    }

    /** The check's result: OK, NOT_INCLUDED, CHANGED, or -1 when the server never got that far. */
    int outcome() {
        return outcome;
    }

    boolean recorded() {
        return recorded;
    }

    /** "ssh-ed25519 SHA256:..." of the key the server offered. */
    String offeredFingerprint() {
        return offeredKey == null ? "(none)" : keyType(offeredKey) + " " + fingerprint(offeredKey);
    }

    String offeredHost() {
        return offeredHost;
    }

    /** Fingerprints recorded in known_hosts for {@code host}. */
    List<String> knownFingerprints(String host) {
        List<String> out = new ArrayList<>();
        HostKey[] keys = known.getHostKey(host, null);
        if (keys != null) {
            for (HostKey k : keys) {
                byte[] blob = Base64.getDecoder().decode(k.getKey());
                out.add(k.getType() + " " + fingerprint(blob));
            }
        }
        return out;
    }

    Path file() {
        return file;
    }

    /** OpenSSH's SHA256 fingerprint: unpadded base64 of the SHA-256 of the key blob. */
    static String fingerprint(byte[] blob) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(blob);
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The algorithm name at the start of an SSH public key blob. */
    static String keyType(byte[] blob) {
        ByteBuffer b = ByteBuffer.wrap(blob);
        int n = b.getInt();
        return new String(blob, 4, n, StandardCharsets.US_ASCII);
    }

    @Override
    public void add(HostKey hostkey, UserInfo ui) {
        // JSch only calls this for StrictHostKeyChecking=no/ask, which sysfleet never uses.
        throw new UnsupportedOperationException("host keys are recorded only by the accept-new policy");
    }

    @Override
    public void remove(String host, String type) {
        throw new UnsupportedOperationException("sysfleet never removes host keys");
    }

    @Override
    public void remove(String host, String type, byte[] key) {
        throw new UnsupportedOperationException("sysfleet never removes host keys");
    }

    @Override
    public String getKnownHostsRepositoryID() {
        return file.toString();
    }

    @Override
    public HostKey[] getHostKey() {
        return known.getHostKey();
    }

    @Override
    public HostKey[] getHostKey(String host, String type) {
        return known.getHostKey(host, type);
    }
}
