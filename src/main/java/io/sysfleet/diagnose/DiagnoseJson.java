package io.sysfleet.diagnose;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sysfleet.core.ExitCode;
import io.sysfleet.facts.LiveValue;

import java.io.UncheckedIOException;
import java.time.Duration;

/**
 * The machine-readable diagnosis ({@code diagnose --json}), {@code schemaVersion} 1. Fields always appear
 * ({@code null} when unknown); text from hosts is escaped by JSON's rules.
 *
 * <pre>
 * { "schemaVersion": 1, "started", "finished", "durationMs", "exitCode", "exitName", "failOn", "thresholds": {},
 *   "summary": { "hosts", "diagnosed", "failed", "unreachable", "critical", "warning", "info" },
 *   "hosts": [ { "name", "status", "phase", "error", "durationMs", "platform": { "os", "version", "kernel" },
 *     "figures": { "sockets": { "established": n, ... }, "socketsExact", "timeWait", "tcpMaxTwBuckets",
 *       "timeWaitOverflow", "sockstat": {...}, "conntrack": { "count", "max", "fillRatio" },
 *       "logs": [ { "source", "status", "truncated", "counts": {}, "latest": {} } ],
 *       "closeWait": { "ports": {}, "uids": {}, "processes": [ { "name", "pid", "sockets" } ], "ss" } },
 *     "live": { key: value }, "notes": [],
 *     "findings": [ { "code", "severity", "row", "rowTitle", "title", "summary", "evidence": [],
 *       "remedy": { "playbook", "vars", "advice", "command" } | null } ] } ] }
 * </pre>
 */
public final class DiagnoseJson {
    public static final int SCHEMA_VERSION = 1;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectWriter WRITER = new ObjectMapper().writer(new DefaultPrettyPrinter()
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withArrayIndenter(new DefaultIndenter("  ", "\n")));

    private DiagnoseJson() {
    }

    /** {@code inventory} is the inventory arguments as given again on a command line ({@code -i a -i b}). */
    public static String render(FleetDiagnosis d, Severity failOn, String inventory) {
        ObjectNode root = NODES.objectNode();
        root.put("schemaVersion", SCHEMA_VERSION);
        root.put("started", d.started().toString());
        root.put("finished", d.finished().toString());
        root.put("durationMs", Duration.between(d.started(), d.finished()).toMillis());
        ExitCode exit = d.exitCode(failOn);
        root.put("exitCode", exit.code());
        root.put("exitName", exit.name());
        root.put("failOn", failOn == null ? "never" : failOn.word());
        ObjectNode th = root.putObject("thresholds");
        d.thresholds().asMap().forEach((k, v) -> th.putPOJO(k, v));
        ObjectNode sum = root.putObject("summary");
        sum.put("hosts", d.hosts().size());
        for (HostDiagnosis.Status s : HostDiagnosis.Status.values()) {
            sum.put(s.word(), d.hosts().stream().filter(h -> h.status() == s).count());
        }
        for (Severity s : new Severity[] {Severity.CRITICAL, Severity.WARNING, Severity.INFO}) {
            sum.put(s.word(), d.findings().stream().filter(f -> f.severity() == s).count());
        }
        ArrayNode hosts = root.putArray("hosts");
        for (HostDiagnosis h : d.hosts()) {
            hosts.add(host(h, inventory));
        }
        try {
            return WRITER.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode host(HostDiagnosis h, String inventory) {
        ObjectNode n = NODES.objectNode();
        n.put("name", h.host());
        n.put("status", h.status().word());
        n.put("phase", h.phase() == null ? null : h.phase().label());
        n.put("error", h.error());
        n.put("durationMs", h.elapsed().toMillis());
        HostSample s = h.sample();
        if (s == null) {
            n.putNull("platform");
            n.putNull("figures");
            n.putNull("live");
            n.putArray("notes");
        } else {
            ObjectNode p = n.putObject("platform");
            p.put("os", s.platform().osId());
            p.put("version", s.platform().osVersion());
            p.put("kernel", s.platform().kernelRelease());
            n.set("figures", figures(s));
            ObjectNode live = n.putObject("live");
            s.live().forEach((k, v) -> live.put(k, v.state() == LiveValue.State.PRESENT ? v.value() : null));
            ArrayNode notes = n.putArray("notes");
            s.notes().forEach(notes::add);
        }
        ArrayNode fs = n.putArray("findings");
        for (Finding f : h.findings()) {
            ObjectNode o = fs.addObject();
            o.put("code", f.code().name());
            o.put("severity", f.severity().word());
            o.put("row", f.row());
            o.put("rowTitle", f.code().rowTitle());
            o.put("title", f.code().title());
            o.put("summary", f.summary());
            ArrayNode ev = o.putArray("evidence");
            f.evidence().forEach(ev::add);
            Remedy r = f.remedy();
            if (r == null) {
                o.putNull("remedy");
            } else {
                ObjectNode rn = o.putObject("remedy");
                rn.put("playbook", r.playbook() == null ? null : "playbooks/" + r.playbook());
                ObjectNode vars = rn.putObject("vars");
                r.vars().forEach((k, v) -> vars.putPOJO(k, v));
                rn.put("advice", r.advice());
                rn.put("command", r.playbook() == null ? null
                        : "sysfleet run playbooks/" + r.playbook() + " " + inventory + " --limit " + h.host());
            }
        }
        return n;
    }

    private static ObjectNode figures(HostSample s) {
        ObjectNode f = NODES.objectNode();
        ObjectNode sockets = f.putObject("sockets");
        for (TcpState st : TcpState.values()) {
            sockets.put(st.metricName(), st == TcpState.TIME_WAIT ? s.timeWait() : s.sockets().count(st));
        }
        f.put("socketsExact", s.sockets().exact());
        f.put("timeWait", s.timeWait());
        putNumber(f, "tcpMaxTwBuckets", s.number("net.ipv4.tcp_max_tw_buckets"));
        putNumber(f, "timeWaitOverflow", s.tcpExt().get(TcpExtCounters.TIME_WAIT_OVERFLOW));
        ObjectNode ss = f.putObject("sockstat");
        putNumber(ss, "inuse", s.sockstat().inuse());
        putNumber(ss, "orphan", s.sockstat().orphan());
        putNumber(ss, "tw", s.sockstat().tw());
        putNumber(ss, "alloc", s.sockstat().alloc());
        ObjectNode ct = f.putObject("conntrack");
        putNumber(ct, "count", s.conntrackCount());
        putNumber(ct, "max", s.conntrackMax());
        if (s.conntrackMax() > 0 && s.conntrackCount() >= 0) {
            ct.put("fillRatio", (double) s.conntrackCount() / s.conntrackMax());
        } else {
            ct.putNull("fillRatio");
        }
        ArrayNode logs = f.putArray("logs");
        for (LogSource l : s.logs()) {
            ObjectNode o = logs.addObject();
            o.put("source", l.name());
            o.put("status", l.status().word());
            o.put("truncated", l.truncated());
            ObjectNode counts = o.putObject("counts");
            ObjectNode latest = o.putObject("latest");
            for (LogPattern p : LogPattern.values()) {
                counts.put(p.id(), l.count(p));
                ArrayNode a = latest.putArray(p.id());
                l.latest(p).forEach(a::add);
            }
        }
        ObjectNode cw = f.putObject("closeWait");
        ObjectNode ports = cw.putObject("ports");
        s.sockets().closeWaitPorts().forEach((k, v) -> ports.put(String.valueOf(k), v));
        ObjectNode uids = cw.putObject("uids");
        s.sockets().closeWaitUids().forEach((k, v) -> uids.put(String.valueOf(k), v));
        ArrayNode procs = cw.putArray("processes");
        s.closeWait().byProcess().forEach((p, c) -> {
            ObjectNode o = procs.addObject();
            o.put("name", p.name());
            o.put("pid", p.pid());
            o.put("sockets", c);
        });
        cw.put("ss", s.ssStatus());
        return f;
    }

    private static void putNumber(ObjectNode n, String field, long v) {
        if (v < 0) {
            n.putNull(field);
        } else {
            n.put(field, v);
        }
    }
}
