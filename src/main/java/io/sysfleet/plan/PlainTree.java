package io.sysfleet.plan;

import io.sysfleet.playbook.Play;
import io.sysfleet.playbook.SysctlTask;
import io.sysfleet.playbook.tree.Keywords;
import io.sysfleet.playbook.tree.Node;
import io.sysfleet.playbook.tree.PlayTree;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The task tree of a play built from plain sysctl tasks alone (a play without a tree, made in code). Pure. */
final class PlainTree {
    private PlainTree() {
    }

    static PlayTree of(Play play) {
        List<Node> tasks = new ArrayList<>();
        for (SysctlTask t : play.tasks()) {
            Map<String, Object> args = new LinkedHashMap<>();
            args.put("name", t.key());
            if (t.value() != null) {
                args.put("value", t.value());
            }
            args.put("state", t.state().word());
            args.put("sysctl_file", t.sysctlFile());
            args.put("reload", t.reload());
            args.put("sysctl_set", t.sysctlSet());
            args.put("ignoreerrors", t.ignoreErrors());
            Keywords k = new Keywords(t.name(), new ArrayList<>(t.when().sources()), List.copyOf(t.tags()), Map.of(),
                    null, null, Map.of(), null, null, null, null, null, null, null, List.of(), List.of(), null);
            tasks.add(new Node.Task("ansible.posix.sysctl", args, k, t.location()));
        }
        return new PlayTree(play.name(), play.hosts(), play.vars(), List.of(), List.of(), play.become(),
                play.gatherFacts(), List.of(), tasks, List.of(), List.of(), List.of(), Path.of(""), play.location(),
                List.of());
    }
}
