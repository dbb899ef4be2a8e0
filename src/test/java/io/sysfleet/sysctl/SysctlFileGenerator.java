package io.sysfleet.sysctl;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Builds random sysctl.conf texts from a grammar of line kinds plus random characters, and random desired lists. */
final class SysctlFileGenerator {

    static final String[] KEYS = {
        "net.ipv4.tcp_fin_timeout", "net.core.somaxconn", "net.netfilter.nf_conntrack_max",
        "net.ipv4.conf.eth0/100.rp_filter", "net.ipv4.ip_local_port_range", "vm.swappiness",
        "net.ipv4.conf.br-lan.forwarding", "kernel.pid_max"};
    static final String[] VALUES = {"0", "1", "30", "65536", "1024 65000", "1024\t65000", "4096  87380 6291456",
        "a=b", "x # y", "; z"};
    private static final String WS = " \t\u000b\f\r";

    private final Random r;

    SysctlFileGenerator(Random r) {
        this.r = r;
    }

    List<Desired> desired() {
        Map<String, Desired> out = new LinkedHashMap<>();
        int n = r.nextInt(5);
        for (int i = 0; i < n; i++) {
            String key = KEYS[r.nextInt(KEYS.length)];
            String spelled = r.nextBoolean() ? key : SysctlKey.of(key).path();
            out.put(key, r.nextInt(4) == 0 ? Desired.absent(spelled)
                    : Desired.present(spelled, VALUES[r.nextInt(VALUES.length)]));
        }
        return List.copyOf(out.values());
    }

    String file() {
        StringBuilder sb = new StringBuilder();
        int n = r.nextInt(12);
        String eol = r.nextBoolean() ? "\n" : "\r\n";
        for (int i = 0; i < n; i++) {
            sb.append(line());
            if (i < n - 1 || r.nextInt(4) > 0) {
                sb.append(r.nextInt(8) == 0 ? (eol.equals("\n") ? "\r\n" : "\n") : eol);
            }
        }
        return sb.toString();
    }

    private String line() {
        switch (r.nextInt(10)) {
            case 0:
                return ws();
            case 1:
                return ws() + (r.nextBoolean() ? "#" : ";") + noise(10);
            case 2:
                return r.nextBoolean() ? SysctlEditor.MARKER : SysctlEditor.SUPERSEDED + setting();
            case 3:
                return "-" + KEYS[r.nextInt(KEYS.length)].replace("eth0", "*");
            case 4:
                return noise(20);
            case 5:
                return ws() + "net.ipv4.conf.*.rp_filter" + ws() + "=" + ws() + "1";
            default:
                return setting();
        }
    }

    private String setting() {
        String key = KEYS[r.nextInt(KEYS.length)];
        if (r.nextBoolean()) {
            key = SysctlKey.of(key).path();
        }
        String value = r.nextInt(5) == 0 ? noise(8).replace("\n", "") : VALUES[r.nextInt(VALUES.length)];
        return ws() + (r.nextInt(5) == 0 ? "-" : "") + key + ws() + "=" + ws() + value + ws();
    }

    private String ws() {
        StringBuilder sb = new StringBuilder();
        for (int i = r.nextInt(4) - 1; i > 0; i--) {
            sb.append(WS.charAt(r.nextInt(WS.length())));
        }
        return sb.toString();
    }

    /** Random characters: printable, '=', '#', ';', '-', whitespace, control characters, non-ASCII; no '\n'. */
    private String noise(int max) {
        String specials = "=#;-./ \t\r\u000b\f\u0000\u001b\u007f\u00e9\u2028\u4e2d";
        StringBuilder sb = new StringBuilder();
        for (int i = r.nextInt(max + 1); i > 0; i--) {
            sb.append(r.nextInt(3) == 0 ? specials.charAt(r.nextInt(specials.length())) : (char) (' ' + r.nextInt(95)));
        }
        return sb.toString();
    }
}
