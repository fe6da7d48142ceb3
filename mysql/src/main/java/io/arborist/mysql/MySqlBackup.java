package io.arborist.mysql;

import io.arborist.core.ArboristException;
import io.arborist.core.ErrorKind;
import io.arborist.core.backup.ArchiveKey;
import io.arborist.core.backup.ArchiveSeal;
import io.arborist.core.backup.BackupArtifact;
import io.arborist.core.backup.BackupListener;
import io.arborist.core.backup.Credentials;
import io.arborist.core.backup.BackupProvider;
import io.arborist.core.backup.BackupRequest;
import io.arborist.core.backup.store.ArchiveWriter;
import io.arborist.core.backup.store.BackupStore;
import io.arborist.core.backup.store.BackupStores;
import io.arborist.core.backup.store.Destination;
import io.arborist.core.backup.store.EncryptionKey;
import io.arborist.core.plan.BackupTarget;
import io.arborist.mysql.internal.ArchiveSink;
import io.arborist.mysql.internal.ArchiveFiles;
import io.arborist.mysql.internal.Connections;
import io.arborist.mysql.internal.Dumper;
import io.arborist.mysql.internal.Manifest;
import io.arborist.mysql.internal.TarWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Consistent, parallel, compressed logical backups of MySQL and MariaDB databases, and the {@link BackupProvider} for
 * the executor's {@link BackupTarget#MYSQL} steps.
 *
 * <p>Commits are held back for a moment so that every worker opens {@code START TRANSACTION WITH CONSISTENT SNAPSHOT}
 * on the same state, then released at once: with {@code BACKUP STAGE BLOCK_COMMIT} on MariaDB 10.4.1 and later (which
 * does not wait for long-running queries), with a short global read lock ({@code FLUSH TABLES WITH READ LOCK}, waited
 * for at most {@link Builder#lockWait}) on MySQL, where {@code LOCK INSTANCE FOR BACKUP} also keeps DDL out for the
 * whole dump and the binary log position is read under the lock ({@code SHOW BINARY LOG STATUS} on 8.2 and later,
 * {@code SHOW MASTER STATUS} before); when the server refuses both (managed services without RELOAD) or a long query
 * holds the flush back, the backup falls back to one worker in one transaction and says so in the manifest. The
 * manifest also lists what the source used that not every server has (native JSON, invisible columns, generated
 * invisible primary keys, collations, authentication plugins, roles). Rows are streamed (never a whole result in memory), tables whose primary key
 * starts with an integer column are split into key-range chunks dumped in parallel, other tables (string keys such as
 * {@code django_session}, no key) are read by one worker into files of {@code chunkRows} rows, so that their restore
 * is still parallel and resumable file by file; each file is zstd-compressed with its SHA-256 and a row checksum in
 * the manifest, and the manifest is written last. The row checksum is computed by Arborist over the server's result rows, that is over each
 * value exactly as the server returns it to the dumping query (text in utf8mb4, binary columns as raw bytes, numbers
 * and temporal values as the server formats them), not over the file's encoding, and summed per row per chunk and
 * table (order-independent, counting duplicates); a restore reads the restored rows back and checks them the same way.
 *
 * <p>An archive is a directory ({@code manifest.json} and {@code data/tNNNNN.cNNNNN.tsv.zst}) or, when the target's
 * name ends with {@code .tar}, one tar file holding the same files with the manifest as its last entry: the backup is
 * then dumped into a staging directory next to it ({@code NAME.tar.partial.d}), streamed into
 * {@code NAME.tar.partial}, forced to disk and renamed to {@code NAME.tar}, and the staging directory is deleted (so
 * the target's file system needs room for the archive twice while it is written). An archive may also go to an S3
 * prefix ({@link #backup(BackupStore)}): each data file is uploaded as it is dumped, with {@code archive.json} first
 * and the manifest last, and {@link Builder#encryptWith} encrypts it at rest (directory or S3).
 *
 * <pre>{@code
 * MySqlArchive archive = MySqlBackup.using("jdbc:mysql://127.0.0.1:3306", credentials)
 *         .databases("edxapp", "superset")
 *         .parallelism(4)
 *         .build()
 *         .backup(Path.of("/backups/2024-06-01"));          // or Path.of("/backups/2024-06-01.tar")
 * }</pre>
 *
 * <p>Archives are owner-only (files 0600, directories 0700): they hold every row, password hashes too when the
 * {@code mysql} database or users are saved. With a {@link Builder#key key} the manifest is sealed
 * ({@code manifest.sig}: an HMAC-SHA256 over its exact bytes, which hold every data file's SHA-256), so that
 * {@link MySqlArchive#verify(Path, ArchiveKey)} and a restore with the same key refuse an archive edited since.
 *
 * <p>Connections from a URL never offer {@code LOAD DATA LOCAL INFILE} (a hostile server could otherwise read any file
 * of this machine) and use TLS when the server offers it ({@link Builder#tls} to require and verify it).
 *
 * <p>Immutable and thread-safe; one backup at a time per target. The password never appears in
 * {@code toString}, logs or exceptions.
 *
 * @since 0.1
 */
public final class MySqlBackup implements BackupProvider {
    private final Builder b;

    private MySqlBackup(Builder b) {
        this.b = b;
    }

    /**
     * Starts a builder over a caller-owned data source (the caller owns pooling and credentials).
     *
     * @param dataSource where to connect
     * @return a builder
     */
    public static Builder using(DataSource dataSource) {
        Builder b = new Builder();
        b.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        b.password = new char[0];
        b.description = "DataSource";
        return b;
    }

    /**
     * Starts a builder over a JDBC URL such as {@code jdbc:mysql://127.0.0.1:3306}. Connector/J must be on the class
     * path (it is a dependency of this module).
     *
     * @param url a {@code jdbc:mysql://HOST[:PORT]} URL, without credentials ({@code user:password@}, {@code user=},
     *            {@code password=} are refused) and without the options Arborist sets (TLS, local files)
     * @param credentials the user and password (the password is copied: close them once this builder is built; never
     *            logged)
     * @return a builder
     * @throws IllegalArgumentException for a malformed URL or one that carries credentials; the message shows the
     *                                  scheme and hosts at most, never the URL's other parts
     */
    public static Builder using(String url, Credentials credentials) {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(credentials, "credentials");
        Connections.checkUrl(url);
        Builder b = new Builder();
        b.url = url;
        b.user = credentials.user();
        b.password = credentials.password();
        b.description = Connections.describe(url) + " as " + b.user;
        return b;
    }

    /**
     * Backs up into a new or empty directory, or into a new single tar file when the target's name ends with
     * {@code .tar}, and returns the archive once its manifest is written.
     *
     * @param target the target directory (created when missing; must be empty), or the tar file to create (its
     *               directory must exist and be writable; the file must not)
     * @return the archive
     * @throws ArboristException BACKUP when the backup fails (a directory then has no manifest and never reads as
     *                           complete; no tar file is left), CONFIGURATION for a non-empty directory, an existing tar
     *                           file, a missing or read-only directory for the tar file, or an unknown database
     */
    public MySqlArchive backup(Path target) {
        Objects.requireNonNull(target, "target");
        if (b.encryption.isPresent()) {
            if (ArchiveFiles.isTarName(target)) {
                throw new ArboristException(ErrorKind.CONFIGURATION, "encrypted backups are written to a directory or"
                        + " s3://BUCKET/PREFIX, not to the tar file " + target + "; choose a directory");
            }
            try (BackupStore store = BackupStores.builder().build().open(new Destination.LocalDirectory(target.toAbsolutePath()))) {
                return backup(store, false, b.encryption);
            }
        }
        if (ArchiveFiles.isTarName(target)) {
            // the staging directory is packed into the tar, which is forced to disk: its own files need not be
            return MySqlArchive.of(target, TarWriter.write(target, staging -> dump(staging, false)), seal());
        }
        return MySqlArchive.of(target, dump(target, true), seal());
    }

    /**
     * Backs up into an archive in a store (an S3 prefix, or a directory opened as one): each data file is uploaded as
     * it is written (multipart, bounded memory, never staged on local disk), encrypted with
     * {@link Builder#encryptWith} when given, and the manifest is written last, so that an interrupted backup never
     * reads as complete. A prefix that holds a complete archive is refused, and so is one that holds a partial archive
     * (remove it with {@code arborist backups prune --partial}).
     *
     * @param store where the archive goes: the store's root is the archive's prefix
     * @return the archive
     * @throws ArboristException BACKUP when the backup or an upload fails (the prefix then holds a partial archive that
     *     never reads as complete), or when the prefix already holds an archive
     */
    public MySqlArchive backup(BackupStore store) {
        return backup(store, false, b.encryption);
    }

    private MySqlArchive backup(BackupStore store, boolean replacePartial, Optional<EncryptionKey> encryption) {
        Objects.requireNonNull(store, "store");
        ArchiveWriter.Builder w = ArchiveWriter.into(store, "").encryptedWith(encryption);
        ArchiveWriter.Builder start = replacePartial ? w.replacePartial() : w;
        // the prefix check and the marker (the store's first requests, which warm its client up) go on while the dump
        // connects and plans; the dump waits for them before it locks anything
        java.util.concurrent.CompletableFuture<ArchiveWriter> writer = java.util.concurrent.CompletableFuture.supplyAsync(start::start,
                r -> {
                    Thread t = new Thread(r, "arborist-archive-start");
                    t.setDaemon(true);
                    t.start();
                });
        Manifest m;
        try {
            m = new Dumper(settings()).run(ArchiveSink.store(writer, store.destination().toString()));
        } catch (RuntimeException e) {
            // a destination that refuses the archive says so, whatever failed first
            try {
                writer.join();
            } catch (java.util.concurrent.CompletionException refused) {
                if (refused.getCause() instanceof ArboristException a && a != e) {
                    a.addSuppressed(e);
                    throw a;
                }
            }
            throw e;
        }
        long bytes = store.list("").stream().mapToLong(o -> o.size()).sum();
        return MySqlArchive.of(store.destination(), m, seal(), bytes);
    }

    /** @return what a new archive's seal is: checked by construction when sealed */
    private ArchiveSeal.Status seal() {
        return b.key.isPresent() ? ArchiveSeal.Status.VERIFIED : ArchiveSeal.Status.ABSENT;
    }

    private Manifest dump(Path directory, boolean forceDataFiles) {
        return new Dumper(settings()).run(directory, forceDataFiles);
    }

    private Dumper.Settings settings() {
        return new Dumper.Settings(b.dataSource, b.password, b.databases, b.parallelism, b.chunkRows,
                b.compressionLevel, b.includeUsers, b.lockWait, b.listener, b.key);
    }

    /**
     * Backs up for the executor: into the request's directory (always a directory archive, whatever its name), or, for
     * an S3 prefix, through the request's store as {@link #backup(BackupStore)} does.
     *
     * @param request the executor's request; its target must be {@link BackupTarget#MYSQL}
     * @return the finished artifact
     */
    @Override
    public BackupArtifact backup(BackupRequest request) {
        Objects.requireNonNull(request, "request");
        if (request.target() != BackupTarget.MYSQL) {
            throw new ArboristException(ErrorKind.CONFIGURATION, "MySqlBackup saves MYSQL targets, not " + request.target());
        }
        MySqlArchive a = request.localDirectory().map(dir -> MySqlArchive.of(dir, dump(dir, true), seal()))
                .orElseGet(() -> backup(request.store(), false, request.encryption().or(() -> b.encryption)));
        return new BackupArtifact(request.stepId() + "/mysql", BackupTarget.MYSQL, request.location(), a.bytes(), a.created());
    }

    /** @return a builder with this backup's settings */
    public Builder toBuilder() {
        return b.copy();
    }

    @Override
    public String toString() {
        return "MySqlBackup[" + b.description + ", databases=" + b.databases + ", parallelism=" + b.parallelism + "]";
    }

    /** Settings of a {@link MySqlBackup}. Not thread-safe; {@link #build()} copies. */
    public static final class Builder {
        private DataSource dataSource;
        private String url;
        private String user;
        private MySqlTls tls = MySqlTls.preferred();
        private Optional<ArchiveKey> key = Optional.empty();
        private Optional<EncryptionKey> encryption = Optional.empty();
        private char[] password;
        private String description;
        private List<String> databases = List.of();
        private int parallelism = Runtime.getRuntime().availableProcessors();
        private long chunkRows = 250_000;
        private int compressionLevel = 1;
        private boolean includeUsers;
        private java.time.Duration lockWait = java.time.Duration.ofSeconds(10);
        private BackupListener listener = BackupListener.NONE;

        private Builder() {
        }

        Builder copy() {
            Builder c = new Builder();
            c.dataSource = dataSource;
            c.url = url;
            c.user = user;
            c.tls = tls;
            c.key = key;
            c.encryption = encryption;
            c.password = password;
            c.description = description;
            c.databases = databases;
            c.parallelism = parallelism;
            c.chunkRows = chunkRows;
            c.compressionLevel = compressionLevel;
            c.includeUsers = includeUsers;
            c.lockWait = lockWait;
            c.listener = listener;
            return c;
        }

        /**
         * @param names the databases to save (default: every database except mysql, sys, information_schema and
         *              performance_schema)
         * @return this
         */
        public Builder databases(String... names) {
            return databases(Arrays.asList(names));
        }

        /**
         * @param names the databases to save (default: every non-system database)
         * @return this
         */
        public Builder databases(List<String> names) {
            List<String> copy = List.copyOf(names);
            copy.forEach(n -> {
                if (n.isBlank()) {
                    throw new IllegalArgumentException("database names must not be blank");
                }
            });
            this.databases = copy;
            return this;
        }

        /**
         * @param n parallel workers, each with its own connection (default: the number of processors)
         * @return this
         */
        public Builder parallelism(int n) {
            if (n < 1 || n > 256) {
                throw new IllegalArgumentException("parallelism must be 1..256, got " + n);
            }
            this.parallelism = n;
            return this;
        }

        /**
         * @param rows rows per data file: the target size of key-range chunks for tables whose primary key starts with an
         *     integer column, the exact size of the files of other tables (default: 250,000)
         * @return this
         */
        public Builder chunkRows(long rows) {
            if (rows < 1) {
                throw new IllegalArgumentException("chunkRows must be >= 1, got " + rows);
            }
            this.chunkRows = rows;
            return this;
        }

        /**
         * @param level zstd level 1..19, or a fast level -7..-1 (default: 1: on row dumps it compresses nearly as well
         *              as 3 for less CPU, which a backup sharing cores with the server needs; raise it for smaller
         *              archives; fast levels save little CPU and about double the size)
         * @return this
         */
        public Builder compressionLevel(int level) {
            if (level < -7 || level == 0 || level > 19) {
                throw new IllegalArgumentException("compressionLevel must be -7..-1 (fast) or 1..19, got " + level);
            }
            this.compressionLevel = level;
            return this;
        }

        /**
         * @param include whether to save users and grants ({@code SHOW CREATE USER}, {@code SHOW GRANTS}; default:
         *                false)
         * @return this
         */
        public Builder includeUsers(boolean include) {
            this.includeUsers = include;
            return this;
        }

        /**
         * @param wait how long the backup waits for {@code FLUSH TABLES WITH READ LOCK} (MySQL, and MariaDB before
         *     10.4.1) before it falls back to one worker in a single transaction (default: 10 s). A pending flush
         *     waits for every running query on the tables and holds every new query back, so a long report would
         *     otherwise stall the site
         * @return this
         */
        public Builder lockWait(java.time.Duration wait) {
            Objects.requireNonNull(wait, "wait");
            if (wait.toSeconds() < 1) {
                throw new IllegalArgumentException("lockWait must be at least 1 s, got " + wait);
            }
            this.lockWait = wait;
            return this;
        }

        /**
         * @param l receives progress from worker threads (default: {@link BackupListener#NONE})
         * @return this
         */
        public Builder listener(BackupListener l) {
            this.listener = Objects.requireNonNull(l, "listener");
            return this;
        }

        /**
         * @param settings how connections use TLS (default: {@link MySqlTls#preferred()}); only for a builder over a URL
         * @return this
         */
        public Builder tls(MySqlTls settings) {
            this.tls = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /**
         * @param archiveKey seals the archive's manifest with this key (default: no seal; the archive is then
         *                   unauthenticated)
         * @return this
         */
        public Builder key(ArchiveKey archiveKey) {
            this.key = Optional.of(Objects.requireNonNull(archiveKey, "archiveKey"));
            return this;
        }

        /**
         * @param encryptionKey encrypts every data file, the seal and the manifest at rest (Tink streaming AEAD; see
         *                      {@link EncryptionKey}); the archive is then written through a store, to a directory or
         *                      an S3 prefix (a tar file is refused), and verify and restore need the key (default: none)
         * @return this
         */
        public Builder encryptWith(EncryptionKey encryptionKey) {
            this.encryption = Optional.of(Objects.requireNonNull(encryptionKey, "encryptionKey"));
            return this;
        }

        /**
         * @return the backup service
         * @throws IllegalStateException when TLS settings were given for a caller's data source (configure it there)
         * @throws io.arborist.core.ArboristException CONFIGURATION when the TLS certificate authority file is unreadable
         */
        public MySqlBackup build() {
            Builder c = copy();
            if (c.url != null) {
                c.dataSource = Connections.forReading(c.url, c.user, c.password, c.tls);
            } else if (!c.tls.equals(MySqlTls.preferred())) {
                throw new IllegalStateException("TLS settings apply to a URL; configure TLS on your DataSource");
            }
            return new MySqlBackup(c);
        }

        @Override
        public String toString() {
            return "MySqlBackup.Builder[" + description + "]";
        }
    }
}
