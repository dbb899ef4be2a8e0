package io.sysfleet.playbook.tree;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Module arguments written as text, as Ansible's {@code parse_kv} splits them: {@code name=x value=y}, words
 * split on spaces outside quotes and outside {@code {{ }}}/{@code {% %}}; a word without {@code =} is part of a
 * free-form command ({@code _raw_params}, for command/shell). Quotes around a value are removed.
 */
public final class KvArgs {
    private KvArgs() {
    }

    public static Map<String, Object> parse(String text, boolean freeForm) {
        Map<String, Object> out = new LinkedHashMap<>();
        StringBuilder raw = new StringBuilder();
        for (String word : split(text)) {
            int eq = word.indexOf('=');
            String key = eq > 0 ? word.substring(0, eq) : null;
            if (key != null && key.matches("[A-Za-z_][A-Za-z0-9_]*")
                    && (!freeForm || Map.of("creates", 1, "removes", 1, "chdir", 1, "executable", 1,
                    "warn", 1, "stdin", 1).containsKey(key))) {
                out.put(key, unquote(word.substring(eq + 1)));
            } else {
                raw.append(raw.length() == 0 ? "" : " ").append(word);
            }
        }
        if (raw.length() > 0) {
            out.put("_raw_params", raw.toString());
        }
        return out;
    }

    private static java.util.List<String> split(String text) {
        java.util.List<String> words = new java.util.ArrayList<>();
        StringBuilder cur = new StringBuilder();
        char quote = 0;
        int jinja = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (jinja == 0 && quote == 0 && Character.isWhitespace(c)) {
                if (cur.length() > 0) {
                    words.add(cur.toString());
                    cur.setLength(0);
                }
                continue;
            }
            if (i + 1 < text.length() && c == '{' && (text.charAt(i + 1) == '{' || text.charAt(i + 1) == '%')) {
                jinja++;
            } else if (i + 1 < text.length() && (c == '}' || c == '%') && text.charAt(i + 1) == '}' && jinja > 0) {
                jinja--;
                cur.append(c).append('}');
                i++;
                continue;
            } else if (jinja == 0 && (c == '"' || c == '\'')) {
                quote = quote == 0 ? c : quote == c ? 0 : quote;
            }
            cur.append(c);
        }
        if (cur.length() > 0) {
            words.add(cur.toString());
        }
        return words;
    }

    private static String unquote(String v) {
        if (v.length() >= 2 && (v.charAt(0) == '"' || v.charAt(0) == '\'') && v.charAt(v.length() - 1) == v.charAt(0)) {
            return v.substring(1, v.length() - 1);
        }
        return v;
    }
}
