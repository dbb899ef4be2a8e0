package io.sysfleet.catalog.gen;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Takes the live snapshot: this machine's {@code /proc/sys} as the initial namespace sees it, and as a new
 * network namespace sees it (the same program re-run under {@code unshare -n}, which needs root). The new
 * namespace lives only as long as that child process and changes nothing on the machine.
 */
final class Snapshotter {
    private Snapshotter() {
    }

    static void write(Path out) throws IOException, InterruptedException {
        Map<String, LiveSnapshot.Key> init = LiveSnapshot.view(Path.of("/proc/sys"));
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder("unshare", "-n", java, "-cp", System.getProperty("java.class.path"),
                CatalogGenerator.class.getName(), "view")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        byte[] text = p.getInputStream().readAllBytes();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IOException("unshare -n did not finish within 5 minutes");
        }
        if (p.exitValue() != 0) {
            throw new IOException("unshare -n failed (it needs root): exit " + p.exitValue());
        }
        Map<String, LiveSnapshot.Key> netns = LiveSnapshot.parse(new String(text, StandardCharsets.UTF_8)).keys();
        Map<String, String> header = new LinkedHashMap<>();
        header.put("kernel", Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip());
        header.put("taken by", "scripts/gen-catalog snapshot (root; the network namespace view via unshare -n)");
        LiveSnapshot s = LiveSnapshot.merge(init, netns, header);
        Files.writeString(out, s.format(), StandardCharsets.UTF_8);
        System.err.println("gen-catalog: wrote " + out + " (" + s.keys().size() + " keys, Linux "
                + header.get("kernel") + ")");
    }
}
