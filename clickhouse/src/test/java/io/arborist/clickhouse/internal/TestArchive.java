package io.arborist.clickhouse.internal;

import io.arborist.clickhouse.ClickHouseManifest;
import io.arborist.clickhouse.ManifestChunk;
import io.arborist.clickhouse.ManifestDatabase;
import io.arborist.clickhouse.ManifestFile;
import io.arborist.clickhouse.ManifestObject;
import io.arborist.clickhouse.ObjectKind;
import io.arborist.core.backup.ArchiveKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Backup directories written the way a backup writes them (files, then the manifest, its checksum and seal), without a server. */
final class TestArchive {
    static final ArchiveKey KEY = ArchiveKey.fromEnvironment(Map.of("K", "6b".repeat(32)), "K");
    static final ManifestDatabase XAPI = new ManifestDatabase("xapi", "CREATE DATABASE xapi ENGINE = Atomic");

    private final Path dir;
    private final List<ManifestDatabase> databases = List.of(XAPI);
    private final List<ManifestObject> objects = new ArrayList<>();

    TestArchive(Path dir) {
        this.dir = dir;
    }

    /** Adds an object without data. */
    TestArchive object(String db, String name, ObjectKind kind, String ddl) {
        objects.add(new ManifestObject(db, name, kind, kind == ObjectKind.TABLE ? "MergeTree" : "View", ddl, false, "", List.of()));
        return this;
    }

    TestArchive object(ManifestObject o) {
        objects.add(o);
        return this;
    }

    /** Adds a MergeTree table of xapi with one data file holding these bytes. */
    TestArchive table(String name, byte[] data) throws IOException {
        objects.add(new ManifestObject("xapi", name, ObjectKind.TABLE, "MergeTree", "CREATE TABLE xapi." + name + " (id UInt64) ENGINE = MergeTree ORDER BY id",
                false, "", List.of(chunk("data/xapi/" + name + "/all.native.zst", data))));
        return this;
    }

    /** Writes a data file; @return its chunk as a backup records it */
    ManifestChunk chunk(String rel, byte[] data) throws IOException {
        Files.createDirectories(dir.resolve(rel).getParent());
        Files.write(dir.resolve(rel), data);
        return new ManifestChunk(rel, "", 3, data.length, ManifestSeal.sha256(data), "12", "34");
    }

    /** Writes the schema file and the manifest (sealed with {@link #KEY} when asked); @return the manifest */
    ClickHouseManifest write(boolean sealed) throws IOException {
        byte[] schema = "-- xapi\n".getBytes(StandardCharsets.UTF_8);
        Files.createDirectories(dir.resolve("schema"));
        Files.write(dir.resolve("schema/xapi.sql"), schema);
        ClickHouseManifest m = new ClickHouseManifest(ClickHouseManifest.FORMAT, Dumper.TOOL, "18.16.1", Instant.parse("2026-01-01T00:00:00Z"), databases,
                objects, List.of(new ManifestFile("schema/xapi.sql", schema.length, ManifestSeal.sha256(schema))), Dumper.CHECKSUM, List.of(),
                Optional.empty());
        ManifestJson.write(dir, m, sealed ? Optional.of(KEY) : Optional.empty());
        return m;
    }

    static ManifestObject table(String db, String name, ObjectKind kind, String ddl, String innerOf, List<ManifestChunk> chunks) {
        return new ManifestObject(db, name, kind, "MergeTree", ddl, false, innerOf, chunks);
    }

    static ClickHouseManifest manifest(List<ManifestDatabase> databases, List<ManifestObject> objects, List<ManifestFile> files) {
        return new ClickHouseManifest(ClickHouseManifest.FORMAT, Dumper.TOOL, "18.16.1", Instant.parse("2026-01-01T00:00:00Z"), databases, objects, files,
                Dumper.CHECKSUM, List.of(), Optional.empty());
    }
}
