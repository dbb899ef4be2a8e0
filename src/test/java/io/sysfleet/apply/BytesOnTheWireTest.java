package io.sysfleet.apply;

import io.sysfleet.testing.Cli;
import io.sysfleet.transport.Command;
import io.sysfleet.transport.LocalTransport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Values and files are written as the bytes they are, and lists of any length reach the remote scripts: the real
 * command line with {@code ansible_connection: local} on a file in a temp directory ({@code reload: false}, so
 * this machine's kernel is only read; the container test {@code HostileHostIT} writes /proc/sys).
 */
class BytesOnTheWireTest {
    @TempDir
    Path dir;

    private Cli.Result run(String playbook, String... more) throws Exception {
        Path pb = dir.resolve("p.yml");
        Files.writeString(pb, playbook, StandardCharsets.UTF_8);
        Path inv = dir.resolve("inv.yml");
        Files.writeString(inv, "all:\n  hosts:\n    local1:\n      ansible_connection: local\n");
        List<String> args = new java.util.ArrayList<>(List.of("run", pb.toString(), "-i", inv.toString(),
                "--state-dir", dir.resolve("state").toString(), "--allow-sysctl-path", dir + "/", "-D", "--progress", "never"));
        args.addAll(List.of(more));
        return Cli.run(args);
    }

    @Test
    void aUtf8ValueReachesTheFileAsItsBytes() throws Exception {
        Path conf = dir.resolve("99-name.conf");
        byte[] latin1Comment = "# r\u00e9seau (Latin-1 byte E9, not UTF-8)\n".getBytes(StandardCharsets.ISO_8859_1);
        Files.write(conf, latin1Comment);
        String value = "\u4f8b\u3048.\u30c6\u30b9\u30c8-\u0100\u6771\u4eac"; // 0x80-0x9F bytes inside (C4 80, E6 9D B1)
        String pb = "- hosts: all\n  gather_facts: false\n  tasks:\n    - ansible.posix.sysctl:\n"
                + "        name: kernel.domainname\n        value: \"" + value + "\"\n        sysctl_file: " + conf
                + "\n        reload: false\n";
        Cli.Result r = run(pb);
        assertEquals(0, r.exit(), r.out() + r.err());
        byte[] want = (new String(latin1Comment, StandardCharsets.ISO_8859_1) + "\n# Added by sysfleet\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        byte[] tail = ("kernel.domainname = " + value + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] all = java.util.Arrays.copyOf(want, want.length + tail.length);
        System.arraycopy(tail, 0, all, want.length, tail.length);
        assertArrayEquals(all, Files.readAllBytes(conf), "the Latin-1 byte is kept, the value is UTF-8, nothing is '?'");
        assertTrue(r.out().contains("+kernel.domainname = " + value), "the diff shows the characters: " + r.out());
        Cli.Result again = run(pb);
        assertEquals(0, again.exit(), again.out());
        assertTrue(again.out().contains("ok: [local1]"), "the value in the file is recognised: " + again.out());
        assertArrayEquals(all, Files.readAllBytes(conf));
    }

    @Test
    void fourThousandSettingsInOneFileFitThroughStdin() throws Exception {
        // Every key the new file sets is snapshotted before and after sysctl -p: 4,000 long /proc/sys paths are
        // about 200 kB, more than one argument may hold (128 KiB). This file used to fail with "Argument list too long".
        Path conf = dir.resolve("90-many.conf");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 4000; i++) {
            sb.append("net.ipv4.conf.sysfleet-test-interface-").append(i).append(".rp_filter_long_name = 1\n");
        }
        Files.writeString(conf, sb.toString());
        String pb = "- hosts: all\n  gather_facts: false\n  tasks:\n    - ansible.posix.sysctl:\n"
                + "        name: net.ipv4.conf.sysfleet-test-interface-7.rp_filter_long_name\n        value: \"2\"\n"
                + "        sysctl_file: " + conf + "\n        reload: false\n        ignoreerrors: true\n";
        Cli.Result r = run(pb);
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("changed: [local1]"), r.out());
        String after = Files.readString(conf);
        assertEquals(sb.toString().replace("interface-7.rp_filter_long_name = 1", "interface-7.rp_filter_long_name = 2"), after);
    }

    /** Child JVM for {@link #localCommandsKeepNonAsciiBytesUnderTheCLocale}. */
    public static void main(String[] args) throws Exception {
        try (LocalTransport t = new LocalTransport()) {
            byte[] out = t.exec(Command.of("printf", "%s", "\u6771\u4eac"), Duration.ofSeconds(20)).stdout();
            System.out.print(HexFormat.of().formatHex(out));
        }
    }

    @Test
    void localCommandsKeepNonAsciiBytesUnderTheCLocale() throws Exception {
        // Under LANG=C the JVM encodes process arguments as US-ASCII: every non-ASCII character became '?'.
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), BytesOnTheWireTest.class.getName());
        pb.environment().put("LANG", "C");
        pb.environment().put("LC_ALL", "C");
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        assertEquals("e69db1e4baac", out.strip());
    }
}
