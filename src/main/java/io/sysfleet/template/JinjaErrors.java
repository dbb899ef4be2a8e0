package io.sysfleet.template;

import com.hubspot.jinjava.interpret.TemplateError;


/** Jinjava's error messages turned into one short line in Jinja2's terms. */
final class JinjaErrors {
    private JinjaErrors() {
    }

    static String describe(TemplateError error) {
        String msg = error.getMessage() == null ? "" : error.getMessage();
        Throwable cause = error.getException();
        while (cause != null) {
            if (cause instanceof Abort a) {
                return a.problem;
            }
            cause = cause.getCause();
        }
        if (error.getException() instanceof jinjava.de.odysseus.el.tree.TreeBuilderException e) {
            return Jinja.syntaxError(e.getExpression().replaceFirst("^#\\{", "").replaceFirst("}$", ""), e);
        }
        if (error.getException() != null && error.getException().getCause()
                instanceof jinjava.de.odysseus.el.tree.TreeBuilderException e) {
            return Jinja.syntaxError(e.getExpression().replaceFirst("^#\\{", "").replaceFirst("}$", ""), e);
        }
        java.util.regex.Matcher end = java.util.regex.Pattern.compile("Missing end tag: (\\w+)").matcher(msg);
        if (end.find()) {
            return "syntax error: missing {% " + end.group(1) + " %}";
        }
        java.util.regex.Matcher big = java.util.regex.Pattern.compile("over limit of (\\d+)").matcher(msg);
        if (big.find()) {
            return "output would exceed " + big.group(1) + " characters (the template expands too much)";
        }
        if (msg.contains("Unclosed")) {
            return "syntax error: a string, {{ or {% is not closed";
        }
        if (msg.startsWith("Error parsing ")) {
            return "syntax error: " + oneLine(msg.substring("Error parsing ".length()));
        }
        return oneLine(msg);
    }

    static String oneLine(String s) {
        String t = s.replaceAll("\\s*\\R\\s*", " ").strip();
        return t.length() > 300 ? t.substring(0, 300) + "..." : t;
    }
}
