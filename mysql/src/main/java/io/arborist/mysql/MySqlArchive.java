package io.arborist.mysql;

import io.arborist.core.ArboristException;
import io.arborist.core.ErrorKind;
import io.arborist.mysql.internal.ArchiveFiles;
import io.arborist.mysql.internal.Manifest;
import io.arborist.mysql.internal.ManifestIo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A complete MySQL/MariaDB archive: {@code manifest.json} (written last, so an archive without it never reads as
 * complete) and zstd-compressed data files {@code data/tNNNNN.cNNNNN.tsv.zst} whose SHA-256 the manifest records. An
 * archive is either a directory holding these files or a single tar file ({@code NAME.tar}) holding the data files
 * and then, as its last entry, the manifest; every method here reads both alike. A tar file is read in place, never
 * extracted.
 *
 * <pre>{@code
 * MySqlArchive archive = MySqlArchive.verify(Path.of("/backups/edxapp"));   // no database needed
 * MySqlArchive single = MySqlArchive.verify(Path.of("/backups/edxapp.tar"));
 * archive.tables().forEach(t -> System.out.println(t.table() + " " + t.rows()));
 * }</pre>
 *
 * @param directory where it is: the archive's directory, or its {@code .tar} file
 * @param formatVersion the archive format
 * @param toolVersion the Arborist version that wrote it
 * @param serverVersion the source server's version string
 * @param flavour {@code mariadb} or {@code mysql}
 * @param consistency how the workers' snapshots agree: {@code backup-stage} (MariaDB's {@code BACKUP STAGE
 *                    BLOCK_COMMIT} held while they opened), {@code lock-instance} (MySQL: {@code LOCK INSTANCE FOR
 *                    BACKUP} held for the whole dump, {@code FLUSH TABLES WITH READ LOCK} while they opened),
 *                    {@code global-read-lock} ({@code FLUSH TABLES WITH READ LOCK} only), or
 *                    {@code single-transaction} (refused or not granted in time; one worker)
 * @param binlogPosition {@code file:position} and GTID set at the snapshot, empty when the binary log is off
 * @param created when the backup finished
 * @param databases the databases saved
 * @param tables the tables saved, with rows and checksums
 * @param objects views, routines, triggers and events in creation order, as {@code TYPE db.name}
 * @param warnings things the backup could not guarantee (for example non-InnoDB tables)
 * @param features what the source used that not every server has, and how it was read (for example
 *                 {@code json-columns}, {@code collation:utf8mb4_0900_ai_ci}, {@code binlog:SHOW MASTER STATUS});
 *                 empty for archives older than format 4
 * @param bytes the archive's size on disk
 * @since 0.1
 */
public record MySqlArchive(Path directory, int formatVersion, String toolVersion, String serverVersion, String flavour,
                           String consistency, String binlogPosition, Instant created, List<String> databases,
                           List<ArchivedTable> tables, List<String> objects, List<String> warnings, List<String> features,
                           long bytes) {
    /** Validates and copies. */
    public MySqlArchive {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(toolVersion, "toolVersion");
        Objects.requireNonNull(serverVersion, "serverVersion");
        Objects.requireNonNull(flavour, "flavour");
        Objects.requireNonNull(consistency, "consistency");
        Objects.requireNonNull(binlogPosition, "binlogPosition");
        Objects.requireNonNull(created, "created");
        databases = List.copyOf(databases);
        tables = List.copyOf(tables);
        objects = List.copyOf(objects);
        warnings = List.copyOf(warnings);
        features = List.copyOf(features);
    }

    /**
     * Reads an archive's manifest and checks it (present, a MySQL archive, a format this version reads, its own
     * checksum), without reading the data files.
     *
     * @param directory the archive: a directory or a {@code .tar} file
     * @return the archive
     * @throws ArboristException of kind VERIFICATION when incomplete, foreign, too new or damaged (a tar file that is
     *                           missing, truncated or not a tar included)
     */
    public static MySqlArchive read(Path directory) {
        Objects.requireNonNull(directory, "directory");
        return of(directory, ManifestIo.read(directory));
    }

    /**
     * Checks an archive completely without a database: the manifest as in {@link #read(Path)}, then every data file's
     * presence, size and SHA-256.
     *
     * @param directory the archive: a directory or a {@code .tar} file
     * @return the archive, when everything matches
     * @throws ArboristException of kind VERIFICATION naming every problem found
     */
    public static MySqlArchive verify(Path directory) {
        Objects.requireNonNull(directory, "directory");
        try (ArchiveFiles files = ArchiveFiles.open(directory)) {
            Manifest m = ManifestIo.read(files);
            List<String> problems = ManifestIo.checkFiles(files, m);
            if (!problems.isEmpty()) {
                throw new ArboristException(ErrorKind.VERIFICATION, "archive " + directory + " is damaged: " + problems.size()
                        + " problem(s)\n" + String.join("\n", problems));
            }
            return of(directory, m);
        }
    }

    /**
     * The {@code kind} an archive's manifest declares ({@code mysql}, {@code clickhouse}, ...), without checking
     * anything else.
     *
     * @param directory an archive directory or {@code .tar} file
     * @return the kind, or empty when there is no readable manifest
     */
    public static Optional<String> kindOf(Path directory) {
        String k = ManifestIo.kindOf(Objects.requireNonNull(directory, "directory"));
        return k.isEmpty() ? Optional.empty() : Optional.of(k);
    }

    static MySqlArchive of(Path dir, Manifest m) {
        List<ArchivedTable> tables = m.tables().stream().map(t -> new ArchivedTable(t.database(), t.name(), t.rows(), t.bytes(),
                t.chunks().size(), t.checksum())).toList();
        List<String> objects = m.objects().stream().map(o -> o.type() + " " + o.database() + "." + o.name()).toList();
        String binlog = m.server().binlogFile().isEmpty() ? m.server().gtid()
                : m.server().binlogFile() + ":" + m.server().binlogPosition() + (m.server().gtid().isEmpty() ? "" : " gtid " + m.server().gtid());
        return new MySqlArchive(dir, m.formatVersion(), m.toolVersion(), m.server().version(), m.server().flavour(),
                m.consistency(), binlog, Instant.parse(m.created()), m.databases().stream().map(Manifest.Database::name).toList(),
                tables, objects, m.warnings(), m.features() == null ? List.of() : m.features(), sizeOf(dir));
    }

    /** @return the bytes of an archive's files on disk (a tar file's size) */
    static long sizeOf(Path dir) {
        if (Files.isRegularFile(dir)) {
            try {
                return Files.size(dir);
            } catch (IOException e) {
                return 0;
            }
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        } catch (IOException e) {
            return 0;
        }
    }

    /** @return total rows in the archive */
    public long rows() {
        return tables.stream().mapToLong(ArchivedTable::rows).sum();
    }
}
