package io.sysfleet.template;

/**
 * Stops a rendering at its first problem, as a Python exception stops Jinja2. An {@link Error} on purpose:
 * Jinjava catches {@link Exception}s inside an expression, records them as template errors and goes on
 * rendering; this passes through to {@link TemplateEngine}, which turns it into a {@link TemplateException}.
 * Never leaves the package.
 */
final class Abort extends Error {
    final String problem;
    /** True for an undefined variable (Ansible makes a variable whose value hits one undefined, lazily). */
    final boolean undefined;

    Abort(String problem) {
        this(problem, false);
    }

    Abort(String problem, boolean undefined) {
        super(problem, null, false, false);
        this.problem = problem;
        this.undefined = undefined;
    }
}
