package io.sysfleet.core;

import io.sysfleet.result.Phase;

import java.util.List;
import java.util.stream.Collectors;

/** Invalid user input (YAML, inventory, playbook). Carries every problem found, not only the first. */
public class ConfigException extends SysfleetException {
    private final List<Problem> problems;

    public ConfigException(List<Problem> problems) {
        super(ExitCode.CONFIG, Phase.CONFIG, null, render(problems), null);
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    public ConfigException(Problem problem) {
        this(List.of(problem));
    }

    public ConfigException(SourceLocation location, String message) {
        this(new Problem(location, message));
    }

    public List<Problem> problems() {
        return problems;
    }

    private static String render(List<Problem> problems) {
        return problems.stream().map(Problem::toString).collect(Collectors.joining("\n"));
    }

    /** Every problem on its own line, {@code file:line:col: message}. */
    @Override
    public String oneLine() {
        return getMessage();
    }
}
