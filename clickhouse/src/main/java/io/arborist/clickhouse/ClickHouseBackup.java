package io.arborist.clickhouse;

import io.arborist.clickhouse.internal.Dumper;
import io.arborist.clickhouse.internal.ServerSide;
import io.arborist.core.ArboristException;
import io.arborist.core.backup.ArchiveKey;
import io.arborist.core.backup.BackupArtifact;
import io.arborist.core.backup.BackupListener;
import io.arborist.core.backup.BackupProvider;
import io.arborist.core.backup.BackupRequest;
import io.arborist.core.backup.store.ArchiveWriter;
import io.arborist.core.backup.store.BackupStore;
import io.arborist.core.backup.store.EncryptionKey;
import io.arborist.core.plan.BackupTarget;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Backs up ClickHouse databases over the HTTP interface, with no access to the server's file system: each object's
 * DDL in dependency order, every table's rows as {@code SELECT * … FORMAT Native} streamed into zstd files (one per
 * partition for tables above {@link Builder#splitPartitionsAbove(long)}, else one per table), and a manifest written
 * last with rows, SHA-256 (computed while writing) and a server-side checksum per file.
 *
 * <pre>{@code
 * ClickHouseBackup backup = ClickHouseBackup.using(ClickHouseEndpoint.of("http://clickhouse:8123", credentials)).build();
 * ClickHouseManifest m = backup.backup(Path.of("/backups/aspects-2025-01-01"));
 * }</pre>
 *
 * <p>Memory stays bounded whatever the table size: bytes flow from the socket through zstd to disk. Consistency is per
 * table (ClickHouse has no cross-table snapshot): pause ingestion (Ralph, Vector, event sinks) for a consistent
 * backup. Unmerged rows of ReplacingMergeTree tables are copied as they are (never {@code FINAL}). Tables are exported
 * {@link Builder#parallelism(int)} at a time; each table's checksum query (one scan, grouped by partition) runs on its
 * own connection while its rows stream to disk. For large data on ClickHouse 22.8+, {@link Builder#serverSide} has the
 * server write its own {@code BACKUP} instead, with the same manifest and checksums ({@link #serverSideRecommended}
 * says when). Implements
 * {@link BackupProvider} for the executor's ClickHouse backup steps. Immutable and thread-safe; one backup at a time
 * per target directory.
 *
 * @since 0.1
 */
public final class ClickHouseBackup implements BackupProvider {
    /** The Aspects databases, backed up by default when present. */
    public static final List<String> ASPECTS_DATABASES = List.of("xapi", "event_sink", "reporting", "openedx");
    /** Default of {@link Builder#splitPartitionsAbove(long)}: 2 GiB uncompressed. */
    public static final long DEFAULT_SPLIT_ABOVE = 2L << 30;
    /** Rows (active parts of the chosen databases) from which {@link #serverSideRecommended} recommends the server's BACKUP. */
    public static final long SERVER_SIDE_ROWS = 100_000_000L;
    /** Uncompressed bytes ({@code system.parts.data_uncompressed_bytes}) from which the server's BACKUP is recommended. */
    public static final long SERVER_SIDE_BYTES = 50L << 30;
    /** The rule of {@link #serverSideRecommended}, in words a plan can show. */
    public static final String PATH_RULE = "streaming backup (SELECT … FORMAT Native over HTTP into verified zstd files) for portability and"
            + " small data; the server's own BACKUP (ClickHouse 22.8+, to a File or Disk destination on the server) from 100 million rows or"
            + " 50 GiB uncompressed";

    private final Dumper.Settings settings;

    private ClickHouseBackup(Builder b) {
        this.settings = new Dumper.Settings(b.endpoint, b.databases, b.listener, b.statementTimeout, b.compressionLevel, b.verify,
                b.splitAbove, b.parallelism, b.serverSide, b.key, b.encryption);
    }

    /**
     * Which path suits a server and its data: the server's own {@code BACKUP} ({@link Builder#serverSide}) when the
     * server has it (22.8+) and the data reaches {@link #SERVER_SIDE_ROWS} rows or {@link #SERVER_SIDE_BYTES}
     * uncompressed bytes; the streaming backup otherwise (portable: any version, no access to the server's disks,
     * files verifiable anywhere). See {@link #PATH_RULE}.
     *
     * @param serverVersion the server's {@code version()}
     * @param rows rows of the databases to save
     * @param uncompressedBytes their uncompressed size
     * @return whether the server-side path is recommended
     */
    public static boolean serverSideRecommended(String serverVersion, long rows, long uncompressedBytes) {
        Objects.requireNonNull(serverVersion, "serverVersion");
        return ServerSide.supported(serverVersion) && (rows >= SERVER_SIDE_ROWS || uncompressedBytes >= SERVER_SIDE_BYTES);
    }

    /**
     * @param endpoint the server
     * @return a builder with the defaults
     */
    public static Builder using(ClickHouseEndpoint endpoint) {
        return new Builder(endpoint);
    }

    /** @return a builder holding this backup's settings */
    public Builder toBuilder() {
        Builder b = new Builder(settings.endpoint());
        b.databases = new ArrayList<>(settings.databases());
        b.listener = settings.listener();
        b.statementTimeout = settings.statementTimeout();
        b.compressionLevel = settings.compressionLevel();
        b.verify = settings.verify();
        b.splitAbove = settings.splitAbove();
        b.parallelism = settings.parallelism();
        b.serverSide = settings.serverSide();
        b.key = settings.key();
        b.encryption = settings.encryption();
        return b;
    }

    /**
     * Backs up for the executor: into the request's directory, or, for an S3 prefix, through the request's store as
     * {@link #backup(BackupStore, String)} does.
     *
     * @param request the executor's request; its target must be {@link BackupTarget#CLICKHOUSE}
     * @return the finished artifact
     */
    @Override
    public BackupArtifact backup(BackupRequest request) {
        Objects.requireNonNull(request, "request");
        if (request.target() != BackupTarget.CLICKHOUSE) {
            throw new IllegalArgumentException("ClickHouseBackup saves CLICKHOUSE targets, got " + request.target());
        }
        ClickHouseManifest m = request.localDirectory().map(this::backup)
                .orElseGet(() -> backup(request.store(), "", request.encryption().or(settings::encryption)));
        return new BackupArtifact(request.stepId() + "/clickhouse", BackupTarget.CLICKHOUSE, request.location(), m.bytes(), m.created());
    }

    /**
     * Takes a backup into a directory that is missing or empty.
     *
     * @param directory where to write
     * @return the manifest, after it was written and (by default) the files were verified
     * @throws ArboristException of kind BACKUP on any failure; the directory then has no manifest
     */
    public ClickHouseManifest backup(Path directory) {
        Objects.requireNonNull(directory, "directory");
        return new Dumper(settings).backup(directory);
    }

    /**
     * Takes a backup into a store (a local directory or an S3 prefix, see {@link io.arborist.core.backup.store}): each
     * data file is streamed to the store as it is written (a multipart upload on S3; nothing is staged on local disk and
     * memory stays bounded), encrypted when {@link Builder#encryption} was given; the manifest, its checksum and seal
     * are written last, so an interrupted backup never reads as complete.
     *
     * @param store where to write
     * @param archive the archive's prefix inside the store, or {@code ""} for the store itself
     * @return the manifest, after it was written and (by default) verified: the files read back against their SHA-256
     *     from a local store; from S3, which checked each part's Content-MD5 as it arrived, listed with their sizes
     *     (no second download)
     * @throws ArboristException of kind BACKUP on any failure (then what was written is removed, as far as the store
     *     allows: a partial archive never reads as complete); when the prefix already holds a backup, complete or partial
     */
    public ClickHouseManifest backup(BackupStore store, String archive) {
        return backup(store, archive, settings.encryption());
    }

    private ClickHouseManifest backup(BackupStore store, String archive, Optional<EncryptionKey> encryption) {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(archive, "archive");
        Dumper.Settings s = settings;
        Dumper.Settings with = new Dumper.Settings(s.endpoint(), s.databases(), s.listener(), s.statementTimeout(), s.compressionLevel(),
                s.verify(), s.splitAbove(), s.parallelism(), s.serverSide(), s.key(), encryption);
        return new Dumper(with).backup(store, archive);
    }

    /** Collects a backup's settings. Not thread-safe. */
    public static final class Builder {
        private final ClickHouseEndpoint endpoint;
        private List<String> databases = new ArrayList<>();
        private BackupListener listener = BackupListener.NONE;
        private Duration statementTimeout = Duration.ofHours(6);
        private int compressionLevel = 1;
        private boolean verify = true;
        private long splitAbove = DEFAULT_SPLIT_ABOVE;
        private int parallelism = 2;
        private Optional<BackupDestination> serverSide = Optional.empty();
        private Optional<ArchiveKey> key = Optional.empty();
        private Optional<EncryptionKey> encryption = Optional.empty();

        private Builder(ClickHouseEndpoint endpoint) {
            this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        }

        /**
         * @param names the databases to back up (default: the {@link #ASPECTS_DATABASES} that exist)
         * @return this builder
         */
        public Builder databases(String... names) {
            return databases(java.util.Arrays.asList(names));
        }

        /**
         * @param names databases to save (default: those of {@link #ASPECTS_DATABASES} that exist)
         * @return this builder
         */
        public Builder databases(List<String> names) {
            this.databases = new ArrayList<>(Objects.requireNonNull(names, "names"));
            this.databases.forEach(n -> Objects.requireNonNull(n, "database name"));
            return this;
        }

        /**
         * @param listener progress receiver (default: {@link BackupListener#NONE})
         * @return this builder
         */
        public Builder listener(BackupListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * @param timeout longest time one statement (a partition's export) may take (default: 6 h)
         * @return this builder
         */
        public Builder statementTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("statementTimeout must be positive, got " + timeout);
            }
            this.statementTimeout = timeout;
            return this;
        }

        /**
         * @param level zstd level 1–19 (default: 1, the speed of {@code zstd -1})
         * @return this builder
         */
        public Builder compressionLevel(int level) {
            if (level < 1 || level > 19) {
                throw new IllegalArgumentException("compressionLevel must be 1..19, got " + level);
            }
            this.compressionLevel = level;
            return this;
        }

        /**
         * @param verify whether to check the written archive before returning (default: true): every file re-read
         *     against its SHA-256, or in S3, which checked each part's Content-MD5 on arrival, every file listed with its size
         * @return this builder
         */
        public Builder verifyAfterBackup(boolean verify) {
            this.verify = verify;
            return this;
        }

        /**
         * @param bytes tables larger than this (uncompressed, per {@code system.parts}) get one file per partition, so an
         *     interrupted restore redoes one partition; smaller tables are one file (default: {@link #DEFAULT_SPLIT_ABOVE};
         *     0 splits every partitioned table)
         * @return this builder
         */
        public Builder splitPartitionsAbove(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("splitPartitionsAbove must be >= 0, got " + bytes);
            }
            this.splitAbove = bytes;
            return this;
        }

        /**
         * @param tables how many tables to export at the same time, each on its own HTTP connection, plus one checksum query
         *     per table in flight (default: 2)
         * @return this builder
         */
        public Builder parallelism(int tables) {
            if (tables < 1 || tables > 64) {
                throw new IllegalArgumentException("parallelism must be 1..64, got " + tables);
            }
            this.parallelism = tables;
            return this;
        }

        /**
         * Has the server write its own {@code BACKUP} of the databases (ClickHouse 22.8+) instead of streaming the rows
         * here: the directory then gets the manifest only (objects, DDL, and each table's rows and row-hash checksums,
         * taken before and after the BACKUP and required to be equal), and {@link ClickHouseRestore} restores it with
         * the server's {@code RESTORE}. For large data (see {@link #serverSideRecommended}); on an older server the
         * backup is refused before anything is written.
         *
         * @param destination where the server writes (a path or disk the server allows for backups)
         * @return this builder
         */
        public Builder serverSide(BackupDestination destination) {
            this.serverSide = Optional.of(Objects.requireNonNull(destination, "destination"));
            return this;
        }

        /**
         * Seals the backup: {@code manifest.sig} ({@link io.arborist.core.backup.ArchiveSeal}) holds HMAC-SHA256 with this key over the manifest's exact bytes
         * (which hold the SHA-256 of every other file), so that {@link ClickHouseVerifier} and {@link ClickHouseRestore}
         * given the same key refuse an archive edited after the backup (default: no seal; the archive is then checked
         * against its own digests only, which whoever edits it can recompute).
         *
         * @param key the archive key
         * @return this builder
         */
        public Builder key(ArchiveKey key) {
            this.key = Optional.of(Objects.requireNonNull(key, "key"));
            return this;
        }

        /**
         * Encrypts the archive at rest: every file, manifest included, with the streaming AEAD of
         * {@link EncryptionKey}; {@link ClickHouseVerifier} and {@link ClickHouseRestore} then need the same key and refuse
         * another one in one line (default: not encrypted). A backup into a directory is then written through a store
         * (it also holds the plaintext marker {@value ArchiveWriter#MARKER}).
         *
         * @param key the encryption key
         * @return this builder
         */
        public Builder encryption(EncryptionKey key) {
            this.encryption = Optional.of(Objects.requireNonNull(key, "key"));
            return this;
        }

        /** @return the backup service */
        public ClickHouseBackup build() {
            return new ClickHouseBackup(this);
        }
    }

    @Override
    public String toString() {
        Dumper.Settings s = settings;
        return "ClickHouseBackup[" + s.endpoint() + ", databases=" + (s.databases().isEmpty() ? "Aspects defaults" : s.databases())
                + s.serverSide().map(d -> ", serverSide=" + d.sql()).orElse("") + s.key().map(k -> ", sealed with " + k).orElse("")
                + s.encryption().map(k -> ", encrypted with " + k).orElse("") + "]";
    }

}
