package io.sysfleet.plan;

import io.sysfleet.sysctl.Change;
import io.sysfleet.sysctl.UnifiedDiff;

import java.util.List;

/**
 * The planned edit of one sysctl file on one host.
 *
 * @param path    absolute path on the host
 * @param oldText the file's text before (null: the file does not exist)
 * @param newText the text after the edit
 * @param changes each changed line (empty when the file stays as it is)
 * @param reload  whether {@code sysctl -p} on this file is wanted after writing it
 */
public record FilePlan(String path, String oldText, String newText, List<Change> changes, boolean reload) {

    public FilePlan {
        changes = List.copyOf(changes);
    }

    public boolean changed() {
        return !changes.isEmpty();
    }

    /** A unified diff of the edit, labelled with the host; empty when nothing changes. */
    public String diff(String host) {
        return diff(host, UnifiedDiff.DEFAULT_MAX_CHARS);
    }

    /** {@link #diff(String)} cut at {@code maxChars} (see {@link UnifiedDiff#of(String, String, String, String, int)}). */
    public String diff(String host, int maxChars) {
        if (!changed()) {
            return "";
        }
        String old = oldText == null ? "" : oldText;
        String label = host + ":" + path;
        return UnifiedDiff.of((oldText == null ? "/dev/null (" + label + ")" : label + " (before)"),
                label + " (after)", readable(old), readable(newText), maxChars);
    }

    /**
     * A file text (one char per byte) as a person reads it: its bytes decoded as UTF-8, where bytes that are not
     * UTF-8 show as U+FFFD. Only for display; the file itself is written byte for byte.
     */
    static String readable(String fileText) {
        for (int i = 0; i < fileText.length(); i++) {
            if (fileText.charAt(i) > 0xff) {
                return fileText; // not a file text: already characters
            }
        }
        return new String(fileText.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1),
                java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * The diffs of a host's file edits, at most {@link HostPlan#MAX_DIFF_CHARS} together: a host with a huge
     * file cannot swell the terminal or a report. The diff that reaches the cap ends with a truncation note; the
     * files after it are left out (each named on one line).
     */
    public static java.util.List<String> diffs(String host, List<FilePlan> files) {
        java.util.List<String> out = new java.util.ArrayList<>();
        int left = HostPlan.MAX_DIFF_CHARS;
        for (FilePlan f : files) {
            if (!f.changed()) {
                continue;
            }
            if (left <= 0) {
                out.add(UnifiedDiff.TRUNCATED + ": the diff of " + host + ":" + f.path() + " is not shown (over "
                        + HostPlan.MAX_DIFF_CHARS + " characters of diffs for this host)\n");
                continue;
            }
            String d = f.diff(host, left);
            left -= d.length();
            out.add(d);
        }
        return out;
    }
}
