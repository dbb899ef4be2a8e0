package io.sysfleet.diagnose;

import java.util.Locale;

/**
 * The TCP states of the kernel, with the hex code {@code /proc/net/tcp} prints in its {@code st} column
 * (include/net/tcp_states.h). {@link #label()} is the name operators know from netstat ({@code TIME_WAIT}).
 */
public enum TcpState {
    ESTABLISHED(0x01), SYN_SENT(0x02), SYN_RECV(0x03), FIN_WAIT1(0x04), FIN_WAIT2(0x05), TIME_WAIT(0x06),
    CLOSE(0x07), CLOSE_WAIT(0x08), LAST_ACK(0x09), LISTEN(0x0A), CLOSING(0x0B), NEW_SYN_RECV(0x0C);

    private final int code;

    TcpState(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** {@code TIME_WAIT}, as netstat prints it. */
    public String label() {
        return name();
    }

    /** The lower-case name used in JSON and Prometheus labels ({@code time_wait}). */
    public String metricName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The state for a {@code st} column value ({@code "06"}), or null when it is not one. */
    public static TcpState ofHex(String st) {
        if (st == null || st.length() != 2) {
            return null;
        }
        int v;
        try {
            v = Integer.parseInt(st, 16);
        } catch (NumberFormatException e) {
            return null;
        }
        for (TcpState s : values()) {
            if (s.code == v) {
                return s;
            }
        }
        return null;
    }
}
