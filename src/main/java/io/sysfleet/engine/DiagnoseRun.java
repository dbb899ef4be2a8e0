package io.sysfleet.engine;

import io.sysfleet.core.ExitCode;
import io.sysfleet.core.SysfleetException;
import io.sysfleet.diagnose.Diagnoser;
import io.sysfleet.diagnose.DiagnoseListener;
import io.sysfleet.diagnose.HostDiagnosis;
import io.sysfleet.inventory.Host;
import io.sysfleet.plan.ConnectionTemplates;
import io.sysfleet.playbook.Play;
import io.sysfleet.result.Phase;
import io.sysfleet.transport.Become;
import io.sysfleet.transport.Secret;
import io.sysfleet.transport.Transport;
import io.sysfleet.transport.TransportException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code diagnose} over the fleet, through the run's own machinery: the {@link Scheduler} (forks, interruption,
 * a host's failure of any kind, an {@link Error} included, is that host's result), {@link Sessions} over the
 * engine's {@link Connections}, and the connection variables resolved as for a play without vars, all of them
 * before the first connection. Each host is diagnosed by {@link Diagnoser#diagnose}. Diagnose changes nothing:
 * no batches, no failure thresholds, no journal.
 */
final class DiagnoseRun {
    /** What connection templates are rendered with: no play vars, no become keywords (the host's own win). */
    static final Play NO_PLAY = new Play("diagnose", "all", Map.of(), null, null, false, List.of(), null, false,
            List.of(), null);

    private final Diagnoser.Context context;
    private final boolean become;
    private final Secret becomePassword;

    DiagnoseRun(Diagnoser.Context context, boolean become, Secret becomePassword) {
        this.context = context;
        this.become = become;
        this.becomePassword = becomePassword;
    }

    /**
     * Renders every host's connection variables before anything connects.
     *
     * @return the hosts as they are connected to, by name
     * @throws SysfleetException exit 4 naming each host whose connection variables cannot be used
     */
    static Map<String, Host> resolve(List<Host> hosts) {
        Map<String, Host> out = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (Host h : hosts) {
            try {
                out.put(h.name(), ConnectionTemplates.resolve(h, NO_PLAY));
            } catch (SysfleetException e) {
                problems.add(h.name() + ": " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new SysfleetException(ExitCode.CONFIG, String.join("\n", problems));
        }
        return out;
    }

    List<HostDiagnosis> run(Map<String, Host> hosts, Scheduler scheduler, Sessions sessions,
                            DiagnoseListener listener) {
        return scheduler.each(List.copyOf(hosts.keySet()), h -> one(hosts.get(h), sessions),
                (h, message) -> HostDiagnosis.failure(h, HostDiagnosis.Status.FAILED, null, message),
                HostDiagnosis::withElapsed, listener::hostFinished);
    }

    /** Become as for a play without become keywords: the host's connection variables, else {@code --become}. */
    Become become(Host h) {
        return Become.decide(h.vars().containsKey("ansible_become") ? h.become() : null, h.becomeUser(), become,
                null, becomePassword);
    }

    private HostDiagnosis one(Host host, Sessions sessions) {
        String refused = host.unmanageable();
        if (refused != null) {
            return HostDiagnosis.failure(host.name(), HostDiagnosis.Status.FAILED, Phase.CONNECT, refused);
        }
        Become b = become(host);
        Transport t;
        try {
            t = sessions.get(host, b);
        } catch (TransportException e) {
            return HostDiagnosis.failure(host.name(), e.unreachable() ? HostDiagnosis.Status.UNREACHABLE
                    : HostDiagnosis.Status.FAILED, e.phase(), e.getMessage());
        }
        try {
            return Diagnoser.diagnose(t, host, context);
        } finally {
            sessions.drop(host, b); // one pass: the session is closed at once, so at most forks are open
        }
    }
}
