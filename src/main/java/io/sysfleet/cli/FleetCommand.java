package io.sysfleet.cli;

import io.sysfleet.core.ExitCode;
import io.sysfleet.engine.Engine;
import picocli.CommandLine.Mixin;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;

/** What the commands that reach hosts share (run, check, rollback): the options and the interrupt handler. */
abstract class FleetCommand extends BaseCommand {

    @Mixin
    FleetOptions fleet;

    /**
     * Makes the engine for these options and runs {@code body} with it so that SIGINT/SIGTERM interrupts it (no
     * new host starts, running ones finish with their undo), waits for {@code body} to print its recap, then ends
     * the process with exit code 99.
     */
    int withEngine(ToIntFunction<Engine> body) {
        Map<String, String> env = System.getenv();
        Engine engine = fleet.engine(env, Path.of(System.getProperty("user.home")), Clock.systemUTC());
        CountDownLatch finished = new CountDownLatch(1);
        Thread onSignal = new Thread(() -> {
            engine.interrupt();
            try {
                if (finished.await(5, TimeUnit.MINUTES)) {
                    Runtime.getRuntime().halt(ExitCode.INTERRUPTED.code());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "sysfleet-interrupt");
        Runtime.getRuntime().addShutdownHook(onSignal);
        try {
            return body.applyAsInt(engine);
        } finally {
            out().flush();
            err().flush();
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(onSignal);
            } catch (IllegalStateException e) {
                // the JVM is shutting down: the hook exits with 99
            }
        }
    }
}
