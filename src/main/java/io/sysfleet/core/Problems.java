package io.sysfleet.core;

import java.util.ArrayList;
import java.util.List;

/** Collects problems while loading, so the user sees all of them at once. */
public final class Problems {
    private final List<Problem> list = new ArrayList<>();

    public void add(SourceLocation where, String message) {
        list.add(new Problem(where, message));
    }

    public void addAll(List<Problem> problems) {
        list.addAll(problems);
    }

    public boolean isEmpty() {
        return list.isEmpty();
    }

    public List<Problem> list() {
        return List.copyOf(list);
    }

    /** Throws a {@link ConfigException} with every problem collected, if there are any. */
    public void throwIfAny() {
        if (!list.isEmpty()) {
            throw new ConfigException(list);
        }
    }
}
