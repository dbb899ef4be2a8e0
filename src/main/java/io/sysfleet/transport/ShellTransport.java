package io.sysfleet.transport;

import io.sysfleet.result.Phase;
import java.time.Duration;

/**
 * The part every transport shares: the default become, and the translation of sudo's refusals into clear errors.
 * Subclasses only run a shell line (the same line over SSH and locally, with /bin/sh being dash or bash). Files
 * on hosts are written by the remote scripts' one writer ({@link RemoteShell#LIB}), not by the transport.
 */
public abstract class ShellTransport implements Transport {
    private final String host;
    private final Become defaultBecome;

    /** @param defaultBecome applied to every command without its own become (null: none) */
    protected ShellTransport(String host, Become defaultBecome) {
        this.host = host;
        this.defaultBecome = defaultBecome;
    }

    @Override
    public String host() {
        return host;
    }

    /** Runs the shell line of {@code cmd} with {@code stdin}; kills it after {@code timeout}. */
    protected abstract ExecResult run(Command cmd, Duration timeout);

    @Override
    public ExecResult exec(Command cmd, Duration timeout) {
        Command effective = cmd.becomeSpec() == null && defaultBecome != null ? cmd.become(defaultBecome) : cmd;
        ExecResult r = run(effective, timeout);
        checkSudo(effective, r);
        return r;
    }

    private void checkSudo(Command cmd, ExecResult r) {
        Become b = cmd.becomeSpec();
        if (b == null || r.ok()) {
            return;
        }
        String err = r.stderrText();
        if (err.contains("sudo: a password is required") || err.contains("sudo: a terminal is required")) {
            throw new TransportException(Phase.BECOME, host, "sudo requires a password to become " + b.user()
                    + "; set the become password environment variable (e.g. SYSFLEET_BECOME_PASSWORD)");
        }
        if (err.contains("incorrect password attempt") || err.contains("Sorry, try again")) {
            throw new TransportException(Phase.BECOME, host,
                    "sudo rejected the become password from " + b.password().source() + " for " + b.user());
        }
        if (err.contains("is not in the sudoers file") || err.contains("is not allowed to execute")
                || err.contains("may not run sudo")) {
            throw new TransportException(Phase.BECOME, host, "sudo refused to become " + b.user() + ": "
                    + firstLine(err));
        }
        if (err.contains("sudo: command not found") || err.contains("sudo: not found")) {
            throw new TransportException(Phase.BECOME, host, "sudo is not installed; cannot become " + b.user());
        }
    }

    static String firstLine(String s) {
        String t = s.strip();
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl);
    }
}
