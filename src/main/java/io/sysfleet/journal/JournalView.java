package io.sysfleet.journal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A run as read back from its state directory. */
public record JournalView(Path dir, RunRecord record, List<Intent> intents, List<Outcome> outcomes) {
    public JournalView {
        intents = List.copyOf(intents);
        outcomes = List.copyOf(outcomes);
    }

    /**
     * One change of the run: its intent and the outcome recorded for it (null when none was: the controller died
     * during the change, so the host may or may not have been changed).
     */
    public record Change(Intent intent, Outcome outcome) {
        /** Whether the change may have left the host different: applied, failed half-way, or no outcome known. */
        public boolean mayHaveChanged() {
            return outcome == null || outcome.status().equals("applied") || outcome.status().equals("failed");
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
