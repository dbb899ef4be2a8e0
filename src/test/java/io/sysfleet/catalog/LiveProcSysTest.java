package io.sysfleet.catalog;

import io.sysfleet.catalog.gen.LiveSnapshot;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bundled catalog against this machine's live kernel: every key the catalog knows that this kernel has
 * holds a value the catalog accepts (typed consistently: a bool holds 0 or 1, a vector its number of fields,
 * an int a number in range), and the report says how many documented keys this kernel lacks and how many of
 * its keys no document describes. Reads /proc/sys only; writes nothing.
 */
class LiveProcSysTest {
    private static final Path PROC_SYS = Path.of("/proc/sys");
    private static final KeyCatalog CATALOG = KeyCatalog.load();

    @Test
    void everyCatalogKeyThisKernelHasHoldsAValueTheCatalogAccepts() throws IOException {
        Map<String, LiveSnapshot.Key> live = LiveSnapshot.view(PROC_SYS);
        assertTrue(live.size() > 300, "/proc/sys has only " + live.size() + " keys: not a Linux kernel's");
        List<String> inconsistent = new ArrayList<>();
        Map<String, Integer> checked = new TreeMap<>();
        int documentedMissing = 0;
        int overridesMissing = 0;
        List<String> missingSample = new ArrayList<>();
        for (KernelKey k : CATALOG.keys()) {
            List<String> names = k.isPattern()
                    ? List.of(k.name().replace("*", "all"), k.name().replace("*", "default"), k.name().replace("*", "lo"))
                    : List.of(k.name());
            boolean any = false;
            for (String n : names) {
                Path p = PROC_SYS.resolve(n.replace('.', '/'));
                if (!Files.isRegularFile(p)) {
                    continue;
                }
                any = true;
                Optional<String> value = read(p);
                if (value.isEmpty()) {
                    continue; // write-only (vm.drop_caches) or refusing reads until set (stable_secret)
                }
                String v = value.get().strip();
                if (k.type() == ValueType.STRING && (v.isEmpty() || (k.readOnly() && v.indexOf('\n') >= 0))) {
                    continue; // an unset text key, or a report nobody writes (kernel.core_modes: one mode a line)
                }
                k.checkValue(v).ifPresent(msg -> inconsistent.add(n + " = '" + v + "': " + msg + " (" + k.source() + ")"));
                checked.merge(n.split("\\.")[0], 1, Integer::sum);
            }
            if (!any && k.source().startsWith("overrides")) {
                overridesMissing++;
            } else if (!any && !k.source().startsWith("live snapshot")) {
                documentedMissing++;
                if (missingSample.size() < 12) {
                    missingSample.add(k.name());
                }
            }
        }
        long liveOnly = CATALOG.keys().stream().filter(k -> k.source().startsWith("live snapshot")).count();
        List<String> unknownLive = live.keySet().stream().filter(n -> CATALOG.find(n).isEmpty()).toList();
        long undocumentedLive = unknownLive.size();
        System.out.println("live /proc/sys of " + read(PROC_SYS.resolve("kernel/osrelease")).orElse("?").strip()
                + ": live values checked against the catalog " + checked + " (" + checked.values().stream()
                .mapToInt(Integer::intValue).sum() + "); documented keys this kernel lacks: " + documentedMissing
                + " (e.g. " + missingSample + "); keys from the overrides it lacks (removed, distribution-specific): "
                + overridesMissing + "; catalog keys known only from the live snapshot: "
                + liveOnly + "; live keys the catalog does not know: " + undocumentedLive + " " + unknownLive.stream().limit(12).toList());
        assertEquals(List.of(), inconsistent, "live values the catalog refuses");
        assertTrue(checked.values().stream().mapToInt(Integer::intValue).sum() > 400, checked.toString());
    }

    private static Optional<String> read(Path p) {
        // Not Files.readAllBytes: it trusts the size procfs reports and returns only the first byte.
        try (InputStream in = Files.newInputStream(p)) {
            return Optional.of(new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
