package io.sysfleet.diagnose;

import java.util.List;

/**
 * One symptom of the troubleshooting table on one host.
 *
 * @param code     the stable code; gives the table row and playbook
 * @param severity how urgent
 * @param host     the inventory host
 * @param summary  one line with the numbers
 * @param evidence the measured facts behind it (numbers, log lines with their source, processes)
 * @param remedy   what to do; null when nothing needs doing (e.g. the row's settings are already in place)
 */
public record Finding(FindingCode code, Severity severity, String host, String summary, List<String> evidence,
                      Remedy remedy) {
    public Finding {
        evidence = List.copyOf(evidence);
    }

    public int row() {
        return code.row();
    }

    /** The same finding with another severity, remedy and extra evidence (used when a remedy is in place). */
    public Finding settled(Severity s, Remedy r, String note) {
        List<String> ev = new java.util.ArrayList<>(evidence);
        ev.add(note);
        return new Finding(code, s, host, summary, ev, r);
    }
}
