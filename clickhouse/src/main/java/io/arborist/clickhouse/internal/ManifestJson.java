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
import io.arborist.clickhouse.ManifestFile;
import io.arborist.clickhouse.ManifestObject;
import io.arborist.clickhouse.ObjectKind;
import io.arborist.clickhouse.ServerBackup;
import io.arborist.core.ArboristException;
import io.arborist.core.ErrorKind;
import io.arborist.core.backup.ArchiveKey;
import io.arborist.core.backup.ArchiveSeal;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads and writes {@code manifest.json} with its checksum ({@code manifest.json.sha256}) and, with a key, its seal
 * ({@code manifest.sig}, see {@link ArchiveSeal}); each written through a temporary file, fsync and an atomic rename, the manifest last.
 */
public final class ManifestJson {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** The largest manifest read (a manifest holds metadata only: objects, DDL, digests). */
    static final long MAX_BYTES = 64L << 20;

    private ManifestJson() {
    }

    /**
     * Writes the manifest's checksum, its seal when a key is given, then the manifest itself.
     *
     * @param dir the backup directory
     * @param m the manifest
     * @param key the key that seals it, if any
     * @return the manifest's bytes as written
     */
    public static byte[] write(Path dir, ClickHouseManifest m, Optional<ArchiveKey> key) throws IOException {
        return write(ArchiveSink.directory(dir), m, key);
    }

    /**
     * Writes the manifest's checksum, its seal when a key is given, then the manifest itself (the commit).
     *
     * @param sink where the archive is written
     * @param m the manifest
     * @param key the key that seals it, if any
     * @return the manifest's bytes as written
     */
    public static byte[] write(ArchiveSink sink, ClickHouseManifest m, Optional<ArchiveKey> key) throws IOException {
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
        ArrayNode files = root.putArray("files");
        for (ManifestFile f : m.files()) {
            files.addObject().put("path", f.path()).put("bytes", f.bytes()).put("sha256", f.sha256());
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
        byte[] bytes = JSON.writeValueAsBytes(root);
        sink.write(ManifestSeal.CHECKSUM_FILE, (ManifestSeal.sha256(bytes) + "  " + ClickHouseManifest.FILE + "\n")
                .getBytes(StandardCharsets.US_ASCII));
        if (key.isPresent()) {
            sink.write(ManifestSeal.SEAL_FILE, ArchiveSeal.of(key.get(), bytes).bytes());
        }
        sink.commit(bytes);
        return bytes;
    }

    private static Optional<ServerBackup> serverBackup(String file, JsonNode b) {
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

    /** Reads the manifest of a backup directory (without checking its checksum or seal: see {@link ManifestSeal}). */
    public static ClickHouseManifest read(Path dir) {
        return parse(dir, bytes(dir));
    }

    /**
     * @param dir a backup directory
     * @return the manifest's bytes, read once (a check and the parse then see the same bytes)
     * @throws ArboristException of kind VERIFICATION when it is missing, not a regular file or too large
     */
    public static byte[] bytes(Path dir) {
        Path file = dir.resolve(ClickHouseManifest.FILE);
        try {
            if (Files.isSymbolicLink(file) || Files.exists(file, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                throw new ArboristException(ErrorKind.VERIFICATION, file + " is not a regular file (an archive holds regular files only)");
            }
            try (InputStream in = Files.newInputStream(file)) {
                byte[] bytes = in.readNBytes((int) MAX_BYTES + 1);
                if (bytes.length > MAX_BYTES) {
                    throw new ArboristException(ErrorKind.VERIFICATION, file + " is larger than " + (MAX_BYTES >> 20)
                            + " MiB; a manifest holds metadata only, this is not one");
                }
                return bytes;
            }
        } catch (NoSuchFileException e) {
            throw new ArboristException(ErrorKind.VERIFICATION, "incomplete or missing backup: " + file
                    + " does not exist (the manifest is written last; a backup without it never finished)", e);
        } catch (IOException e) {
            throw new ArboristException(ErrorKind.VERIFICATION, "cannot read backup manifest " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * @param dir the backup directory (for messages)
     * @param bytes the manifest's bytes
     * @return the manifest
     * @throws ArboristException of kind VERIFICATION when it is malformed
     */
    public static ClickHouseManifest parse(Path dir, byte[] bytes) {
        return parse(dir.resolve(ClickHouseManifest.FILE).toString(), bytes);
    }

    /**
     * @param file where the manifest is (for messages)
     * @param bytes the manifest's bytes
     * @return the manifest
     * @throws ArboristException of kind VERIFICATION when it is malformed
     */
    public static ClickHouseManifest parse(String file, byte[] bytes) {
        try {
            JsonNode r = JSON.readTree(bytes);
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
            List<ManifestFile> files = new ArrayList<>();
            for (JsonNode f : r.path("files")) {
                files.add(new ManifestFile(f.path("path").asText(), f.path("bytes").asLong(), f.path("sha256").asText()));
            }
            List<String> notes = new ArrayList<>();
            r.path("notes").forEach(n -> notes.add(n.asText()));
            return new ClickHouseManifest(r.path("format").asInt(), r.path("tool").asText(), r.path("serverVersion").asText(),
                    Instant.parse(r.path("created").asText()), dbs, objs, files, r.path("checksum").asText(), notes,
                    serverBackup(file, r.path("serverBackup")));
        } catch (IOException | RuntimeException e) {
            if (e instanceof ArboristException ae) {
                throw ae;
            }
            throw new ArboristException(ErrorKind.VERIFICATION, "cannot read backup manifest " + file + ": "
                    + DdlPolicy.shown(String.valueOf(e.getMessage()).lines().findFirst().orElse("")), e);
        }
    }
}
