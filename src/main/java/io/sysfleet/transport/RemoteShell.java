package io.sysfleet.transport;

/**
 * Shell text the remote scripts share. User data never becomes part of it: scripts get their data as positional
 * arguments and on stdin ({@link Command#script}).
 */
public final class RemoteShell {
    /**
     * The one place the remote scripts take {@code /proc/sys} from: {@code $proc}, which is
     * {@code $SYSFLEET_PROC_SYS} when that is set and {@code /proc/sys} otherwise. It is a test seam: unit tests
     * run the production scripts through the local transport against a temporary directory (with a sysctl test
     * double on PATH) so that they never touch this machine's kernel. On a real host the variable is never set:
     * sshd passes no such variable and sudo resets the environment.
     */
    public static final String PROC_SYS_ENV = "SYSFLEET_PROC_SYS";

    /** Sets {@code $proc}; the first line of every script that reads or writes live values. */
    public static final String PROC = "proc=${" + PROC_SYS_ENV + ":-/proc/sys}\n";

    private RemoteShell() {
    }
}
