package io.sysfleet.lab;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Pure functions for a lab's files: the generated inventory, known_hosts, host-key parsing and the lab id. */
public final class LabFiles {
    private static final Pattern KEY_TYPE = Pattern.compile("ssh-[a-z0-9]+|ecdsa-sha2-nistp[0-9]+|sk-[a-z0-9@.-]+");
    private static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/]+={0,2}");

    private LabFiles() {
    }

    /** The id of the lab kept in {@code dir}: 12 hex digits of the SHA-256 of its absolute, normal path. */
    public static String labId(Path dir) {
        String abs = dir.toAbsolutePath().normalize().toString();
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(abs.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * An Ansible YAML inventory of the lab: group {@code lab} with the connection variables (log in as {@code
     * sysfleet}, become root with sudo, the lab's key), one child group per profile in order of appearance.
     */
    public static String inventory(LabSpec spec, String keyFile, String comment) {
        Map<LabProfile, List<LabHost>> byProfile = new LinkedHashMap<>();
        for (LabHost h : spec.hosts()) {
            byProfile.computeIfAbsent(h.profile(), p -> new ArrayList<>()).add(h);
        }
        StringBuilder sb = new StringBuilder();
        for (String line : comment.split("\n")) {
            sb.append("# ").append(line).append('\n');
        }
        sb.append("all:\n  children:\n    lab:\n      vars:\n");
        sb.append("        ansible_host: ").append(LabSpec.ADDRESS).append('\n');
        sb.append("        ansible_user: sysfleet\n");
        sb.append("        ansible_become: true\n");
        sb.append("        ansible_ssh_private_key_file: ").append(yamlQuote(keyFile)).append('\n');
        sb.append("        sysfleet_lab: true\n");
        sb.append("      children:\n");
        for (Map.Entry<LabProfile, List<LabHost>> e : byProfile.entrySet()) {
            sb.append("        ").append(e.getKey().id()).append(":\n");
            if (e.getKey() == LabProfile.CENTOS5) {
                sb.append("          vars:\n            conntrack_prefix: net.ipv4.netfilter.ip_conntrack_\n");
            }
            sb.append("          hosts:\n");
            for (LabHost h : e.getValue()) {
                sb.append("            ").append(h.name()).append(":\n");
                sb.append("              ansible_port: ").append(h.port()).append('\n');
            }
        }
        return sb.toString();
    }

    /** A YAML single-quoted scalar; refuses control characters (a path never needs them). */
    static String yamlQuote(String s) {
        if (s.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("path contains a control character: " + s.replaceAll("\\p{Cntrl}", "?"));
        }
        return "'" + s.replace("'", "''") + "'";
    }

    /** known_hosts lines {@code [127.0.0.1]:PORT TYPE KEY} for every host (spec order) and each of its keys. */
    public static String knownHosts(LabSpec spec, Map<String, List<String>> keysByHost) {
        StringBuilder sb = new StringBuilder();
        for (LabHost h : spec.hosts()) {
            List<String> keys = keysByHost.get(h.name());
            if (keys == null || keys.isEmpty()) {
                throw new IllegalArgumentException("no host keys for " + h.name());
            }
            for (String k : keys) {
                sb.append(h.knownHostsName()).append(' ').append(k).append('\n');
            }
        }
        return sb.toString();
    }

    /**
     * The keys in the text of {@code ssh_host_*_key.pub} files, each as {@code TYPE BASE64} (comments dropped).
     * Every non-blank line must be a public key; at least one is required.
     */
    public static List<String> parseHostKeys(String text) {
        List<String> keys = new ArrayList<>();
        for (String line : text.split("\n")) {
            String l = line.strip();
            if (l.isEmpty()) {
                continue;
            }
            String[] f = l.split("\\s+");
            if (f.length < 2 || !KEY_TYPE.matcher(f[0]).matches() || !BASE64.matcher(f[1]).matches()) {
                throw new IllegalArgumentException("not a public host key: '" + abbreviate(l) + "'");
            }
            keys.add(f[0] + " " + f[1]);
        }
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("no host keys found");
        }
        return keys;
    }

    private static String abbreviate(String s) {
        String clean = s.replaceAll("\\p{Cntrl}", "?");
        return clean.length() > 60 ? clean.substring(0, 60) + "..." : clean;
    }
}
