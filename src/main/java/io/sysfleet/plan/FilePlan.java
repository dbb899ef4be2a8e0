package io.sysfleet.plan;

import io.sysfleet.sysctl.Change;
import io.sysfleet.sysctl.UnifiedDiff;

import java.util.List;

/**
 * The planned edit of one sysctl file on one host.
 *
 * @param path    absolute path on the host
 * @param oldText the file's text before (null: the file does not exist)
 * @param newText the text after the edit
 * @param changes each changed line (empty when the file stays as it is)
 * @param reload  whether {@code sysctl -p} on this file is wanted after writing it
 */
public record FilePlan(String path, String oldText, String newText, List<Change> changes, boolean reload) {

    public FilePlan {
        changes = List.copyOf(changes);
    }

    /** Whether the file's bytes change (a sysctl edit with changes, or a module file written or edited). */
    public boolean changed() {
        return !changes.isEmpty() || !newText.equals(oldText == null ? "" : oldText);
    }

    /** A unified diff of the edit, labelled with the host; empty when nothing changes. */
    public String diff(String host) {
        if (!changed()) {
            return "";
        }
        String old = oldText == null ? "" : oldText;
        String label = host + ":" + path;
        return UnifiedDiff.of((oldText == null ? "/dev/null (" + label + ")" : label + " (before)"),
                label + " (after)", old, newText);
    }
}
