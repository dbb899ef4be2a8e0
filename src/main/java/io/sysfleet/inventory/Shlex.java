package io.sysfleet.inventory;

import java.util.ArrayList;
import java.util.List;

/**
 * Python's {@code shlex.split(line, comments=True)} (POSIX mode), which Ansible's INI plugin uses to split a
 * host line: whitespace separates words, single quotes keep everything, double quotes keep everything but let
 * a backslash escape {@code "} and {@code \}, a backslash outside quotes escapes any character, and an unquoted
 * {@code #} starts a comment, even inside a word. Pure function.
 */
final class Shlex {
    private static final String WHITESPACE = " \t\r\n";

    private Shlex() {
    }

    /**
     * Splits one line.
     *
     * @throws IllegalArgumentException "No closing quotation" or "No escaped character", as Python says
     */
    static List<String> split(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder token = new StringBuilder();
        boolean inToken = false;
        boolean quoted = false;
        int i = 0;
        int n = line.length();
        while (i < n) {
            char c = line.charAt(i);
            if (WHITESPACE.indexOf(c) >= 0) {
                if (inToken || quoted) {
                    out.add(token.toString());
                    token.setLength(0);
                    inToken = false;
                    quoted = false;
                }
                i++;
            } else if (c == '#') {
                break; // the rest of the line is a comment
            } else if (c == '\\') {
                if (i + 1 >= n) {
                    throw new IllegalArgumentException("No escaped character");
                }
                token.append(line.charAt(i + 1));
                inToken = true;
                i += 2;
            } else if (c == '\'' || c == '"') {
                quoted = true;
                inToken = true;
                i++;
                boolean closed = false;
                while (i < n) {
                    char q = line.charAt(i);
                    if (q == c) {
                        closed = true;
                        i++;
                        break;
                    }
                    if (c == '"' && q == '\\') {
                        if (i + 1 >= n) {
                            throw new IllegalArgumentException("No escaped character");
                        }
                        char next = line.charAt(i + 1);
                        if (next != '"' && next != '\\') {
                            token.append('\\');
                        }
                        token.append(next);
                        i += 2;
                        continue;
                    }
                    token.append(q);
                    i++;
                }
                if (!closed) {
                    throw new IllegalArgumentException("No closing quotation");
                }
            } else {
                token.append(c);
                inToken = true;
                i++;
            }
        }
        if (inToken || quoted) {
            out.add(token.toString());
        }
        return out;
    }
}
