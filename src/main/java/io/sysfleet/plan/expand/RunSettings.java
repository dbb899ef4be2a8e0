package io.sysfleet.plan.expand;

import io.sysfleet.playbook.tree.*;

import java.util.List;
import java.util.Set;

/**
 * How a play is run: {@code --tags} ({@code onlyTags}, default {@code all}), {@code --skip-tags}, and
 * check mode for the whole run.
 */
public record RunSettings(Set<String> onlyTags, Set<String> skipTags, boolean checkMode) {
    public RunSettings {
        onlyTags = onlyTags.isEmpty() ? Set.of("all") : Set.copyOf(onlyTags);
        skipTags = Set.copyOf(skipTags);
    }

    public static RunSettings defaults() {
        return new RunSettings(Set.of(), Set.of(), false);
    }

    /** Ansible's Taggable.evaluate_tags for a task with these (inherited and own) tags. */
    public boolean selects(List<String> taskTags) {
        Set<String> tags = new java.util.HashSet<>(taskTags);
        if (tags.isEmpty()) {
            tags.add("untagged");
        }
        boolean run;
        if (tags.contains("always")) {
            run = true;
        } else if (onlyTags.contains("all") && !tags.contains("never")) {
            run = true;
        } else if (!java.util.Collections.disjoint(tags, onlyTags)) {
            run = true;
        } else {
            run = onlyTags.contains("tagged") && !tags.contains("untagged") && !tags.contains("never");
        }
        if (run && !skipTags.isEmpty()) {
            if (skipTags.contains("all")) {
                if (!tags.contains("always") || skipTags.contains("always")) {
                    run = false;
                }
            } else if (!java.util.Collections.disjoint(tags, skipTags)) {
                run = false;
            } else if (skipTags.contains("tagged") && !tags.contains("untagged")) {
                run = false;
            }
        }
        return run;
    }
}
