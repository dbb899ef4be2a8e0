package io.sysfleet.transport;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How {@link SshTransport} sees a command end: JSch closes stdout at the remote EOF (before the channel is closed)
 * and stderr once the channel is marked closed. The stderr close must wake the thread waiting on stdout; with
 * the recheck set to a minute here, a lost wake-up fails the test by its timeout instead of costing a second per
 * command, as it did in production.
 */
class ClosingStreamTest {
    private static final long A_MINUTE = 60_000;

    @Test
    void theStderrCloseAfterTheChannelClosedWakesTheWaiter() {
        SshTransport.ClosingStream out = SshTransport.ClosingStream.stdout();
        SshTransport.ClosingStream err = out.stderr();
        AtomicBoolean closed = new AtomicBoolean();
        Clock clock = Clock.systemUTC();
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            CompletableFuture<Boolean> waiter = CompletableFuture.supplyAsync(() -> {
                try {
                    return out.await(closed::get, () -> true, clock.millis() + 10 * A_MINUTE, clock, A_MINUTE);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(200);
            out.close(); // the remote EOF: the channel is not closed yet, the waiter goes back to waiting
            Thread.sleep(200);
            assertFalse(waiter.isDone(), "woken by the EOF, the waiter sees the channel still open and waits on");
            closed.set(true);
            err.close(); // the channel's close
            assertTrue(waiter.get());
        });
    }
}
