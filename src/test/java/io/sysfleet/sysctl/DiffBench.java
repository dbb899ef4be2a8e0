package io.sysfleet.sysctl;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;

/**
 * Benchmark (not a test): time and peak heap of {@link UnifiedDiff} on a large sysctl.conf where every third
 * line changes. Run one size per JVM so the peak is this diff's own:
 * {@code java -Xmx1g -cp target/classes:target/test-classes io.sysfleet.sysctl.DiffBench 250000}.
 * With a second argument {@code all}, every line differs. Prints the time, the peak heap and the diff's
 * length, or the error it died of.
 */
public final class DiffBench {
    private DiffBench() {
    }

    /** A sysctl.conf of about {@code bytes} bytes, and the same file with every third value changed. */
    static String[] files(int bytes, boolean allDifferent) {
        StringBuilder old = new StringBuilder();
        StringBuilder neu = new StringBuilder();
        int i = 0;
        while (old.length() < bytes) {
            String key = "net.ipv4.conf.eth" + (i % 97) + ".key_" + i;
            old.append(key).append(" = ").append(i % 10).append('\n');
            neu.append(allDifferent ? "x" : "").append(key).append(" = ")
                    .append(i % 3 == 0 ? (i % 10) + 1 : i % 10).append('\n');
            if (i % 50 == 0 && !allDifferent) {
                old.append("# section ").append(i / 50).append('\n').append('\n');
                neu.append("# section ").append(i / 50).append('\n').append('\n');
            }
            i++;
        }
        return new String[] {old.toString(), neu.toString(), Integer.toString(i)};
    }

    public static void main(String[] args) {
        int bytes = Integer.parseInt(args[0]);
        boolean all = args.length > 1 && args[1].equals("all");
        String[] f = files(bytes, all);
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                p.resetPeakUsage();
            }
        }
        long base = heapPeak();
        long t0 = System.nanoTime();
        String diff;
        try {
            diff = UnifiedDiff.of("a", "b", f[0], f[1]);
        } catch (Throwable e) {
            System.out.printf("%d bytes, %s lines: %s after %d ms%n", f[0].length(), f[2], e,
                    (System.nanoTime() - t0) / 1_000_000);
            return;
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("%d bytes, %s lines, %s: %d ms, peak heap %d MiB (inputs %d MiB), diff %d chars%n",
                f[0].length(), f[2], all ? "every line changed" : "every 3rd changed", ms, heapPeak() / (1 << 20), base / (1 << 20), diff.length());
    }

    private static long heapPeak() {
        long sum = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                sum += p.getPeakUsage().getUsed();
            }
        }
        return sum;
    }
}
