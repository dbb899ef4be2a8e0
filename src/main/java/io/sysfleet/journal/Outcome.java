package io.sysfleet.journal;

import java.util.Map;

/**
 * Written after a host's change: what is now there.
 *
 * @param host     inventory name
 * @param file     the sysctl file
 * @param status   applied, undone, failed (the state is uncertain), conflict (nothing was done)
 * @param sha      sha256 of the file now (null when unknown)
 * @param live     live values read back: /proc/sys path to value
 * @param message  the error, or null
 * @param time     ISO-8601 instant
 */
public record Outcome(String host, String file, String status, String sha, Map<String, String> live, String message,
                      String time) {
}
