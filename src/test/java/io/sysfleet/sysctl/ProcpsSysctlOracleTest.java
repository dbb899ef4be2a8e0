package io.sysfleet.sysctl;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Checks {@link SysctlFile} against the real procps-ng {@code sysctl --dry-run -p FILE} (procps-ng 4.x),
 * which parses the file exactly as {@code sysctl -p} does and prints "key = value" for every line it
 * would write, without writing. Only keys that exist under /proc/sys on this machine are printed, so
 * the generated files use those. Needs /usr/sbin/sysctl with --dry-run: the test fails (never skips)
 * without it.
 */
class ProcpsSysctlOracleTest {

    private static final String[] CANDIDATES = {
        "net.ipv4.tcp_fin_timeout", "net.core.somaxconn", "vm.swappiness", "net.ipv4.ip_local_port_range",
        "net.ipv4.tcp_syncookies", "net.ipv4.tcp_tw_reuse", "net.ipv4.tcp_keepalive_time"};
    private static final Pattern INVALID = Pattern.compile("\\((\\d+)\\): invalid syntax");
    private static final List<String> KEYS = new ArrayList<>();

    @TempDir
    Path tmp;

    @BeforeAll
    static void requireSysctl() throws Exception {
        for (String key : CANDIDATES) {
            if (Files.exists(Path.of("/proc/sys", SysctlKey.of(key).path()))) {
                KEYS.add(key);
            }
        }
        assertTrue(KEYS.size() >= 3, "need at least 3 of " + List.of(CANDIDATES) + " under /proc/sys, found " + KEYS);
        Result help = run("sysctl", "--help");
        assertTrue(help.stdout.contains("--dry-run"), "this test needs procps-ng sysctl with --dry-run (4.x)");
    }

    private record Result(String stdout, String stderr) {
    }

    private static Result run(String... command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("LC_ALL", "C");
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] err = p.getErrorStream().readAllBytes();
        byte[] out = p.getInputStream().readAllBytes();
        p.waitFor();
        return new Result(new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    @Test
    void parserAgreesWithSysctlDryRun() throws Exception {
        Random r = new Random(11);
        for (int i = 0; i < 250; i++) {
            String text = file(r);
            Path f = tmp.resolve("t" + i + ".conf");
            Files.write(f, text.getBytes(StandardCharsets.UTF_8));
            Result real = run("sysctl", "--dry-run", "-p", f.toString());

            SysctlFile parsed = SysctlFile.parse(text);
            StringBuilder expected = new StringBuilder();
            Set<Integer> expectedInvalid = new TreeSet<>();
            for (SysctlLine line : parsed.lines()) {
                if (line.isSetting() && KEYS.contains(line.key())) {
                    expected.append(line.key()).append(" = ").append(line.value()).append('\n');
                }
                // sysctl warns only for lines without '=' that do not start with '-' (those are glob
                // exclusions to it); we report more (e.g. an exclusion whose key holds whitespace).
                String stripped = SysctlFile.trim(line.raw());
                if (line.kind() == SysctlLine.Kind.INVALID && !line.content().contains("=")
                        && !stripped.startsWith("-") && stripped.length() + line.ending().length() >= 2) {
                    expectedInvalid.add(line.number());
                }
            }
            Set<Integer> reportedInvalid = new TreeSet<>();
            Matcher m = INVALID.matcher(real.stderr);
            while (m.find()) {
                reportedInvalid.add(Integer.parseInt(m.group(1)));
            }
            String where = "iteration " + i + ", file " + SysctlKey.printable(text) + "\nstderr: " + real.stderr;
            assertEquals(real.stdout, expected.toString(), where);
            assertEquals(reportedInvalid, expectedInvalid, where);
        }
    }

    private static String file(Random r) {
        StringBuilder sb = new StringBuilder();
        int n = 1 + r.nextInt(10);
        for (int i = 0; i < n; i++) {
            String key = KEYS.get(r.nextInt(KEYS.size()));
            switch (r.nextInt(7)) {
                case 0 -> sb.append(ws(r));
                case 1 -> sb.append(ws(r)).append(r.nextBoolean() ? "# " : ";").append(key).append(" = 1");
                case 2 -> sb.append(ws(r)).append(noise(r));
                case 3 -> sb.append(ws(r)).append("-").append(key);
                default -> sb.append(ws(r)).append(r.nextInt(4) == 0 ? "-" : "")
                        .append(r.nextBoolean() ? key : SysctlKey.of(key).path()).append(ws(r)).append('=')
                        .append(ws(r)).append(r.nextInt(3) == 0 ? noise(r) : Integer.toString(r.nextInt(70000)))
                        .append(ws(r));
            }
            if (i < n - 1 || r.nextBoolean()) {
                sb.append(r.nextInt(3) == 0 ? "\r\n" : "\n");
            }
        }
        return sb.toString();
    }

    private static String ws(Random r) {
        String spaces = " \t\u000b\f\r";
        StringBuilder sb = new StringBuilder();
        for (int i = r.nextInt(3); i > 0; i--) {
            sb.append(spaces.charAt(r.nextInt(spaces.length())));
        }
        return sb.toString();
    }

    /** Random printable text with separators, tabs and carriage returns; no NUL (C strings) and no '\n'. */
    private static String noise(Random r) {
        String chars = "abcxyz019 =#;-./\t\r";
        StringBuilder sb = new StringBuilder();
        for (int i = r.nextInt(12); i > 0; i--) {
            sb.append(chars.charAt(r.nextInt(chars.length())));
        }
        return sb.toString();
    }
}
