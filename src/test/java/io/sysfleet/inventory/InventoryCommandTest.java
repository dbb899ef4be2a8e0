package io.sysfleet.inventory;

import io.sysfleet.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code sysfleet inventory} exit codes and messages, run in-process. */
class InventoryCommandTest {
    @TempDir
    Path dir;

    private record Run(int rc, String out, String err) { }

    private Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.newCommandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int rc = cl.execute(args);
        return new Run(rc, out.toString(), err.toString());
    }

    private Path inventory(String text) throws IOException {
        Path f = dir.resolve("hosts.yml");
        Files.writeString(f, text);
        return f;
    }

    @Test
    void missingInventoryIsUsage() {
        Run r = run("inventory", "--list");
        assertEquals(5, r.rc());
        assertTrue(r.err().contains("Missing required option: '--inventory=SOURCE'"), r.err());
    }

    @Test
    void noActionIsUsage() throws IOException {
        Run r = run("inventory", "-i", inventory("all:\n").toString());
        assertEquals(5, r.rc());
    }

    @Test
    void twoInventoriesAreMergedLaterWinning() throws IOException {
        String yaml = inventory("all:\n  hosts:\n    a1: {x: yaml}\n").toString();
        Path ini = dir.resolve("more");
        Files.writeString(ini, "[web]\na1 x=ini\nw1\n");
        Run r = run("inventory", "-i", yaml, "-i", ini.toString(), "--graph");
        assertEquals(0, r.rc(), r.err());
        assertEquals("@all:\n  |--@ungrouped:\n  |--@web:\n  |  |--a1\n  |  |--w1\n", r.out());
        assertEquals("{\n    \"x\": \"ini\"\n}\n", run("inventory", "-i", yaml, "-i", ini.toString(), "--host", "a1").out());
    }

    @Test
    void badInventoryIsConfigErrorOnOneLine() throws IOException {
        Path f = inventory("all:\n  hosts:\n    h1:\n      ansible_port: 0\n");
        Run r = run("inventory", "-i", f.toString(), "--list");
        assertEquals(4, r.rc());
        assertEquals("sysfleet: " + f + ":4:7: host 'h1': ansible_port must be a port number from 1 to 65535, got 0\n",
                r.err());
        assertEquals("", r.out());
    }

    @Test
    void missingFileIsConfigError() {
        Run r = run("inventory", "-i", dir.resolve("nope.yml").toString(), "--list");
        assertEquals(4, r.rc());
        assertEquals("sysfleet: " + dir.resolve("nope.yml") + ": no such file\n", r.err());
    }

    @Test
    void hostMustMatchExactlyOne() throws IOException {
        String f = inventory("all:\n  hosts:\n    a1:\n    a2:\n").toString();
        Run r = run("inventory", "-i", f, "--host", "a*");
        assertEquals(5, r.rc());
        assertEquals("sysfleet: --host 'a*' matches 2 hosts; it must name exactly one\n", r.err());
        Run one = run("inventory", "-i", f, "--host", "a2");
        assertEquals(0, one.rc());
        assertEquals("{}\n", one.out());
    }

    @Test
    void graphNeedsAGroup() throws IOException {
        String f = inventory("all:\n  hosts:\n    a1:\n").toString();
        Run r = run("inventory", "-i", f, "--graph", "a1");
        assertEquals(5, r.rc());
        assertEquals("sysfleet: --graph needs a group name; there is no group 'a1'\n", r.err());
    }

    @Test
    void limitFiltersListAndGraph() throws IOException {
        String f = inventory("""
                all:
                  children:
                    web: {hosts: {w1: {x: 1}, w2: {x: 2}}}
                    db: {hosts: {d1: }}
                """).toString();
        Run r = run("inventory", "-i", f, "--list", "--limit", "w2");
        assertEquals(0, r.rc(), r.err());
        assertEquals("""
                {
                    "_meta": {
                        "hostvars": {
                            "w2": {
                                "x": 2
                            }
                        }
                    },
                    "all": {
                        "children": [
                            "ungrouped",
                            "web",
                            "db"
                        ]
                    },
                    "web": {
                        "hosts": [
                            "w2"
                        ]
                    }
                }
                """, r.out());
        Run g = run("inventory", "-i", f, "--graph", "--limit", "web:!w1");
        assertEquals("@all:\n  |--@ungrouped:\n  |--@web:\n  |  |--w2\n  |--@db:\n", g.out());
    }

    @Test
    void warningsGoToStderr() throws IOException {
        Path f = inventory("all:\n  children:\n    my-group:\n      hosts: {h: }\n");
        Run r = run("inventory", "-i", f.toString(), "--graph");
        assertEquals(0, r.rc());
        assertTrue(r.err().startsWith("[WARNING]: " + f + ":3:5: group name 'my-group'"), r.err());
        assertEquals("@all:\n  |--@ungrouped:\n  |--@my-group:\n  |  |--h\n", r.out());
    }
}
