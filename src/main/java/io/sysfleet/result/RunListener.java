package io.sysfleet.result;

import io.sysfleet.result.HostResult;

/** Hears about a run as it goes. Called from worker threads: implementations synchronise themselves. */
public interface RunListener {

    void playStarted(String name, int hosts, boolean check);

    void hostFinished(HostResult result);

    /** A play stopped early (max_fail_percentage, any_errors_fatal, every host failed, interrupted). */
    default void playAborted(String name, String why) {
    }
}
