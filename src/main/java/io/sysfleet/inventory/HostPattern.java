package io.sysfleet.inventory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Ansible host patterns, as in a play's {@code hosts:} and {@code --limit}: {@code all}, {@code *}, host and
 * group names, globs ({@code web*}), regexes ({@code ~web\d+}), unions {@code a:b} / {@code a,b},
 * intersections {@code a:&b}, exclusions {@code a:!b}, subscripts {@code web[0]} / {@code web[1:3]}. Unions
 * are applied first, then intersections, then exclusions; a pattern of only {@code &}/{@code !} parts starts
 * from {@code all}. Pure functions over an {@link Inventory}.
 *
 * <p>Unlike Ansible, a pattern never creates an implicit {@code localhost}, and a blank pattern is an error
 * (Ansible reads it as {@code all}).
 */
public final class HostPattern {
    private static final Pattern SUBSCRIPT = Pattern.compile("^(.+)\\[(?:(-?[0-9]+)|([0-9]+)([:-])([0-9]*))\\]$");
    private static final Pattern COLON_PARTS = Pattern.compile("(?:[^\\s:\\[\\]]|\\[[^\\]]*\\])+");

    private HostPattern() {
    }

    /**
     * The hosts selected by {@code pattern}, kept to those selected by {@code limit} when it is not null.
     *
     * @throws IllegalArgumentException for a blank pattern, a bad regex or a subscript out of range
     */
    public static List<Host> select(Inventory inventory, String pattern, String limit) {
        List<String> parts = split(pattern);
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("empty host pattern");
        }
        List<Host> hosts = evaluate(inventory, parts);
        if (limit != null) {
            List<String> limitParts = split(limit);
            if (limitParts.isEmpty()) {
                throw new IllegalArgumentException("empty --limit pattern");
            }
            Set<String> allowed = new HashSet<>();
            evaluate(inventory, limitParts).forEach(h -> allowed.add(h.name()));
            hosts = hosts.stream().filter(h -> allowed.contains(h.name())).toList();
        }
        return hosts;
    }

    /**
     * Splits a pattern into its parts as Ansible does: on commas if there is one; else the whole text if it
     * is one address (a host:port or IPv6 address), else on colons outside brackets. Parts are trimmed.
     */
    public static List<String> split(String pattern) {
        List<String> parts = new ArrayList<>();
        if (pattern.contains(",")) {
            parts.addAll(List.of(pattern.split(",", -1)));
        } else if (HostAddress.parse(pattern).recognised()) {
            parts.add(pattern);
        } else {
            Matcher m = COLON_PARTS.matcher(pattern);
            while (m.find()) {
                parts.add(m.group());
            }
        }
        return parts.stream().map(String::strip).filter(p -> !p.isEmpty()).toList();
    }

    /**
     * The parts of {@code pattern} that match no host of {@code inventory} (without their {@code &} or {@code !}),
     * in pattern order: what ansible-playbook warns about as "Could not match supplied host pattern, ignoring".
     *
     * @throws IllegalArgumentException for a malformed pattern
     */
    public static List<String> unmatched(Inventory inventory, String pattern) {
        List<String> out = new ArrayList<>();
        for (String part : split(pattern)) {
            String bare = part.charAt(0) == '&' || part.charAt(0) == '!' ? part.substring(1) : part;
            String expr = bare;
            Matcher m = SUBSCRIPT.matcher(bare);
            if (!bare.isEmpty() && bare.charAt(0) != '~' && m.matches()) {
                expr = m.group(1); // as Ansible: a subscript out of range is not an unmatched pattern
            }
            if (inventory.host(bare) == null && !expr.isEmpty() && enumerate(inventory, expr).isEmpty()
                    && !out.contains(bare)) {
                out.add(bare);
            }
        }
        return out;
    }

    private static List<Host> evaluate(Inventory inv, List<String> parts) {
        List<String> ordered = new ArrayList<>();
        parts.stream().filter(p -> p.charAt(0) != '&' && p.charAt(0) != '!').forEach(ordered::add);
        if (ordered.isEmpty()) {
            ordered.add("all");
        }
        parts.stream().filter(p -> p.charAt(0) == '&').forEach(ordered::add);
        parts.stream().filter(p -> p.charAt(0) == '!').forEach(ordered::add);

        List<Host> hosts = new ArrayList<>();
        for (String p : ordered) {
            Host exact = inv.host(p);
            if (exact != null) {
                hosts.add(exact);
                continue;
            }
            List<Host> that = matchOne(inv, p);
            Set<String> names = new HashSet<>();
            that.forEach(h -> names.add(h.name()));
            if (p.charAt(0) == '!') {
                hosts.removeIf(h -> names.contains(h.name()));
            } else if (p.charAt(0) == '&') {
                hosts.removeIf(h -> !names.contains(h.name()));
            } else {
                Set<String> existing = new HashSet<>();
                hosts.forEach(h -> existing.add(h.name()));
                that.stream().filter(h -> !existing.contains(h.name())).forEach(hosts::add);
            }
        }
        Map<String, Host> unique = new LinkedHashMap<>();
        hosts.forEach(h -> unique.putIfAbsent(h.name(), h));
        return List.copyOf(unique.values());
    }

    private static List<Host> matchOne(Inventory inv, String part) {
        String p = part.charAt(0) == '&' || part.charAt(0) == '!' ? part.substring(1) : part;
        if (p.isEmpty()) {
            throw new IllegalArgumentException("host pattern '" + part + "' names nothing after '" + part + "'");
        }
        String expr = p;
        Integer start = null;
        Integer end = null;
        boolean range = false;
        if (p.charAt(0) != '~') {
            Matcher m = SUBSCRIPT.matcher(p);
            if (m.matches()) {
                expr = m.group(1);
                if (m.group(2) != null) {
                    start = Integer.valueOf(m.group(2));
                } else {
                    range = true;
                    start = Integer.valueOf(m.group(3));
                    end = m.group(5).isEmpty() ? -1 : Integer.valueOf(m.group(5));
                }
            }
        }
        List<Host> hosts = enumerate(inv, expr);
        if (hosts.isEmpty() || start == null) {
            return hosts;
        }
        if (range && end != 0) {
            int last = end == -1 ? hosts.size() - 1 : end;
            int from = Math.min(start, hosts.size());
            int to = Math.min(last + 1, hosts.size());
            return from >= to ? List.of() : hosts.subList(from, to);
        }
        int i = start < 0 ? hosts.size() + start : start;
        if (i < 0 || i >= hosts.size()) {
            throw new IllegalArgumentException("no hosts matched the subscripted pattern '" + p + "'");
        }
        return List.of(hosts.get(i));
    }

    private static List<Host> enumerate(Inventory inv, String expr) {
        Pattern re = compile(expr);
        List<Host> results = new ArrayList<>();
        boolean groupMatched = false;
        for (Group g : inv.groups()) {
            if (matches(re, expr, g.name())) {
                groupMatched = true;
                results.addAll(inv.hostsOf(g.name()));
            }
        }
        boolean special = expr.charAt(0) == '~' || expr.contains(".") || expr.contains("?")
                || expr.contains("*") || expr.contains("[");
        if (!groupMatched || special) {
            inv.hosts().stream().filter(h -> matches(re, expr, h.name())).forEach(results::add);
        }
        return results;
    }

    private static boolean matches(Pattern re, String expr, String name) {
        Matcher m = re.matcher(name);
        return expr.charAt(0) == '~' ? m.lookingAt() : m.matches();
    }

    private static Pattern compile(String expr) {
        try {
            return Pattern.compile(expr.charAt(0) == '~' ? expr.substring(1) : glob(expr), Pattern.DOTALL);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("invalid host pattern '" + expr + "': " + e.getDescription());
        }
    }

    /** A shell glob as Python's fnmatch reads it: *, ?, [seq], [!seq]; everything else literal. */
    static String glob(String glob) {
        StringBuilder re = new StringBuilder();
        int n = glob.length();
        for (int i = 0; i < n; i++) {
            char c = glob.charAt(i);
            if (c == '*') {
                re.append(".*");
            } else if (c == '?') {
                re.append('.');
            } else if (c == '[') {
                int j = i + 1;
                if (j < n && glob.charAt(j) == '!') {
                    j++;
                }
                if (j < n && glob.charAt(j) == ']') {
                    j++;
                }
                while (j < n && glob.charAt(j) != ']') {
                    j++;
                }
                if (j >= n) {
                    re.append("\\[");
                } else {
                    re.append(charClass(glob.substring(i + 1, j)));
                    i = j;
                }
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return re.toString();
    }

    private static String charClass(String set) {
        StringBuilder sb = new StringBuilder("[");
        int k = 0;
        if (set.startsWith("!")) {
            sb.append('^');
            k = 1;
        }
        for (int i = k; i < set.length(); i++) {
            char c = set.charAt(i);
            boolean inner = i > k && i < set.length() - 1;
            if (c == '-' && inner) {
                sb.append('-');
            } else if (Character.isLetterOrDigit(c)) {
                sb.append(c);
            } else {
                sb.append('\\').append(c);
            }
        }
        return sb.append(']').toString();
    }
}
