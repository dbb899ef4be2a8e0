package io.sysfleet.template;

import java.util.AbstractMap;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * One host's variables seen from another host's template ({@code hostvars['web1'].x}): each value is rendered
 * against that host's own variables when it is read, as Ansible's HostVars does.
 */
final class HostVarsView extends AbstractMap<String, Object> {
    private final Vars vars;
    private final Session session;

    HostVarsView(TemplateEngine engine, Vars vars) {
        this.vars = vars;
        this.session = new Session(engine, vars);
    }

    @Override
    public Object get(Object key) {
        return key instanceof String k ? session.lookup(k) : null;
    }

    @Override
    public boolean containsKey(Object key) {
        return key instanceof String k && vars.has(k);
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        Set<Entry<String, Object>> out = new LinkedHashSet<>();
        for (String k : vars.names()) {
            out.add(new SimpleImmutableEntry<>(k, session.lookup(k)));
        }
        return out;
    }
}
