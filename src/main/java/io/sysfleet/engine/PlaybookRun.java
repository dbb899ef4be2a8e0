package io.sysfleet.engine;

import io.sysfleet.apply.Applier;
import io.sysfleet.inventory.Host;
import io.sysfleet.inventory.Inventory;
import io.sysfleet.playbook.Play;
import io.sysfleet.playbook.Playbook;
import io.sysfleet.result.HostResult;
import io.sysfleet.result.PlayResult;
import io.sysfleet.result.RunListener;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A playbook over an inventory, scheduled the way ansible-playbook schedules it: plays in order; in each play the
 * hosts in {@code serial} batches through the {@link Scheduler}. A batch whose failed and unreachable hosts exceed
 * {@code max_fail_percentage} (or any failure with {@code any_errors_fatal}, or all of the batch failing) ends the
 * run: later batches and plays do not start. A host that failed or was unreachable takes no part in later plays.
 * With a {@link Shard}, each play runs only the shard's part of the hosts it selects; batches and failure
 * thresholds then count within the shard.
 */
final class PlaybookRun {

    /**
     * Defaults from the command line for plays that set none.
     *
     * @param serial         batches ({@code --serial}); empty: one batch
     * @param maxFailPercent {@code --max-fail-percentage}, or null
     * @param limit          {@code --limit}, or null
     * @param check          check mode (for the listener)
     * @param shard          the part of each play's hosts this controller runs ({@code --shard K/N})
     */
    record Settings(List<String> serial, Double maxFailPercent, String limit, boolean check, Shard shard) {
        Settings {
            serial = List.copyOf(serial);
            shard = shard == null ? Shard.ALL : shard;
        }

        Settings(List<String> serial, Double maxFailPercent, String limit, boolean check) {
            this(serial, maxFailPercent, limit, check, Shard.ALL);
        }
    }

    private final Settings settings;
    private final HostRunner hostRunner;
    private final Scheduler scheduler;
    private final Sessions sessions;
    private final Applier applier;

    /** {@code applier} is null in check mode. */
    PlaybookRun(Settings settings, HostRunner hostRunner, Scheduler scheduler, Sessions sessions, Applier applier) {
        this.settings = settings;
        this.hostRunner = hostRunner;
        this.scheduler = scheduler;
        this.sessions = sessions;
        this.applier = applier;
    }

    List<PlayResult> run(Playbook playbook, Inventory inventory, RunListener listener) {
        List<PlayResult> plays = new ArrayList<>();
        Set<String> out = new HashSet<>();
        for (Play written : playbook.plays()) {
            Play play = withDefaults(written);
            List<Host> hosts = inventory.select(play.hosts(), settings.limit()).stream()
                    .filter(h -> !out.contains(h.name()) && settings.shard().contains(h.name())).toList();
            Map<String, Host> byName = hosts.stream().collect(Collectors.toMap(Host::name, h -> h));
            listener.playStarted(play.name(), hosts.size(), settings.check());
            Function<String, HostResult> work = h -> hostRunner.run(byName.get(h), play, applier, sessions);
            PlayResult result = scheduler.run(play.name(), hosts.stream().map(Host::name).toList(),
                    play.batchSizes(hosts.size()), (failed, size) -> abortReason(play, failed, size), work, listener);
            plays.add(result);
            result.hosts().stream().filter(Scheduler::failed).forEach(h -> out.add(h.host()));
            if (result.aborted() != null) {
                listener.playAborted(play.name(), result.aborted());
                break;
            }
        }
        return plays;
    }

    /** The play with the command line's --serial / --max-fail-percentage where the play sets none. */
    private Play withDefaults(Play p) {
        List<String> serial = p.serial().isEmpty() ? settings.serial() : p.serial();
        Double maxFail = p.maxFailPercentage() == null ? settings.maxFailPercent() : p.maxFailPercentage();
        return p.withBatches(serial, maxFail);
    }

    /** Ansible's rules: any_errors_fatal, more than max_fail_percentage of the batch, or the whole batch failed. */
    static String abortReason(Play play, long failed, int batchSize) {
        if (failed == 0) {
            return null;
        }
        if (play.anyErrorsFatal()) {
            return "any_errors_fatal: " + failed + " host(s) failed";
        }
        double pct = 100.0 * failed / batchSize;
        if (play.maxFailPercentage() != null && pct > play.maxFailPercentage()) {
            return String.format("max_fail_percentage %s exceeded: %d of %d hosts in the batch failed (%.0f%%)",
                    trim(play.maxFailPercentage()), failed, batchSize, pct);
        }
        if (failed == batchSize) {
            return "every host of the batch failed";
        }
        return null;
    }

    private static String trim(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }
}
