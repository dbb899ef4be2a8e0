package io.sysfleet.template;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.TemplateError;

/**
 * Jinjava's interpreter with Ansible's variables and Jinja2's strictness: names resolve through the
 * {@link Session} (rendered on use, {@link Undefined} when missing), {@code {{ }}} prints Python's
 * {@code str()} (None prints nothing, as Ansible's finalize does), and the first error stops the rendering.
 */
final class AnsibleInterpreter extends JinjavaInterpreter {
    private final Session session;

    AnsibleInterpreter(Jinjava application, Context context, JinjavaConfig config, Session session) {
        super(application, context, config);
        this.session = session;
    }

    Session session() {
        return session;
    }

    @Override
    public Object retraceVariable(String variable, int lineNumber, int startPosition) {
        Object local = getContext().get(variable);
        if (local != null) {
            return local; // a {% set %} or {% for %} name, or Jinjava's loop
        }
        return session.lookup(variable);
    }

    @Override
    public String getAsString(Object object) {
        return object == null ? "" : Py.str(object);
    }

    @Override
    public void addError(TemplateError error) {
        if (error == null) {
            return;
        }
        throw new Abort(JinjaErrors.describe(error));
    }
}
