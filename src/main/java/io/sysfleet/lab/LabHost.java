package io.sysfleet.lab;

import java.util.Objects;
import java.util.regex.Pattern;

/** One lab host: its inventory name, profile and sshd port on 127.0.0.1. */
public record LabHost(String name, LabProfile profile, int port) {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");

    public LabHost {
        Objects.requireNonNull(profile, "profile");
        if (name == null || name.length() > 40 || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("bad lab host name '" + name + "'");
        }
        if (port < 1024 || port > 65535) {
            throw new IllegalArgumentException("lab port must be from 1024 to 65535, got " + port);
        }
    }

    /** The host's name in known_hosts: {@code [127.0.0.1]:port}. */
    public String knownHostsName() {
        return "[" + LabSpec.ADDRESS + "]:" + port;
    }
}
