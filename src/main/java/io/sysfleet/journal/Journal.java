package io.sysfleet.journal;

import io.sysfleet.core.AtomicFiles;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sysfleet.core.ExitCode;
import io.sysfleet.core.SysfleetException;
import io.sysfleet.result.Phase;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;

/**
 * A run's write-ahead journal: {@code STATE/runs/RUN_ID/run.json} (the header) and {@code journal.jsonl}, one
 * JSON record per line, each appended and fsynced before the call returns. An {@link Intent} is on disk before
 * the host is touched, so a controller killed at any instant (SIGKILL included) leaves enough to roll back every
 * host that was or may have been changed. Directories are 0700, files 0600. Thread-safe.
 */
public final class Journal {
    static final ObjectMapper JSON = new ObjectMapper().disable(SerializationFeature.INDENT_OUTPUT);
    private static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    public static final String HEADER = "run.json";
    public static final String LOG = "journal.jsonl";
    /** What a run id may be: a plain name, never a path. */
    private static final java.util.regex.Pattern RUN_ID = java.util.regex.Pattern.compile("[0-9A-Za-z][0-9A-Za-z._-]*");

    private final Path dir;
    private final byte[] key;
    private RunRecord record;
    private int intents;
    private int seq;

    private Journal(Path dir, RunRecord record, byte[] key) {
        this.dir = dir;
        this.record = record;
        this.key = key;
    }

    /** The directory holding every run's state. */
    public static Path runsDir(Path stateDir) {
        return stateDir.resolve("runs");
    }

    /** Creates the run's directory and header; fails when the run id exists already. */
    public static Journal create(Path stateDir, RunRecord record) {
        if (!RUN_ID.matcher(record.id()).matches()) {
            throw new SysfleetException(ExitCode.USAGE, "invalid run id '" + record.id() + "'");
        }
        Path dir = runsDir(stateDir).resolve(record.id());
        try {
            StateDir.check(stateDir);
            StateDir.check(dir.getParent());
            AtomicFiles.mkdirsPrivate(dir.getParent());
            StateDir.check(stateDir);
            StateDir.check(dir.getParent());
            byte[] key = StateDir.key(stateDir, true);
            AtomicFiles.createPrivateDir(dir);
            Journal j = new Journal(dir, record, key);
            j.writeHeader();
            return j;
        } catch (FileAlreadyExistsException e) {
            throw new SysfleetException(ExitCode.ERROR, Phase.JOURNAL, null, "run " + record.id() + " exists already", e);
        } catch (IOException e) {
            throw new SysfleetException(ExitCode.ERROR, Phase.JOURNAL, null,
                    "cannot create the run's state directory " + dir + ": " + e.getMessage(), e);
        }
    }

    public Path dir() {
        return dir;
    }

    public synchronized RunRecord record() {
        return record;
    }

    public synchronized void intent(Intent intent) {
        append("intent", intent);
        intents++;
    }

    /** How many intents this journal has recorded: zero for a run that changed nothing. */
    public synchronized int intentCount() {
        return intents;
    }

    public synchronized void outcome(Outcome outcome) {
        append("outcome", outcome);
    }

    /** A module load or unload: its intent before modprobe runs (counted as an intent), its result after. */
    public synchronized void module(ModuleChange change) {
        append("module", change);
        if (change.status().equals("intent")) {
            intents++;
        }
    }

    /** Rewrites the header with the run's end state. */
    public synchronized void finish(RunRecord finished) {
        record = finished;
        try {
            writeHeader();
        } catch (IOException e) {
            throw new SysfleetException(ExitCode.ERROR, Phase.JOURNAL, null, "cannot write " + dir.resolve(HEADER), e);
        }
    }

    private void append(String type, Object entry) {
        try {
            ObjectNode node = JSON.valueToTree(entry);
            node.put("type", type);
            node.put("seq", ++seq);
            node.put("mac", StateDir.mac(key, record.id() + "\n" + JSON.writeValueAsString(node)));
            byte[] line = (JSON.writeValueAsString(node) + "\n").getBytes(StandardCharsets.UTF_8);
            Path log = dir.resolve(LOG);
            boolean created = !Files.exists(log);
            try (FileChannel ch = FileChannel.open(log, EnumSet.of(StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                    StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
                ByteBuffer buf = ByteBuffer.wrap(line);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            if (created) {
                AtomicFiles.fsyncDir(dir);
            }
        } catch (IOException e) {
            throw new SysfleetException(ExitCode.ERROR, Phase.JOURNAL, null,
                    "cannot write the journal " + dir.resolve(LOG) + ": " + e.getMessage(), e);
        }
    }

    /** The header: the record, how many journal lines were written when it was written, and its HMAC. */
    private void writeHeader() throws IOException {
        ObjectNode node = JSON.valueToTree(record);
        node.put("records", seq);
        node.put("mac", StateDir.mac(key, "header\n" + JSON.writeValueAsString(node)));
        AtomicFiles.write(dir.resolve(HEADER), PRETTY.writeValueAsBytes(node), AtomicFiles.PRIVATE);
    }

    /** Thrown for a header or record that is not what sysfleet wrote. */
    private static SysfleetException notAuthentic(String runId, String what) {
        return new SysfleetException(ExitCode.ERROR, Phase.JOURNAL, null, "run " + runId + ": " + what
                + ": the journal was changed outside sysfleet (or by a state directory with another key); refusing "
                + "to use it", null);
    }

    /** The verified header of the run in {@code dir}: its HMAC holds and its id is the directory's name. */
    private static Header header(Path dir, String runId, byte[] key) throws IOException {
        Path h = dir.resolve(HEADER);
        StateDir.check(h);
        JsonNode tree;
        try {
            tree = JSON.readTree(Files.readAllBytes(h));
        } catch (JsonProcessingException e) {
            throw notAuthentic(runId, "its header " + h + " is not JSON");
        }
        if (!(tree instanceof ObjectNode node) || !node.path("mac").isTextual()) {
            throw notAuthentic(runId, "its header " + h + " has no HMAC");
        }
        String mac = node.remove("mac").asText();
        if (key == null || !StateDir.macOk(key, "header\n" + JSON.writeValueAsString(node), mac)) {
            throw notAuthentic(runId, "its header " + h + " fails its HMAC");
        }
        int records = node.path("records").asInt(0);
        node.remove("records");
        RunRecord rec = JSON.treeToValue(node, RunRecord.class);
        if (!runId.equals(rec.id())) {
            throw notAuthentic(runId, "its header names run '" + rec.id() + "'");
        }
        return new Header(rec, records);
    }

    private record Header(RunRecord record, int records) {
    }

    /** Reads a run: its header and every complete journal line (a torn last line from a crash is ignored). */
    public static JournalView read(Path stateDir, String runId) {
        if (!RUN_ID.matcher(runId).matches()) {
            throw new SysfleetException(ExitCode.USAGE, "invalid run id '" + runId + "'");
        }
        Path dir = runsDir(stateDir).resolve(runId);
        try {
            StateDir.check(stateDir);
            StateDir.check(runsDir(stateDir));
            StateDir.check(dir);
            if (!Files.isDirectory(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                throw new NoSuchFileException(dir.toString());
            }
            byte[] key = StateDir.key(stateDir, false);
            if (key == null) {
                throw notAuthentic(runId, "the state directory has no " + StateDir.KEY);
            }
            Header header = header(dir, runId, key);
            RunRecord rec = header.record();
            List<Intent> intents = new ArrayList<>();
            List<Outcome> outcomes = new ArrayList<>();
            List<ModuleChange> modules = new ArrayList<>();
            Path log = dir.resolve(LOG);
            StateDir.check(log);
            int expect = 1;
            if (Files.exists(log)) {
                List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
                for (int i = 0; i < lines.size(); i++) {
                    String line = lines.get(i);
                    JsonNode parsed;
                    try {
                        parsed = JSON.readTree(line);
                    } catch (JsonProcessingException e) {
                        if (i == lines.size() - 1) {
                            continue; // the last line, torn by a crash: its change was never started
                        }
                        throw notAuthentic(runId, LOG + " line " + (i + 1) + " is damaged");
                    }
                    if (!(parsed instanceof ObjectNode n) || !n.path("mac").isTextual()) {
                        if (parsed == null && line.isBlank() && i == lines.size() - 1) {
                            continue;
                        }
                        throw notAuthentic(runId, LOG + " line " + (i + 1) + " has no HMAC");
                    }
                    String mac = n.remove("mac").asText();
                    if (!StateDir.macOk(key, runId + "\n" + JSON.writeValueAsString(n), mac)) {
                        throw notAuthentic(runId, LOG + " line " + (i + 1) + " fails its HMAC");
                    }
                    if (n.path("seq").asInt(-1) != expect) {
                        throw notAuthentic(runId, LOG + " line " + (i + 1) + " is record " + n.path("seq").asInt(-1)
                                + ", expected record " + expect + " (records were removed or reordered)");
                    }
                    expect++;
                    n.remove("seq");
                    String type = n.path("type").asText();
                    n.remove("type");
                    if (type.equals("intent")) {
                        intents.add(JSON.treeToValue(n, Intent.class));
                    } else if (type.equals("outcome")) {
                        outcomes.add(JSON.treeToValue(n, Outcome.class));
                    } else if (type.equals("module")) {
                        ModuleChange m = JSON.treeToValue(n, ModuleChange.class);
                        if (m.module() == null || !io.sysfleet.facts.RuntimeFacts.MODULE_NAME.matcher(m.module()).matches()
                                || !java.util.Set.of("load", "unload").contains(m.action())) {
                            throw new SysfleetException(ExitCode.ERROR, Phase.JOURNAL, m.host(), "run " + runId
                                    + ": the journal names an invalid module change: " + m.module() + " " + m.action(),
                                    null);
                        }
                        modules.add(m);
                    }
                }
            }
            if (expect - 1 < header.records()) {
                throw notAuthentic(runId, LOG + " holds " + (expect - 1) + " records, its header counts "
                        + header.records() + " (truncated)");
            }
            return new JournalView(dir, rec, intents, outcomes, modules);
        } catch (NoSuchFileException e) {
            throw new SysfleetException(ExitCode.USAGE, "no run '" + runId + "' in " + runsDir(stateDir));
        } catch (IOException e) {
            throw new SysfleetException(ExitCode.ERROR, Phase.JOURNAL, null,
                    "cannot read run " + runId + " in " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Every run's header, oldest first: by start time (ids sort by time only to the second), then by id. A header
     * whose start time cannot be read sorts by its id alone.
     */
    public static List<RunRecord> list(Path stateDir) {
        Path runs = runsDir(stateDir);
        List<RunRecord> out = new ArrayList<>();
        if (!Files.isDirectory(runs)) {
            return out;
        }
        StateDir.check(stateDir);
        StateDir.check(runs);
        byte[] key = StateDir.key(stateDir, false);
        try (var s = Files.list(runs)) {
            for (Path d : s.sorted().toList()) {
                String name = d.getFileName().toString();
                if (key == null || !RUN_ID.matcher(name).matches()
                        || !Files.isDirectory(d, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                StateDir.check(d);
                if (Files.isRegularFile(d.resolve(HEADER), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    try {
                        out.add(header(d, name, key).record());
                    } catch (IOException | SysfleetException e) {
                        // a run whose header is unreadable or not authentic is listed by nothing (`runs show ID`
                        // says why); runs prune leaves it alone
                    }
                }
            }
        } catch (IOException e) {
            throw new SysfleetException(ExitCode.ERROR, Phase.JOURNAL, null, "cannot list " + runs + ": " + e.getMessage(), e);
        }
        out.sort(Comparator.comparing(Journal::started).thenComparing(RunRecord::id));
        return out;
    }

    private static Instant started(RunRecord r) {
        try {
            return Instant.parse(r.startedAt());
        } catch (RuntimeException e) {
            return Instant.EPOCH;
        }
    }
}
