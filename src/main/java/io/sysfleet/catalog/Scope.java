package io.sysfleet.catalog;

import java.util.Locale;
import java.util.Optional;

/**
 * Where a kernel key's value lives: in a namespace (each container has its own value and may set it) or once
 * for the whole kernel (only the host, in the initial namespaces, can set it; a container cannot).
 */
public enum Scope {
    /** Per network namespace: a container with its own network namespace sets its own value. */
    NETNS("per network namespace"),
    /** Per IPC namespace ({@code kernel.shm*}, {@code kernel.msg*}, {@code kernel.sem}, {@code fs.mqueue.*}). */
    IPCNS("per IPC namespace"),
    /** Per UTS namespace ({@code kernel.hostname}, {@code kernel.domainname}). */
    UTSNS("per UTS namespace"),
    /** Per user namespace ({@code user.max_*_namespaces}). */
    USERNS("per user namespace"),
    /** Per PID namespace ({@code kernel.pid_max} since Linux 6.14; global before). */
    PIDNS("per PID namespace"),
    /**
     * One value for the whole kernel: only the initial namespace can set it. For a {@code net.*} key this
     * means the key is absent or read-only in any other network namespace, which is why a container refuses
     * {@code net.netfilter.nf_conntrack_max}.
     */
    GLOBAL("global (initial namespace only)");

    private final String description;

    Scope(String description) {
        this.description = description;
    }

    /** A short phrase for messages: {@code per network namespace}, {@code global (initial namespace only)}. */
    public String description() {
        return description;
    }

    /** Whether each namespace has its own value, so a container can set it in its own namespace. */
    public boolean perNamespace() {
        return this != GLOBAL;
    }

    /** The word the catalog data uses: {@code netns}, {@code ipcns}, {@code utsns}, {@code userns}, {@code pidns}, {@code global}. */
    public String dataName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The scope named {@code word} in catalog data, if any. */
    public static Optional<Scope> fromDataName(String word) {
        for (Scope s : values()) {
            if (s.dataName().equals(word)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
