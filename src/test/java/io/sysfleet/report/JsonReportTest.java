package io.sysfleet.report;

import io.sysfleet.core.ExitCode;
import io.sysfleet.core.SysfleetException;
import io.sysfleet.result.HostResult.Status;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sysfleet.result.Phase;
import io.sysfleet.result.RunReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonReportTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static JsonNode parse(RunReport r) throws Exception {
        return MAPPER.readTree(JsonReport.render(r));
    }

    private static List<String> fields(JsonNode n) {
        List<String> names = new ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void runFieldsInStableOrder() throws Exception {
        JsonNode root = parse(SampleRuns.apply());
        assertEquals(List.of("schemaVersion", "runId", "mode", "started", "finished", "durationMs", "exitCode",
                "exitName", "summary", "plays"), fields(root));
        assertEquals(1, root.get("schemaVersion").intValue());
        assertEquals("20240501T101530-ab12", root.get("runId").textValue());
        assertEquals("apply", root.get("mode").textValue());
        assertEquals("2024-05-01T10:15:30.250Z", root.get("started").textValue());
        assertEquals("2024-05-01T10:15:42.750Z", root.get("finished").textValue());
        assertEquals(12500, root.get("durationMs").longValue());
        assertEquals(2, root.get("exitCode").intValue());
        assertEquals("HOST_FAILED", root.get("exitName").textValue());
    }

    @Test
    void summaryCountsHostResultsPerStatus() throws Exception {
        JsonNode s = parse(SampleRuns.apply()).get("summary");
        assertEquals(List.of("hosts", "ok", "changed", "failed", "unreachable", "skipped"), fields(s));
        assertEquals(7, s.get("hosts").intValue());
        assertEquals(2, s.get("ok").intValue());
        assertEquals(1, s.get("changed").intValue());
        assertEquals(2, s.get("failed").intValue());
        assertEquals(1, s.get("unreachable").intValue());
        assertEquals(1, s.get("skipped").intValue());
    }

    @Test
    void playsHostsAndKeys() throws Exception {
        JsonNode plays = parse(SampleRuns.apply()).get("plays");
        assertEquals(2, plays.size());
        assertEquals(SampleRuns.PLAY, plays.get(0).get("name").textValue());
        JsonNode hosts = plays.get(0).get("hosts");
        assertEquals(List.of("web1.example.com", "web2", "db1", "db2", "10.0.0.9", "cache1"), names(hosts));
        JsonNode web1 = hosts.get(0);
        assertEquals(List.of("name", "status", "phase", "error", "undone", "durationMs", "warnings", "diffs", "keys"), fields(web1));
        assertEquals("ok", web1.get("status").textValue());
        assertTrue(web1.get("phase").isNull());
        assertTrue(web1.get("error").isNull());
        JsonNode k0 = web1.get("keys").get(0);
        assertEquals(List.of("task", "key", "planned", "old", "new", "changed", "verified", "skipped", "note", "error"),
                fields(k0));
        assertEquals("FIN timeout", k0.get("task").textValue());
        assertEquals("net.ipv4.tcp_fin_timeout", k0.get("key").textValue());
        assertTrue(k0.get("verified").booleanValue());
        assertFalse(k0.get("changed").booleanValue());
        assertEquals("already set", k0.get("note").textValue());
        JsonNode skippedKey = web1.get("keys").get(1);
        assertTrue(skippedKey.get("skipped").booleanValue());
        assertTrue(skippedKey.get("old").isNull());
        assertTrue(skippedKey.get("new").isNull());

        JsonNode web2 = hosts.get(1);
        assertEquals("changed", web2.get("status").textValue());
        assertEquals(SampleRuns.DIFF, web2.get("diffs").get(0).textValue(), "non-ASCII and XML-special diff intact");
        assertEquals("sysctl.conf had CRLF line endings; kept them", web2.get("warnings").get(0).textValue());
        JsonNode changedKey = web2.get("keys").get(0);
        assertEquals("60", changedKey.get("old").textValue());
        assertEquals("30", changedKey.get("new").textValue());
        assertTrue(changedKey.get("changed").booleanValue());
    }

    private static List<String> names(JsonNode hosts) {
        List<String> names = new ArrayList<>();
        hosts.forEach(h -> names.add(h.get("name").textValue()));
        return names;
    }

    @Test
    void failedHostsKeepPhaseErrorAndUndo() throws Exception {
        JsonNode hosts = parse(SampleRuns.apply()).get("plays").get(0).get("hosts");
        assertEquals(List.of("web1.example.com", "web2", "db1", "db2", "10.0.0.9", "cache1"), names(hosts));
        JsonNode db1 = hosts.get(2);
        assertEquals("failed", db1.get("status").textValue());
        assertEquals("verify", db1.get("phase").textValue());
        assertTrue(db1.get("undone").booleanValue());
        JsonNode bad = db1.get("keys").get(0);
        assertEquals(SampleRuns.KERNEL_ERROR, bad.get("error").textValue());
        assertEquals("999999999999", bad.get("planned").textValue());
        assertEquals("65536", bad.get("old").textValue());
        assertEquals("65536", bad.get("new").textValue());
        assertFalse(bad.get("verified").booleanValue());

        JsonNode db2 = hosts.get(3);
        assertEquals("plan", db2.get("phase").textValue());
        assertTrue(db2.get("error").textValue().contains("CentOS 7 & <later>"));
        assertEquals(0, db2.get("keys").size());
        assertFalse(db2.get("undone").booleanValue());

        JsonNode down = hosts.get(4);
        assertEquals("unreachable", down.get("status").textValue());
        assertEquals("connect", down.get("phase").textValue());
        assertEquals("skipped", hosts.get(5).get("status").textValue());
    }

    @Test
    void controlCharactersAndNonAsciiRoundTrip() throws Exception {
        JsonNode odd = parse(SampleRuns.apply()).get("plays").get(1).get("hosts").get(0);
        String expected = SampleRuns.CONTROL.replace("\ud800", "\ufffd");
        assertTrue(expected.contains("\u0001\u001b[0m") && expected.contains("🚀") && !expected.contains("\ud800"));
        assertEquals(expected, odd.get("keys").get(0).get("note").textValue(), "lone surrogate becomes U+FFFD");
        assertEquals(expected, odd.get("warnings").get(0).textValue());
        assertTrue(JsonReport.render(SampleRuns.apply()).contains("\\u0001"), "control characters are escaped");
    }

    @Test
    void checkModeDriftIsExitSeven() throws Exception {
        JsonNode root = parse(SampleRuns.checkWithDrift());
        assertEquals("check", root.get("mode").textValue());
        assertEquals(7, root.get("exitCode").intValue());
        assertEquals("DRIFT", root.get("exitName").textValue());
        JsonNode removed = root.get("plays").get(0).get("hosts").get(0).get("keys").get(2);
        assertTrue(removed.get("planned").isNull(), "state absent is planned null");
        assertEquals("1", removed.get("old").textValue());
    }

    @Test
    void exitCodesFollowTheReport() throws Exception {
        assertEquals(0, parse(SampleRuns.simple(false, Status.CHANGED)).get("exitCode").intValue());
        assertEquals(0, parse(SampleRuns.simple(true, Status.OK)).get("exitCode").intValue());
        JsonNode down = parse(SampleRuns.simple(false, Status.UNREACHABLE));
        assertEquals(3, down.get("exitCode").intValue());
        assertEquals("UNREACHABLE", down.get("exitName").textValue());
    }

    @Test
    void prettyPrintedAndDeterministic() {
        String a = JsonReport.render(SampleRuns.apply());
        assertEquals(a, JsonReport.render(SampleRuns.apply()));
        assertTrue(a.startsWith("{\n  \"schemaVersion\" : 1,\n  \"runId\" : "), a.substring(0, 60));
        assertTrue(a.endsWith("}\n"));
        assertFalse(a.contains("\r"));
    }

    @Test
    void writesAtomicallyWithMode0644(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("out/nested/report.json");
        JsonReport.write(SampleRuns.apply(), file);
        Files.writeString(file, "old");
        RunReport check = SampleRuns.checkWithDrift();
        JsonReport.write(check, file);
        assertEquals(JsonReport.render(check), Files.readString(file, StandardCharsets.UTF_8));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        Path other = dir.resolve("apply.json");
        JsonReport.write(SampleRuns.apply(), other);
        assertEquals(JsonReport.render(SampleRuns.apply()), Files.readString(other, StandardCharsets.UTF_8),
                "the file is exactly the rendered text in UTF-8");
        try (Stream<Path> files = Files.list(file.getParent())) {
            assertEquals(List.of(file), files.toList(), "no temporary file left behind");
        }
    }

    @Test
    void unwritableTargetIsAOneLineError(@TempDir Path dir) throws Exception {
        Path notADir = Files.writeString(dir.resolve("file"), "x");
        Path target = notADir.resolve("report.json");
        SysfleetException e = assertThrows(SysfleetException.class,
                () -> JsonReport.write(SampleRuns.apply(), target));
        assertEquals(ExitCode.ERROR, e.exitCode());
        assertEquals(Phase.REPORT, e.phase());
        assertEquals("report", e.phase().label());
        assertTrue(e.getMessage().startsWith("cannot write JSON report to " + target + ": "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        assertEquals("x", Files.readString(notADir));
    }
}
