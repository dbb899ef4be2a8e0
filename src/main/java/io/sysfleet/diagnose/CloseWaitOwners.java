package io.sysfleet.diagnose;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Who holds the CLOSE_WAIT sockets, from {@code ss -tanp state close-wait}: per socket the local and peer
 * address and the processes ({@code users:(("java",pid=812,fd=41))}; iproute2 before 2014 prints
 * {@code ("java",812,41)}). Without root, ss shows only the connecting user's processes: those sockets carry
 * no process.
 */
public record CloseWaitOwners(List<Socket> sockets, long malformed) {
    /** Sockets kept; the collector sends no more than this anyway. */
    static final int MAX_SOCKETS = 5_000;
    private static final Pattern USER = Pattern.compile("\\(\"(.{0,64}?)\",(?:pid=)?([0-9]{1,10}),(?:fd=)?[0-9]{1,10}\\)");
    private static final Pattern NUMBER = Pattern.compile("[0-9]{1,18}");

    /** A process holding a socket. */
    public record Process(String name, long pid) {
    }

    /** One CLOSE_WAIT socket. */
    public record Socket(String local, int localPort, String peer, List<Process> processes) {
        public Socket {
            processes = List.copyOf(processes);
        }
    }

    public CloseWaitOwners {
        sockets = List.copyOf(sockets);
    }

    public static CloseWaitOwners none() {
        return new CloseWaitOwners(List.of(), 0);
    }

    /** Parses the output of {@code ss -tanp state close-wait} (header optional). Pure. */
    public static CloseWaitOwners parse(String text) {
        List<Socket> out = new ArrayList<>();
        long bad = 0;
        for (String line : text.split("\n")) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("Recv-Q") || l.startsWith("State")) {
                continue;
            }
            String[] f = l.split("\\s+", 6);
            int i = NUMBER.matcher(f[0]).matches() ? 0 : 1; // a State column when ss ignored the filter
            if (f.length < i + 4 || !NUMBER.matcher(f[i]).matches() || !NUMBER.matcher(f[i + 1]).matches()) {
                bad++;
                continue;
            }
            String local = f[i + 2];
            int colon = local.lastIndexOf(':');
            Integer port = colon < 0 ? null : parsePort(local.substring(colon + 1));
            if (port == null) {
                bad++;
                continue;
            }
            List<Process> procs = new ArrayList<>();
            Matcher m = USER.matcher(l);
            while (m.find() && procs.size() < 16) {
                Process p = new Process(m.group(1), Long.parseLong(m.group(2)));
                if (!procs.contains(p)) {
                    procs.add(p);
                }
            }
            if (out.size() < MAX_SOCKETS) {
                out.add(new Socket(local, port, f[i + 3], procs));
            }
        }
        return new CloseWaitOwners(out, bad);
    }

    /** Sockets per process, most first. */
    public Map<Process, Long> byProcess() {
        Map<Process, Long> m = new LinkedHashMap<>();
        for (Socket s : sockets) {
            s.processes().forEach(p -> m.merge(p, 1L, Long::sum));
        }
        return sortedByCount(m);
    }

    /** Sockets no visible process holds (another user's, without root). */
    public long withoutProcess() {
        return sockets.stream().filter(s -> s.processes().isEmpty()).count();
    }

    static <K> Map<K, Long> sortedByCount(Map<K, Long> m) {
        Map<K, Long> out = new LinkedHashMap<>();
        m.entrySet().stream().sorted(Map.Entry.<K, Long>comparingByValue(Comparator.reverseOrder()))
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    private static Integer parsePort(String s) {
        if (!s.matches("[0-9]{1,5}")) {
            return null;
        }
        int p = Integer.parseInt(s);
        return p <= 65535 ? p : null;
    }
}
