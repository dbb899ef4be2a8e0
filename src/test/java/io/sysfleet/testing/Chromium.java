package io.sysfleet.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The real browser for tests of what a person looks at: Debian's headless Chromium ({@code scripts/setup.sh}
 * installs it), driven over the DevTools protocol on 127.0.0.1 with the JDK's WebSocket client. Each instance
 * has a fresh profile directory and every network feature that would reach out switched off (the machine has
 * no internet). Pages are opened with {@link #open}; {@link #eval} runs JavaScript in the page, {@link #click}
 * and {@link #type} send real input events, {@link #screenshot} writes a PNG.
 *
 * <p>Fails (never skips) when Chromium is missing, like the Ansible oracle tests.
 */
public final class Chromium implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final List<JsonNode> events = new CopyOnWriteArrayList<>();

    private Chromium(Process process, Path profile, WebSocket socket) {
        this.process = process;
        this.profile = profile;
        this.socket = socket;
    }

    /** The browser binary: {@code chromium} on the PATH (Debian's package). */
    public static Path binary() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, "chromium");
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        throw new IllegalStateException("chromium is not installed: run scripts/setup.sh (apt-get install chromium)");
    }

    /** Starts a headless browser with one blank page, width x height CSS pixels. */
    public static Chromium start(int width, int height) throws Exception {
        Path profile = Files.createTempDirectory("sysfleet-chromium");
        List<String> cmd = new ArrayList<>(List.of(binary().toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--no-default-browser-check", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-extensions", "--disable-dev-shm-usage",
                "--mute-audio", "--hide-scrollbars", "--remote-debugging-port=0",
                "--user-data-dir=" + profile, "--window-size=" + width + "," + height, "about:blank"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(profile.resolve("chromium.log").toFile()).start();
        try {
            Path active = profile.resolve("DevToolsActivePort");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!Files.isRegularFile(active) || Files.readAllLines(active).size() < 2) {
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("chromium did not start: "
                            + Files.readString(profile.resolve("chromium.log")));
                }
                Thread.sleep(50);
            }
            int port = Integer.parseInt(Files.readAllLines(active).get(0).strip());
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> target = http.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/json/new?about:blank"))
                    .PUT(HttpRequest.BodyPublishers.noBody()).timeout(TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString());
            String ws = JSON.readTree(target.body()).get("webSocketDebuggerUrl").asText();
            Listener listener = new Listener();
            WebSocket socket = http.newWebSocketBuilder().connectTimeout(TIMEOUT)
                    .buildAsync(URI.create(ws), listener).get(60, TimeUnit.SECONDS);
            Chromium c = new Chromium(p, profile, socket);
            listener.owner = c;
            c.call("Page.enable", Map.of());
            c.call("Runtime.enable", Map.of());
            c.call("Network.enable", Map.of());
            c.call("Emulation.setDeviceMetricsOverride",
                    Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", false));
            return c;
        } catch (Exception | Error e) {
            p.destroyForcibly();
            deleteTree(profile);
            throw e;
        }
    }

    /** Opens {@code url} and waits for its load event. */
    public void open(String url) throws Exception {
        events.clear();
        call("Page.navigate", Map.of("url", url));
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (events.stream().noneMatch(e -> "Page.loadEventFired".equals(e.path("method").asText()))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("page did not load: " + url);
            }
            Thread.sleep(20);
        }
    }

    /** The URLs the page requested since it was opened (the page itself included). */
    public List<String> requests() {
        return events.stream().filter(e -> "Network.requestWillBeSent".equals(e.path("method").asText()))
                .map(e -> e.path("params").path("request").path("url").asText()).toList();
    }

    /** Messages the page logged to its console and exceptions it threw. */
    public List<String> consoleProblems() {
        List<String> out = new ArrayList<>();
        for (JsonNode e : events) {
            String m = e.path("method").asText();
            if (m.equals("Runtime.exceptionThrown")) {
                out.add("exception: " + e.path("params").path("exceptionDetails"));
            } else if (m.equals("Runtime.consoleAPICalled")
                    && List.of("error", "warning", "assert").contains(e.path("params").path("type").asText())) {
                out.add("console: " + e.path("params").path("args"));
            }
        }
        return out;
    }

    /** The value of a JavaScript expression in the page (JSON-serialisable values; promises awaited). */
    public JsonNode eval(String expression) throws Exception {
        JsonNode r = call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true,
                "awaitPromise", true));
        if (r.has("exceptionDetails")) {
            throw new IllegalStateException("JavaScript failed: " + r.get("exceptionDetails"));
        }
        return r.path("result").path("value");
    }

    /** Clicks the middle of the first element matching {@code selector} with real mouse events. */
    public void click(String selector) throws Exception {
        JsonNode box = eval("(function(){var e=document.querySelector(" + JSON.writeValueAsString(selector)
                + ");if(!e)return null;e.scrollIntoView({block:'center'});var r=e.getBoundingClientRect();"
                + "return {x:r.left+r.width/2,y:r.top+r.height/2};})()");
        if (box.isNull() || box.isMissingNode()) {
            throw new IllegalStateException("no element " + selector);
        }
        for (String type : List.of("mousePressed", "mouseReleased")) {
            call("Input.dispatchMouseEvent", Map.of("type", type, "x", box.get("x").asDouble(),
                    "y", box.get("y").asDouble(), "button", "left", "clickCount", 1));
        }
    }

    /** Focuses {@code selector} (a click) and types {@code text} as keyboard input. */
    public void type(String selector, String text) throws Exception {
        click(selector);
        call("Input.insertText", Map.of("text", text));
    }

    /** Waits until {@code expression} is true in the page. */
    public void waitFor(String expression) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!eval("!!(" + expression + ")").asBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out waiting for " + expression);
            }
            Thread.sleep(20);
        }
    }

    /** A PNG of the viewport, or of the whole page when {@code fullPage}. */
    public void screenshot(Path png, boolean fullPage) throws Exception {
        JsonNode r = call("Page.captureScreenshot", Map.of("format", "png", "captureBeyondViewport", fullPage));
        Files.createDirectories(png.toAbsolutePath().getParent());
        Files.write(png, Base64.getDecoder().decode(r.get("data").asText()));
    }

    /** Sends one DevTools command and waits for its result. */
    public JsonNode call(String method, Map<String, ?> params) throws Exception {
        int id = ids.incrementAndGet();
        ObjectNode msg = JSON.createObjectNode();
        msg.put("id", id);
        msg.put("method", method);
        msg.set("params", JSON.valueToTree(params));
        CompletableFuture<JsonNode> f = new CompletableFuture<>();
        pending.put(id, f);
        socket.sendText(JSON.writeValueAsString(msg), true).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        JsonNode reply = f.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        if (reply.has("error")) {
            throw new IllegalStateException(method + ": " + reply.get("error"));
        }
        return reply.path("result");
    }

    @Override
    public void close() {
        try {
            socket.abort();
        } catch (RuntimeException e) {
            // closing anyway
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        deleteTree(profile);
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary profile; best effort
        }
    }

    /** Collects a message's fragments, then completes its call or records it as an event. */
    private static final class Listener implements WebSocket.Listener {
        private final StringBuilder buf = new StringBuilder();
        volatile Chromium owner;

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            buf.append(data);
            ws.request(1);
            if (last) {
                try {
                    JsonNode msg = JSON.readTree(buf.toString());
                    Chromium c = owner;
                    if (c == null) {
                        return null; // nothing is asked before the owner is set
                    }
                    if (msg.has("id")) {
                        CompletableFuture<JsonNode> f = c.pending.remove(msg.get("id").asInt());
                        if (f != null) {
                            f.complete(msg);
                        }
                    } else {
                        c.events.add(msg);
                    }
                } catch (IOException e) {
                    throw new IllegalStateException("bad DevTools message", e);
                } finally {
                    buf.setLength(0);
                }
            }
            return null;
        }
    }
}
