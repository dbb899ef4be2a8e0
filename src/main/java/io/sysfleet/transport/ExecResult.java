package io.sysfleet.transport;

import java.nio.charset.StandardCharsets;

/** What a remote command did: its exit code and the raw bytes it wrote to stdout and stderr. */
public record ExecResult(int exitCode, byte[] stdout, byte[] stderr) {

    public ExecResult {
        stdout = stdout == null ? new byte[0] : stdout;
        stderr = stderr == null ? new byte[0] : stderr;
    }

    public boolean ok() {
        return exitCode == 0;
    }

    /** stdout decoded as UTF-8 (malformed bytes become U+FFFD). */
    public String stdoutText() {
        return new String(stdout, StandardCharsets.UTF_8);
    }

    /** stderr decoded as UTF-8. */
    public String stderrText() {
        return new String(stderr, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "ExecResult[exit=" + exitCode + ", stdout=" + stdout.length + " bytes, stderr="
                + stderrText().strip() + "]";
    }
}
