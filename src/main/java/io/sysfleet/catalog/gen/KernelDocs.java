package io.sysfleet.catalog.gen;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * Reads the kernel's sysctl documentation (reStructuredText, plain or gzipped as Debian ships it) into
 * {@link DocEntry} records. Two layouts exist:
 * <ul>
 *   <li>networking documents ({@code ip-sysctl.rst}, {@code nf_conntrack-sysctl.rst}, ...): a section names the
 *   directory ({@code /proc/sys/net/ipv4/* Variables}, {@code ``conf/interface/*``}) and each key is a line
 *   {@code name - TYPE} at the start of a line, its text indented below;</li>
 *   <li>admin-guide documents ({@code admin-guide/sysctl/vm.rst}, ...): the title names the directory and each
 *   key is an underlined heading ({@code swappiness}, {@code msgmax, msgmnb, and msgmni}); numbered sections
 *   ({@code 3. /proc/sys/fs/mqueue - ...}) change the directory, and keys named only in running text
 *   ({@code /proc/sys/fs/mqueue/msg_max is ...}) are kept as prose entries.</li>
 * </ul>
 * Pure apart from reading the file; knows nothing about types or ranges ({@link DocFacts} does that).
 */
public final class KernelDocs {
    private static final Pattern ENTRY = Pattern.compile("^([A-Za-z0-9_][A-Za-z0-9_./*{}<>-]*) - (\\S.*?)\\s*$");
    private static final Pattern RULE = Pattern.compile("^[=\\-~^`#*+]{3,}\\s*$");
    private static final Pattern PROC_PATH = Pattern.compile("/?proc/sys/([A-Za-z0-9_./*-]*)");
    private static final Pattern RELATIVE_SECTION = Pattern.compile("^(conf|icmp|neigh|route)(/[^/\\s]+)?/\\*$");
    private static final Pattern NUMBERED = Pattern.compile("^[0-9]+\\.\\s+(.*)$");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_-]*");
    private static final Pattern PROSE_KEY = Pattern.compile("/proc/sys/((?:[A-Za-z0-9_-]+/)+[A-Za-z0-9_-]+)\\b(?![/.*])");

    private KernelDocs() {
    }

    /** Reads {@code file} (a {@code .rst} or {@code .rst.gz}); {@code name} is its path under Documentation/. */
    public static List<DocEntry> read(Path file, String name) throws IOException {
        return parse(new String(bytes(file), StandardCharsets.UTF_8), name);
    }

    /** A document's bytes, uncompressed if the file is gzipped. */
    public static byte[] bytes(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return file.toString().endsWith(".gz") ? new GZIPInputStream(in).readAllBytes() : in.readAllBytes();
        }
    }

    /** Parses a document's text; {@code name} ({@code networking/ip-sysctl.rst}) decides the layout. */
    public static List<DocEntry> parse(String text, String name) {
        List<String> lines = text.lines().map(KernelDocs::untab).toList();
        return name.startsWith("networking/") ? definitions(lines, name) : headings(lines, name);
    }

    /** Tabs as the kernel's documents mean them (8 columns), so indentation compares. */
    private static String untab(String line) {
        if (line.indexOf('\t') < 0) {
            return line;
        }
        StringBuilder b = new StringBuilder();
        for (char c : line.toCharArray()) {
            if (c == '\t') {
                do {
                    b.append(' ');
                } while (b.length() % 8 != 0);
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static List<DocEntry> definitions(List<String> lines, String file) {
        List<DocEntry> out = new ArrayList<>();
        String root = null;
        String prefix = null;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (!startsAtColumn0(line)) {
                continue;
            }
            boolean underlined = i + 1 < lines.size() && RULE.matcher(lines.get(i + 1)).matches()
                    && !RULE.matcher(line).matches();
            String section = sectionName(line);
            Matcher entry = ENTRY.matcher(line);
            if (!underlined && entry.matches() && !line.startsWith("``")) {
                if (prefix == null) {
                    continue;
                }
                String raw = entry.group(1);
                String full = raw.indexOf('/') >= 0 ? root + "." + raw.replace('/', '.') : prefix + "." + raw;
                int end = i + 1;
                while (end < lines.size() && !startsAtColumn0(lines.get(end))) {
                    end++;
                }
                out.add(new DocEntry(full, entry.group(2), lines.subList(i + 1, end), file, i + 1, false));
                i = end - 1;
                continue;
            }
            if (section == null) {
                continue;
            }
            Matcher proc = PROC_PATH.matcher(section);
            if (proc.find()) {
                root = dotted(proc.group(1));
                prefix = root;
            } else if (root != null) {
                Matcher rel = RELATIVE_SECTION.matcher(section);
                if (rel.matches()) {
                    prefix = root + "." + rel.group(1) + (rel.group(1).equals("conf") ? ".*" : "");
                }
            }
        }
        return out;
    }

    /** The text of a line that can name a section (heading or ``term``), cleaned; null for other lines. */
    private static String sectionName(String line) {
        String s = line.strip().replace("``", "");
        if (s.endsWith(":")) {
            s = s.substring(0, s.length() - 1).strip();
        }
        if (s.endsWith(" Variables")) {
            s = s.substring(0, s.length() - " Variables".length()).strip();
        }
        if (s.endsWith(":")) {
            s = s.substring(0, s.length() - 1).strip();
        }
        return s.isEmpty() ? null : s;
    }

    private static List<DocEntry> headings(List<String> lines, String file) {
        List<DocEntry> out = new ArrayList<>();
        String root = null;
        List<int[]> heads = new ArrayList<>(); // line index of each heading
        for (int i = 0; i + 1 < lines.size(); i++) {
            String line = lines.get(i);
            if (startsAtColumn0(line) && !RULE.matcher(line).matches() && RULE.matcher(lines.get(i + 1)).matches()
                    && lines.get(i + 1).strip().length() >= Math.min(3, line.strip().length())) {
                heads.add(new int[] {i});
            }
        }
        Set<String> named = new LinkedHashSet<>();
        for (int h = 0; h < heads.size(); h++) {
            int i = heads.get(h)[0];
            int end = h + 1 < heads.size() ? heads.get(h + 1)[0] : lines.size();
            String title = lines.get(i).strip();
            Matcher numbered = NUMBERED.matcher(title);
            Matcher proc = PROC_PATH.matcher(title);
            if (title.startsWith("Documentation for ") && proc.find()) {
                root = dotted(proc.group(1));
                continue;
            }
            if (numbered.matches()) {
                Matcher p = PROC_PATH.matcher(numbered.group(1));
                root = p.find() ? dotted(p.group(1).split("\\s")[0]) : null;
                continue;
            }
            List<String> names = names(title);
            if (root == null || names.isEmpty()) {
                continue;
            }
            List<String> body = lines.subList(Math.min(i + 2, end), end);
            for (String n : names) {
                String full = root + "." + n;
                if (named.add(full)) {
                    out.add(new DocEntry(full, "", body, file, i + 1, false));
                }
            }
        }
        Set<Integer> headingLines = new java.util.HashSet<>();
        heads.forEach(h -> headingLines.add(h[0]));
        for (int i = 0; i < lines.size(); i++) {
            if (headingLines.contains(i)) {
                continue; // "3. /proc/sys/fs/mqueue - ..." names a directory
            }
            Matcher m = PROSE_KEY.matcher(lines.get(i));
            while (m.find()) {
                String full = dotted(m.group(1));
                if (named.add(full)) {
                    out.add(new DocEntry(full, "", List.of(lines.get(i)), file, i + 1, true));
                }
            }
        }
        return out;
    }

    /**
     * The key names a heading lists ({@code msgmax, msgmnb, and msgmni}; {@code file-max & file-nr};
     * {@code bootloader_type (x86 only)}), or an empty list when the heading is not a list of names.
     */
    static List<String> names(String title) {
        String t = title.replaceAll("\\([^)]*\\)", " ").strip();
        if (t.endsWith(":")) {
            t = t.substring(0, t.length() - 1).strip();
        }
        List<String> out = new ArrayList<>();
        for (String part : t.split("\\s*,\\s*(?:and\\s+)?|\\s+&\\s+|\\s+and\\s+")) {
            String p = part.strip();
            if (!NAME.matcher(p).matches() || p.toLowerCase(Locale.ROOT).equals(p) && p.length() > 64) {
                return List.of();
            }
            out.add(p);
        }
        return out;
    }

    private static boolean startsAtColumn0(String line) {
        return !line.isEmpty() && !Character.isWhitespace(line.charAt(0));
    }

    /** {@code net/ipv4/*} and {@code /proc/sys/vm/} to {@code net.ipv4} and {@code vm}. */
    private static String dotted(String path) {
        List<String> parts = new ArrayList<>();
        for (String p : path.split("/")) {
            if (!p.isEmpty() && p.indexOf('*') < 0) {
                parts.add(p);
            }
        }
        String s = String.join(".", parts);
        while (s.endsWith(".")) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }
}
