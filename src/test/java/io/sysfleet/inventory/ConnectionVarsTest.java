package io.sysfleet.inventory;

import io.sysfleet.core.SysfleetException;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConnectionVarsTest {
    private static Host host(Object... kv) {
        Map<String, Object> vars = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            vars.put((String) kv[i], kv[i + 1]);
        }
        return new Host("h1", vars);
    }

    @Test
    void legacySshNamesWinAsInAnsible() {
        Host h = host("ansible_host", "10.0.0.1", "ansible_ssh_host", "10.0.0.2", "ansible_port", 22,
                "ansible_ssh_port", "2222", "ansible_ssh_user", "old", "ansible_private_key_file", "/k1",
                "ansible_ssh_private_key_file", "/k2", "ansible_sudo_user", "postgres", "ansible_become_pass", "pw");
        assertEquals("10.0.0.2", h.address());
        assertEquals(2222, h.port());
        assertEquals("old", h.user());
        assertEquals("/k2", h.privateKeyFile());
        assertEquals("postgres", h.becomeUser());
        assertEquals("pw", h.becomePassword().reveal());
        assertTrue(h.becomePassword().toString().startsWith("****"));
    }

    @Test
    void connectionsSysfleetSpeaksAndTheOthers() {
        assertEquals("ssh", host().connection());
        for (String ssh : new String[] {"ssh", "smart", "paramiko", "ansible.builtin.ssh"}) {
            assertEquals("ssh", host("ansible_connection", ssh).connection());
            assertNull(host("ansible_connection", ssh).unmanageable());
        }
        assertEquals("local", host("ansible_connection", "ansible.builtin.local").connection());
        Host docker = host("ansible_connection", "docker", "ansible_port", 0, "ansible_user", "not a user");
        assertEquals("docker", docker.connection());
        assertEquals("connection 'docker' is not supported: sysfleet manages hosts over ssh or local",
                docker.unmanageable());
        assertEquals(Map.of(), ConnectionVars.problems(docker.vars()), "nothing else is checked on such a host");
        assertEquals(Map.of("ansible_port", "ansible_port must be a port number from 1 to 65535, got 0"),
                ConnectionVars.problems(host("ansible_port", 0).vars()));
    }

    @Test
    void vaultedConnectionValuesAreCheckedWithoutShowingThem() {
        Host h = host("ansible_user", io.sysfleet.vault.Vaulted.fromFile("deployer", "group_vars/all/vault"),
                "ansible_port", io.sysfleet.vault.Vaulted.fromFile("22x-secret", "group_vars/all/vault"));
        assertEquals(Map.of(), ConnectionVars.problems(h.vars()), "not checked before it is decrypted");
        assertEquals("ansible_port is vault-encrypted and was not decrypted for this run", h.unmanageable());
        SysfleetException e = assertThrows(SysfleetException.class, () -> ConnectionVars.resolve(h, null));
        assertEquals("ansible_port (vault-encrypted) has an unusable value", e.getMessage());
        Host ok = ConnectionVars.resolve(host("ansible_user", io.sysfleet.vault.Vaulted.fromFile("deployer", "f")),
                null);
        assertEquals("deployer", ok.user());
    }

    @Test
    void templatesAreNotLoadErrorsButBlockARunUntilRendered() {
        Host h = host("ansible_user", "{{ lookup('env', 'DEPLOY_USER') }}", "ansible_port", "{{ p | default(22) }}");
        assertEquals(Map.of(), ConnectionVars.problems(h.vars()));
        assertEquals("ansible_port is a template ('{{ p | default(22) }}'), which sysfleet does not render for"
                + " connection variables yet", h.unmanageable());
        assertSame(h, ConnectionVars.resolve(h, null), "no engine: nothing to render, nothing to decrypt");
        assertThrows(IllegalStateException.class, h::user);
    }

    /**
     * A test double for the template engine: the project's Jinja2 engine is built on another branch, and what
     * this test checks is the seam, not templating: the rendered values go through the same checks as
     * literal ones. It replaces {@code {{ name }}} with the host's variable, and knows nothing else.
     */
    private static final TemplateRenderer FAKE_ENGINE = (template, host) -> {
        Matcher m = Pattern.compile("\\{\\{\\s*(\\w+)\\s*}}").matcher(template);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            Object v = host.vars().get(m.group(1));
            if (v == null) {
                throw new IllegalArgumentException("'" + m.group(1) + "' is undefined");
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(String.valueOf(v)));
        }
        m.appendTail(sb);
        return sb.toString();
    };

    @Test
    void resolveRendersAndChecksLikeLiteralValues() {
        Host ok = ConnectionVars.resolve(host("deploy_user", "ci", "ansible_user", "{{ deploy_user }}",
                "ansible_port", "{{ p }}", "p", "2201", "ansible_host", "{{ inventory }}.example.com",
                "inventory", "web1"), FAKE_ENGINE);
        assertEquals("ci", ok.user());
        assertEquals(2201, ok.port());
        assertEquals("web1.example.com", ok.address());
        assertNull(ok.unmanageable());
        SysfleetException badUser = assertThrows(SysfleetException.class, () -> ConnectionVars.resolve(
                host("u", "root; reboot", "ansible_user", "{{ u }}"), FAKE_ENGINE));
        assertEquals("h1: inventory: ansible_user '{{ u }}' rendered to 'root; reboot': must be a user name"
                + " (letters, digits, '_', '.', '-'), got 'root; reboot'", badUser.oneLine());
        SysfleetException badHost = assertThrows(SysfleetException.class, () -> ConnectionVars.resolve(
                host("x", "a -oProxyCommand=x", "ansible_host", "{{ x }}"), FAKE_ENGINE));
        assertTrue(badHost.getMessage().endsWith("contains whitespace"), badHost.getMessage());
        SysfleetException undefined = assertThrows(SysfleetException.class, () -> ConnectionVars.resolve(
                host("ansible_port", "{{ nope }}"), FAKE_ENGINE));
        assertEquals("ansible_port '{{ nope }}' cannot be rendered: 'nope' is undefined", undefined.getMessage());
    }
}
