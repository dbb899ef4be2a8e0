package io.sysfleet.engine;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Random;

/** Run ids: sortable and unique, the UTC time then 6 random hex digits ({@code 20261125T163000Z-ab12cd}). */
public final class RunIds {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    private final Clock clock;
    private final Random random;

    public RunIds(Clock clock, Random random) {
        this.clock = clock;
        this.random = random;
    }

    /** Ids from the clock and a {@link SecureRandom}. */
    public static RunIds secure(Clock clock) {
        return new RunIds(clock, new SecureRandom());
    }

    public String next() {
        byte[] r = new byte[3];
        synchronized (random) {
            random.nextBytes(r);
        }
        return TIME.format(clock.instant()) + "-" + HexFormat.of().formatHex(r);
    }
}
