package io.sysfleet.diagnose;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What to do about a finding on one host: run a row's playbook (with play vars sized for the host where the row
 * leaves the number to the operator), or, where no kernel setting helps, fix the application.
 *
 * @param playbook the playbook file name under {@code playbooks/}, or null
 * @param vars     play vars that differ from the playbook's own, for this host
 * @param advice   what to do, in words (always set)
 */
public record Remedy(String playbook, Map<String, Object> vars, String advice) {
    public Remedy {
        vars = Collections.unmodifiableMap(new LinkedHashMap<>(vars));
    }

    public static Remedy playbook(String playbook, Map<String, Object> vars, String advice) {
        return new Remedy(playbook, vars, advice);
    }

    public static Remedy application(String advice) {
        return new Remedy(null, Map.of(), advice);
    }

    public boolean hasPlaybook() {
        return playbook != null;
    }
}
