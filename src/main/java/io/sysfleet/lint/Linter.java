package io.sysfleet.lint;

import io.sysfleet.catalog.ConntrackSizing;
import io.sysfleet.catalog.KernelKey;
import io.sysfleet.catalog.KeyCatalog;
import io.sysfleet.catalog.Platform;
import io.sysfleet.catalog.Scope;
import io.sysfleet.core.ConfigException;
import io.sysfleet.core.SourceLocation;
import io.sysfleet.core.SysfleetException;
import io.sysfleet.playbook.AnsibleValues;
import io.sysfleet.playbook.Play;
import io.sysfleet.playbook.Playbook;
import io.sysfleet.playbook.State;
import io.sysfleet.playbook.SysctlTask;
import io.sysfleet.playbook.Templater;
import io.sysfleet.sysctl.SysctlKey;
import io.sysfleet.sysctl.SysctlValue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Checks a loaded playbook (imports included) against the key catalog, the kernel's documentation and the
 * troubleshooting table. Rules, each with its code:
 * <ul>
 *   <li>{@code tw-recycle} (error): {@code net.ipv4.tcp_tw_recycle} set to anything but 0 (table rows 1, 3, 8);</li>
 *   <li>{@code removed-key}: a key a kernel version removed, on a task no {@code when} keeps off that kernel:
 *   a warning, or an error with {@code --kernel} at or above the removal;</li>
 *   <li>{@code added-key} (warning, with {@code --kernel}): a key newer than that kernel;</li>
 *   <li>{@code read-only-key} (error): a key the kernel refuses to write (a counter or a report);</li>
 *   <li>{@code bad-value} (error): a value the catalog says the key does not accept (type, range, enum);</li>
 *   <li>{@code unknown-key} (warning): a key the catalog does not know, with the key it was probably meant to be;</li>
 *   <li>{@code conflicting-values} (error): one play sets a key to two different values;</li>
 *   <li>{@code fin-timeout-low} (warning): tcp_fin_timeout below the 30 s the table recommends (row 2);</li>
 *   <li>{@code tw-reuse-without-timestamps} (warning): one play sets tcp_timestamps = 0 and tcp_tw_reuse = 1;</li>
 *   <li>{@code conntrack-sizing} (warning): nf_conntrack_max that overloads the conntrack hash table (more than
 *   8 entries a bucket; nf_conntrack-sysctl.rst), with the table's memory;</li>
 *   <li>{@code container-global-key} (warning, with an inventory): a global key set on hosts the inventory marks
 *   as containers, which cannot set it;</li>
 *   <li>{@code template} (error): a template that cannot be rendered with the play's vars for another reason
 *   than a variable missing from them;</li>
 *   <li>{@code unresolved} (info): a templated key or value using a variable the play's vars do not set (even
 *   with default()): checked per host at run time, not here.</li>
 * </ul>
 * Templated keys and values are rendered with the play's vars first. Pure: no I/O.
 */
public final class Linter {
    static final String TW_RECYCLE = "net.ipv4.tcp_tw_recycle";
    static final String TW_REUSE = "net.ipv4.tcp_tw_reuse";
    static final String TIMESTAMPS = "net.ipv4.tcp_timestamps";
    static final String FIN_TIMEOUT = "net.ipv4.tcp_fin_timeout";
    static final String CT_MAX = "net.netfilter.nf_conntrack_max";
    static final String CT_MAX_ALIAS = "net.nf_conntrack_max";
    static final String CT_BUCKETS = "net.netfilter.nf_conntrack_buckets";
    /** The FIN_WAIT2 timeout the troubleshooting table sets (rows 2, 3 and 5). */
    static final long TABLE_FIN_TIMEOUT = 30;

    private Linter() {
    }

    /** Every finding, play by play in task order, knowing nothing about the hosts. */
    public static List<Finding> lint(Playbook playbook, KeyCatalog catalog) {
        return lint(playbook, catalog, LintTarget.none());
    }

    /** Every finding, play by play in task order, with what {@code target} says about the hosts. */
    public static List<Finding> lint(Playbook playbook, KeyCatalog catalog, LintTarget target) {
        List<Finding> out = new ArrayList<>();
        for (Play play : playbook.plays()) {
            lintPlay(play, catalog, target == null ? LintTarget.none() : target, out);
        }
        return out;
    }

    /** A task's key and value after rendering with play vars; null parts could not be rendered. */
    private record Setting(SysctlTask task, String key, String value) { }

    private static void lintPlay(Play play, KeyCatalog catalog, LintTarget target, List<Finding> out) {
        Map<String, Setting> firstByKey = new LinkedHashMap<>();
        Map<String, Setting> lastByKey = new LinkedHashMap<>();
        List<String> containers = target.containerHosts(play);
        Setting timestampsOff = null;
        Setting reuseOn = null;
        for (SysctlTask task : play.tasks()) {
            SourceLocation keyAt = task.locationOf("name");
            String spelled = render(task.key(), play, keyAt, "key", out);
            if (spelled == null) {
                continue;
            }
            SysctlKey key;
            try {
                key = SysctlKey.of(spelled.strip());
            } catch (IllegalArgumentException e) {
                // a literal key was checked when the playbook was loaded: this one came out of a template
                out.add(new Finding(Severity.ERROR, keyAt, "template",
                        "key '" + task.key() + "' renders to an invalid key: " + e.getMessage()));
                continue;
            }
            Optional<KernelKey> known = catalog.find(key);
            if (known.isEmpty()) {
                String hint = KeySuggestion.forKey(key.dotted(), catalog).map(s -> " (did you mean " + s + "?)").orElse("");
                out.add(new Finding(Severity.WARNING, keyAt, "unknown-key", "'" + key
                        + "' is not in sysfleet's key catalog" + hint + "; its value is not checked"));
            }
            String canonical = catalog.canonicalName(key).orElse(key).dotted();
            boolean present = task.state() == State.PRESENT && task.value() != null;
            if (known.isPresent() && task.state() == State.PRESENT) {
                KernelKey k = known.get();
                if (k.readOnly()) {
                    out.add(new Finding(Severity.ERROR, keyAt, "read-only-key", canonical + " is read-only: the "
                            + "kernel reports it and refuses every write (" + k.source() + ")"));
                }
                if (!containers.isEmpty() && k.scope() == Scope.GLOBAL) {
                    out.add(new Finding(Severity.WARNING, keyAt, "container-global-key", globalKeyMessage(canonical,
                            containers, catalog)));
                }
            }
            if (!present) {
                continue;
            }
            String raw = render(task.value(), play, task.locationOf("value"), "value", out);
            if (raw == null) {
                continue;
            }
            String value = SysctlValue.normalise(AnsibleValues.sysctlValue(raw));
            SourceLocation at = task.locationOf("value");
            boolean recycleError = canonical.equals(TW_RECYCLE) && !value.equals("0");
            if (recycleError) {
                out.add(new Finding(Severity.ERROR, at, "tw-recycle", TW_RECYCLE + " = " + value
                        + " drops SYNs from clients behind NAT (troubleshooting table rows 1 and 8) and Linux 4.12 "
                        + "removed the key; set 0 and rely on tcp_tw_reuse"));
            }
            if (known.isPresent()) {
                KernelKey k = known.get();
                if (!recycleError) {
                    versionFindings(k, canonical, task, play, target, keyAt, out);
                }
                Optional<String> bad = k.checkValue(value);
                bad.ifPresent(msg -> out.add(new Finding(Severity.ERROR, at, "bad-value", canonical + " " + msg)));
                if (bad.isEmpty() && canonical.equals(FIN_TIMEOUT) && Long.parseLong(value) < TABLE_FIN_TIMEOUT) {
                    out.add(new Finding(Severity.WARNING, at, "fin-timeout-low", FIN_TIMEOUT + " = " + value
                            + " is below the " + TABLE_FIN_TIMEOUT + " seconds the troubleshooting table sets (rows "
                            + "2, 3 and 5; row 2: a changed tcp_fin_timeout is the usual cause of peers still "
                            + "showing ESTABLISHED after the server closed)"));
                }
            }
            Setting s = new Setting(task, canonical, value);
            Setting first = firstByKey.putIfAbsent(canonical, s);
            lastByKey.put(canonical, s);
            if (first != null && !first.value().equals(value)) {
                out.add(new Finding(Severity.ERROR, at, "conflicting-values", canonical + " is set to '" + value
                        + "' here and to '" + first.value() + "' at " + first.task().locationOf("value")
                        + " in the same play; the last one wins silently"));
            }
            if (canonical.equals(TIMESTAMPS) && value.equals("0")) {
                timestampsOff = s;
            }
            if (canonical.equals(TW_REUSE) && value.equals("1")) {
                reuseOn = s;
            }
        }
        if (timestampsOff != null && reuseOn != null) {
            out.add(new Finding(Severity.WARNING, timestampsOff.task().locationOf("value"),
                    "tw-reuse-without-timestamps", TIMESTAMPS + " = 0 makes " + TW_REUSE + " = 1 (at "
                    + reuseOn.task().locationOf("value") + ") ineffective: reuse needs timestamps; "
                    + "choose one (table row 1 or row 3)"));
        }
        conntrackSizing(lastByKey, out);
    }

    /** removed-key and added-key: a key the target kernel (or, without one, some kernel) does not have. */
    private static void versionFindings(KernelKey k, String name, SysctlTask task, Play play, LintTarget target,
                                        SourceLocation at, List<Finding> out) {
        String kernel = target.kernel();
        String guard = " guard the task with when: ansible_kernel is version('%s', '<')";
        if (kernel != null) {
            Platform p = new Platform(null, null, kernel);
            if (k.removedIn() != null && p.kernelAtLeast(k.removedIn()) && !Boolean.FALSE.equals(runsOn(task, play, kernel))) {
                out.add(new Finding(Severity.ERROR, at, "removed-key", name + " does not exist on Linux " + kernel
                        + ": Linux " + k.removedIn() + " removed it" + sourceOf(k) + ", so sysctl -p fails on it there;"
                        + String.format(Locale.ROOT, guard, k.removedIn())));
            } else if (k.addedIn() != null && !p.kernelAtLeast(k.addedIn()) && !Boolean.FALSE.equals(runsOn(task, play, kernel))) {
                out.add(new Finding(Severity.WARNING, at, "added-key", name + " is not in Linux " + kernel
                        + ": it was added in Linux " + k.addedIn() + sourceOf(k) + ", unless the distribution "
                        + "backported it"));
            }
            return;
        }
        if (k.removedIn() != null && Boolean.TRUE.equals(runsOn(task, play, k.removedIn()))) {
            out.add(new Finding(Severity.WARNING, at, "removed-key", name + " was removed in Linux " + k.removedIn()
                    + sourceOf(k) + ": on that kernel and later sysctl -p fails on it;"
                    + String.format(Locale.ROOT, guard, k.removedIn())));
        }
    }

    private static String sourceOf(KernelKey k) {
        return k.source().isEmpty() ? "" : " (" + k.source() + ")";
    }

    /**
     * Whether the task runs on a host with kernel {@code kernel}: its {@code when} evaluated with the play's vars
     * and {@code ansible_kernel}; null when the condition needs other facts.
     */
    private static Boolean runsOn(SysctlTask task, Play play, String kernel) {
        if (task.when().isAlways()) {
            return true;
        }
        Map<String, Object> vars = new HashMap<>(play.vars());
        vars.put("ansible_kernel", kernel);
        vars.put("ansible_facts", Map.of("kernel", kernel));
        try {
            return task.when().evaluate(vars);
        } catch (SysfleetException | IllegalArgumentException e) {
            return null;
        }
    }

    private static String globalKeyMessage(String key, List<String> containers, KeyCatalog catalog) {
        String hosts = String.join(", ", containers.stream().limit(5).toList())
                + (containers.size() > 5 ? " and " + (containers.size() - 5) + " more" : "");
        String why = key.startsWith("net.")
                ? "only the initial network namespace can set it (it is read-only or absent in any other, as "
                + catalog.about().getOrDefault("live_snapshot", "a live kernel") + " shows)"
                : "it has one value for the whole kernel, which a container cannot change";
        return key + " is global: " + why + "; the inventory marks " + hosts + " as container(s), so set it on the "
                + "machine that runs them";
    }

    /** conntrack-sizing: the table's entries against its hash buckets, and what a full table costs. */
    private static void conntrackSizing(Map<String, Setting> last, List<Finding> out) {
        Setting max = last.containsKey(CT_MAX) ? last.get(CT_MAX) : last.get(CT_MAX_ALIAS);
        if (max == null) {
            return;
        }
        Long entries = number(max.value());
        Setting bucketsSet = last.get(CT_BUCKETS);
        Long buckets = bucketsSet == null ? null : number(bucketsSet.value());
        if (entries == null || (bucketsSet != null && (buckets == null || buckets < 1))) {
            return; // bad-value already says why
        }
        ConntrackSizing size = new ConntrackSizing(entries,
                buckets == null ? ConntrackSizing.MAX_DEFAULT_BUCKETS : buckets);
        if (!size.undersized()) {
            return;
        }
        String table = buckets == null
                ? "the default hash table (at most " + ConntrackSizing.MAX_DEFAULT_BUCKETS + " buckets; nf_conntrack_buckets is not set)"
                : "nf_conntrack_buckets = " + buckets + " (at " + bucketsSet.task().locationOf("value") + ")";
        out.add(new Finding(Severity.WARNING, max.task().locationOf("value"), "conntrack-sizing", max.key() + " = "
                + entries + " with " + table + " puts " + String.format(Locale.ROOT, "%.0f", size.entriesPerBucket())
                + " entries in each hash bucket when the table fills, average chain " + String.format(Locale.ROOT,
                "%.0f", size.averageChain()) + " (each connection is hashed twice; the kernel's default is 1 entry a "
                + "bucket, networking/nf_conntrack-sysctl.rst): every packet walks those chains; set "
                + CT_BUCKETS + " (or the nf_conntrack hashsize module parameter) to at least " + size.bucketsNeeded()
                + ". A full table takes about " + ConntrackSizing.human(size.memoryBytes()) + " of kernel memory ("
                + entries + " x " + ConntrackSizing.ENTRY_BYTES + " B + " + size.buckets() + " x "
                + ConntrackSizing.BUCKET_BYTES + " B)"));
    }

    private static Long number(String v) {
        try {
            return Long.parseLong(v.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String render(String template, Play play, SourceLocation at, String what, List<Finding> out) {
        if (!Templater.isTemplate(template)) {
            return template;
        }
        List<String> missing = Templater.variables(template).stream()
                .filter(v -> !play.vars().containsKey(v)).toList();
        if (!missing.isEmpty()) {
            out.add(new Finding(Severity.INFO, at, "unresolved", what + " '" + template + "' needs "
                    + String.join(", ", missing) + ", not set in the play's vars; checked per host at run time"));
            return null;
        }
        try {
            return Templater.render(template, play.vars(), at, what + " '" + template + "'");
        } catch (ConfigException e) {
            String msg = e.problems().get(0).message();
            boolean undefined = msg.contains("undefined variable");
            out.add(new Finding(undefined ? Severity.INFO : Severity.ERROR, at, undefined ? "unresolved" : "template",
                    msg + (undefined ? " (through the play's vars); checked per host at run time" : "")));
            return null;
        }
    }
}
