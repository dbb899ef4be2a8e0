package io.sysfleet.playbook;

import io.sysfleet.core.SourceLocation;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One {@code community.general.modprobe} task as written (Ansible's module semantics, which sysfleet runs natively):
 * {@code state: present} loads {@code module} with {@code params} when it is neither loaded nor built in (a loaded
 * module is left as it is, whatever its parameters, as Ansible does); {@code state: absent} unloads a loaded one.
 * {@code persistent: present} makes the module load at boot ({@code /etc/modules-load.d/MODULE.conf}) with its
 * parameters ({@code options MODULE PARAM} lines in {@code /etc/modprobe.d/MODULE.conf}); {@code absent} comments
 * those lines out; {@code disabled} (the default) leaves both directories alone.
 *
 * @param params the parameters as written ({@code hashsize=131072}), "" for none
 */
public record ModprobeTask(String name, Set<String> tags, Condition when, String module, State state, String params,
                           Persistence persistent, SourceLocation location, Map<String, SourceLocation> argLocations) {

    /** Where the module is made to load at boot (systemd-modules-load; Ansible's MODULES_LOAD_LOCATION). */
    public static final String MODULES_LOAD_DIR = "/etc/modules-load.d";
    /** Where module parameters are kept (modprobe.d(5); Ansible's PARAMETERS_FILES_LOCATION). */
    public static final String MODPROBE_DIR = "/etc/modprobe.d";
    /**
     * One module parameter as Ansible's persistence understands it ({@code \w+=\S+}), without quotes, shell or
     * control characters: parameters become modprobe arguments and {@code options} lines.
     */
    public static final Pattern PARAM = Pattern.compile("[A-Za-z0-9_]+=[A-Za-z0-9_.,:+/@%-]+");

    /** {@code persistent}'s values. */
    public enum Persistence {
        DISABLED, PRESENT, ABSENT;

        public String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public ModprobeTask {
        tags = Set.copyOf(tags);
        argLocations = Map.copyOf(argLocations);
        params = params == null ? "" : params;
    }

    /** The parameters, one per item ({@code params} split on whitespace). */
    public List<String> paramList() {
        String p = params.strip();
        return p.isEmpty() ? List.of() : List.of(p.split("\\s+"));
    }

    /** The file that loads the module at boot. */
    public String modulesLoadFile() {
        return MODULES_LOAD_DIR + "/" + module + ".conf";
    }

    /** The file with the module's parameters. */
    public String optionsFile() {
        return MODPROBE_DIR + "/" + module + ".conf";
    }

    /** Where a module argument's value was written, or the task's location. */
    public SourceLocation locationOf(String arg) {
        return argLocations.getOrDefault(arg, location);
    }
}
