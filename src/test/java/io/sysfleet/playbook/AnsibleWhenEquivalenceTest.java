package io.sysfleet.playbook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sysfleet.core.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The real ansible-playbook is the oracle for {@code when}: one generated playbook on localhost (connection
 * local, no facts) with the same variables as {@link ConditionTest} and one {@code debug} task per expression,
 * run with the json callback. A task that ran means true, a skipped one false, a failed one an evaluation
 * error. sysfleet must agree on every expression. Fails (never skips) when ansible-playbook is missing: CI
 * installs ansible-core.
 */
class AnsibleWhenEquivalenceTest {
    static final List<String> EXPRESSIONS = List.of(
            "n == 5",
            "s == 5",
            "s == '5'",
            "n > 4 and n < 6",
            "n >= 5.0",
            "ratio < 1",
            "word",
            "empty",
            "not flag",
            "off or flag",
            "dist in dists",
            "'Debian' not in dists",
            "'ent' in dist",
            "undefined_var is defined",
            "undefined_var is not defined",
            "nested.inner.x == 3",
            "nested.missing.deeper is defined",
            "kernel is version('4.12', '<')",
            "kernel is version('4.9', '>=')",
            "'4.12' is version('4.12.0', 'lt')",
            "s | int == 5",
            "'3.7' | int == 3",
            "word | bool",
            "yes_word | bool",
            "undefined_var | default('x') == 'x'",
            "true == 1",
            "nothing",
            "nothing == None",
            "not (n == 5 or off)",
            // errors in both
            "missing == 1",
            "n > '4'",
            "n in 'abc'",
            "'1.a' is version('1.2', '<')");

    @Test
    void sysfleetAgreesWithAnsiblePlaybook(@TempDir Path dir) throws Exception {
        Map<String, String> ansible = runAnsible(dir);
        List<String> disagreements = new ArrayList<>();
        for (int i = 0; i < EXPRESSIONS.size(); i++) {
            String expr = EXPRESSIONS.get(i);
            String ours;
            try {
                ours = String.valueOf(Condition.parse(expr, ConditionTest.AT).evaluate(ConditionTest.vars()));
            } catch (ConfigException e) {
                ours = "error";
            }
            String theirs = ansible.get("case " + i);
            if (!ours.equals(theirs)) {
                disagreements.add(expr + ": sysfleet " + ours + ", ansible " + theirs);
            }
        }
        assertEquals(List.of(), disagreements);
        assertTrue(ansible.containsValue("true") && ansible.containsValue("false")
                && ansible.containsValue("error"), "the table covers true, false and error outcomes");
    }

    private static Map<String, String> runAnsible(Path dir) throws IOException, InterruptedException {
        ObjectMapper json = new ObjectMapper();
        List<Object> tasks = new ArrayList<>();
        for (int i = 0; i < EXPRESSIONS.size(); i++) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("name", "case " + i);
            t.put("debug", Map.of("msg", "ran"));
            t.put("when", EXPRESSIONS.get(i));
            t.put("ignore_errors", true);
            tasks.add(t);
        }
        Map<String, Object> play = new LinkedHashMap<>();
        play.put("hosts", "localhost");
        play.put("connection", "local");
        play.put("gather_facts", false);
        play.put("vars", ConditionTest.vars());
        play.put("tasks", tasks);
        Path playbook = dir.resolve("when.yml");
        Files.writeString(playbook, json.writeValueAsString(List.of(play)), StandardCharsets.UTF_8);

        ProcessBuilder pb = new ProcessBuilder("ansible-playbook", "-i", "localhost,", playbook.toString());
        pb.environment().put("ANSIBLE_STDOUT_CALLBACK", "json");
        pb.environment().put("ANSIBLE_LOCALHOST_WARNING", "False");
        pb.environment().put("ANSIBLE_INVENTORY_UNPARSED_WARNING", "False");
        pb.environment().put("ANSIBLE_RETRY_FILES_ENABLED", "False");
        pb.environment().put("ANSIBLE_LOCAL_TEMP", dir.resolve("tmp").toString());
        pb.redirectError(dir.resolve("stderr.txt").toFile());
        pb.redirectOutput(dir.resolve("stdout.json").toFile());
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            fail("ansible-playbook is needed as the oracle for 'when' (install ansible-core): " + e.getMessage());
            return Map.of();
        }
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("ansible-playbook did not finish in 180 s");
        }
        String out = Files.readString(dir.resolve("stdout.json"));
        JsonNode root;
        try {
            root = json.readTree(out);
        } catch (IOException e) {
            fail("ansible-playbook (exit " + p.exitValue() + ") printed no JSON: " + out + "\n"
                    + Files.readString(dir.resolve("stderr.txt")));
            return Map.of();
        }
        Map<String, String> results = new LinkedHashMap<>();
        for (JsonNode task : root.path("plays").path(0).path("tasks")) {
            JsonNode host = task.path("hosts").path("localhost");
            String outcome = host.path("failed").asBoolean(false) ? "error"
                    : host.path("skipped").asBoolean(false) ? "false" : "true";
            results.put(task.path("task").path("name").asText(), outcome);
        }
        assertEquals(EXPRESSIONS.size(), results.size(), "ansible-playbook reported every case: " + results);
        return results;
    }
}
