package io.sysfleet.catalog.gen;

import io.sysfleet.catalog.KernelKey;
import io.sysfleet.catalog.KeyCatalog;
import io.sysfleet.catalog.Scope;
import io.sysfleet.catalog.ValueType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The generator: the committed catalog is exactly what it makes of the committed inputs and the installed
 * kernel documentation (Debian's linux-doc-6.1, installed by scripts/setup.sh), scripts/gen-catalog runs it,
 * and on small inputs of its own each input does what it should.
 */
class CatalogGeneratorTest {

    @Test
    void committedCatalogIsWhatTheGeneratorMakesOfTheInputs() throws IOException {
        assertTrue(Files.isDirectory(CatalogGenerator.DEFAULT_DOCS), CatalogGenerator.DEFAULT_DOCS
                + " is missing: install Debian's linux-doc-6.1 (scripts/setup.sh does)");
        CatalogGenerator.Result r = CatalogGenerator.generate(CatalogGenerator.DEFAULT_DOCS, CatalogGenerator.OVERRIDES,
                CatalogGenerator.SNAPSHOT);
        String committed = Files.readString(CatalogGenerator.OUTPUT);
        if (!committed.equals(r.yaml())) {
            List<String> a = committed.lines().toList();
            List<String> b = r.yaml().lines().toList();
            int i = 0;
            while (i < Math.min(a.size(), b.size()) && a.get(i).equals(b.get(i))) {
                i++;
            }
            throw new AssertionError(CatalogGenerator.OUTPUT + " is not up to date: run scripts/gen-catalog. First "
                    + "difference at line " + (i + 1) + ":\n  committed: " + (i < a.size() ? a.get(i) : "(end)")
                    + "\n  generated: " + (i < b.size() ? b.get(i) : "(end)"));
        }
        int total = r.bySubsystem().values().stream().mapToInt(Integer::intValue).sum();
        System.out.println("catalog: " + total + " keys " + r.bySubsystem());
        for (String s : List.of("net.ipv4", "net.ipv6", "net.core", "net.netfilter", "net.bridge", "net.unix", "vm",
                "kernel", "fs")) {
            assertTrue(r.bySubsystem().getOrDefault(s, 0) > 0, "no keys for " + s + ": " + r.bySubsystem());
        }
        assertTrue(total > 600, "only " + total + " keys");
    }

    @Test
    void theScriptChecksAndExitsOneWhenTheCatalogIsStale(@TempDir Path tmp) throws Exception {
        Path stale = tmp.resolve("keys.yml");
        Files.writeString(stale, Files.readString(CatalogGenerator.OUTPUT).replace("name: vm.swappiness, type: int,",
                "name: vm.swappiness, type: bool,"));
        Result up = script("--check", "--quiet");
        assertEquals(0, up.rc(), up.err());
        assertTrue(up.err().contains("is up to date"), up.err());
        Result down = script("--check", "--quiet", "--out", stale.toString());
        assertEquals(1, down.rc(), down.err());
        assertTrue(down.err().contains(stale + " is not up to date; run scripts/gen-catalog"), down.err());
        Result bad = script("--docs", tmp.resolve("nowhere").toString(), "--check");
        assertEquals(4, bad.rc(), bad.err());
        assertTrue(bad.err().startsWith("gen-catalog: kernel document networking/ip-sysctl.rst not found under "),
                bad.err());
        assertFalse(bad.err().contains("Exception"), bad.err());
    }

    private record Result(int rc, String err) { }

    /** Runs scripts/gen-catalog with this test's classpath, so the script does not build the jar. */
    private static Result script(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("bash", "scripts/gen-catalog"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("SYSFLEET_CLASSPATH", System.getProperty("java.class.path"));
        Process p = pb.start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(2, TimeUnit.MINUTES));
        return new Result(p.exitValue(), err);
    }

    @Test
    void eachInputPlaysItsPart(@TempDir Path tmp) throws IOException {
        Path docs = tmp.resolve("Documentation");
        gz(docs.resolve("networking/ip-sysctl.rst.gz"), """
                /proc/sys/net/ipv4/* Variables
                ==============================

                ip_forward - BOOLEAN
                \t- 0 - disabled (default)
                \t- not 0 - enabled

                somaxconn - INTEGER
                \tLimit of socket listen() backlog. Defaults to 4096.

                tcp_fin_timeout - INTEGER
                \tThe length of time an orphaned connection will remain in FIN_WAIT_2.
                \tDefault: 60 seconds

                ``conf/interface/*``
                \tchanges special settings per interface

                rp_filter - INTEGER
                \t- 0 - No source validation.
                \t- 1 - Strict mode
                \t- 2 - Loose mode

                /proc/sys/net/netfilter/nf_conntrack_* Variables:
                =================================================

                nf_conntrack_max - INTEGER
                \tSize of connection tracking table.
                """);
        Files.createDirectories(docs.resolve("admin-guide/sysctl"));
        Files.writeString(docs.resolve("admin-guide/sysctl/vm.rst"), """
                ===============================
                Documentation for /proc/sys/vm/
                ===============================

                swappiness
                ==========

                A value between 0 and 200. The default value is 60.

                max_map_count:
                ==============

                This file contains the maximum number of memory map areas a process may have.
                """);
        Path overrides = tmp.resolve("overrides.yml");
        Files.writeString(overrides, """
                documents: [networking/ip-sysctl.rst, admin-guide/sysctl/vm.rst]
                include: ["net.ipv4.*", "net.core.*", "net.netfilter.*", "vm.*"]
                rename: {net.ipv4.somaxconn: net.core.somaxconn}
                rules:
                  - {match: "net.netfilter.nf_conntrack_*", module: nf_conntrack}
                  - {match: "net.*", scope: netns}
                  - {match: "vm.*", scope: global}
                module_names: {nf_conntrack: {rhel5: ip_conntrack}}
                keys:
                  net.ipv4.tcp_fin_timeout: {min: 1, max: 2147483, notes: "jiffies cap"}
                  net.ipv4.tcp_tw_recycle: {type: bool, removed_in: "4.12", source: "overrides (removed)"}
                """);
        Path snapshot = tmp.resolve("live.tsv");
        Files.writeString(snapshot, String.join("\n",
                "# kernel: 6.18.1", "net.core.somaxconn\trw\trw\tint", "net.ipv4.ip_forward\trw\trw\tint",
                "net.ipv4.tcp_fin_timeout\trw\trw\tint", "net.netfilter.nf_conntrack_max\trw\tro\tint",
                "net.netfilter.nf_conntrack_count\tro\tro\tint", "net.ipv4.conf.all.rp_filter\trw\trw\tint",
                "net.ipv4.conf.lo.rp_filter\trw\trw\tint", "net.ipv4.tcp_rmem\trw\trw\tint*3",
                "vm.max_map_count\trw\trw\tint", "vm.swappiness\trw\trw\tint", "kernel.ostype\tro\tro\ttext", ""));
        CatalogGenerator.Result r = CatalogGenerator.generate(docs, overrides, snapshot);
        KeyCatalog c = KeyCatalog.parse(r.yaml(), "generated");

        KernelKey forward = c.find("net.ipv4.ip_forward").orElseThrow();
        assertEquals(ValueType.BOOL, forward.type(), "document header");
        assertEquals("0", forward.defaultValue(), "(default) bullet");
        assertEquals(Scope.NETNS, forward.scope(), "snapshot: writable in a new network namespace");
        assertTrue(c.find("net.core.somaxconn").isPresent(), "renamed");
        assertTrue(c.find("net.ipv4.somaxconn").isEmpty());
        KernelKey fin = c.find("net.ipv4.tcp_fin_timeout").orElseThrow();
        assertEquals(1L, fin.min(), "overrides win over the document's INTEGER bounds");
        assertEquals("jiffies cap", fin.notes());
        assertEquals("60", fin.defaultValue());
        KernelKey rp = c.find("net.ipv4.conf.eth0.rp_filter").orElseThrow();
        assertEquals("net.ipv4.conf.*.rp_filter", rp.name());
        assertEquals(2L, rp.max());
        KernelKey ct = c.find("net.netfilter.nf_conntrack_max").orElseThrow();
        assertEquals("nf_conntrack", ct.module(), "rule");
        assertEquals(Scope.GLOBAL, ct.scope(), "snapshot: read-only in a new network namespace beats the net.* rule");
        KernelKey count = c.find("net.netfilter.nf_conntrack_count").orElseThrow();
        assertTrue(count.readOnly(), "snapshot: read-only");
        assertTrue(count.source().startsWith("live snapshot"), "in no document: known from the snapshot");
        assertEquals(3, c.find("net.ipv4.tcp_rmem").orElseThrow().fields(), "live-only, typed by its value's shape");
        assertTrue(c.find("kernel.ostype").isEmpty(), "kernel.* is not included");
        assertEquals("4.12", c.find("net.ipv4.tcp_tw_recycle").orElseThrow().removedIn(), "added by the overrides");
        KernelKey swap = c.find("vm.swappiness").orElseThrow();
        assertEquals(200L, swap.max());
        assertEquals(Scope.GLOBAL, swap.scope());
        assertEquals(ValueType.INT, c.find("vm.max_map_count").orElseThrow().type(), "typed by the snapshot");
        assertNull(c.find("vm.max_map_count").orElseThrow().defaultValue());
        assertTrue(r.yaml().startsWith("# sysfleet kernel key catalog. GENERATED by scripts/gen-catalog"), r.yaml());
        assertTrue(r.yaml().contains("networking/ip-sysctl.rst  "), "names each document with its hash");
        assertTrue(r.yaml().contains("/proc/sys of Linux 6.18.1"), "names the snapshot's kernel");
        assertEquals(r.yaml(), CatalogGenerator.generate(docs, overrides, snapshot).yaml(), "reproducible");
    }

    private static void gz(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        try (GZIPOutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }
}
