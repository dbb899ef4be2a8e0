package io.sysfleet.journal;

import io.sysfleet.core.AtomicFiles;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
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

    private final Path dir;
    private RunRecord record;
    private int intents;

    private Journal(Path dir, RunRecord record) {
        this.dir = dir;
        this.record = record;
    }

    /** The directory holding every run's state. */
    public static Path runsDir(Path stateDir) {
        return stateDir.resolve("runs");
    }

    /** Creates the run's directory and header; fails when the run id exists already. */
    public static Journal create(Path stateDir, RunRecord record) {
        Path dir = runsDir(stateDir).resolve(record.id());
        try {
            AtomicFiles.mkdirsPrivate(dir.getParent());
            AtomicFiles.createPrivateDir(dir);
            Journal j = new Journal(dir, record);
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
            JsonNode node = JSON.valueToTree(entry);
            ((com.fasterxml.jackson.databind.node.ObjectNode) node).put("type", type);
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

    private void writeHeader() throws IOException {
        AtomicFiles.write(dir.resolve(HEADER), PRETTY.writeValueAsBytes(record), AtomicFiles.PRIVATE);
    }

    /** Reads a run: its header and every complete journal line (a torn last line from a crash is ignored). */
    public static JournalView read(Path stateDir, String runId) {
        if (!runId.matches("[0-9A-Za-z._-]+")) {
            throw new SysfleetException(ExitCode.USAGE, "invalid run id '" + runId + "'");
        }
        Path dir = runsDir(stateDir).resolve(runId);
        try {
            RunRecord rec = JSON.readValue(Files.readAllBytes(dir.resolve(HEADER)), RunRecord.class);
            List<Intent> intents = new ArrayList<>();
            List<Outcome> outcomes = new ArrayList<>();
            Path log = dir.resolve(LOG);
            if (Files.exists(log)) {
                for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                    JsonNode n;
                    try {
                        n = JSON.readTree(line);
                    } catch (JsonProcessingException e) {
                        continue; // a line torn by a crash: its change was never started
                    }
                    if (n == null || !n.has("type")) {
                        continue;
                    }
                    String type = n.get("type").asText();
                    ((com.fasterxml.jackson.databind.node.ObjectNode) n).remove("type");
                    if (type.equals("intent")) {
                        intents.add(JSON.treeToValue(n, Intent.class));
                    } else if (type.equals("outcome")) {
                        outcomes.add(JSON.treeToValue(n, Outcome.class));
                    }
                }
            }
            return new JournalView(dir, rec, intents, outcomes);
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
        try (var s = Files.list(runs)) {
            for (Path d : s.sorted().toList()) {
                Path header = d.resolve(HEADER);
                if (Files.isRegularFile(header)) {
                    try {
                        out.add(JSON.readValue(Files.readAllBytes(header), RunRecord.class));
                    } catch (IOException e) {
                        // a run whose header is unreadable is listed by nothing; runs prune leaves it alone
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
