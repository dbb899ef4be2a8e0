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

    /** The module's arguments. */
    public static final List<String> ARGS = List.of("name", "state", "params", "persistent");

    /**
     * Why {@code value} (as written, or as a template rendered for a host) is not a valid {@code arg} of the
     * module, or empty. {@code what} describes a value that is not text ("a boolean", "a mapping"). The same
     * checks run on literal arguments when a playbook loads and on rendered ones in each host's plan, so nothing
     * reaches a host's modprobe command or its files unchecked.
     */
    public static java.util.Optional<String> problem(String arg, Object value, String what) {
        String text = value instanceof String str ? str : null;
        String shown = text != null ? "'" + text + "'" : what;
        switch (arg) {
            case "name" -> {
                if (text == null || !io.sysfleet.facts.RuntimeFacts.MODULE_NAME.matcher(text.strip()).matches()) {
                    return java.util.Optional.of("modprobe 'name' must be a kernel module name such as nf_conntrack "
                            + "(letters, digits, '_' and '-'), not " + shown);
                }
            }
            case "state" -> {
                if (!"present".equals(text) && !"absent".equals(text)) {
                    return java.util.Optional.of("modprobe state must be present or absent, not " + shown);
                }
            }
            case "params" -> {
                if (value == null) {
                    return java.util.Optional.empty();
                }
                if (text == null) {
                    return java.util.Optional.of("modprobe 'params' must be a string such as 'hashsize=131072', not "
                            + what);
                }
                String p = text.strip();
                for (String one : p.isEmpty() ? new String[0] : p.split("\\s+")) {
                    if (!PARAM.matcher(one).matches()) {
                        return java.util.Optional.of("modprobe parameter '" + one + "' is not NAME=VALUE (letters, "
                                + "digits and '_' before '=', no quotes, spaces or shell characters)");
                    }
                }
            }
            case "persistent" -> {
                if (!"disabled".equals(text) && !"present".equals(text) && !"absent".equals(text)) {
                    return java.util.Optional.of("modprobe persistent must be disabled, present or absent, not "
                            + shown);
                }
            }
            default -> {
                return java.util.Optional.of("unsupported modprobe argument '" + arg + "'; supported: "
                        + String.join(", ", ARGS));
            }
        }
        return java.util.Optional.empty();
    }

    /** {@code persistent}'s value from its (checked) word. */
    public static Persistence persistence(String word) {
        return word == null ? Persistence.DISABLED : Persistence.valueOf(word.toUpperCase(java.util.Locale.ROOT));
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
