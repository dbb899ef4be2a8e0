package io.sysfleet.apply;

import io.sysfleet.transport.Command;
import io.sysfleet.transport.ExecResult;
import io.sysfleet.transport.Transport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Runs {@link RemoteScripts#MODPROBE} on a host and checks its result: shared by apply and rollback. */
public final class Modprobe {
    private Modprobe() {
    }

    /** What the script printed. */
    record Output(String before, String after, String exit, List<String> stderr, boolean done) {
    }

    static Output parse(String stdout) {
        String before = null;
        String after = null;
        String rc = null;
        List<String> words = new ArrayList<>();
        boolean done = false;
        for (String line : stdout.split("\n", -1)) {
            String[] f = line.split("\t", 2);
            switch (f[0]) {
                case "module-before" -> before = f.length > 1 ? f[1] : null;
                case "module-after" -> after = f.length > 1 ? f[1] : null;
                case "modprobe" -> rc = f.length > 1 ? f[1] : null;
                case "stderr" -> words.add(f.length > 1 ? f[1] : "");
                case "done" -> done = true;
                default -> {
                    // blank lines, noise from a login script
                }
            }
        }
        return new Output(before, after, rc, words, done);
    }

    /**
     * Whether {@code module} is loaded (or built in) on the host now.
     *
     * @throws IllegalStateException when the script does not run to its end
     */
    public static boolean loaded(Transport t, String module, Duration timeout) {
        ExecResult r = t.exec(Command.script(RemoteScripts.MODPROBE, List.of(module, "status")), timeout);
        Output o = parse(r.stdoutText());
        if (!o.done() || o.before() == null) {
            throw new IllegalStateException("cannot tell whether " + module + " is loaded: " + r.stderrText().strip());
        }
        return o.before().equals("loaded");
    }

    /**
     * Loads ({@code action} "load", with {@code params}) or unloads ("unload") {@code module} and checks the module
     * is then as wanted. Returns the error (modprobe's own words where it has some), or null.
     */
    public static String run(Transport t, String module, String action, List<String> params, Duration timeout) {
        List<String> args = new ArrayList<>(List.of(module, action));
        if (action.equals("load")) {
            args.addAll(params);
        }
        ExecResult r = t.exec(Command.script(RemoteScripts.MODPROBE, args), timeout);
        Output o = parse(r.stdoutText());
        String want = action.equals("load") ? "loaded" : "absent";
        if (!o.done()) {
            return "modprobe script stopped early (exit " + r.exitCode() + "): " + r.stderrText().strip();
        }
        if (!"0".equals(o.exit()) || !want.equals(o.after())) {
            return "modprobe " + (action.equals("load") ? "" : "-r ") + module + " failed"
                    + ("0".equals(o.exit()) ? "" : " (exit " + o.exit() + ")") + ": " + (o.stderr().isEmpty()
                    ? "the module is " + o.after() + " afterwards" : String.join("; ", o.stderr()));
        }
        return null;
    }
}
