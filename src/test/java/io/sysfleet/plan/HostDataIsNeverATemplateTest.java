package io.sysfleet.plan;

import io.sysfleet.apply.Applier;
import io.sysfleet.catalog.KeyCatalog;
import io.sysfleet.catalog.Platform;
import io.sysfleet.inventory.Host;
import io.sysfleet.playbook.Play;
import io.sysfleet.playbook.PlaybookLoader;
import io.sysfleet.report.JsonReport;
import io.sysfleet.report.TextReport;
import io.sysfleet.result.HostResult;
import io.sysfleet.result.PlayResult;
import io.sysfleet.result.RunReport;
import io.sysfleet.sysctl.SysctlKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a host reports (os-release, redhat-release, kernel release, file lines, live values) is data: written as
 * {@code {{ secret_var }}} it stays that text in names, values, conditions, the terminal and the JSON report, and
 * never pulls in the controller's variable.
 */
class HostDataIsNeverATemplateTest {
    private static final String T = "{{ secret_var }}";

    @TempDir
    Path dir;

    @Test
    void factsFileLinesAndLiveValuesAreNeverRendered() throws Exception {
        Path f = dir.resolve("p.yml");
        Files.writeString(f, """
                - hosts: all
                  gather_facts: true
                  vars:
                    secret_var: s3cr3t-controller-value
                  tasks:
                    - name: "release {{ ansible_distribution_version }} major {{ ansible_distribution_major_version }} on {{ ansible_kernel }} ({{ ansible_facts['distribution'] }})"
                      when: ansible_kernel is search('secret_var') and ansible_distribution_version == '{' ~ '{ secret_var }' ~ '}'
                      ansible.posix.sysctl:
                        name: net.ipv4.tcp_fin_timeout
                        value: "{{ ansible_kernel | length }}"
                """);
        Play play = PlaybookLoader.load(f).plays().get(0);
        Platform hostile = Platform.detect("ID=\"" + T + "\"\nVERSION_ID=\"" + T + "\"\n",
                "CentOS release " + T + " (Final)\n", T);
        Map<String, String> files = new HashMap<>();
        files.put("/etc/sysctl.conf", "# " + T + "\nnet.ipv4.tcp_fin_timeout = " + T + "\n");
        HostPlan plan = new Planner(KeyCatalog.load()).plan(new Host("web1", Map.of()), play,
                new HostState(hostile, files, Map.of(SysctlKey.of("net.ipv4.tcp_fin_timeout"), T)));
        assertEquals(null, plan.error());
        KeyPlan k = plan.keys().get(0);
        assertEquals("release " + T + " major " + T + " on " + T + " (" + T + ")", k.taskName());
        assertEquals(KeyPlan.Outcome.CHANGE, k.outcome(), "the when saw the facts as written: " + k);
        assertEquals(String.valueOf(T.length()), k.desired(), "the value counted the literal text");
        assertEquals(T, k.live());

        HostResult r = Applier.withoutApplying(plan, true);
        RunReport report = new RunReport("r1", true, Instant.EPOCH, Instant.EPOCH,
                List.of(new PlayResult(play.name(), List.of(r), null)));
        StringWriter text = new StringWriter();
        TextReport tr = new TextReport(new PrintWriter(text), true, 1);
        tr.hostFinished(r);
        tr.recap(report);
        String json = JsonReport.render(report);
        for (String out : List.of(json, text.toString(), String.valueOf(plan.keys()), String.valueOf(plan.files()))) {
            assertFalse(out.contains("s3cr3t"), "the controller's variable leaked: " + out);
        }
        assertTrue(json.contains("release {{ secret_var }}"), json);
        assertTrue(text.toString().contains("-net.ipv4.tcp_fin_timeout = " + T), "the file line, as data: " + text);
    }
}
