package io.sysfleet.diagnose;

/**
 * The kernel log lines of the troubleshooting table, matched as fixed text (the collector uses awk's
 * {@code index}, so nothing from a host is ever a regular expression).
 */
public enum LogPattern {
    /** Row 7: {@code nf_conntrack: table full, dropping packet} (CentOS 5: {@code ip_conntrack: ...}). */
    CONNTRACK_FULL("conntrack_full", "conntrack: table full, dropping packet"),
    /** Row 6: {@code TCP: time wait bucket table overflow} (kernels before 4.x; later ones only count it). */
    TW_OVERFLOW("tw_overflow", "time wait bucket table overflow");

    private final String id;
    private final String text;

    LogPattern(String id, String text) {
        this.id = id;
        this.text = text;
    }

    /** The identifier in the collector's output and in metric labels. */
    public String id() {
        return id;
    }

    /** The fixed text matched in a log line. */
    public String text() {
        return text;
    }

    public static LogPattern ofId(String id) {
        for (LogPattern p : values()) {
            if (p.id.equals(id)) {
                return p;
            }
        }
        return null;
    }
}
