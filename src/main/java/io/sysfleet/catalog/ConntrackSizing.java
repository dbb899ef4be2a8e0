package io.sysfleet.catalog;

import java.util.Locale;

/**
 * What a connection-tracking table of a given size costs, from the kernel's own numbers: every tracked
 * connection is hashed twice (original and reply direction, networking/nf_conntrack-sysctl.rst), so a full
 * table of {@code max} entries in {@code buckets} hash buckets has chains of {@code 2 * max / buckets} on
 * average; by default the kernel makes {@code max} equal to {@code buckets} and never uses more than 262144
 * buckets. Memory is an estimate: 320 bytes an entry (the 256-byte {@code nf_conntrack} slab object of
 * Linux 6.18 on x86-64, as /proc/slabinfo shows it, plus its extensions) and 8 bytes a bucket.
 *
 * @param max     nf_conntrack_max
 * @param buckets nf_conntrack_buckets (the hash table size)
 */
public record ConntrackSizing(long max, long buckets) {
    /** Estimated kernel memory per tracked connection, in bytes. */
    public static final long ENTRY_BYTES = 320;
    /** Kernel memory per hash bucket (one list head), in bytes. */
    public static final long BUCKET_BYTES = 8;
    /** The largest hash table the kernel picks by itself (nf_conntrack-sysctl.rst). */
    public static final long MAX_DEFAULT_BUCKETS = 262144;
    /** Entries per bucket above which the table is undersized: beyond the 8 the kernel once used as its default. */
    public static final double MAX_ENTRIES_PER_BUCKET = 8;

    public ConntrackSizing {
        if (max < 0 || buckets < 1) {
            throw new IllegalArgumentException("conntrack max must be >= 0 and buckets >= 1, got " + max + "/" + buckets);
        }
    }

    /** Entries per hash bucket when the table is full. */
    public double entriesPerBucket() {
        return (double) max / buckets;
    }

    /** Average hash chain length when the table is full (each entry is hashed twice). */
    public double averageChain() {
        return 2.0 * max / buckets;
    }

    /** Whether chains will be long enough to slow every packet's lookup. */
    public boolean undersized() {
        return entriesPerBucket() > MAX_ENTRIES_PER_BUCKET;
    }

    /** The fewest buckets that keep a full table at or below {@link #MAX_ENTRIES_PER_BUCKET} entries a bucket. */
    public long bucketsNeeded() {
        return (long) Math.ceil(max / MAX_ENTRIES_PER_BUCKET);
    }

    /** Estimated kernel memory of a full table, in bytes. */
    public long memoryBytes() {
        return max * ENTRY_BYTES + buckets * BUCKET_BYTES;
    }

    /** A size in bytes as people read it: {@code 200 MiB}, {@code 1.5 GiB}. */
    public static String human(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double v = bytes;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return (v >= 10 || u == 0 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v))
                + " " + units[u];
    }
}
