package io.sysfleet.rollback;

import io.sysfleet.core.ExitCode;
import io.sysfleet.core.SysfleetException;
import io.sysfleet.journal.Intent;
import io.sysfleet.journal.JournalView;
import io.sysfleet.result.Phase;
import io.sysfleet.sysctl.SysctlKey;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a rollback must put back on one host for one file: the file as it was before the run (its first intent)
 * and, for every key the run could have touched, the live value before the run (the first value journaled for
 * it). {@code shaWritten} is what the run's last change wrote: a file that has neither that hash nor the
 * original one was changed by someone else since.
 */
public record RestoreTarget(String host, String file, boolean existed, String mode, String owner, String group,
                            String shaOriginal, String shaWritten, String remoteBackup, String localCopy,
                            boolean become, String becomeUser, Map<String, String> live) {

    /**
     * The targets of a run, per host in journal order. Pure.
     *
     * @throws SysfleetException (journal, exit 1) when an intent names a live value that is not a /proc/sys key
     *     path: a journal is read back from disk and checked before anything of it reaches a host
     */
    public static Map<String, List<RestoreTarget>> of(JournalView view) {
        Map<String, Map<String, RestoreTarget>> byHost = new LinkedHashMap<>();
        for (Intent in : view.intents()) {
            for (String path : in.live().keySet()) {
                try {
                    SysctlKey.ofPath(path);
                } catch (IllegalArgumentException e) {
                    throw new SysfleetException(ExitCode.ERROR, Phase.JOURNAL, in.host(), "run " + view.record().id()
                            + ": the journal names an invalid live value path: " + e.getMessage(), e);
                }
            }
            Map<String, RestoreTarget> files = byHost.computeIfAbsent(in.host(), h -> new LinkedHashMap<>());
            RestoreTarget first = files.get(in.file());
            if (first == null) {
                files.put(in.file(), new RestoreTarget(in.host(), in.file(), in.existed(), in.mode(), in.owner(),
                        in.group(), in.shaBefore(), in.shaAfter(), in.remoteBackup(), in.localCopy(), in.become(),
                        in.becomeUser(), new LinkedHashMap<>(in.live())));
            } else {
                Map<String, String> live = new LinkedHashMap<>(first.live());
                in.live().forEach(live::putIfAbsent);
                files.put(in.file(), new RestoreTarget(first.host(), first.file(), first.existed(), first.mode(),
                        first.owner(), first.group(), first.shaOriginal(), in.shaAfter(), first.remoteBackup(),
                        first.localCopy(), first.become(), first.becomeUser(), live));
            }
        }
        Map<String, List<RestoreTarget>> out = new LinkedHashMap<>();
        byHost.forEach((h, files) -> out.put(h, new ArrayList<>(files.values())));
        return out;
    }
}
