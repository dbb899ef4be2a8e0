package io.sysfleet.template;

/**
 * Resource limits for one template or condition. Each one, when exceeded, is a one-line error naming the
 * template's location, raised before the limit's resource is spent (the output is checked as it grows, the
 * nesting before parsing).
 *
 * @param maxTemplateLength characters in one template or {@code when} expression
 * @param maxOutputLength   characters one rendering may produce, including every string built on the way
 *                          ({@code 'x' * n}, joins, nested loops) and the rendering of referenced variables
 * @param maxNesting        nested brackets ({@code ( [ {}) in an expression, and nested blocks ({@code {% if %}},
 *                          {@code {% for %}}) in a template: checked before parsing, so deep nesting cannot
 *                          overflow the parser's stack
 * @param maxVariableDepth  variables whose values refer to other variables, one inside the other
 * @param maxCollectionSize items in one list or mapping built by a template ({@code range()}, loops)
 */
public record Limits(int maxTemplateLength, long maxOutputLength, int maxNesting, int maxVariableDepth,
                     int maxCollectionSize) {

    /** Generous for any real sysctl task, small enough that a hostile template fails fast. */
    public static final Limits DEFAULT = new Limits(64 * 1024, 1024 * 1024, 64, 40, 100_000);

    public Limits {
        if (maxTemplateLength < 1 || maxOutputLength < 1 || maxNesting < 1 || maxVariableDepth < 1
                || maxCollectionSize < 1) {
            throw new IllegalArgumentException("every limit must be at least 1");
        }
    }
}
