package io.sysfleet.transport;

import com.jcraft.jsch.HostKeyRepository;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * known_hosts files parsed once and shared by the SSH sessions of a run. JSch's repository is safe to read from
 * many threads (it locks its key list). Only the strict policy shares: under accept-new a connection appends the
 * keys it learns to the file ({@link HostKeyVerifier}), so each connection reads the file afresh and sees what
 * earlier ones recorded. Before, every host parsed the whole file again (base64 of every key): with 200 lab hosts
 * and their 600 keys, 120,000 lines, about a tenth of the controller's Java CPU in a profile of a check.
 */
public final class KnownHostsCache {
    private final Map<Path, HostKeyRepository> files = new ConcurrentHashMap<>();

    /** The parsed repository of {@code file}: read on first use (strict), or afresh (accept-new). */
    HostKeyRepository repository(Path file, HostKeyPolicy policy) throws JSchException {
        if (policy != HostKeyPolicy.STRICT) {
            return read(file);
        }
        HostKeyRepository r = files.get(file);
        if (r == null) {
            synchronized (this) {
                r = files.get(file);
                if (r == null) {
                    r = read(file);
                    files.put(file, r);
                }
            }
        }
        return r;
    }

    private static HostKeyRepository read(Path file) throws JSchException {
        JSch jsch = new JSch();
        jsch.setKnownHosts(file.toString());
        return jsch.getHostKeyRepository();
    }
}
