package io.sysfleet.engine;

import io.sysfleet.core.ExitCode;
import io.sysfleet.core.SysfleetException;
import io.sysfleet.result.HostResult;
import io.sysfleet.result.PlayResult;
import io.sysfleet.result.RunReport;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToIntFunction;

/**
 * The pure part of {@code sysfleet report merge}: N shard reports ({@code run --shard K/N}) become the report of
 * one run of the whole fleet. It refuses what would not be that run: reports of different modes, a shard
 * missing or given twice, shards of different N, a host in two shards, plays that differ by name. The merged
 * run starts when the first shard started and finishes when the last one finished; each play holds every
 * shard's hosts in the order {@code order} gives (the inventory's, when one is given), so the merged report of
 * a fleet equals the report a single controller writes for it, up to the run's id and times.
 */
final class ShardMerge {
    private ShardMerge() {
    }

    /** A shard report and the file it came from (for messages). */
    record Input(Path file, RunReport report) {
    }

    /**
     * The merged run, with id {@code runId}.
     *
     * @param order the position of a host name in the merged plays (smaller first; ties by name)
     * @throws SysfleetException exit 4 (config) naming the files for anything that is not N shards of one run
     */
    static RunReport combine(List<Input> inputs, String runId, ToIntFunction<String> order) {
        if (inputs.isEmpty()) {
            throw new SysfleetException(ExitCode.USAGE, "report merge needs the shards' JSON reports");
        }
        Input first = inputs.get(0);
        Map<Integer, Input> byIndex = new TreeMap<>();
        int count = -1;
        for (Input in : inputs) {
            RunReport r = in.report();
            if (r.shard() == null) {
                throw bad(in.file() + " is not a shard's report (its run had no --shard)");
            }
            Shard s = Shard.parse(r.shard());
            if (count >= 0 && s.count() != count) {
                throw bad(in.file() + " is shard " + s + " but " + first.file() + " is shard " + first.report().shard()
                        + ": all shards must split the fleet the same way");
            }
            count = s.count();
            if (r.check() != first.report().check()) {
                throw bad(in.file() + " is " + mode(r) + " but " + first.file() + " is " + mode(first.report()));
            }
            Input twice = byIndex.put(s.index(), in);
            if (twice != null) {
                throw bad("shard " + s + " is given twice: " + twice.file() + " and " + in.file());
            }
        }
        List<String> missing = new ArrayList<>();
        for (int k = 1; k <= count; k++) {
            if (!byIndex.containsKey(k)) {
                missing.add(k + "/" + count);
            }
        }
        if (!missing.isEmpty()) {
            throw bad("shard(s) " + String.join(", ", missing) + " missing: a merged report covers the whole fleet");
        }

        Map<String, Input> owner = new HashMap<>();
        int plays = inputs.stream().mapToInt(i -> i.report().plays().size()).max().orElse(0);
        List<PlayResult> merged = new ArrayList<>();
        for (int p = 0; p < plays; p++) {
            String name = null;
            Input named = null;
            List<HostResult> hosts = new ArrayList<>();
            List<String> aborted = new ArrayList<>();
            for (Input in : byIndex.values()) {
                if (p >= in.report().plays().size()) {
                    continue; // this shard stopped before the play (aborted, interrupted)
                }
                PlayResult play = in.report().plays().get(p);
                if (name == null) {
                    name = play.name();
                    named = in;
                } else if (!name.equals(play.name())) {
                    throw bad("play " + (p + 1) + " is '" + name + "' in " + named.file() + " but '" + play.name()
                            + "' in " + in.file() + ": the shards ran different playbooks");
                }
                for (HostResult h : play.hosts()) {
                    Input other = owner.putIfAbsent(h.host(), in);
                    if (other != null && other != in) {
                        throw bad("host " + h.host() + " is in " + other.file() + " and in " + in.file()
                                + ": the shards overlap");
                    }
                    hosts.add(h);
                }
                if (play.aborted() != null) {
                    aborted.add(byIndex.size() == 1 ? play.aborted() : "shard " + in.report().shard() + ": "
                            + play.aborted());
                }
            }
            hosts.sort(Comparator.<HostResult>comparingInt(h -> order.applyAsInt(h.host()))
                    .thenComparing(HostResult::host));
            merged.add(new PlayResult(name, hosts, aborted.isEmpty() ? null : String.join("; ", aborted)));
        }
        Instant started = inputs.stream().map(i -> i.report().started()).min(Comparator.naturalOrder()).orElseThrow();
        Instant finished = inputs.stream().map(i -> i.report().finished()).max(Comparator.naturalOrder())
                .orElseThrow();
        return new RunReport(runId, first.report().check(), started, finished, merged, null);
    }

    /** The shard reports in shard order (1/N first). */
    static List<Input> inShardOrder(List<Input> inputs) {
        Map<Integer, Input> m = new TreeMap<>();
        for (Input in : inputs) {
            m.put(in.report().shard() == null ? 0 : Shard.parse(in.report().shard()).index(), in);
        }
        return List.copyOf(m.values());
    }

    /** A host order from a list of names (the inventory's); names not in it go last. */
    static ToIntFunction<String> orderOf(List<String> names) {
        Map<String, Integer> pos = new LinkedHashMap<>();
        names.forEach(n -> pos.putIfAbsent(n, pos.size()));
        return h -> pos.getOrDefault(h, Integer.MAX_VALUE);
    }

    private static String mode(RunReport r) {
        return r.check() ? "a check" : "an apply run";
    }

    private static SysfleetException bad(String message) {
        return new SysfleetException(ExitCode.CONFIG, "report merge: " + message);
    }
}
