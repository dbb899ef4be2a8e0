package io.sysfleet.catalog;

/** The kind of value a kernel key holds, as written in {@code /etc/sysctl.conf}. */
public enum ValueType {
    /** One integer within the key's inclusive range. */
    INT,
    /** 0 or 1. */
    BOOL,
    /** A fixed number of integers separated by whitespace (for example {@code net.ipv4.ip_local_port_range}). */
    INT_VECTOR,
    /** Free text on one line. */
    STRING
}
