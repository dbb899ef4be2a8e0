package io.sysfleet.sysctl;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Format-preserving, idempotent editor for sysctl.conf text: a pure function from text and desired
 * key states to new text and a list of changes. Nothing but the lines named below ever changes, and
 * no line is ever deleted.
 *
 * <p>Rules (the "active occurrences" of a key are its {@link SysctlLine.Kind#SETTING} lines, matched by
 * dotted key, so {@code net/ipv4/x}, {@code net.ipv4.x} and {@code -net.ipv4.x} are the same key):
 * <ul>
 *   <li><b>Present, value already effective.</b> {@code sysctl -p} applies lines in order and the last
 *       one wins, so if the last active occurrence already has the desired value (compared
 *       whitespace-normalised) the key is left alone, even if earlier duplicates say otherwise.</li>
 *   <li><b>Present, value differs.</b> The last active occurrence gets the new value in place: its
 *       indentation, '-' flag, key spelling, spacing around '=', trailing whitespace and line ending
 *       are kept. Every <em>earlier</em> active occurrence whose value differs from the desired value
 *       is commented out as {@value #SUPERSEDED}<i>original line</i> ({@code sysctl -p} would
 *       otherwise set it briefly, and a reader would be misled). Earlier occurrences that already
 *       have the desired value stay as they are.</li>
 *   <li><b>Present, key missing.</b> A {@code key = value} line is added under the marker comment
 *       {@value #MARKER}. If the file has that marker, the line goes after the marker's block (the
 *       marker and the non-blank lines directly after it); otherwise a blank line (unless the file is
 *       empty or already ends in a blank line), the marker and the new lines are appended at the end.
 *       If the line we add after has no newline (last line of the file), one is added: the only byte
 *       change to an existing line. Added lines use the file's dominant line ending (CRLF if most lines
 *       end in CRLF) and the key as the caller spelled it.</li>
 *   <li><b>Absent.</b> Every active occurrence is commented out as {@value #ABSENT}<i>original
 *       line</i>. Nothing to do if there is none.</li>
 * </ul>
 * Comments, blank lines, invalid lines and glob exclusions are never changed. Glob settings
 * ({@code net.ipv4.conf.*.rp_filter = 1}) are not matched against keys: for PRESENT this is right
 * (sysctl lets an explicit key override a glob), but an ABSENT key can still be set by such a glob.
 * Applying the same edit to its own output changes nothing.
 */
public final class SysctlEditor {

    /** Comment line under which missing keys are appended. */
    public static final String MARKER = "# Added by sysfleet";
    /** Prefix put before an earlier duplicate whose value is replaced by a later line. */
    public static final String SUPERSEDED = "# sysfleet: superseded below: ";
    /** Prefix put before a line of a key whose desired state is absent. */
    public static final String ABSENT = "# sysfleet: absent: ";
    /** Longest value accepted (procps reads config lines into a 4096-byte buffer). */
    public static final int MAX_VALUE_LENGTH = 4096;

    private SysctlEditor() {
    }

    /**
     * Applies desired key states to sysctl.conf text.
     *
     * @param text current file content ("" for a missing file)
     * @param desired wanted key states, each key at most once
     * @return the new text and the changes, with line numbers in the new text
     * @throws IllegalArgumentException if a key or value is invalid or a key is given twice
     */
    public static Edit apply(String text, List<Desired> desired) {
        Objects.requireNonNull(text, "text");
        List<Checked> wanted = check(desired);
        SysctlFile file = SysctlFile.parse(text);
        List<Slot> slots = new ArrayList<>();
        for (SysctlLine line : file.lines()) {
            slots.add(new Slot(line.raw(), line, null));
        }
        List<Checked> missing = new ArrayList<>();
        for (Checked want : wanted) {
            List<Integer> occurrences = new ArrayList<>();
            for (int i = 0; i < slots.size(); i++) {
                SysctlLine line = slots.get(i).original;
                if (line != null && line.isSetting() && line.key().equals(want.dotted)) {
                    occurrences.add(i);
                }
            }
            if (want.state == Desired.State.ABSENT) {
                occurrences.forEach(i -> commentOut(slots, i, ABSENT, want.sysctlKey));
            } else if (occurrences.isEmpty()) {
                missing.add(want);
            } else {
                update(slots, occurrences, want);
            }
        }
        if (!missing.isEmpty()) {
            append(slots, missing, file.dominantEnding());
        }
        return result(slots);
    }

    private static void update(List<Slot> slots, List<Integer> occurrences, Checked want) {
        int last = occurrences.get(occurrences.size() - 1);
        SysctlLine line = slots.get(last).original;
        if (SysctlValue.same(line.value(), want.value)) {
            return;
        }
        String prefix = line.prefix();
        if (line.value().isEmpty() && prefix.endsWith("=") && prefix.length() > 1
                && SysctlFile.isSpace(prefix.charAt(prefix.length() - 2))) {
            prefix = prefix + " ";  // "a =" had no value: write "a = v", mirroring the spacing
        }
        slots.set(last, new Slot(prefix + want.value + line.suffix() + line.ending(), line,
                new Change(want.sysctlKey, line.value(), want.value, 0, Change.Kind.UPDATED)));
        for (int i : occurrences.subList(0, occurrences.size() - 1)) {
            if (!SysctlValue.same(slots.get(i).original.value(), want.value)) {
                commentOut(slots, i, SUPERSEDED, want.sysctlKey);
            }
        }
    }

    private static void commentOut(List<Slot> slots, int index, String marker, SysctlKey key) {
        SysctlLine line = slots.get(index).original;
        slots.set(index, new Slot(marker + line.content() + line.ending(), line,
                new Change(key, line.value(), null, 0, Change.Kind.COMMENTED_OUT)));
    }

    private static void append(List<Slot> slots, List<Checked> missing, String eol) {
        int markerAt = -1;
        for (int i = 0; i < slots.size() && markerAt < 0; i++) {
            SysctlLine line = slots.get(i).original;
            if (line.kind() == SysctlLine.Kind.COMMENT && line.content().strip().equals(MARKER)) {
                markerAt = i;
            }
        }
        List<Slot> added = new ArrayList<>();
        for (Checked want : missing) {
            added.add(new Slot(want.key + " = " + want.value + eol, null,
                    new Change(want.sysctlKey, null, want.value, 0, Change.Kind.APPENDED)));
        }
        int insertAfter;
        if (markerAt >= 0) {
            insertAfter = markerAt;
            while (insertAfter + 1 < slots.size()
                    && slots.get(insertAfter + 1).original.kind() != SysctlLine.Kind.BLANK) {
                insertAfter++;
            }
            terminate(slots, insertAfter, eol);
        } else {
            if (!slots.isEmpty()) {
                terminate(slots, slots.size() - 1, eol);
                if (slots.get(slots.size() - 1).original.kind() != SysctlLine.Kind.BLANK) {
                    slots.add(new Slot(eol, null, null));
                }
            }
            slots.add(new Slot(MARKER + eol, null, null));
            insertAfter = slots.size() - 1;
        }
        slots.addAll(insertAfter + 1, added);
    }

    /** Adds a line ending to the line at index if it has none (only possible for the file's last line). */
    private static void terminate(List<Slot> slots, int index, String eol) {
        Slot slot = slots.get(index);
        if (!slot.text.endsWith("\n")) {
            slots.set(index, new Slot(slot.text + eol, slot.original, slot.change));
        }
    }

    private static Edit result(List<Slot> slots) {
        StringBuilder sb = new StringBuilder();
        List<Change> changes = new ArrayList<>();
        for (int i = 0; i < slots.size(); i++) {
            Slot slot = slots.get(i);
            sb.append(slot.text);
            if (slot.change != null) {
                Change c = slot.change;
                changes.add(new Change(c.key(), c.oldValue(), c.newValue(), i + 1, c.kind()));
            }
        }
        changes.sort(Comparator.comparingInt(Change::line));
        return new Edit(sb.toString(), changes, !changes.isEmpty());
    }

    private static List<Checked> check(List<Desired> desired) {
        Objects.requireNonNull(desired, "desired");
        List<Checked> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Desired d : desired) {
            Objects.requireNonNull(d, "desired entry");
            if (d.state() == null) {
                throw new IllegalArgumentException("sysctl key '" + d.key() + "': state is missing");
            }
            SysctlKey key = SysctlKey.of(d.key());
            String dotted = key.dotted();
            if (!seen.add(dotted)) {
                throw new IllegalArgumentException("sysctl key '" + dotted + "' is given more than once");
            }
            String value = d.state() == Desired.State.PRESENT ? checkValue(dotted, d.value()) : null;
            out.add(new Checked(d.key(), key, dotted, value, d.state()));
        }
        return out;
    }

    /** Validates a value to write; returns it trimmed. */
    static String checkValue(String key, String value) {
        if (value == null) {
            throw new IllegalArgumentException("sysctl key '" + key + "': value is missing");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((Character.isISOControl(c) && c != '\t') || c == '\u2028' || c == '\u2029') {
                throw new IllegalArgumentException("sysctl key '" + key + "': value '"
                        + SysctlKey.printable(value) + "' contains a line break or control character");
            }
        }
        String trimmed = SysctlFile.trim(value);
        if (trimmed.isEmpty()) {
            throw new IllegalArgumentException("sysctl key '" + key + "': value is empty");
        }
        if (trimmed.length() > MAX_VALUE_LENGTH) {
            throw new IllegalArgumentException("sysctl key '" + key + "': value is longer than "
                    + MAX_VALUE_LENGTH + " characters");
        }
        return trimmed;
    }

    /** A validated desired entry. */
    private record Checked(String key, SysctlKey sysctlKey, String dotted, String value, Desired.State state) {
    }

    /** A line of the output: its text, the original line it came from (null if added), its change. */
    private record Slot(String text, SysctlLine original, Change change) {
    }
}
