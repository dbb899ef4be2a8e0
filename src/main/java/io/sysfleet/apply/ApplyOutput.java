package io.sysfleet.apply;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the apply or undo script printed, parsed (pure). Live values are keyed by /proc/sys path; a path
 * mapped to null had no entry.
 *
 * @param conflict   the file's sha256 when it changed since the facts were read (nothing was done), else null
 * @param backup     the remote backup's path, or null when none was made
 * @param written    sha256 of the file after writing, or null when it was not written
 * @param restored   sha256 of the file after an undo, or null
 * @param sysctlExit exit code of {@code sysctl -p}, or null when it did not run
 * @param stderr     every stderr line of sysctl, in order
 * @param before     live values before any change
 * @param after      live values at the end
 * @param error      "step: message" when a step failed, else null
 * @param complete   whether the script ran to its end
 * @param source     for a restore: where the original bytes came from (remote or local), else null
 * @param lock       when another script holds the file's lock: "locked OWNER" or "stale OWNER" (RUN HOST TIME PID
 *                   BOOT_ID); else null
 * @param busy       for a read-back: the lock still held when it gave up waiting (OWNER), else null
 */
public record ApplyOutput(String conflict, String backup, String written, String restored, Integer sysctlExit,
                          List<String> stderr, Map<String, String> before, Map<String, String> after, String error,
                          boolean complete, String source, String lock, String busy) {

    public static ApplyOutput parse(String text) {
        String conflict = null;
        String backup = null;
        String written = null;
        String restored = null;
        Integer sysctlExit = null;
        String error = null;
        boolean complete = false;
        String source = null;
        String lock = null;
        String busy = null;
        List<String> stderr = new ArrayList<>();
        Map<String, String> before = new LinkedHashMap<>();
        Map<String, String> after = new LinkedHashMap<>();
        for (String line : text.split("\n", -1)) {
            String[] f = line.split("\t", 3);
            switch (f[0]) {
                case "conflict" -> conflict = field(f, 1);
                case "backup" -> backup = field(f, 1);
                case "written" -> written = field(f, 1);
                case "restored" -> restored = field(f, 1);
                case "source" -> source = field(f, 1);
                case "sysctl" -> sysctlExit = parseInt(field(f, 1));
                case "set" -> {
                    Integer rc = parseInt(field(f, 2));
                    if (rc != null && rc != 0) {
                        stderr.add("sysctl -w " + field(f, 1) + " exited " + rc);
                    }
                }
                case "stderr" -> stderr.add(line.substring("stderr\t".length()));
                case "before" -> before.put(field(f, 1), field(f, 2));
                case "before-absent" -> before.put(field(f, 1), null);
                case "after" -> after.put(field(f, 1), field(f, 2));
                case "after-absent" -> after.put(field(f, 1), null);
                case "error" -> error = error == null ? field(f, 1) + ": " + field(f, 2) : error;
                case "done" -> complete = true;
                case "locked", "stale" -> lock = f[0] + " " + field(f, 1);
                case "busy" -> busy = field(f, 1);
                default -> {
                    // blank line or noise from a login script: ignored
                }
            }
        }
        return new ApplyOutput(conflict, backup, written, restored, sysctlExit, stderr, before, after, error, complete, source, lock, busy);
    }

    private static String field(String[] f, int i) {
        return i < f.length ? f[i] : "";
    }

    private static Integer parseInt(String s) {
        try {
            return Integer.valueOf(s.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
