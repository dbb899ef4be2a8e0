package io.sysfleet.inventory;

import java.util.ArrayList;
import java.util.List;

/**
 * Expands Ansible host ranges: {@code web[01:20].example.com}, {@code db[a:c]}, {@code n[1:10:2]}, several ranges
 * in one name. Same rules as Ansible's inventory: leading zeros of the begin value set the width (begin and end
 * must then have the same length), letters run through a-z then A-Z, a numeric range whose begin is above its
 * end gives no names. Pure functions.
 */
public final class HostRange {
    private static final String LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

    private HostRange() {
    }

    /** Whether the name holds a range to expand (Ansible: it contains '['). */
    public static boolean hasRange(String name) {
        return name.indexOf('[') >= 0;
    }

    /**
     * The names a pattern stands for, in order; a name without '[' gives itself.
     *
     * @throws IllegalArgumentException with a one-line reason when the range is malformed
     */
    public static List<String> expand(String pattern) {
        List<String> out = new ArrayList<>();
        if (!hasRange(pattern)) {
            out.add(pattern);
            return out;
        }
        int open = pattern.indexOf('[');
        int close = pattern.indexOf(']');
        if (close < open) {
            throw new IllegalArgumentException("host range must be written [begin:end] or [begin:end:step]");
        }
        String head = pattern.substring(0, open);
        String range = pattern.substring(open + 1, close);
        String tail = pattern.substring(close + 1);
        for (String item : items(range)) {
            String name = head + item + tail;
            if (hasRange(name)) {
                out.addAll(expand(name));
            } else {
                out.add(name);
            }
        }
        return out;
    }

    private static List<String> items(String range) {
        String[] bounds = range.split(":", -1);
        if (bounds.length != 2 && bounds.length != 3) {
            throw new IllegalArgumentException("host range must be begin:end or begin:end:step, got [" + range + "]");
        }
        String beg = bounds[0].isEmpty() ? "0" : bounds[0];
        String end = bounds[1];
        if (end.isEmpty()) {
            throw new IllegalArgumentException("host range must specify an end value, got [" + range + "]");
        }
        int step = bounds.length == 3 ? number(bounds[2], range) : 1;
        if (step <= 0) {
            throw new IllegalArgumentException("host range step must be a positive number, got [" + range + "]");
        }
        int width = 0;
        if (beg.length() > 1 && beg.charAt(0) == '0') {
            width = beg.length();
            if (width != end.length()) {
                throw new IllegalArgumentException(
                        "host range must have begin and end of equal length when zero-padded, got [" + range + "]");
            }
        }
        List<String> items = new ArrayList<>();
        int ib = beg.length() == 1 ? LETTERS.indexOf(beg.charAt(0)) : -1;
        int ie = end.length() == 1 ? LETTERS.indexOf(end.charAt(0)) : -1;
        if (ib >= 0 && ie >= 0) {
            if (ib > ie) {
                throw new IllegalArgumentException("host range must have begin <= end, got [" + range + "]");
            }
            for (int i = ib; i <= ie; i += step) {
                items.add(String.valueOf(LETTERS.charAt(i)));
            }
            return items;
        }
        long from = number(beg, range);
        long to = number(end, range);
        if ((to - from) / step > 100_000) {
            throw new IllegalArgumentException("host range gives more than 100000 names, got [" + range + "]");
        }
        for (long i = from; i <= to; i += step) {
            String s = Long.toString(i);
            items.add(width > s.length() ? "0".repeat(width - s.length()) + s : s);
        }
        return items;
    }

    private static int number(String s, String range) {
        if (!s.matches("[0-9]{1,9}")) {
            throw new IllegalArgumentException("host range bounds must be numbers or single letters, got [" + range + "]");
        }
        return Integer.parseInt(s);
    }
}
