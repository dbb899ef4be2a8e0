package io.sysfleet.journal;

import java.nio.file.Path;
import java.util.List;

/** A run as read back from its state directory. */
public record JournalView(Path dir, RunRecord record, List<Intent> intents, List<Outcome> outcomes) {
    public JournalView {
        intents = List.copyOf(intents);
        outcomes = List.copyOf(outcomes);
    }
}
