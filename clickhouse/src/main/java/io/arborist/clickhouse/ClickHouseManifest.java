package io.arborist.clickhouse;

import io.arborist.clickhouse.internal.ManifestJson;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The table of contents of a ClickHouse backup directory ({@code manifest.json}, written last: a directory without
 * it is an incomplete backup). Layout: {@code manifest.json}, {@code manifest.json.sha256} (the manifest's SHA-256,
 * as {@code sha256sum} writes it), {@code manifest.sig} (with a key: one line {@code hmac-sha256 FINGERPRINT MAC} over the manifest's exact
 * bytes, see {@link io.arborist.core.backup.ArchiveSeal}), {@code schema/<db>.sql} (for people), and
 * {@code data/<db>/<table>/<partition>.native.zst}; the manifest holds the SHA-256 of every other file — or, for a server-side backup ({@link #serverBackup()}), no data
 * files: the rows are in the server's {@code BACKUP}, and each table has one chunk without a file that records its
 * rows and checksums.
 *
 * @param format layout version (1)
 * @param tool the writing tool and version
 * @param serverVersion the source server's {@code version()}
 * @param created when the backup finished
 * @param databases the databases, in creation order
 * @param objects every object, in dependency order (tables, inner tables, views, materialized views, dictionaries)
 * @param files the archive's other files (the schema files) with their digests; empty in format 1
 * @param checksum how the server-side checksums were computed
 * @param notes facts a restorer should know (per-table consistency, skipped objects, hidden secrets)
 * @param serverBackup the server-side {@code BACKUP} holding the rows, or empty when the rows are in the data files
 * @since 0.1
 */
public record ClickHouseManifest(int format, String tool, String serverVersion, Instant created, List<ManifestDatabase> databases,
                                 List<ManifestObject> objects, List<ManifestFile> files, String checksum, List<String> notes, Optional<ServerBackup> serverBackup) {
    /** The file name of the manifest inside a backup directory. */
    public static final String FILE = "manifest.json";
    /** The layout this version writes: 2 (format 1 had no {@link #files()}, no manifest checksum and no seal). */
    public static final int FORMAT = 2;

    /**
     * Validates and copies.
     *
     * @param format layout version (1)
     * @param tool the writing tool and version
     * @param serverVersion the source server's {@code version()}
     * @param created when the backup finished
     * @param databases the databases, in creation order
     * @param objects every object, in dependency order (tables, inner tables, views, materialized views, dictionaries)
     * @param files the archive's other files (the schema files) with their digests; empty in format 1
     * @param checksum how the server-side checksums were computed
     * @param notes facts a restorer should know (per-table consistency, skipped objects, hidden secrets)
     * @param serverBackup the server-side {@code BACKUP} holding the rows, or empty when the rows are in the data files
     */
    public ClickHouseManifest {
        Objects.requireNonNull(tool, "tool");
        Objects.requireNonNull(serverVersion, "serverVersion");
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(checksum, "checksum");
        Objects.requireNonNull(serverBackup, "serverBackup");
        databases = List.copyOf(databases);
        objects = List.copyOf(objects);
        files = List.copyOf(files);
        notes = List.copyOf(notes);
    }

    /**
     * Reads a backup directory's manifest.
     *
     * @param directory the backup directory
     * @return the manifest
     * @throws io.arborist.core.ArboristException of kind VERIFICATION when it is missing or malformed
     */
    public static ClickHouseManifest read(Path directory) {
        return ManifestJson.read(Objects.requireNonNull(directory, "directory"));
    }

    /** @return rows over all objects */
    public long rows() {
        return objects.stream().mapToLong(ManifestObject::rows).sum();
    }

    /** @return bytes of all data files (none for a server-side backup: see {@link ServerBackup#bytes()}) */
    public long bytes() {
        return objects.stream().flatMap(o -> o.chunks().stream()).mapToLong(ManifestChunk::bytes).sum();
    }
}
