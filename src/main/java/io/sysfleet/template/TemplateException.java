package io.sysfleet.template;

import io.sysfleet.core.ConfigException;
import io.sysfleet.core.SourceLocation;

/**
 * A template or condition that cannot be rendered: a syntax error, an undefined variable, a type error, a limit.
 * One line, {@code file:line:col: <what>: <problem>}, exit code 4 like every {@link ConfigException}.
 * {@link #problem()} is the bare problem, for callers that describe the template their own way.
 */
public final class TemplateException extends ConfigException {
    private final String problem;

    TemplateException(SourceLocation where, String what, String problem) {
        super(where, what + ": " + problem);
        this.problem = problem;
    }

    /** The problem alone, without location or template, e.g. {@code 'x' is undefined}. */
    public String problem() {
        return problem;
    }
}
