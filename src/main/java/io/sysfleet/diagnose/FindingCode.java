package io.sysfleet.diagnose;

/**
 * The stable codes of diagnose's findings, each tied to a row of the troubleshooting table and, where the row has
 * a sysctl fix, to its playbook under {@code playbooks/}. Codes never change meaning; new ones may be added.
 */
public enum FindingCode {
    NAT_TIMESTAMP_RISK(8, "tcp_tw_recycle = 1 with tcp_timestamps on: SYNs from clients behind NAT are dropped",
            "08-nat-syn-dropped.yml"),
    FIN_TIMEOUT_CHANGED(2, "tcp_fin_timeout changed from its default: closed connections linger as ESTABLISHED",
            "02-fin-timeout.yml"),
    TIME_WAIT_HIGH(3, "many TIME_WAIT connections", "03-time-wait.yml"),
    CLOSE_WAIT_LEAK(4, "many CLOSE_WAIT connections: an application does not close its sockets", null),
    FIN_WAIT2_HIGH(5, "too many FIN_WAIT2 connections", "05-fin-wait2.yml"),
    TW_BUCKET_OVERFLOW(6, "time wait bucket table overflow: TIME_WAIT sockets are destroyed",
            "06-tw-bucket-overflow.yml"),
    TIME_WAIT_NEAR_LIMIT(6, "TIME_WAIT close to tcp_max_tw_buckets", "06-tw-bucket-overflow.yml"),
    CONNTRACK_TABLE_FULL(7, "conntrack table full: packets are dropped", "07-conntrack-table-full.yml"),
    CONNTRACK_NEAR_FULL(7, "conntrack table nearly full", "07-conntrack-table-full.yml");

    /** The rows' titles, as in the troubleshooting table. */
    private static final String[] ROWS = {
        "",
        "NAT clients: SSH / HTTP to a Linux host is reset",
        "Server closed the connection, client still shows ESTABLISHED",
        "Many TIME_WAIT connections",
        "Many CLOSE_WAIT connections",
        "Too many FIN_WAIT2 connections",
        "\"TCP: time wait bucket table overflow\" in the kernel log",
        "\"nf_conntrack: table full, dropping packet\"",
        "Clients behind NAT get no answer to SYN",
    };

    private final int row;
    private final String title;
    private final String playbook;

    FindingCode(int row, String title, String playbook) {
        this.row = row;
        this.title = title;
        this.playbook = playbook;
    }

    /** The troubleshooting table's row (1-8). */
    public int row() {
        return row;
    }

    /** The row's title in the table. */
    public String rowTitle() {
        return ROWS[row];
    }

    /** What the finding means, in a few words. */
    public String title() {
        return title;
    }

    /**
     * Whether the finding comes from load or history (socket counts, log lines, counters) rather than from a
     * setting itself: once the row's settings are in place such a finding is only information, since the
     * playbook has done what it can.
     */
    public boolean loadDriven() {
        return this != NAT_TIMESTAMP_RISK && this != FIN_TIMEOUT_CHANGED && this != CLOSE_WAIT_LEAK;
    }

    /** The row's playbook file name ({@code 06-tw-bucket-overflow.yml}), or null when no sysctl fixes it. */
    public String playbook() {
        return playbook;
    }
}
