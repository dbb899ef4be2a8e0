package io.sysfleet.transport;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BoundedOutputTest {

    @Test
    void keepsUpToTheCapAndRefusesTheAnswerPastIt() {
        BoundedOutput o = new BoundedOutput(10);
        o.write("12345".getBytes(), 0, 5);
        o.check("h", "stdout", Command.of("true"));
        o.write("6789abcdef".getBytes(), 0, 10);
        assertArrayEquals("123456789a".getBytes(), o.toByteArray());
        TransportException e = assertThrows(TransportException.class, () -> o.check("h", "stdout", Command.of("x")));
        assertTrue(e.getMessage().contains("more than 10 bytes to stdout (5 dropped)"), e.getMessage());
    }

    @Test
    void aLocalCommandThatFloodsStdoutFailsInsteadOfFillingTheHeap() {
        try (LocalTransport t = new LocalTransport()) {
            TransportException e = assertThrows(TransportException.class, () -> t.exec(
                    Command.of("head", "-c", String.valueOf(BoundedOutput.MAX_BYTES + 4096), "/dev/zero"),
                    Duration.ofSeconds(60)));
            assertTrue(e.getMessage().contains("more than " + BoundedOutput.MAX_BYTES + " bytes to stdout"), e.getMessage());
            assertEquals(3, t.exec(Command.of("sh", "-c", "exit 3"), Duration.ofSeconds(10)).exitCode(), "still usable");
        }
    }
}
