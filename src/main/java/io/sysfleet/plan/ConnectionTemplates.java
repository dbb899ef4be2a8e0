package io.sysfleet.plan;

import io.sysfleet.core.ExitCode;
import io.sysfleet.core.SysfleetException;
import io.sysfleet.inventory.ConnectionVars;
import io.sysfleet.inventory.Host;
import io.sysfleet.inventory.Inventory;
import io.sysfleet.inventory.TemplateRenderer;
import io.sysfleet.playbook.Play;
import io.sysfleet.playbook.Playbook;
import io.sysfleet.playbook.Templater;
import io.sysfleet.vault.Vaulted;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Connection variables that are templates ({@code ansible_user: "{{ lookup('env', 'DEPLOY_USER') }}"},
 * {@code ansible_become_password: "{{ vault_become_password }}"}), rendered with the playbooks' template engine
 * for one host in one play: the host's variables, then the play's, plus {@code inventory_hostname} and
 * {@code inventory_hostname_short}. Only the vaulted variables a template names (directly or through the
 * variables it names) are decrypted, as Ansible decrypts a vaulted value only when it is used.
 *
 * <p>{@link #check} renders every selected host of every play before anything connects, so a template that
 * cannot be rendered, or renders to an unusable value, stops the run with exit 4 (one line per host) and a
 * wrong vault password stops it once with exit 9 ({@link io.sysfleet.vault.VaultException}).
 */
public final class ConnectionTemplates implements TemplateRenderer {
    /** How deep a chain of variables naming variables is followed to find the vaulted ones. */
    private static final int MAX_CHAIN = 32;

    private final Play play;

    public ConnectionTemplates(Play play) {
        this.play = play;
    }

    /** The host {@code play} uses: templates rendered, vaulted values decrypted, every value checked. */
    public static Host resolve(Host host, Play play) {
        return ConnectionVars.resolve(host, new ConnectionTemplates(play));
    }

    /**
     * Resolves every host each play selects; pure apart from decrypting vault values.
     *
     * @throws SysfleetException exit 4 naming each host whose connection variables cannot be used
     * @throws io.sysfleet.vault.VaultException when a vaulted connection variable cannot be decrypted (exit 9)
     */
    public static void check(Playbook playbook, Inventory inventory, String limit) {
        List<String> problems = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Play play : playbook.plays()) {
            for (Host h : inventory.select(play.hosts(), limit)) {
                try {
                    resolve(h, play);
                } catch (SysfleetException e) {
                    String line = h.name() + ": " + e.getMessage();
                    if (seen.add(line)) {
                        problems.add(line);
                    }
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new SysfleetException(ExitCode.CONFIG, String.join("\n", problems));
        }
    }

    @Override
    public Object render(String template, Host host) {
        Map<String, Object> vars = Planner.variables(host, play, null);
        vars.put("inventory_hostname", host.name());
        vars.put("inventory_hostname_short", host.name().split("\\.", 2)[0]);
        reveal(template, vars);
        return Templater.render(template, vars, null, "connection variable");
    }

    /** Replaces, in {@code vars}, each vaulted value {@code template} needs by its plaintext. */
    private static void reveal(String template, Map<String, Object> vars) {
        Deque<String> todo = new ArrayDeque<>(Templater.variables(template));
        Set<String> done = new HashSet<>();
        int steps = 0;
        while (!todo.isEmpty() && steps++ < MAX_CHAIN * 8) {
            String name = todo.pop();
            if (!done.add(name) || !vars.containsKey(name)) {
                continue;
            }
            Object v = vars.get(name);
            if (v instanceof Vaulted vault) {
                v = vault.reveal();
                vars.put(name, v);
            }
            if (v instanceof String s && Templater.isTemplate(s)) {
                todo.addAll(Templater.variables(s));
            }
        }
    }
}
