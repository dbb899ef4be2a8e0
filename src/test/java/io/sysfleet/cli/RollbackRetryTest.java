package io.sysfleet.cli;

import io.sysfleet.testing.Cli;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's pipeline step "on failure: rollback --last", retried as a flaky runner or a re-run job retries it:
 * the retry changes nothing. Runs the real command line on a local host ({@code ansible_connection: local}) whose
 * sysctl file is a temp file. The key is one this kernel does not have ({@code ignoreerrors}) and the task has
 * {@code reload: false}, so no sysctl runs and no live value exists: nothing here can touch this machine's kernel.
 */
class RollbackRetryTest {
    private static final String ORIGINAL = "# mine\n";
    private static final String CHANGED = "# mine\n\n# Added by sysfleet\nnet.ipv4.sysfleet_no_such_key = 1\n";

    @TempDir
    Path dir;
    private Path conf;
    private Path playbook;
    private Path inventory;

    @BeforeEach
    void setUp() throws IOException {
        conf = Files.writeString(dir.resolve("sysctl.conf"), ORIGINAL);
        playbook = Files.writeString(dir.resolve("p.yml"), "- hosts: all\n  gather_facts: false\n  tasks:\n"
                + "    - sysctl: {name: net.ipv4.sysfleet_no_such_key, value: '1', sysctl_file: " + conf
                + ", reload: false, ignoreerrors: true}\n");
        inventory = Files.writeString(dir.resolve("inventory.yml"),
                "all:\n  hosts:\n    local1:\n      ansible_connection: local\n");
    }

    private Cli.Result sysfleet(String... args) {
        List<String> a = new ArrayList<>(List.of(args));
        a.addAll(List.of("--state-dir", dir.resolve("state").toString()));
        if (!a.get(0).equals("runs")) {
            a.addAll(List.of("-i", inventory.toString(), "--progress", "never"));
        }
        return Cli.run(a);
    }

    private String file() throws IOException {
        return Files.readString(conf);
    }

    private static String id(String kind, String out) {
        Matcher m = Pattern.compile(kind + " (\\S+) journaled").matcher(out);
        assertTrue(m.find(), out);
        return m.group(1);
    }

    @Test
    void aRetriedRollbackLastChangesNothingAndSaysWhy() throws IOException {
        Cli.Result run = sysfleet("run", playbook.toString());
        assertEquals(0, run.exit(), run.out() + run.err());
        assertEquals(CHANGED, file());
        String r1 = id("run", run.out());
        assertTrue(run.out().contains("undo it with: sysfleet rollback --run " + r1), run.out());

        Cli.Result rb = sysfleet("rollback", "--last");
        assertEquals(0, rb.exit(), rb.out() + rb.err());
        assertEquals(ORIGINAL, file());
        String y1 = id("rollback", rb.out());

        Cli.Result retry = sysfleet("rollback", "--last");
        assertEquals(0, retry.exit(), retry.out() + retry.err());
        assertTrue(retry.out().contains("run " + r1 + " was already rolled back by " + y1), retry.out());
        assertEquals(ORIGINAL, file(), "the retry re-applied nothing");
        assertFalse(retry.out().contains("journaled"), "a retry that does nothing leaves no run behind: " + retry.out());

        Cli.Result list = sysfleet("runs", "list");
        assertEquals(2, list.out().lines().count(), list.out());
        assertTrue(list.out().lines().anyMatch(l -> l.startsWith(r1) && l.endsWith("rolled back by " + y1)), list.out());
        assertTrue(list.out().lines().anyMatch(l -> l.startsWith(y1) && l.contains("rolls back " + r1)), list.out());
        Cli.Result show = sysfleet("runs", "show", r1);
        assertTrue(show.out().contains("rolled back by: " + y1 + " (finished, hosts: changed=1)"), show.out());
        assertTrue(sysfleet("runs", "show", y1).out().contains("rolls back:     " + r1));
    }

    @Test
    void aRunThatChangedNothingIsNeverPickedNorOffersAnUndo() throws IOException {
        Cli.Result r2 = sysfleet("run", playbook.toString());
        String changing = id("run", r2.out());
        Cli.Result idle = sysfleet("run", playbook.toString());
        assertEquals(0, idle.exit(), idle.out());
        assertFalse(idle.out().contains("undo it with"), idle.out());
        assertTrue(idle.out().contains("(it changed nothing)"), idle.out());

        Cli.Result rb = sysfleet("rollback", "--last");
        assertTrue(rb.out().contains("rollback of run " + changing), "the run that changed something: " + rb.out());
        assertEquals(ORIGINAL, file());
        String y2 = id("rollback", rb.out());

        // undoing a rollback stays possible, by naming it; then --last rolls the run back again, once
        Cli.Result undo = sysfleet("rollback", "--run", y2);
        assertEquals(0, undo.exit(), undo.out());
        assertEquals(CHANGED, file());
        Cli.Result again = sysfleet("rollback", "--last");
        assertEquals(0, again.exit(), again.out());
        assertTrue(again.out().contains("rollback of run " + changing), again.out());
        assertEquals(ORIGINAL, file());
        String y3 = id("rollback", again.out());
        Cli.Result retry = sysfleet("rollback", "--last");
        assertTrue(retry.out().contains("run " + changing + " was already rolled back by " + y3), retry.out());
        assertEquals(ORIGINAL, file());
    }

    @Test
    void aRollbackThatFailedOnAHostIsRetriedOnIt() throws IOException {
        sysfleet("run", playbook.toString());
        // the host's file changes behind our back: the rollback refuses it (exit 2), so the run is not rolled back
        Files.writeString(conf, CHANGED + "vm.swappiness = 10\n");
        Cli.Result refused = sysfleet("rollback", "--last");
        assertEquals(2, refused.exit(), refused.out());
        Files.writeString(conf, CHANGED);
        Cli.Result retry = sysfleet("rollback", "--last");
        assertEquals(0, retry.exit(), retry.out());
        assertEquals(ORIGINAL, file(), "the retry finished the job");
    }
}
