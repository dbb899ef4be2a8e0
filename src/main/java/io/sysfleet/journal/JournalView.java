package io.sysfleet.journal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A run as read back from its state directory. */
public record JournalView(Path dir, RunRecord record, List<Intent> intents, List<Outcome> outcomes,
                          List<ModuleChange> modules) {
    public JournalView {
        intents = List.copyOf(intents);
        outcomes = List.copyOf(outcomes);
        modules = modules == null ? List.of() : List.copyOf(modules);
    }

    public JournalView(Path dir, RunRecord record, List<Intent> intents, List<Outcome> outcomes) {
        this(dir, record, intents, outcomes, List.of());
    }

    /**
     * The module loads and unloads of {@code host} a rollback must reverse, in the order they were done: each
     * intent whose result is {@code applied} or unknown (no result after it).
     */
    public List<ModuleChange> moduleChanges(String host) {
        List<ModuleChange> out = new ArrayList<>();
        for (int i = 0; i < modules.size(); i++) {
            ModuleChange in = modules.get(i);
            if (!in.host().equals(host) || !in.status().equals("intent")) {
                continue;
            }
            ModuleChange result = null;
            for (int j = i + 1; j < modules.size(); j++) {
                ModuleChange r = modules.get(j);
                if (r.host().equals(host) && r.module().equals(in.module()) && !r.status().equals("intent")) {
                    result = r;
                    break;
                }
            }
            if (result == null || result.status().equals("applied")) {
                out.add(in);
            }
        }
        return out;
    }

    /**
     * One change of the run: its intent and the outcome recorded for it (null when none was: the controller died
     * during the change, so the host may or may not have been changed).
     */
    public record Change(Intent intent, Outcome outcome) {
        /**
         * Whether the change may have left the host different: every outcome but undone, conflict, locked and
         * unchanged (applied, failed half-way, changed or unknown after a lost answer), or no outcome at all.
         */
        public boolean mayHaveChanged() {
            return outcome == null || !java.util.Set.of("undone", "conflict", "locked", "unchanged")
                    .contains(outcome.status());
        }
    }

    /** The intent/outcome join: each intent with the first outcome for the same host and file at or after it. */
    public List<Change> changes() {
        List<Change> out = new ArrayList<>();
        for (Intent in : intents) {
            Outcome o = outcomes.stream().filter(x -> x.host().equals(in.host()) && x.file().equals(in.file())
                    && x.time().compareTo(in.time()) >= 0).findFirst().orElse(null);
            out.add(new Change(in, o));
        }
        return out;
    }
}
