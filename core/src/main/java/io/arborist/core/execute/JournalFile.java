package io.arborist.core.execute;

import io.arborist.core.internal.Json;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arborist.core.ArboristException;
import io.arborist.core.ErrorKind;
import io.arborist.core.backup.BackupArtifact;
import io.arborist.core.backup.store.Destination;
import io.arborist.core.plan.BackupTarget;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** A journal file: one JSON object per line, each write forced to disk. */
final class JournalFile implements UpgradeJournal {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(JournalFile.class);
    private final Path file;

    /** @param file the journal file */
    public JournalFile(Path file) {
        this.file = file;
    }

    @Override
    public synchronized List<JournalEntry> entries() {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new ArboristException(ErrorKind.JOURNAL, "journal " + file + " cannot be read: " + e.getMessage(), e);
        }
        List<JournalEntry> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            try {
                out.add(parse(Json.read(line, "journal " + file + " line " + (i + 1))));
            } catch (JsonProcessingException | RuntimeException e) {
                if (i == lines.size() - 1) {
                    break;
                }
                throw new ArboristException(ErrorKind.JOURNAL, "journal " + file + ": line " + (i + 1)
                        + " is not a journal record; the file was edited or damaged. Restore it from a copy, or start a new journal.", e);
            }
        }
        return out;
    }

    @Override
    public synchronized void append(JournalEntry entry) {
        byte[] bytes;
        try {
            bytes = (Json.MAPPER.writer().without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(toJson(entry)) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("journal record cannot be written", e);
        }
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try (FileChannel ch = open()) {
                long end = dropTornTail(ch);
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    end += ch.write(buf, end);
                }
                ch.force(true);
            }
        } catch (IOException e) {
            throw new ArboristException(ErrorKind.JOURNAL, "journal " + file + " cannot be written: " + e.getMessage(), e);
        }
    }

    /** Opens the journal for writing, creating it owner-only (it names backups and commands). */
    private FileChannel open() throws IOException {
        if (!Files.exists(file) && file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return FileChannel.open(file, java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE),
                    java.nio.file.attribute.PosixFilePermissions.asFileAttribute(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        }
        return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    /**
     * A record cut by a crash (no newline at the end of the file) would have the next record glued onto it: truncate
     * the file after its last complete record. {@link #entries()} already ignores such a tail.
     *
     * @return where the next record goes
     */
    private long dropTornTail(FileChannel ch) throws IOException {
        long size = ch.size();
        long keep = size;
        ByteBuffer one = ByteBuffer.allocate(8192);
        while (keep > 0) {
            int n = (int) Math.min(one.capacity(), keep);
            one.clear().limit(n);
            ch.read(one, keep - n);
            int i = n - 1;
            while (i >= 0 && one.get(i) != '\n') {
                i--;
            }
            if (i >= 0) {
                keep = keep - n + i + 1;
                break;
            }
            keep -= n;
        }
        if (keep < size) {
            LOG.warn("Journal {}: dropping an incomplete last record ({} bytes) left by an interrupted write", file, size - keep);
            ch.truncate(keep);
        }
        return keep;
    }

    @Override
    public String describe() {
        return file.toString();
    }

    private static ObjectNode toJson(JournalEntry entry) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("at", entry.at().toString());
        if (entry instanceof JournalEntry.PlanStarted p) {
            o.put("type", "plan");
            o.put("planSha256", p.planSha256());
            o.put("runId", p.runId());
            o.set("plan", readTree(p.planJson()));
        } else if (entry instanceof JournalEntry.StepStarted s) {
            o.put("type", "start");
            o.put("step", s.stepId());
        } else if (entry instanceof JournalEntry.BackupStarted b) {
            o.put("type", "backup");
            o.put("step", b.stepId());
            o.put("target", b.target().name());
            o.put("location", b.location().toString());
        } else if (entry instanceof JournalEntry.BackupsConfirmed c) {
            o.put("type", "confirmed");
            o.put("step", c.stepId());
            ArrayNode targets = o.putArray("targets");
            c.targets().forEach(t -> targets.add(t.name()));
            o.put("confirmedBy", c.confirmedBy());
        } else if (entry instanceof JournalEntry.StepEnded e) {
            o.put("type", "end");
            o.put("step", e.stepId());
            o.put("status", e.completed() ? "COMPLETED" : "FAILED");
            o.put("tookMillis", e.took().toMillis());
            ArrayNode backups = o.putArray("backups");
            for (BackupArtifact b : e.backups()) {
                ObjectNode a = backups.addObject();
                a.put("id", b.id());
                a.put("target", b.target().name());
                a.put("location", b.location().toString());
                a.put("bytes", b.bytes());
                a.put("created", b.created().toString());
                b.rows().ifPresent(r -> a.put("rows", r));
                b.took().ifPresent(t -> a.put("tookMillis", t.toMillis()));
            }
            e.message().ifPresent(m -> o.put("message", m));
        }
        return o;
    }

    /** A location as written: {@code s3://bucket/prefix/}, or a path (every journal written before S3 destinations). */
    private static Destination location(String text) {
        return text.startsWith("s3://") ? Destination.parse(text) : new Destination.LocalDirectory(Path.of(text));
    }

    private static JsonNode readTree(String json) {
        return Json.read(json, "plan");
    }

    private static JournalEntry parse(JsonNode o) throws JsonProcessingException {
        Instant at = Instant.parse(o.get("at").asText());
        String type = o.get("type").asText();
        return switch (type) {
            case "plan" -> o.hasNonNull("runId")
                    ? new JournalEntry.PlanStarted(at, o.get("planSha256").asText(), Json.MAPPER.writeValueAsString(o.get("plan")),
                            o.get("runId").asText())
                    : new JournalEntry.PlanStarted(at, o.get("planSha256").asText(), Json.MAPPER.writeValueAsString(o.get("plan")));
            case "start" -> new JournalEntry.StepStarted(at, o.get("step").asText());
            case "backup" -> new JournalEntry.BackupStarted(at, o.get("step").asText(), BackupTarget.valueOf(o.get("target").asText()),
                    location(o.get("location").asText()));
            case "confirmed" -> {
                List<BackupTarget> targets = new ArrayList<>();
                o.get("targets").forEach(t -> targets.add(BackupTarget.valueOf(t.asText())));
                yield new JournalEntry.BackupsConfirmed(at, o.get("step").asText(), targets, o.get("confirmedBy").asText());
            }
            case "end" -> {
                List<BackupArtifact> backups = new ArrayList<>();
                for (JsonNode a : o.path("backups")) {
                    // rows and tookMillis are absent from journals written before Arborist recorded them
                    backups.add(new BackupArtifact(a.get("id").asText(), BackupTarget.valueOf(a.get("target").asText()),
                            location(a.get("location").asText()), a.get("bytes").asLong(), Instant.parse(a.get("created").asText()),
                            a.hasNonNull("rows") ? OptionalLong.of(a.get("rows").asLong()) : OptionalLong.empty(),
                            a.hasNonNull("tookMillis") ? Optional.of(Duration.ofMillis(a.get("tookMillis").asLong())) : Optional.empty()));
                }
                yield new JournalEntry.StepEnded(at, o.get("step").asText(), "COMPLETED".equals(o.get("status").asText()),
                        Duration.ofMillis(o.get("tookMillis").asLong()), backups,
                        o.hasNonNull("message") ? Optional.of(o.get("message").asText()) : Optional.empty());
            }
            default -> throw new IllegalArgumentException("unknown record type " + type);
        };
    }
}
