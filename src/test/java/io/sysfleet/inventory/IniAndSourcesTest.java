package io.sysfleet.inventory;

import io.sysfleet.core.ConfigException;
import io.sysfleet.vault.VaultException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * INI reading, format detection, directories, host lists and several sources: the behaviour and the one-line
 * errors. (That the results mean what ansible-inventory says is checked by the oracle tests and the corpus.)
 */
class IniAndSourcesTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        return p;
    }

    private Inventory load(Path... sources) {
        return InventoryLoader.load(java.util.Arrays.stream(sources).map(Path::toString).toList(),
                InventoryLoader.Options.defaults());
    }

    private String error(Path... sources) {
        return assertThrows(ConfigException.class, () -> load(sources)).getMessage();
    }

    @Test
    void iniGroupsChildrenVarsAndTyping() throws IOException {
        Inventory inv = load(write("hosts", """
                lone
                [web]
                web[1:2] ansible_port=2222 weight=1.5 label="two words"
                [web:vars]
                http_port=80
                flag=FALSE
                [site:children]
                web
                """));
        assertEquals(List.of("ungrouped", "site"), inv.group("all").children());
        assertEquals(List.of("web"), inv.group("site").children());
        assertEquals(List.of("lone"), inv.group("ungrouped").hosts());
        Map<String, Object> w1 = inv.host("web1").vars();
        assertEquals(2222, w1.get("ansible_port"));
        assertEquals(1.5, w1.get("weight"));
        assertEquals("two words", w1.get("label"));
        assertEquals(80, w1.get("http_port"), "INI :vars values are Python literals too (ansible-core 2.14)");
        assertEquals("FALSE", w1.get("flag"));
        assertEquals(2222, inv.host("web2").port());
    }

    @Test
    void iniErrorsNameTheLine() throws IOException {
        assertEquals(dir.resolve("a.ini") + ":2: not a valid INI inventory: expected key=value host variable"
                + " assignment, got 'oops'", error(write("a.ini", "[web]\nweb1 x=1 oops\n")));
        assertEquals(dir.resolve("b.ini") + ":3: not a valid INI inventory: section [web:hostz] has unknown type:"
                + " hostz (use [web], [web:vars] or [web:children])", error(write("b.ini", "[web]\nw1\n[web:hostz]\n")));
        assertEquals(dir.resolve("c.ini") + ":1: not a valid INI inventory: invalid section entry '[my group]': a"
                + " section is [group], [group:vars] or [group:children], without spaces",
                error(write("c.ini", "[my group]\n")));
        assertEquals(dir.resolve("d.ini") + ":2: not a valid INI inventory: section [p:children] names group"
                + " 'ghost', which is never declared with [ghost] or [ghost:children]",
                error(write("d.ini", "[p:children]\nghost\n[p]\n")));
        assertEquals(dir.resolve("e.ini") + ":1: not a valid INI inventory: section [g:vars] is for group 'g',"
                + " which is never declared with [g] or [g:children]", error(write("e.ini", "[g:vars]\nx=1\n")));
        assertEquals(dir.resolve("f.ini") + ":2: not a valid INI inventory: invalid host pattern 'web1:': a"
                + " trailing ':' is reserved for a port (is this a YAML file with another name?)",
                error(write("f.ini", "[web]\nweb1:\n")));
        assertEquals(dir.resolve("g.ini") + ":1: not a valid INI inventory: cannot split host line 'w1"
                + " x=\"open': No closing quotation", error(write("g.ini", "w1 x=\"open\n")));
        assertEquals(dir.resolve("h.ini") + ":1: not a valid INI inventory: the value 1+2j is a Python complex"
                + " number, which Ansible cannot print", error(write("h.ini", "w1 x=1+2j\n")));
        assertEquals(dir.resolve("i.ini") + ":2: not a valid INI inventory: bad host name 'a;b': contains ';'",
                error(write("i.ini", "[web]\na;b\n")));
    }

    @Test
    void yamlIsTriedFirstThenIniWhateverTheName() throws IOException {
        Inventory ini = load(write("hosts.yml", "[web]\nw1 x=1\n"));
        assertEquals(1, ini.host("w1").vars().get("x"));
        Inventory yaml = load(write("hosts", "web:\n  hosts:\n    w2:\n"));
        assertEquals(List.of("w2"), yaml.group("web").hosts());
        // YAML is read only from files without extension or ending in .yml/.yaml/.json, as in Ansible
        assertEquals(dir.resolve("hosts.prod") + ":1: not a valid INI inventory: invalid host pattern 'web:': a"
                + " trailing ':' is reserved for a port (is this a YAML file with another name?)",
                error(write("hosts.prod", "web:\n  hosts:\n    w3:\n")));
        assertEquals(dir.resolve("bad") + ":1: neither an INI nor a YAML inventory: as INI: expected key=value"
                + " host variable assignment, got 'b:'; as YAML: invalid YAML: mapping values are not allowed here"
                + " (line 1:7)", error(write("bad", "a b: c: d\n")));
        assertEquals(dir.resolve("bad.yml") + ":1:7: neither a YAML nor an INI inventory: as YAML: invalid YAML:"
                + " mapping values are not allowed here; as INI: expected key=value host variable assignment, got"
                + " 'b:' (line 1)", error(write("bad.yml", "a b: c: d\n")));
    }

    @Test
    void emptyAndCommentOnlyFilesAreEmptyInventories() throws IOException {
        Inventory inv = load(write("empty", ""), write("comments.yml", "# nothing yet\n; still nothing\n"));
        assertEquals(List.of("ungrouped"), inv.group("all").children());
        assertTrue(inv.hosts().isEmpty());
    }

    @Test
    void scriptsAndTomlAreRefusedClearly() throws IOException {
        Path script = write("ec2.py", "#!/usr/bin/env python3\nprint('{}')\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertEquals(script + ": is an executable inventory script; sysfleet does not run inventory scripts: save"
                + " its --list output as a YAML or INI inventory", error(script));
        assertEquals(dir.resolve("hosts.toml") + ": TOML inventories are not supported; use YAML or INI",
                error(write("hosts.toml", "[web.hosts]\n")));
    }

    @Test
    void iniLinesThatAreNotUtf8() throws IOException {
        Path f = dir.resolve("latin1");
        Files.write(f, "# caf\u00e9\n[web]\nw1\n".getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(List.of("w1"), load(f).group("web").hosts(), "non-UTF-8 bytes in a comment are fine");
        Files.write(f, "[web]\nw\u00e91\n".getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(f + ":2: not valid UTF-8 text", error(f));
    }

    @Test
    void directoriesAreReadInOrderSkippingWhatAnsibleSkips() throws IOException {
        Path inv = dir.resolve("inv");
        write("inv/b.yml", "web:\n  hosts:\n    w2:\n");
        write("inv/a", "[web]\nw1\n");
        write("inv/c/d.yml", "db:\n  hosts:\n    d1:\n");
        for (String skipped : List.of("hosts.ini", "x.orig", "x.retry", "x.md", "x.txt", "x.cfg", "x~", ".x",
                "x.bak", "x.swp", "x.rst", "x.pyc", "x.rpm")) {
            write("inv/" + skipped, "[never]\nnever\n");
        }
        write("inv/group_vars/web.yml", "from_dir: yes\n");
        write("inv/c/group_vars/db.yml", "not_read: yes\n");
        Inventory loaded = load(inv);
        assertEquals(List.of("w1", "w2"), loaded.group("web").hosts());
        assertEquals(List.of("ungrouped", "web", "db"), loaded.group("all").children());
        assertEquals(Boolean.TRUE, loaded.host("w1").vars().get("from_dir"));
        assertEquals(Map.of(), loaded.host("d1").vars(), "group_vars only beside a -i source");
    }

    @Test
    void hostListsAndSeveralSources() throws IOException {
        Path a = write("a/hosts", "[db]\nd1 x=a\n[db:vars]\ng=a\n");
        write("a/group_vars/db.yml", "f: a\n");
        Path b = write("b/hosts.yml", "db:\n  hosts:\n    d1: {x: b}\n");
        write("b/group_vars/db.yml", "f: b\n");
        Inventory inv = InventoryLoader.load(List.of("web1,web2:2222,", a.toString(), b.toString()),
                InventoryLoader.Options.defaults());
        assertEquals(List.of("web1", "web2"), inv.group("ungrouped").hosts());
        assertEquals(2222, inv.host("web2").port());
        assertEquals(Map.of("x", "b", "g", "a", "f", "b"), inv.host("d1").vars(), "later sources win");
        assertEquals(List.of("web1,web2:2222,", a.toString(), b.toString()), inv.sources());
    }

    @Test
    void structureOnlyReadsNoVariables() throws IOException {
        Path inv = write("s/hosts", "[web]\nw1 ansible_port=22\n");
        write("s/group_vars/web.yml", "$ANSIBLE_VAULT;1.1;AES256\n6161\n");
        assertThrows(VaultException.class, () -> load(inv), "with variables, the encrypted file needs a password");
        Inventory structure = InventoryLoader.load(List.of(inv.toString()),
                InventoryLoader.Options.defaults().structureOnly());
        assertEquals(List.of("w1"), structure.group("web").hosts());
        assertEquals(Map.of(), structure.host("w1").vars());
    }
}
