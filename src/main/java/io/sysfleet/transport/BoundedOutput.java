package io.sysfleet.transport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * What a remote command writes to stdout or stderr, kept up to {@link #MAX_BYTES}: a host that answers with
 * gigabytes cannot exhaust the controller's memory. Bytes past the cap are counted and dropped; the transport then
 * fails the command ({@link #check}).
 */
final class BoundedOutput extends OutputStream {
    /**
     * 64 MiB: far above the largest legitimate answer (the facts of a 4 MiB sysctl file are 8 MiB of hex, the boot
     * files at most 2 MiB).
     */
    static final int MAX_BYTES = 64 << 20;

    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private final int max;
    private long dropped;

    BoundedOutput() {
        this(MAX_BYTES);
    }

    BoundedOutput(int max) {
        this.max = max;
    }

    @Override
    public synchronized void write(int b) {
        if (kept.size() < max) {
            kept.write(b);
        } else {
            dropped++;
        }
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        int room = Math.max(0, Math.min(len, max - kept.size()));
        kept.write(b, off, room);
        dropped += len - room;
    }

    synchronized byte[] toByteArray() {
        return kept.toByteArray();
    }

    /** Reads {@code in} to its end into a bounded buffer. */
    static BoundedOutput drain(InputStream in) throws IOException {
        BoundedOutput out = new BoundedOutput();
        byte[] buf = new byte[64 * 1024];
        for (int n; (n = in.read(buf)) >= 0; ) {
            out.write(buf, 0, n);
        }
        return out;
    }

    /** Throws when bytes were dropped: the answer is incomplete, so it must not be used. */
    void check(String host, String stream, Command cmd) {
        if (dropped > 0) {
            throw new TransportException(io.sysfleet.result.Phase.EXEC, host, "the command wrote more than " + max
                    + " bytes to " + stream + " (" + dropped + " dropped); refusing its answer: " + cmd);
        }
    }
}
