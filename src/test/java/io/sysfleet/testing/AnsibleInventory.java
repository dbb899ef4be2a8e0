package io.sysfleet.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The real {@code ansible-inventory} / {@code ansible-vault} / {@code ansible}, the compatibility oracle, run the
 * same way by every test: a clean HOME and an empty ansible.cfg in a scratch directory, no ANSIBLE_* variables
 * from the caller, only the inventory plugins sysfleet implements ({@code host_list}, {@code yaml},
 * {@code ini}), and every source that cannot be parsed made fatal, so a fixture Ansible could not read cannot
 * pass by accident. Never skipped: without ansible-core on the PATH it fails and says how to get it.
 */
public final class AnsibleInventory {
    private final Path sandbox;

    /** Ansible's output and exit code. */
    public record Result(int exit, String out, String err) {
    }

    public AnsibleInventory(Path sandbox) throws IOException {
        for (String tool : List.of("ansible-inventory", "ansible", "ansible-vault")) {
            if (onPath(tool) == null) {
                fail(tool + " is not on the PATH. This test compares sysfleet with the real Ansible and is never"
                        + " skipped: install ansible-core 2.14 (Debian 12: apt-get install ansible-core).");
            }
        }
        this.sandbox = sandbox;
        Files.createDirectories(sandbox.resolve("home"));
        Files.createDirectories(sandbox.resolve("cwd"));
        Files.writeString(sandbox.resolve("ansible.cfg"), "");
    }

    /** Runs a tool and returns its standard output; any exit but 0 fails the test with Ansible's stderr. */
    public String run(String... command) throws IOException, InterruptedException {
        Result r = result(Map.of(), command);
        if (r.exit() != 0) {
            fail(String.join(" ", command) + " exited " + r.exit() + ": " + r.err());
        }
        return r.out();
    }

    /** Runs a tool with extra environment variables; returns whatever happened. */
    public Result result(Map<String, String> extraEnv, String... command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(sandbox.resolve("cwd").toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("ANSIBLE_"));
        pb.environment().put("HOME", sandbox.resolve("home").toString());
        pb.environment().put("ANSIBLE_CONFIG", sandbox.resolve("ansible.cfg").toString());
        pb.environment().put("ANSIBLE_LOCALHOST_WARNING", "False");
        pb.environment().put("ANSIBLE_INVENTORY_UNPARSED_WARNING", "False");
        pb.environment().put("ANSIBLE_INVENTORY_UNPARSED_FAILED", "True");
        pb.environment().put("ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED", "True");
        pb.environment().put("ANSIBLE_INVENTORY_ENABLED", "host_list,yaml,ini");
        pb.environment().put("ANSIBLE_NOCOLOR", "1");
        pb.environment().put("ANSIBLE_DEPRECATION_WARNINGS", "False");
        pb.environment().putAll(extraEnv);
        Path err = Files.createTempFile(sandbox, "ansible", ".err");
        pb.redirectError(err.toFile());
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(String.join(" ", command) + " did not finish in 300 s");
        }
        String errText = Files.readString(err);
        Files.delete(err);
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), errText);
    }

    /** {@code ansible-inventory -i S1 -i S2 ... ARGS}, sources made absolute (Ansible runs in its own directory). */
    public String inventory(List<Path> sources, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("ansible-inventory"));
        for (Path s : sources) {
            cmd.add("-i");
            cmd.add(s.toAbsolutePath().toString());
        }
        cmd.addAll(Arrays.asList(args));
        return run(cmd.toArray(String[]::new));
    }

    /**
     * Asserts two outputs are the same text (trailing newlines aside); on a difference the message shows the
     * first differing line with a few lines around it, not two whole outputs.
     */
    public static void assertSameText(String expected, String actual, String what) {
        String[] a = expected.strip().split("\n", -1);
        String[] b = actual.strip().split("\n", -1);
        for (int i = 0; i < Math.max(a.length, b.length); i++) {
            String x = i < a.length ? a[i] : "<end>";
            String y = i < b.length ? b[i] : "<end>";
            if (!x.equals(y)) {
                StringBuilder sb = new StringBuilder(what + " differs at line " + (i + 1) + ":\n");
                for (int j = Math.max(0, i - 4); j < i; j++) {
                    sb.append("    ").append(a[j]).append('\n');
                }
                sb.append("ansible:  ").append(x).append('\n').append("sysfleet: ").append(y);
                fail(sb.toString());
            }
        }
    }

    private static Path onPath(String tool) {
        Set<String> dirs = new LinkedHashSet<>(Arrays.asList(System.getenv().getOrDefault("PATH", "")
                .split(File.pathSeparator)));
        for (String d : dirs) {
            Path candidate = Path.of(d.isEmpty() ? "." : d, tool);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
