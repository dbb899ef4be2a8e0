package io.sysfleet.lab;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** Loopback-only socket checks: does an sshd answer on a port, is a port free. */
public final class SshProbe {
    private SshProbe() {
    }

    /**
     * Whether an SSH server answers on 127.0.0.1:{@code port}: it must send its {@code SSH-} identification
     * line within {@code timeoutMillis} (Docker's port proxy accepts connections before sshd is up, so a
     * successful connect alone proves nothing).
     */
    public static boolean answers(int port, int timeoutMillis) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(LabSpec.ADDRESS, port), timeoutMillis);
            s.setSoTimeout(timeoutMillis);
            InputStream in = s.getInputStream();
            byte[] buf = new byte[4];
            int n = 0;
            while (n < 4) {
                int r = in.read(buf, n, 4 - n);
                if (r < 0) {
                    return false;
                }
                n += r;
            }
            return new String(buf, StandardCharsets.US_ASCII).equals("SSH-");
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether nothing listens on 127.0.0.1:{@code port} (nor on the wildcard address). */
    public static boolean portFree(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(false);
            s.bind(new InetSocketAddress(LabSpec.ADDRESS, port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
