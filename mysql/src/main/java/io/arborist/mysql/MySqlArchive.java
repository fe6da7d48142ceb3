package io.arborist.mysql;

import io.arborist.core.ArboristException;
import io.arborist.core.ErrorKind;
import io.arborist.core.backup.ArchiveKey;
import io.arborist.core.backup.ArchiveSeal;
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
 * <p>An archive is untrusted input: {@link #verify(Path)} checks, besides every file's SHA-256, that the statements the
 * manifest holds ask a restore for nothing but recreating the databases, tables, views, routines, triggers, events and
 * users it lists (see {@code mysql/README.md}, "Security"). The manifest's own SHA-256 catches accidents, not edits;
 * backups taken with an {@link ArchiveKey} are sealed ({@code manifest.sig}, an HMAC-SHA256 over the manifest's exact
 * bytes, which hold every data file's SHA-256; see {@link ArchiveSeal}), and {@link #verify(Path, ArchiveKey)} authenticates them.
 *
 * <pre>{@code
 * MySqlArchive archive = MySqlArchive.verify(Path.of("/backups/edxapp"));   // no database needed
 * MySqlArchive single = MySqlArchive.verify(Path.of("/backups/edxapp.tar"));
 * archive.tables().forEach(t -> System.out.println(t.table() + " " + t.rows()));
 * }</pre>
 *
 * @param directory where it is: the archive's directory, or its {@code .tar} file; the empty path for an archive in
 *                  object storage (see {@code location})
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
 * @param seal whether the archive is sealed, and whether the seal was checked with a key
 * @param location where it is, as text: the directory or tar file, or {@code s3://BUCKET/PREFIX/}
 * @since 0.1
 */
public record MySqlArchive(Path directory, int formatVersion, String toolVersion, String serverVersion, String flavour,
                           String consistency, String binlogPosition, Instant created, List<String> databases,
                           List<ArchivedTable> tables, List<String> objects, List<String> warnings, List<String> features,
                           long bytes, ArchiveSeal.Status seal, String location) {
    /**
     * Validates and copies.
     *
     * @param directory where it is: the archive's directory, or its {@code .tar} file; the empty path for an archive in object storage
     *     (see {@code location})
     * @param formatVersion the archive format
     * @param toolVersion the Arborist version that wrote it
     * @param serverVersion the source server's version string
     * @param flavour {@code mariadb} or {@code mysql}
     * @param consistency how the workers' snapshots agree: {@code backup-stage} (MariaDB's {@code BACKUP STAGE BLOCK_COMMIT} held while
     *     they opened), {@code lock-instance} (MySQL: {@code LOCK INSTANCE FOR BACKUP} held for the whole dump, {@code FLUSH TABLES
     *     WITH READ LOCK} while they opened), {@code global-read-lock} ({@code FLUSH TABLES WITH READ LOCK} only), or {@code
     *     single-transaction} (refused or not granted in time; one worker)
     * @param binlogPosition {@code file:position} and GTID set at the snapshot, empty when the binary log is off
     * @param created when the backup finished
     * @param databases the databases saved
     * @param tables the tables saved, with rows and checksums
     * @param objects views, routines, triggers and events in creation order, as {@code TYPE db.name}
     * @param warnings things the backup could not guarantee (for example non-InnoDB tables)
     * @param features what the source used that not every server has, and how it was read (for example {@code json-columns}, {@code
     *     collation:utf8mb4_0900_ai_ci}, {@code binlog:SHOW MASTER STATUS}); empty for archives older than format 4
     * @param bytes the archive's size on disk
     * @param seal whether the archive is sealed, and whether the seal was checked with a key
     * @param location where it is, as text: the directory or tar file, or {@code s3://BUCKET/PREFIX/}
     */
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
        Objects.requireNonNull(seal, "seal");
        Objects.requireNonNull(location, "location");
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
        try (ArchiveFiles files = ArchiveFiles.open(directory)) {
            return of(directory, ManifestIo.read(files), files.size(ManifestIo.SEAL).isPresent() ? ArchiveSeal.Status.NOT_CHECKED : ArchiveSeal.Status.ABSENT);
        }
    }

    /**
     * Checks an archive completely without a database or a key: the manifest as in {@link #read(Path)}, what its
     * statements ask a restore to run, then every data file's presence, size and SHA-256. Its seal, if any, is not
     * checked ({@link ArchiveSeal.Status#NOT_CHECKED}); without one the archive is unauthenticated ({@link ArchiveSeal.Status#ABSENT}).
     *
     * @param directory the archive: a directory or a {@code .tar} file
     * @return the archive, when everything matches
     * @throws ArboristException of kind VERIFICATION with a headline and one line per problem found
     */
    public static MySqlArchive verify(Path directory) {
        return verify(directory, Optional.empty());
    }

    /**
     * As {@link #verify(Path)}, and authenticates the archive: its seal must be present and match the key.
     *
     * @param directory the archive: a directory or a {@code .tar} file
     * @param key the key the backup was taken with
     * @return the archive ({@link ArchiveSeal.Status#VERIFIED}), when everything matches
     * @throws ArboristException of kind VERIFICATION with a headline and one line per problem found, a missing or
     *                           mismatched seal included
     */
    public static MySqlArchive verify(Path directory, ArchiveKey key) {
        return verify(directory, Optional.of(Objects.requireNonNull(key, "key")));
    }

    private static MySqlArchive verify(Path directory, Optional<ArchiveKey> key) {
        Objects.requireNonNull(directory, "directory");
        try (ArchiveFiles files = ArchiveFiles.open(directory)) {
            ManifestIo.Verified v = ManifestIo.verify(files, key);
            if (!v.problems().isEmpty()) {
                throw new ArboristException(ErrorKind.VERIFICATION, "archive " + directory + " is damaged or altered: "
                        + v.problems().size() + " problem(s)\n" + String.join("\n", v.problems()));
            }
            return of(directory, v.manifest(), v.seal());
        }
    }

    /**
     * Checks an archive in a store (an S3 prefix, or a directory opened as one) as {@link #verify(Path)} does, every
     * object's SHA-256 checked as it streams.
     *
     * @param store the archive's store, at the archive's prefix
     * @param seal the key to authenticate its seal with, if any (the seal must then be present and match)
     * @param encryption the key to decrypt it with, if it is encrypted
     * @return the archive, when everything matches
     * @throws ArboristException VERIFICATION for a missing or partial archive, an encrypted one without its key or with
     *     another one, and with one line per problem found
     */
    public static MySqlArchive verify(io.arborist.core.backup.store.BackupStore store, Optional<ArchiveKey> seal,
                                      Optional<io.arborist.core.backup.store.EncryptionKey> encryption) {
        Objects.requireNonNull(store, "store");
        try (ArchiveFiles files = ArchiveFiles.open(store, encryption, Path.of(""))) {
            ManifestIo.Verified v = ManifestIo.verify(files, seal);
            if (!v.problems().isEmpty()) {
                throw new ArboristException(ErrorKind.VERIFICATION, "archive " + files.location() + " is damaged or altered: "
                        + v.problems().size() + " problem(s)\n" + String.join("\n", v.problems()));
            }
            long bytes = store.list("").stream().mapToLong(o -> o.size()).sum();
            return of(store.destination(), v.manifest(), v.seal(), bytes);
        }
    }

    /**
     * As {@link #verify(Path, ArchiveKey)} for a directory that may be encrypted (written with
     * {@link MySqlBackup.Builder#encryptWith}).
     *
     * @param directory the archive: a directory or a {@code .tar} file
     * @param seal the key to authenticate its seal with, if any
     * @param encryption the key to decrypt it with, if it is encrypted
     * @return the archive, when everything matches
     * @throws ArboristException VERIFICATION as {@link #verify(Path)}, and for an encrypted archive without its key or
     *     with another one
     */
    public static MySqlArchive verify(Path directory, Optional<ArchiveKey> seal,
                                      Optional<io.arborist.core.backup.store.EncryptionKey> encryption) {
        Objects.requireNonNull(directory, "directory");
        try (ArchiveFiles files = ArchiveFiles.open(directory, encryption)) {
            ManifestIo.Verified v = ManifestIo.verify(files, seal);
            if (!v.problems().isEmpty()) {
                throw new ArboristException(ErrorKind.VERIFICATION, "archive " + directory + " is damaged or altered: "
                        + v.problems().size() + " problem(s)\n" + String.join("\n", v.problems()));
            }
            return of(directory, v.manifest(), v.seal());
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

    /**
     * The {@code kind} the manifest of an archive in a store declares, without checking anything else.
     *
     * @param store the archive's store, at its prefix
     * @param encryption the key to decrypt the manifest with, if the archive is encrypted
     * @return the kind, or empty when the manifest is not JSON
     * @throws ArboristException VERIFICATION for a missing or partial archive, an encrypted one without its key or with
     *     another one
     */
    public static Optional<String> kindOf(io.arborist.core.backup.store.BackupStore store,
                                          Optional<io.arborist.core.backup.store.EncryptionKey> encryption) {
        byte[] manifest = io.arborist.core.backup.store.ArchiveReader.open(Objects.requireNonNull(store, "store"), "", encryption).manifest();
        String k = ManifestIo.kindOf(manifest);
        return k.isEmpty() ? Optional.empty() : Optional.of(k);
    }

    static MySqlArchive of(Path dir, Manifest m, ArchiveSeal.Status seal) {
        return of(dir, dir.toString(), m, seal, sizeOf(dir));
    }

    static MySqlArchive of(io.arborist.core.backup.store.Destination where, Manifest m, ArchiveSeal.Status seal, long bytes) {
        Path dir = where instanceof io.arborist.core.backup.store.Destination.LocalDirectory local ? local.directory() : Path.of("");
        return of(dir, where.toString(), m, seal, bytes);
    }

    private static MySqlArchive of(Path dir, String location, Manifest m, ArchiveSeal.Status seal, long bytes) {
        List<ArchivedTable> tables = m.tables().stream().map(t -> new ArchivedTable(t.database(), t.name(), t.rows(), t.bytes(),
                t.chunks().size(), t.checksum())).toList();
        List<String> objects = m.objects().stream().map(o -> o.type() + " " + o.database() + "." + o.name()).toList();
        String binlog = m.server().binlogFile().isEmpty() ? m.server().gtid()
                : m.server().binlogFile() + ":" + m.server().binlogPosition() + (m.server().gtid().isEmpty() ? "" : " gtid " + m.server().gtid());
        return new MySqlArchive(dir, m.formatVersion(), m.toolVersion(), m.server().version(), m.server().flavour(),
                m.consistency(), binlog, Instant.parse(m.created()), m.databases().stream().map(Manifest.Database::name).toList(),
                tables, objects, m.warnings() == null ? List.of() : m.warnings(), m.features() == null ? List.of() : m.features(),
                bytes, seal, location);
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
