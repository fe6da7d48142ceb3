package io.arborist.clickhouse.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arborist.clickhouse.BackupDestination;
import io.arborist.clickhouse.ClickHouseManifest;
import io.arborist.clickhouse.ManifestChunk;
import io.arborist.clickhouse.ManifestDatabase;
import io.arborist.clickhouse.ManifestObject;
import io.arborist.clickhouse.ObjectKind;
import io.arborist.clickhouse.ServerBackup;
import io.arborist.core.ArboristException;
import io.arborist.core.ErrorKind;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads and writes {@code manifest.json}; writing goes through a temporary file, fsync and an atomic rename. */
public final class ManifestJson {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ManifestJson() {
    }

    /** Writes the manifest atomically. */
    public static void write(Path dir, ClickHouseManifest m) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("kind", "clickhouse");
        root.put("format", m.format());
        root.put("tool", m.tool());
        root.put("serverVersion", m.serverVersion());
        root.put("created", m.created().toString());
        root.put("checksum", m.checksum());
        ArrayNode notes = root.putArray("notes");
        m.notes().forEach(notes::add);
        m.serverBackup().ifPresent(b -> {
            ObjectNode sb = root.putObject("serverBackup");
            sb.put("kind", b.destination().kind()).put("destination", b.destination().sql()).put("id", b.id()).put("files", b.files())
                    .put("bytes", b.bytes());
            if (b.destination() instanceof BackupDestination.File f) {
                sb.put("path", f.path());
            } else if (b.destination() instanceof BackupDestination.Disk d) {
                sb.put("disk", d.disk()).put("path", d.path());
            }
        });
        ArrayNode dbs = root.putArray("databases");
        for (ManifestDatabase d : m.databases()) {
            dbs.addObject().put("name", d.name()).put("ddl", d.ddl());
        }
        ArrayNode objs = root.putArray("objects");
        for (ManifestObject o : m.objects()) {
            ObjectNode on = objs.addObject();
            on.put("database", o.database()).put("name", o.name()).put("kind", o.kind().name()).put("engine", o.engine())
                    .put("ddl", o.ddl()).put("secretsHidden", o.secretsHidden()).put("innerOf", o.innerOf()).put("rows", o.rows());
            ArrayNode chunks = on.putArray("chunks");
            for (ManifestChunk c : o.chunks()) {
                chunks.addObject().put("file", c.file()).put("partitionId", c.partitionId()).put("rows", c.rows()).put("bytes", c.bytes())
                        .put("sha256", c.sha256()).put("hashSum", c.hashSum()).put("hashXor", c.hashXor());
            }
        }
        Path tmp = dir.resolve(ClickHouseManifest.FILE + ".partial");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            JSON.writeValue(out, root);
        }
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Files.move(tmp, dir.resolve(ClickHouseManifest.FILE), StandardCopyOption.ATOMIC_MOVE);
    }

    private static Optional<ServerBackup> serverBackup(Path file, JsonNode b) {
        if (b.isMissingNode() || b.isNull()) {
            return Optional.empty();
        }
        String kind = b.path("kind").asText();
        BackupDestination d = switch (kind) {
            case "File" -> BackupDestination.file(b.path("path").asText());
            case "Disk" -> BackupDestination.disk(b.path("disk").asText(), b.path("path").asText());
            default -> throw new ArboristException(ErrorKind.VERIFICATION, file + ": unknown server-side backup destination kind '" + kind + "'");
        };
        return Optional.of(new ServerBackup(d, b.path("id").asText(), b.path("files").asLong(), b.path("bytes").asLong()));
    }

    /** Reads the manifest of a backup directory. */
    public static ClickHouseManifest read(Path dir) {
        Path file = dir.resolve(ClickHouseManifest.FILE);
        try {
            JsonNode r = JSON.readTree(Files.readAllBytes(file));
            if (!"clickhouse".equals(r.path("kind").asText())) {
                throw new ArboristException(ErrorKind.VERIFICATION, file + " is not a ClickHouse backup manifest (kind '" + r.path("kind").asText() + "')");
            }
            List<ManifestDatabase> dbs = new ArrayList<>();
            for (JsonNode d : r.path("databases")) {
                dbs.add(new ManifestDatabase(d.path("name").asText(), d.path("ddl").asText()));
            }
            List<ManifestObject> objs = new ArrayList<>();
            for (JsonNode o : r.path("objects")) {
                List<ManifestChunk> chunks = new ArrayList<>();
                for (JsonNode c : o.path("chunks")) {
                    chunks.add(new ManifestChunk(c.path("file").asText(), c.path("partitionId").asText(), c.path("rows").asLong(),
                            c.path("bytes").asLong(), c.path("sha256").asText(), c.path("hashSum").asText(), c.path("hashXor").asText()));
                }
                objs.add(new ManifestObject(o.path("database").asText(), o.path("name").asText(), ObjectKind.valueOf(o.path("kind").asText()),
                        o.path("engine").asText(), o.path("ddl").asText(), o.path("secretsHidden").asBoolean(), o.path("innerOf").asText(), chunks));
            }
            List<String> notes = new ArrayList<>();
            r.path("notes").forEach(n -> notes.add(n.asText()));
            return new ClickHouseManifest(r.path("format").asInt(), r.path("tool").asText(), r.path("serverVersion").asText(),
                    Instant.parse(r.path("created").asText()), dbs, objs, r.path("checksum").asText(), notes, serverBackup(file, r.path("serverBackup")));
        } catch (NoSuchFileException e) {
            throw new ArboristException(ErrorKind.VERIFICATION, "incomplete or missing backup: " + file
                    + " does not exist (the manifest is written last; a backup without it never finished)", e);
        } catch (IOException | RuntimeException e) {
            if (e instanceof ArboristException ae) {
                throw ae;
            }
            throw new ArboristException(ErrorKind.VERIFICATION, "cannot read backup manifest " + file + ": " + e.getMessage(), e);
        }
    }
}
