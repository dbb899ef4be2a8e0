package io.sysfleet.lint;

import io.sysfleet.catalog.KeyCatalog;
import io.sysfleet.playbook.PlaybookLoader;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LinterTest {
    static final String DIR = "src/test/resources/lint/";
    private static final KeyCatalog CATALOG = KeyCatalog.load();

    static List<String> lint(String file) {
        return Linter.lint(PlaybookLoader.load(Path.of(DIR + file)), CATALOG).stream().map(Finding::toString).toList();
    }

    @Test
    void twRecycleOneIsAnErrorZeroUnguardedAWarningAbsentNothing() {
        String f = DIR + "recycle.yml:";
        assertEquals(List.of(
                // New rule removed-key: 0 without a kernel guard still makes sysctl -p fail on 4.12 and later.
                f + "5:22: warning: net.ipv4.tcp_tw_recycle was removed in Linux 4.12 (overrides: removed in Linux "
                        + "4.12 by commit 4396e46187ca; described in ip-sysctl.rst up to 4.11): on that kernel and "
                        + "later sysctl -p fails on it; guard the task with when: ansible_kernel is version('4.12', "
                        + "'<') [removed-key]",
                f + "6:54: error: net.ipv4.tcp_tw_recycle = 1 drops SYNs from clients behind NAT (troubleshooting "
                        + "table rows 1 and 8) and Linux 4.12 removed the key; set 0 and rely on tcp_tw_reuse "
                        + "[tw-recycle]",
                f + "6:54: error: net.ipv4.tcp_tw_recycle is set to '1' here and to '0' at " + f + "5:54 in the same "
                        + "play; the last one wins silently [conflicting-values]",
                f + "9:54: info: value '{{ recycle | default('1') }}' needs recycle, not set in the play's vars; "
                        + "checked per host at run time [unresolved]"),
                lint("recycle.yml"));
    }

    @Test
    void publishedRowThreeFailsLint() {
        assertEquals(List.of(DIR + "row3-published.yml:7:54: error: net.ipv4.tcp_tw_recycle = 1 drops SYNs from "
                + "clients behind NAT (troubleshooting table rows 1 and 8) and Linux 4.12 removed the key; set 0 and "
                + "rely on tcp_tw_reuse [tw-recycle]"), lint("row3-published.yml"));
    }

    @Test
    void timestampsOffWithTwReuseInOnePlayWarns() {
        String f = DIR + "timestamps.yml:";
        assertEquals(List.of(f + "5:54: warning: net.ipv4.tcp_timestamps = 0 makes net.ipv4.tcp_tw_reuse = 1 (at "
                + f + "4:52) ineffective: reuse needs timestamps; choose one (table row 1 or row 3) "
                + "[tw-reuse-without-timestamps]"), lint("timestamps.yml"),
                "only the first play has both; plays 2 and 3 have one each");
    }

    @Test
    void valuesAreCheckedAgainstTheCatalogAfterPlayVars() {
        String f = DIR + "values.yml:";
        assertEquals(List.of(
                f + "6:55: error: net.ipv4.tcp_fin_timeout must be an integer from 1 to 2147483, got '0' [bad-value]",
                f + "8:49: error: net.core.somaxconn must be an integer from 0 to 2147483647, got 'lots' [bad-value]",
                f + "10:59: error: net.ipv4.ip_local_port_range must be 2 integers separated by whitespace, each "
                        + "from 1 to 65535, got '1024' [bad-value]",
                f + "10:59: error: net.ipv4.ip_local_port_range is set to '1024' here and to '1024 65535' at " + f
                        + "9:59 in the same play; the last one wins silently [conflicting-values]",
                f + "12:55: error: net.ipv4.tcp_fin_timeout must be an integer from 1 to 2147483, got '0' [bad-value]",
                f + "13:49: info: value '{{ per_host }}' needs per_host, not set in the play's vars; checked per "
                        + "host at run time [unresolved]",
                f + "14:22: info: key '{{ key_from_inventory }}' needs key_from_inventory, not set in the play's "
                        + "vars; checked per host at run time [unresolved]",
                f + "16:22: warning: 'kernel.made_up' is not in sysfleet's key catalog; its value is not checked "
                        + "[unknown-key]"),
                lint("values.yml"), "vm.swappiness = 10 is fine: the generated catalog knows it (0 to 200)");
    }

    @Test
    void conflictingValuesInOnePlayButNotAcrossPlaysOrSameValue() {
        String f = DIR + "conflicts.yml:";
        assertEquals(List.of(
                f + "5:55: error: net.ipv4.tcp_fin_timeout is set to '60' here and to '30' at " + f + "3:55 in the "
                        + "same play; the last one wins silently [conflicting-values]",
                f + "7:66: error: net.netfilter.nf_conntrack_max is set to '65536' here and to '655350' at " + f
                        + "6:61 in the same play; the last one wins silently [conflicting-values]",
                // New rule fin-timeout-low: the second play's 15 is below the table's 30.
                f + "12:55: warning: net.ipv4.tcp_fin_timeout = 15 is below the 30 seconds the troubleshooting table "
                        + "sets (rows 2, 3 and 5; row 2: a changed tcp_fin_timeout is the usual cause of peers still "
                        + "showing ESTABLISHED after the server closed) [fin-timeout-low]"),
                lint("conflicts.yml"), "30 and \"30\" agree, vectors compare by fields, the CentOS 5 name is the same "
                        + "key, the second play is separate");
    }

    @Test
    void findingsInImportedPlaybooksPointAtTheImportedFile() {
        assertEquals(List.of(DIR + "sub/imported.yml:3:54: error: net.ipv4.tcp_tw_recycle = 1 drops SYNs from "
                + "clients behind NAT (troubleshooting table rows 1 and 8) and Linux 4.12 removed the key; set 0 and "
                + "rely on tcp_tw_reuse [tw-recycle]"), lint("import-main.yml"));
    }

    @Test
    void cleanPlaybookHasNoFindings() {
        assertEquals(List.of(), lint("clean.yml"));
    }

    @Test
    void shippedPlaybooksLintClean() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(Path.of("playbooks"))) {
            files = s.filter(p -> p.toString().endsWith(".yml")).sorted().toList();
        }
        assertTrue(files.size() >= 7, "the catalog branch ships one playbook per table row: " + files);
        for (Path p : files) {
            List<Finding> findings = Linter.lint(PlaybookLoader.load(p), CATALOG);
            assertEquals(List.of(), findings.stream().filter(x -> x.severity() != Severity.INFO).toList(),
                    p.toString());
        }
    }
}
