package io.sysfleet.transport;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A command for a host, built from an argv list (or a trusted script plus positional arguments), never from a
 * string pasted together. {@link #toShell()} is the only place that turns it into a POSIX shell line: every
 * word is single-quoted, so spaces, quotes, {@code $(...)} and newlines arrive literally.
 *
 * <p>User data goes into {@code argv} or the script's positional arguments ({@code "$1"}...), never into the
 * script text. A {@link Become} wraps the command with {@code sudo}; its password travels as the first line of
 * stdin and never appears in the command line or in {@link #toString()}.
 */
public final class Command {
    /** {@code $0} of scripts run with {@code sh -c}. */
    static final String SCRIPT_NAME = "sysfleet";

    /**
     * Runs "$2..." as user "$1" with sudo, the password read from the first line of stdin and handed to sudo by
     * a throw-away askpass helper through the environment (sudo's env_reset keeps it from the command). The
     * rest of stdin stays for the command. Signals are relayed to sudo so a timeout kill reaches the command.
     */
    static final String SUDO_WITH_PASSWORD = String.join("\n",
            "IFS= read -r SYSFLEET_SUDO_PW || { echo 'sysfleet: no become password on stdin' >&2; exit 125; }",
            "export SYSFLEET_SUDO_PW",
            "u=$1; shift",
            "askpass=$(mktemp \"${HOME:-/tmp}/.sysfleet-askpass.XXXXXX\") || exit 125",
            "printf '#!/bin/sh\\nprintf \"%%s\\\\n\" \"$SYSFLEET_SUDO_PW\"\\n' > \"$askpass\"",
            "chmod 700 \"$askpass\"",
            "exec 3<&0",
            "SUDO_ASKPASS=$askpass sudo -k -A -p '' -u \"$u\" -- \"$@\" <&3 3<&- &",
            "pid=$!",
            "exec 3<&-",
            "trap 'kill -TERM \"$pid\" 2>/dev/null' TERM HUP INT",
            "while :; do wait \"$pid\"; rc=$?; kill -0 \"$pid\" 2>/dev/null || break; done",
            "rm -f \"$askpass\"",
            "exit \"$rc\"");

    private final List<String> argv;
    private final String script;
    private final List<String> args;
    private final byte[] stdin;
    private final Become become;

    private Command(List<String> argv, String script, List<String> args, byte[] stdin, Become become) {
        this.argv = argv;
        this.script = script;
        this.args = args;
        this.stdin = stdin;
        this.become = become;
    }

    /** A program and its arguments, each passed literally. */
    public static Command of(String... argv) {
        return of(List.of(argv));
    }

    /** A program and its arguments, each passed literally. */
    public static Command of(List<String> argv) {
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("empty command");
        }
        argv.forEach(a -> Objects.requireNonNull(a, "argument"));
        return new Command(List.copyOf(argv), null, List.of(), new byte[0], null);
    }

    /**
     * {@code sh -c 'trustedScript' sysfleet "$1" "$2"...}: the script text must be a constant written by us; any
     * user data goes into {@code args} and is read as {@code "$1"}, {@code "$2"}... by the script.
     */
    public static Command script(String trustedScript, List<String> args) {
        Objects.requireNonNull(trustedScript, "script");
        args.forEach(a -> Objects.requireNonNull(a, "argument"));
        return new Command(null, trustedScript, List.copyOf(args), new byte[0], null);
    }

    /** The same command with these bytes on its stdin. */
    public Command withStdin(byte[] bytes) {
        return new Command(argv, script, args, bytes.clone(), become);
    }

    /** The same command run through sudo as {@code b.user()}. */
    public Command become(Become b) {
        return new Command(argv, script, args, stdin, Objects.requireNonNull(b));
    }

    public Become becomeSpec() {
        return become;
    }

    /** The positional arguments of a {@link #script} command (empty for an argv command). */
    public List<String> scriptArgs() {
        return args;
    }

    /** The stdin the command itself gets (without any become password). */
    public byte[] stdin() {
        return stdin.clone();
    }

    /** What the transport sends on stdin: the become password line first (if any), then {@link #stdin()}. */
    public byte[] wireStdin() {
        if (become == null || !become.hasPassword()) {
            return stdin.clone();
        }
        byte[] pw = (become.password().reveal() + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[pw.length + stdin.length];
        System.arraycopy(pw, 0, all, 0, pw.length);
        System.arraycopy(stdin, 0, all, pw.length, stdin.length);
        return all;
    }

    /** The words of the command before any become wrapping. */
    List<String> words() {
        if (argv != null) {
            return argv;
        }
        List<String> w = new ArrayList<>(List.of("sh", "-c", script, SCRIPT_NAME));
        w.addAll(args);
        return w;
    }

    /** The one POSIX shell line that runs this command (no secrets in it). */
    public String toShell() {
        List<String> w = words();
        if (become != null) {
            List<String> wrapped = new ArrayList<>();
            if (become.hasPassword()) {
                wrapped.addAll(List.of("sh", "-c", SUDO_WITH_PASSWORD, SCRIPT_NAME, become.user()));
            } else {
                wrapped.addAll(List.of("sudo", "-n", "-u", become.user(), "--"));
            }
            wrapped.addAll(w);
            w = wrapped;
        }
        StringBuilder sb = new StringBuilder();
        for (String word : w) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(quote(word));
        }
        return sb.toString();
    }

    /** POSIX single-quoting: {@code it's} becomes {@code 'it'\''s'}. The only quoting function in sysfleet. */
    public static String quote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }

    /** A readable form for logs: program and arguments, stdin size, become user; never the password. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Command[");
        if (become != null) {
            sb.append("sudo -u ").append(become.user());
            if (become.hasPassword()) {
                sb.append(" (password ").append(become.password()).append(')');
            }
            sb.append(": ");
        }
        sb.append(argv != null ? String.join(" ", argv) : "script(" + firstLine(script) + "...) " + args);
        if (stdin.length > 0) {
            sb.append(", stdin ").append(stdin.length).append(" bytes");
        }
        return sb.append(']').toString();
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        String l = nl < 0 ? s : s.substring(0, nl);
        return l.length() > 40 ? l.substring(0, 40) : l;
    }
}
