package io.sysfleet.catalog;

/** The kind of value a kernel key holds, as written in {@code /etc/sysctl.conf}. */
public enum ValueType {
    /** One integer within the key's inclusive range. */
    INT,
    /** 0 or 1. */
    BOOL,
    /** One integer out of a listed set that is not a plain range (for example 0, 1, 2, 3 and 8). */
    ENUM,
    /**
     * Integers separated by whitespace (for example {@code net.ipv4.ip_local_port_range}): a fixed number of
     * them, or one or more where the count depends on the machine ({@code vm.lowmem_reserve_ratio}).
     */
    INT_VECTOR,
    /** Comma-separated integers and ranges ({@code 1,2-4,10-10}), possibly empty: {@code ip_local_reserved_ports}. */
    RANGE_LIST,
    /** Free text on one line. */
    STRING
}
