package io.sysfleet.result;

/**
 * Hears about a run as it goes: the engine reports to it, the command line prints. Called from worker threads:
 * implementations synchronise themselves.
 */
public interface RunListener {

    void playStarted(String name, int hosts, boolean check);

    void hostFinished(HostResult result);

    /** A play stopped early (max_fail_percentage, any_errors_fatal, every host failed, interrupted). */
    default void playAborted(String name, String why) {
    }

    /** The run is over: every play's results (the recap). */
    default void runFinished(RunReport report) {
    }

    /** A line of information after a run (where it is journaled, how to undo it). */
    default void note(String line) {
    }

    /** Something about the input that is worth knowing but does not stop the run (an inventory warning). */
    default void warning(String message) {
    }
}
