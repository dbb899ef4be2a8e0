package io.sysfleet.lint;

import io.sysfleet.catalog.KernelKey;
import io.sysfleet.catalog.KeyCatalog;
import io.sysfleet.sysctl.SysctlKey;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The catalog key an unknown key was probably meant to be, for "did you mean": the mixed conntrack names
 * public roles write ({@code net.netfilter.ip_conntrack_max}), a doubled word ({@code tcp_tcp_tw_reuse}),
 * the right name in another directory ({@code net.ipv4.somaxconn}), or a typo of one or two letters. Pure.
 */
final class KeySuggestion {
    private KeySuggestion() {
    }

    static Optional<String> forKey(String key, KeyCatalog catalog) {
        for (String candidate : rewrites(key)) {
            Optional<String> known = SysctlKey.parse(candidate).flatMap(catalog::canonicalName).map(SysctlKey::dotted);
            if (known.isPresent()) {
                return known;
            }
        }
        String leaf = leaf(key);
        List<String> sameLeaf = new ArrayList<>();
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (KernelKey k : catalog.keys()) {
            String name = concrete(k.name(), key);
            if (leaf(name).equals(leaf) && k.removedIn() == null) {
                sameLeaf.add(name);
            }
            if (!firstSegment(name).equals(firstSegment(key))) {
                continue;
            }
            int d = distance(key, name, 3);
            if (d < bestDistance) {
                bestDistance = d;
                best = name;
            }
        }
        if (sameLeaf.size() == 1) {
            return Optional.of(sameLeaf.get(0));
        }
        return bestDistance <= 2 ? Optional.ofNullable(best) : Optional.empty();
    }

    /** Spellings a key has in the wild that name another key. */
    private static Set<String> rewrites(String key) {
        Set<String> out = new LinkedHashSet<>();
        out.add(key.replace("ip_conntrack", "nf_conntrack"));
        out.add(key.replace("net.ipv4.netfilter.ip_conntrack", "net.netfilter.nf_conntrack"));
        out.add(key.replace("net.netfilter.ip_conntrack", "net.netfilter.nf_conntrack"));
        out.add(key.replace("net.ipv4.nf_conntrack", "net.netfilter.nf_conntrack"));
        String leaf = leaf(key);
        List<String> words = new ArrayList<>();
        for (String w : leaf.split("_", -1)) {
            if (words.isEmpty() || !words.get(words.size() - 1).equals(w)) {
                words.add(w);
            }
        }
        out.add(key.substring(0, key.length() - leaf.length()) + String.join("_", words));
        out.add(key.replace('-', '_'));
        out.add(key.replace('_', '-'));
        out.remove(key);
        return out;
    }

    /** A pattern's name with the interface of {@code like} ({@code net.ipv4.conf.eth0.x} for {@code ...conf.*.x}). */
    private static String concrete(String name, String like) {
        int star = name.indexOf('*');
        if (star < 0) {
            return name;
        }
        String[] parts = like.split("\\.");
        String iface = parts.length > 3 ? parts[3] : "all";
        return name.replace("*", iface);
    }

    private static String leaf(String key) {
        return key.substring(key.lastIndexOf('.') + 1);
    }

    private static String firstSegment(String key) {
        int dot = key.indexOf('.');
        return dot < 0 ? key : key.substring(0, dot);
    }

    /** Levenshtein distance, giving up (returning limit + 1) once it must exceed {@code limit}. */
    static int distance(String a, String b, int limit) {
        if (Math.abs(a.length() - b.length()) > limit) {
            return limit + 1;
        }
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            int rowMin = cur[0];
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
                rowMin = Math.min(rowMin, cur[j]);
            }
            if (rowMin > limit) {
                return limit + 1;
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
