package io.sysfleet.playbooks;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The real {@code ansible-playbook --syntax-check} accepts every playbook under {@code playbooks/}: Ansible is
 * the compatibility oracle. It resolves module names (ansible.posix.sysctl), play and task keywords and
 * imports; it does not evaluate conditions or module arguments. When ansible-playbook is missing the test
 * FAILS (CI installs ansible-core); it never skips.
 */
class AnsibleSyntaxCheckTest {
    private static final Path PLAYBOOKS = Path.of("playbooks").toAbsolutePath();

    @TempDir
    Path home;

    @Test
    void everyPlaybookPassesAnsibleSyntaxCheck() throws Exception {
        List<Path> files = playbookFiles();
        List<String> names = files.stream().map(p -> p.getFileName().toString()).toList();
        for (String expected : List.of("01-nat-reset.yml", "02-fin-timeout.yml", "03-time-wait.yml",
                "05-fin-wait2.yml", "06-tw-bucket-overflow.yml", "07-conntrack-table-full.yml",
                "08-nat-syn-dropped.yml", "site.yml")) {
            assertTrue(names.contains(expected), "missing playbook " + expected + " in " + names);
        }
        // One invocation for all files keeps the test fast; ansible stops at the first bad file and names it.
        Result r = syntaxCheck(files);
        assertEquals(0, r.exitCode, "ansible-playbook --syntax-check failed:\n" + r.output);
        for (Path f : files) {
            assertTrue(r.output.contains("playbook: " + f), "ansible did not check " + f + ":\n" + r.output);
        }
    }

    @Test
    void syntaxCheckRejectsABrokenPlaybook() throws Exception {
        // Control: proves the check can fail, so a pass above means something.
        Path bad = home.resolve("bad.yml");
        Files.writeString(bad, "- hosts: all\n  tasks:\n    - ansible.posix.sysctll:\n        name: x\n");
        Result r = syntaxCheck(List.of(bad));
        assertNotEquals(0, r.exitCode, r.output);
        assertTrue(r.output.contains("ansible.posix.sysctll"), r.output);
    }

    private List<Path> playbookFiles() throws IOException {
        assertTrue(Files.isDirectory(PLAYBOOKS), "no playbooks directory at " + PLAYBOOKS);
        try (Stream<Path> s = Files.list(PLAYBOOKS)) {
            return s.filter(p -> p.toString().endsWith(".yml") || p.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    private record Result(int exitCode, String output) { }

    private Result syntaxCheck(List<Path> files) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ansible-playbook", "--syntax-check", "-i", "localhost,"));
        files.forEach(f -> cmd.add(f.toString()));
        Path log = Files.createTempFile(home, "ansible", ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(home.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().put("HOME", home.toString());
        pb.environment().put("ANSIBLE_LOCALHOST_WARNING", "False");
        pb.environment().put("ANSIBLE_NOCOLOR", "1");
        pb.environment().put("ANSIBLE_LOCAL_TEMP", home.resolve("tmp").toString());
        pb.environment().remove("ANSIBLE_CONFIG");
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            return fail("ansible-playbook is not installed or not on PATH (" + e.getMessage() + "); install "
                    + "ansible-core 2.14+ with the ansible.posix collection: this test checks the playbooks "
                    + "against the real Ansible and never skips");
        }
        p.getOutputStream().close();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            fail("ansible-playbook --syntax-check did not finish in 120 s:\n" + Files.readString(log));
        }
        return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }
}
