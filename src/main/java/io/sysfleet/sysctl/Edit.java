package io.sysfleet.sysctl;

import java.util.List;

/**
 * Result of {@link SysctlEditor#apply}.
 *
 * @param newText the edited text ({@code equals} the input when nothing changed)
 * @param changes what was changed, in line order of the new text
 * @param changed true iff changes is non-empty (and newText differs from the input)
 */
public record Edit(String newText, List<Change> changes, boolean changed) {

    public Edit {
        changes = List.copyOf(changes);
    }
}
