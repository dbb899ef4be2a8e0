package io.sysfleet.bench;

import io.sysfleet.sysctl.SysctlKey;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How the lab benchmark tells converged hosts from drifted ones: parsing the in-container read and judging it. */
class ConvergenceTest {
    private static final String SHA = "a".repeat(64);

    /** Output of the read/reset script: live values, sha, file lines (as printed by `sed 's/^/file /'`). */
    private static String output(Map<SysctlKey, String> live, String fileText) {
        StringBuilder sb = new StringBuilder();
        live.forEach((k, v) -> sb.append("now ").append(k.path()).append(' ').append(v).append('\n'));
        sb.append("now-sha ").append(SHA).append('\n');
        for (String l : fileText.split("\n", -1)) {
            if (!l.isEmpty()) {
                sb.append("file ").append(l).append('\n');
            }
        }
        return sb.toString();
    }

    private static String convergedFile() {
        return "# comment\nnet.ipv4.tcp_fin_timeout = 60\n" + Convergence.DESIRED.entrySet().stream()
                .map(e -> e.getKey().dotted() + " = " + e.getValue()).collect(Collectors.joining("\n")) + "\n";
    }

    @Test
    void aConvergedHostHasEveryValueLiveAndAsTheLastLineOfItsFile() {
        Convergence.Observed o = Convergence.parse(output(Convergence.DESIRED, convergedFile()));
        assertEquals(List.of(), Convergence.notConverged(o));
        assertEquals(SHA, o.sha256());
    }

    @Test
    void aWrongLiveValueOrAnEarlierLineThatALaterOneOverridesIsNotConverged() {
        Map<SysctlKey, String> live = new java.util.LinkedHashMap<>(Convergence.DESIRED);
        live.put(SysctlKey.of("net.ipv4.tcp_tw_reuse"), "0");
        List<String> why = Convergence.notConverged(Convergence.parse(output(live, convergedFile())));
        assertEquals(List.of("net.ipv4.tcp_tw_reuse is 0 in /proc/sys, wanted 1"), why);

        String overridden = convergedFile() + "net.ipv4.tcp_syncookies = 0\n";
        why = Convergence.notConverged(Convergence.parse(output(Convergence.DESIRED, overridden)));
        assertEquals(List.of("net.ipv4.tcp_syncookies is '0' in /etc/sysctl.conf, wanted 1"), why);

        String missing = convergedFile().replace("net.ipv4.tcp_max_tw_buckets = 5000\n", "");
        why = Convergence.notConverged(Convergence.parse(output(Convergence.DESIRED, missing)));
        assertEquals(List.of("net.ipv4.tcp_max_tw_buckets is not set in /etc/sysctl.conf, wanted 5000"), why);
    }

    @Test
    void theStartingStateIsTheDriftedLiveValuesAndExactlyTheStartingFile() {
        assertEquals(List.of(), Convergence.notDrifted(Convergence.DRIFTED_LIVE, SHA, SHA));
        List<String> why = Convergence.notDrifted(Convergence.DESIRED, "b".repeat(64), SHA);
        assertEquals(Convergence.DESIRED.size() + 1, why.size(), why.toString());
        assertTrue(why.get(why.size() - 1).contains("not the starting file's"), why.toString());
    }

    @Test
    void resetOutputCarriesTheStateAfterTheReset() {
        String out = output(Convergence.DESIRED, convergedFile()) + Convergence.DRIFTED_LIVE.entrySet().stream()
                .map(e -> "reset " + e.getKey().path() + " " + e.getValue() + "\n").collect(Collectors.joining())
                + "reset-sha " + SHA + "\n";
        Convergence.Observed o = Convergence.parse(out);
        assertEquals(Convergence.DRIFTED_LIVE, o.resetLive());
        assertEquals(SHA, o.resetSha256());
    }

    @Test
    void truncatedOrForeignOutputIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Convergence.parse("now net/ipv4/tcp_syncookies 1\n"));
        assertThrows(IllegalArgumentException.class, () -> Convergence.parse(
                output(Convergence.DESIRED, convergedFile()) + "sudo: unable to resolve host\n"));
    }

    @Test
    void theFloorSetsTheSameSixKeysThroughSudoWithOneSedAndOneSysctl() {
        String c = Convergence.floorCommand();
        assertTrue(c.startsWith("sudo -n sh -c '"), c);
        for (Map.Entry<SysctlKey, String> e : Convergence.DESIRED.entrySet()) {
            assertTrue(c.contains(e.getKey().dotted() + " = " + e.getValue()), c);
            assertTrue(c.contains(e.getKey().dotted().replace(".", "\\.")), c);
        }
        assertTrue(c.contains("sysctl -p"), c);
        assertTrue(!c.contains("{}"), "xargs -I{} must not find its placeholder in the remote command");
    }

    @Test
    void theBenchmarkPlaybookSetsExactlyTheKeysTheHarnessChecks() throws Exception {
        String yml = java.nio.file.Files.readString(java.nio.file.Path.of(LabBench.PLAYBOOK));
        for (Map.Entry<SysctlKey, String> e : Convergence.DESIRED.entrySet()) {
            assertTrue(yml.contains("name: " + e.getKey().dotted() + "\n        value: \"" + e.getValue() + "\""),
                    e.getKey() + " in " + LabBench.PLAYBOOK);
        }
        assertEquals(Convergence.DESIRED.size(), yml.split("ansible.posix.sysctl:", -1).length - 1);
    }
}
