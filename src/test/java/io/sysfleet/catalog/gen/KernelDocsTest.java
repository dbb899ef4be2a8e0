package io.sysfleet.catalog.gen;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The two layouts of the kernel's sysctl documents, on snippets written in their shapes. */
class KernelDocsTest {

    private static List<String> names(List<DocEntry> entries) {
        return entries.stream().map(DocEntry::name).toList();
    }

    @Test
    void networkingDocumentsNameKeysBySectionAndEntry() {
        String rst = """
                =========
                IP Sysctl
                =========

                /proc/sys/net/ipv4/* Variables
                ==============================

                ip_forward - BOOLEAN
                \t- 0 - disabled (default)
                \t- not 0 - enabled

                neigh/default/gc_thresh1 - INTEGER
                \tMinimum number of entries to keep.

                TCP variables
                =============

                tcp_rmem - vector of 3 INTEGERs: min, default, max
                \tMemory for receive buffers.

                IP Fragmentation:

                ``conf/interface/*``
                \tchanges special settings per interface

                rp_filter - INTEGER
                \t- 0 - No source validation.

                /proc/sys/net/ipv6/* Variables
                ==============================

                conf/all/disable_ipv6 - BOOLEAN
                \tChanging this value is same as changing ``conf/default/disable_ipv6``

                ``icmp/*``:
                ===========

                ratelimit - INTEGER
                \tLimit the maximal rates.

                /proc/sys/net/netfilter/nf_conntrack_* Variables:
                =================================================

                nf_conntrack_count - INTEGER (read-only)
                \tNumber of currently allocated flow entries.
                """;
        List<DocEntry> e = KernelDocs.parse(rst, "networking/ip-sysctl.rst");
        assertEquals(List.of("net.ipv4.ip_forward", "net.ipv4.neigh.default.gc_thresh1", "net.ipv4.tcp_rmem",
                "net.ipv4.conf.*.rp_filter", "net.ipv6.conf.all.disable_ipv6", "net.ipv6.icmp.ratelimit",
                "net.netfilter.nf_conntrack_count"), names(e));
        assertEquals("BOOLEAN", e.get(0).headerType());
        assertEquals(List.of("        - 0 - disabled (default)", "        - not 0 - enabled", ""), e.get(0).body());
        assertEquals(8, e.get(0).line());
        assertEquals("vector of 3 INTEGERs: min, default, max", e.get(2).headerType());
        assertEquals("INTEGER (read-only)", e.get(6).headerType());
        assertTrue(e.stream().noneMatch(DocEntry::prose));
    }

    @Test
    void adminGuideDocumentsNameKeysByHeadings() {
        String rst = """
                ===============================
                Documentation for /proc/sys/fs/
                ===============================

                1. /proc/sys/fs
                ===============

                file-max & file-nr
                ------------------

                The value in file-max denotes the maximum number of file-handles.

                suid_dumpable:
                --------------

                This value can be used to query and set the core dump mode.

                3. /proc/sys/fs/mqueue - POSIX message queues filesystem
                ========================================================

                /proc/sys/fs/mqueue/queues_max is a read/write file for the maximum number of queues.

                4. /proc/sys/fs/epoll - Configuration options for the epoll interface
                =====================================================================

                max_user_watches
                ----------------

                Every epoll file descriptor can store a number of files.

                5. TIPC
                =======

                tipc_rmem
                ---------

                Not one of ours: a section without /proc/sys.
                """;
        List<DocEntry> e = KernelDocs.parse(rst, "admin-guide/sysctl/fs.rst");
        assertEquals(List.of("fs.file-max", "fs.file-nr", "fs.suid_dumpable", "fs.epoll.max_user_watches",
                "fs.mqueue.queues_max"), names(e));
        assertEquals("", e.get(0).headerType());
        assertTrue(e.get(4).prose(), "named only in running text");
        assertEquals(e.get(0).body(), e.get(1).body(), "one heading, one text for both keys");
    }

    @Test
    void headingsListNamesInTheWaysTheDocumentsWriteThem() {
        assertEquals(List.of("msgmax", "msgmnb", "msgmni"), KernelDocs.names("msgmax, msgmnb, and msgmni"));
        assertEquals(List.of("osrelease", "ostype", "version"), KernelDocs.names("osrelease, ostype & version"));
        assertEquals(List.of("bootloader_type"), KernelDocs.names("bootloader_type (x86 only)"));
        assertEquals(List.of("msg_next_id", "sem_next_id", "shm_next_id"),
                KernelDocs.names("msg_next_id, sem_next_id, and shm_next_id (System V IPC)"));
        assertEquals(List.of("message_burst", "message_cost"), KernelDocs.names("message_burst and message_cost"));
        assertEquals(List.of("max_map_count"), KernelDocs.names("max_map_count:"));
        assertEquals(List.of(), KernelDocs.names("Documentation for /proc/sys/vm/"));
        assertEquals(List.of(), KernelDocs.names("Table : Subdirectories in /proc/sys/net"));
    }
}
