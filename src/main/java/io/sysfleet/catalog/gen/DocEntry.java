package io.sysfleet.catalog.gen;

import java.util.List;

/**
 * One sysctl key as a kernel document describes it, before any interpretation.
 *
 * @param name       the full dotted key the document's sections and entry name give
 *                   ({@code net.ipv4.tcp_fin_timeout}, {@code net.ipv4.conf.*.rp_filter}, {@code vm.swappiness})
 * @param headerType the type words after the entry name in the {@code name - TYPE} style
 *                   ({@code INTEGER}, {@code vector of 3 INTEGERs: min, default, max}), or "" for heading-style
 *                   documents that give none
 * @param body       the entry's text lines, as written
 * @param file       the document, relative to {@code Documentation/} ({@code networking/ip-sysctl.rst})
 * @param line       the 1-based line of the entry's name in that document
 * @param prose      whether the key is only named in running text ({@code /proc/sys/fs/mqueue/msg_max is ...})
 */
public record DocEntry(String name, String headerType, List<String> body, String file, int line, boolean prose) {
    public DocEntry {
        body = List.copyOf(body);
    }
}
