package io.sysfleet.diagnose;

/**
 * Hears about a diagnosis as it goes: the engine reports to it, the command line prints (the host lines, the
 * status line, the tables). Called from worker threads: implementations synchronise themselves.
 */
public interface DiagnoseListener {

    /** The hosts are about to be diagnosed. */
    default void started(int hosts) {
    }

    /** One host is done (diagnosed, failed or unreachable). */
    default void hostFinished(HostDiagnosis host) {
    }

    /** Every host is done: the fleet's diagnosis (printed by the command line, after the status line is gone). */
    default void finished(FleetDiagnosis diagnosis) {
    }

    /** Something about the input that is worth knowing but does not stop the diagnosis (an inventory warning). */
    default void warning(String message) {
    }

    /** Hears nothing (JSON output). */
    DiagnoseListener NONE = new DiagnoseListener() {
    };
}
