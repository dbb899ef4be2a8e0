package io.sysfleet.inventory;

import io.sysfleet.core.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InventoryLoaderTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        return p;
    }

    private Inventory load(String yaml) throws IOException {
        return InventoryLoader.load(write("hosts.yml", yaml));
    }

    private String error(String yaml) throws IOException {
        Path f = write("hosts.yml", yaml);
        return assertThrows(ConfigException.class, () -> InventoryLoader.load(f)).getMessage();
    }

    private String file() {
        return dir.resolve("hosts.yml").toString();
    }

    @Test
    void groupsChildrenAndMultiGroupHosts() throws IOException {
        Inventory inv = load("""
                all:
                  children:
                    web:
                      hosts:
                        w1:
                        shared:
                    db:
                      hosts:
                        shared:
                """);
        assertEquals(List.of("ungrouped", "web", "db"), inv.group("all").children());
        assertEquals(List.of("w1", "shared"), inv.group("web").hosts());
        assertEquals(List.of("db", "web"), inv.groupNames("shared"));
        assertEquals(List.of("w1", "shared"), inv.hosts().stream().map(Host::name).toList());
        assertEquals(1, inv.group("web").depth());
    }

    @Test
    void precedenceAllThenParentThenChildThenHost() throws IOException {
        Inventory inv = load("""
                all:
                  vars: {v: all, a: all}
                  children:
                    parent:
                      vars: {v: parent, p: parent}
                      children:
                        child:
                          vars: {v: child}
                          hosts:
                            h1:
                            h2: {v: host}
                """);
        assertEquals(Map.of("v", "child", "a", "all", "p", "parent"), inv.host("h1").vars());
        assertEquals("host", inv.host("h2").vars().get("v"));
        assertEquals(2, inv.group("child").depth());
    }

    @Test
    void sameDepthGroupsOrderByPriorityThenName() throws IOException {
        Inventory inv = load("""
                all:
                  children:
                    b: {vars: {w: b}, hosts: {h1: , h2: }}
                    a: {vars: {w: a, ansible_group_priority: 5}, hosts: {h1: }}
                    c: {vars: {w: c}, hosts: {h2: }}
                """);
        assertEquals("a", inv.host("h1").vars().get("w"), "priority 5 beats b's default 1");
        assertEquals("c", inv.host("h2").vars().get("w"), "same priority: later name wins");
        assertFalse(inv.host("h1").vars().containsKey("ansible_group_priority"));
        assertEquals(5, inv.group("a").priority());
    }

    @Test
    void groupVarsFilesOverrideInlineAndHostVarsOverrideHost() throws IOException {
        write("group_vars/web.yml", "v: web-file\n");
        write("group_vars/all/one.yml", "a: one\n");
        write("group_vars/all/two.yaml", "a: two\n");
        write("host_vars/h1", "hv: file\n");
        Inventory inv = load("""
                all:
                  vars: {a: inline}
                  children:
                    web:
                      vars: {v: web-inline}
                      hosts:
                        h1: {hv: inline}
                """);
        assertEquals(Map.of("a", "two", "v", "web-file", "hv", "file"), inv.host("h1").vars());
        assertEquals(Map.of("v", "web-file"), inv.group("web").vars());
    }

    @Test
    void parentGroupVarsFileBeatsChildInlineVarsAsInAnsible() throws IOException {
        write("group_vars/parent.yml", "v: parent-file\n");
        Inventory inv = load("""
                parent:
                  children:
                    child:
                      vars: {v: child-inline}
                      hosts: {h1: }
                """);
        assertEquals("parent-file", inv.host("h1").vars().get("v"));
    }

    @Test
    void ungroupedAndTopLevelGroups() throws IOException {
        Inventory inv = load("""
                web:
                  hosts: {w1: }
                all:
                  hosts:
                    lone:
                    w1:
                """);
        assertEquals(List.of("lone"), inv.group("ungrouped").hosts());
        assertEquals(List.of("ungrouped", "web"), inv.group("all").children());
    }

    @Test
    void hostPortSuffixSetsAnsiblePort() throws IOException {
        Inventory inv = load("""
                all:
                  hosts:
                    web1:2222:
                    web2:2223:
                      ansible_port: 2300
                """);
        assertEquals(2222, inv.host("web1").port());
        assertEquals(2300, inv.host("web2").port());
    }

    @Test
    void connectionHelpers() throws IOException {
        Inventory inv = load("""
                all:
                  hosts:
                    plain:
                    full:
                      ansible_host: 127.0.0.1
                      ansible_port: "2201"
                      ansible_user: sysfleet
                      ansible_ssh_private_key_file: .sysfleet/lab/id_ed25519
                      ansible_connection: local
                      ansible_become: "Yes"
                      ansible_become_user: admin
                """);
        Host plain = inv.host("plain");
        assertEquals("plain", plain.address());
        assertNull(plain.port());
        assertNull(plain.user());
        assertEquals("ssh", plain.connection());
        assertFalse(plain.become());
        Host full = inv.host("full");
        assertEquals("127.0.0.1", full.address());
        assertEquals(2201, full.port());
        assertEquals("sysfleet", full.user());
        assertEquals(".sysfleet/lab/id_ed25519", full.privateKeyFile());
        assertEquals("local", full.connection());
        assertTrue(full.become());
        assertEquals("admin", full.becomeUser());
    }

    @Test
    void oddGroupNamesWarnLikeAnsible() throws IOException {
        Inventory inv = load("""
                all:
                  children:
                    my-group:
                      hosts: {h: }
                """);
        assertEquals(1, inv.warnings().size());
        assertEquals(file() + ":3:5", inv.warnings().get(0).location().toString());
    }

    @Test
    void badRangeNamesFileLineCol() throws IOException {
        assertEquals(file() + ":5:9: bad host range 'web[01:100]': host range must have begin and end of equal"
                + " length when zero-padded, got [01:100]", error("""
                all:
                  children:
                    web:
                      hosts:
                        web[01:100]:
                """));
    }

    @Test
    void unknownKeyInGroup() throws IOException {
        assertEquals(file() + ":4:7: unknown key 'host' in group 'web'; a group has only hosts, children and vars",
                error("""
                        all:
                          children:
                            web:
                              host:
                                w1:
                        """));
    }

    @Test
    void badHostName() throws IOException {
        assertEquals(file() + ":3:5: bad host name 'web;reboot': contains ';'", error("""
                all:
                  hosts:
                    "web;reboot":
                """));
        assertEquals(file() + ":3:5: bad host name 'web 1': contains whitespace", error("""
                all:
                  hosts:
                    web 1:
                """));
    }

    @Test
    void badPortNamesHostAndWhereItWasSet() throws IOException {
        assertEquals(file() + ":5:7: host 'h1': ansible_port must be a port number from 1 to 65535, got 70000",
                error("""
                        all:
                          hosts:
                            h1:
                              ansible_user: root
                              ansible_port: 70000
                        """));
    }

    @Test
    void badPortFromGroupVarsFileNamesThatFile() throws IOException {
        write("group_vars/web.yml", "ansible_port: http\n");
        assertEquals(dir.resolve("group_vars/web.yml") + ":1:1: host 'w1': ansible_port must be a port number from"
                + " 1 to 65535, got 'http'", error("web:\n  hosts:\n    w1:\n"));
    }

    @Test
    void otherConnectionVarErrors() throws IOException {
        assertEquals(String.join("\n",
                file() + ":4:7: host 'h1': ansible_become must be a boolean (true/false, yes/no, on/off, 1/0),"
                        + " got 'maybe'",
                file() + ":5:7: host 'h1': ansible_user must be a user name (letters, digits, '_', '.', '-'),"
                        + " got 'root; rm'"),
                error("""
                        all:
                          hosts:
                            h1:
                              ansible_become: maybe
                              ansible_user: root; rm
                        """));
    }

    @Test
    void allProblemsAreReportedTogether() throws IOException {
        String msg = error("""
                all:
                  children:
                    web:
                      hostz: {}
                      hosts:
                        "a|b":
                    db: [x]
                """);
        assertEquals(List.of(
                file() + ":4:7: unknown key 'hostz' in group 'web'; a group has only hosts, children and vars",
                file() + ":6:9: bad host name 'a|b': contains '|'",
                file() + ":7:9: group 'db' must be a mapping with hosts, children or vars, not a list"),
                List.of(msg.split("\n")));
    }

    @Test
    void structuralErrors() throws IOException {
        assertEquals(file() + ":1:1: neither a YAML nor an INI inventory: as YAML: a YAML inventory must be a"
                + " mapping of group names (all: ...), not a list; as INI: bad host name '-': starts with '-'"
                + " (line 1)", error("- a\n"));
        assertEquals(file() + ":1:1: inventory plugin configuration files are not supported; write a YAML or"
                + " INI inventory", error("plugin: aws_ec2\n"));
        assertEquals(file() + ":3:18: 'hosts' of group 'web' must be a mapping, not a list",
                error("all:\n  children:\n    web: {hosts: [a, b]}\n"));
        assertEquals(file() + ":3:5: adding group 'b' as a child of 'a' creates a loop",
                error("a:\n  children:\n    b:\n      children:\n        c:\n        a:\n"));
        assertEquals(file() + ":3:8: host 'h' in group 'all' must have a mapping of variables or nothing, not"
                + " a string", error("all:\n  hosts:\n    h: web\n"));
        assertEquals(file() + ":4:38: ansible_group_priority of group 'g' must be an integer, not a string",
                error("all:\n  children:\n    g:\n      vars: {ansible_group_priority: high}\n"));
    }

    @Test
    void nonMappingVarsFileIsAnError() throws IOException {
        write("group_vars/all.yml", "- a\n- b\n");
        assertEquals(dir.resolve("group_vars/all.yml") + ":1:1: a variables file must be a mapping of names to"
                + " values, not a list", error("all:\n  hosts:\n    h:\n"));
    }

    @Test
    void yamlErrorsKeepTheirLocation() throws IOException {
        String msg = error("all:\n  hosts:\n    h1:\n    h1:\n");
        assertEquals(file() + ":4:5: duplicate key 'h1'", msg);
    }
}
