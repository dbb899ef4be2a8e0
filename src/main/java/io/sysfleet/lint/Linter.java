package io.sysfleet.lint;

import io.sysfleet.catalog.KernelKey;
import io.sysfleet.catalog.KeyCatalog;
import io.sysfleet.core.ConfigException;
import io.sysfleet.core.SourceLocation;
import io.sysfleet.playbook.AnsibleValues;
import io.sysfleet.playbook.Play;
import io.sysfleet.playbook.Playbook;
import io.sysfleet.playbook.State;
import io.sysfleet.playbook.SysctlTask;
import io.sysfleet.playbook.Templater;
import io.sysfleet.sysctl.SysctlKey;
import io.sysfleet.sysctl.SysctlValue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks a loaded playbook (imports included) against the key catalog and the troubleshooting table. Rules,
 * each with its code:
 * <ul>
 *   <li>{@code tw-recycle} (error): {@code net.ipv4.tcp_tw_recycle} set to anything but 0;</li>
 *   <li>{@code tw-reuse-without-timestamps} (warning): one play sets tcp_timestamps = 0 and tcp_tw_reuse = 1;</li>
 *   <li>{@code bad-value} (error): a value the catalog says the key does not accept;</li>
 *   <li>{@code unknown-key} (warning): a key the catalog does not know;</li>
 *   <li>{@code conflicting-values} (error): one play sets a key to two different values;</li>
 *   <li>{@code template} (error): a template that cannot be rendered with the play's vars for another reason
 *   than a variable missing from them;</li>
 *   <li>{@code unresolved} (info): a templated key or value using a variable the play's vars do not set (even with default()): checked per host at run
 *   time, not here.</li>
 * </ul>
 * Templated keys and values are rendered with the play's vars first. Pure: no I/O.
 */
public final class Linter {
    static final String TW_RECYCLE = "net.ipv4.tcp_tw_recycle";
    static final String TW_REUSE = "net.ipv4.tcp_tw_reuse";
    static final String TIMESTAMPS = "net.ipv4.tcp_timestamps";

    private Linter() {
    }

    /** Every finding, play by play in task order. */
    public static List<Finding> lint(Playbook playbook, KeyCatalog catalog) {
        List<Finding> out = new ArrayList<>();
        for (Play play : playbook.plays()) {
            lintPlay(play, catalog, out);
        }
        return out;
    }

    /** A task's key and value after rendering with play vars; null parts could not be rendered. */
    private record Setting(SysctlTask task, String key, String value) { }

    private static void lintPlay(Play play, KeyCatalog catalog, List<Finding> out) {
        Map<String, Setting> firstByKey = new LinkedHashMap<>();
        Setting timestampsOff = null;
        Setting reuseOn = null;
        for (SysctlTask task : play.tasks()) {
            String spelled = render(task.key(), play, task.locationOf("name"), "key", out);
            if (spelled == null) {
                continue;
            }
            SysctlKey key;
            try {
                key = SysctlKey.of(spelled.strip());
            } catch (IllegalArgumentException e) {
                // a literal key was checked when the playbook was loaded: this one came out of a template
                out.add(new Finding(Severity.ERROR, task.locationOf("name"), "template",
                        "key '" + task.key() + "' renders to an invalid key: " + e.getMessage()));
                continue;
            }
            Optional<KernelKey> known = catalog.find(key);
            if (known.isEmpty()) {
                out.add(new Finding(Severity.WARNING, task.locationOf("name"), "unknown-key", "'" + key
                        + "' is not in sysfleet's key catalog; its value is not checked"));
            }
            if (task.state() != State.PRESENT || task.value() == null) {
                continue;
            }
            String raw = render(task.value(), play, task.locationOf("value"), "value", out);
            if (raw == null) {
                continue;
            }
            String value = SysctlValue.normalise(AnsibleValues.sysctlValue(raw));
            SourceLocation at = task.locationOf("value");
            String canonical = known.map(KernelKey::name).orElse(key).dotted();
            if (canonical.equals(TW_RECYCLE) && !value.equals("0")) {
                out.add(new Finding(Severity.ERROR, at, "tw-recycle", TW_RECYCLE + " = " + value
                        + " drops SYNs from clients behind NAT (troubleshooting table rows 1 and 8) and Linux 4.12 "
                        + "removed the key; set 0 and rely on tcp_tw_reuse"));
            }
            known.flatMap(k -> k.checkValue(value)).ifPresent(msg -> out.add(new Finding(Severity.ERROR, at,
                    "bad-value", canonical + " " + msg)));
            Setting s = new Setting(task, canonical, value);
            Setting first = firstByKey.putIfAbsent(canonical, s);
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
