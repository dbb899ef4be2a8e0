package io.sysfleet.engine;

import io.sysfleet.core.ExitCode;
import io.sysfleet.core.SysfleetException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * One part of a fleet split between N controllers ({@code --shard K/N}, K from 1 to N, as Jest and Playwright
 * number their shards). A host belongs to shard {@code 1 + (h mod N)}, where h is the first eight bytes of the
 * SHA-256 of its inventory name read as an unsigned number: every host is in exactly one shard, the split
 * depends on nothing but the name and N (not on the inventory's order, the other hosts, the JVM or the
 * machine), and a host keeps its shard when hosts are added or removed. The price of that stability is balance:
 * shard sizes follow a binomial spread (100 hosts in 4 shards: 25 +- 4), not an exact N-way cut.
 *
 * @param index K, from 1 to {@code count}
 * @param count N, at least 1
 */
public record Shard(int index, int count) {
    /** The whole fleet: {@code 1/1}. */
    public static final Shard ALL = new Shard(1, 1);

    /** At most this many shards. */
    public static final int MAX = 10_000;

    public Shard {
        if (count < 1 || count > MAX || index < 1 || index > count) {
            throw new IllegalArgumentException("a shard is K/N with 1 <= K <= N <= " + MAX + ", got " + index + "/"
                    + count);
        }
    }

    /**
     * {@code K/N}.
     *
     * @throws SysfleetException exit 5 (usage) for anything else
     */
    public static Shard parse(String text) {
        String t = text == null ? "" : text.strip();
        if (!t.matches("\\d{1,5}/\\d{1,5}")) {
            throw new SysfleetException(ExitCode.USAGE, "--shard must be K/N (for example 2/4), got '" + text + "'");
        }
        int slash = t.indexOf('/');
        try {
            return new Shard(Integer.parseInt(t.substring(0, slash)), Integer.parseInt(t.substring(slash + 1)));
        } catch (IllegalArgumentException e) {
            throw new SysfleetException(ExitCode.USAGE, "--shard: " + e.getMessage());
        }
    }

    /** The shard (1 to {@code count}) that {@code host} belongs to. */
    public static int of(String host, int count) {
        byte[] d = sha256(host.getBytes(StandardCharsets.UTF_8));
        long h = 0;
        for (int i = 0; i < 8; i++) {
            h = h << 8 | (d[i] & 0xff);
        }
        return 1 + (int) Long.remainderUnsigned(h, count);
    }

    /** Whether {@code host} is in this shard. */
    public boolean contains(String host) {
        return count == 1 || of(host, count) == index;
    }

    /** Whether this is the whole fleet. */
    public boolean all() {
        return count == 1;
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }

    private static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
