package io.sysfleet.playbook;

import java.nio.file.Path;
import java.util.List;

/**
 * A loaded playbook: its plays in order, with {@code import_playbook} items replaced by the imported plays
 * (their locations point into the imported files).
 */
public record Playbook(Path file, List<Play> plays) {
    public Playbook {
        plays = List.copyOf(plays);
    }
}
