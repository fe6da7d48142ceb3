package io.arborist.mysql;

import io.arborist.core.ArboristException;
import io.arborist.core.backup.ArchiveKey;
import io.arborist.core.backup.BackupListener;
import io.arborist.core.backup.ConflictPolicy;
import io.arborist.core.backup.PartialRestore;
import io.arborist.core.backup.RestoreCleanup;
import io.arborist.core.backup.RestoreReport;
import io.arborist.core.backup.Credentials;
import io.arborist.core.backup.store.BackupStore;
import io.arborist.core.backup.store.Destination;
import io.arborist.core.backup.store.EncryptionKey;
import io.arborist.mysql.internal.ArchiveFiles;
import io.arborist.mysql.internal.Connections;
import io.arborist.mysql.internal.Loader;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Restores a {@link MySqlArchive}: databases, tables, data (LOAD DATA LOCAL INFILE streamed from the archive by N
 * workers, one transaction per data file, foreign key and unique checks off), then routines, views, triggers and
 * events, then (when asked) users. Secondary indexes and foreign keys of InnoDB tables with a primary key are added
 * after their data, in one {@code ALTER TABLE} per table; the load runs with {@code foreign_key_checks},
 * {@code unique_checks} and, when the account may, {@code sql_log_bin} off (as myloader; the restore is then not
 * replicated). Finally every table's row count and checksum are compared with the manifest, chunk by chunk by all
 * workers: the restored rows are read back and hashed exactly as the backup hashed the server's result rows (archives
 * of format 1 and 2 are checked with the server-side checksum they recorded).
 *
 * <p>An archive is untrusted input. Before it changes anything, the restore checks the archive as
 * {@link MySqlArchive#verify(Path)} does (every file, and what its statements ask: only the databases, tables, views,
 * routines, triggers, events and users it lists, each created by one statement of its kind and name in its own
 * database; see {@code mysql/README.md}), and with a {@link Builder#key key} its seal; it writes the databases'
 * {@code CREATE DATABASE} itself, for the target names. It refuses a system database ({@code mysql}, {@code sys}, ...)
 * as a target, and a target database that holds tables the archive does not have (unless {@link ConflictPolicy#APPEND}).
 *
 * <p>Before it changes anything, the restore also refuses an archive that needs what the target lacks, naming each object:
 * a collation or character set (MySQL 8's {@code utf8mb4_0900_ai_ci} on MariaDB 10.11), a storage engine, MariaDB-only
 * column types or system-versioned tables on MySQL, MySQL's functional indexes on MariaDB, users saved on the other
 * flavour or whose authentication plugin is not active, and a target with {@code local_infile=OFF}. MySQL's JSON
 * columns restore into MariaDB as its JSON alias (LONGTEXT with a {@code json_valid} check); objects' SQL modes lose
 * the modes the target does not know.
 *
 * <p>The archive is a directory or a single {@code .tar} file (see {@link MySqlArchive}); a tar file is read in place,
 * each worker streaming its own data file from it, never extracted.
 *
 * <p>Resumable: a journal records each step, in the archive directory ({@code restore-journal.log}) or next to a tar
 * file ({@code NAME.tar.restore-journal.log}); after a crash or a kill, running the same restore again loads only the
 * unfinished data files, without duplicating rows. The journal is renamed to {@code restore-journal.<millis>.done}
 * ({@code NAME.tar.restore-journal.<millis>.done}) when the restore succeeds; it is written only once the target is
 * about to change, so a restore refused by its checks or that cannot connect leaves none. A stopped restore leaves its
 * target partial: {@link #unfinished(Path)} says so, running it again resumes it, {@link #cleanup(Path)} drops what it
 * created. Journals are owner-only.
 *
 * <pre>{@code
 * RestoreReport report = MySqlRestore.using("jdbc:mysql://127.0.0.1:3306", credentials)
 *         .rename("edxapp", "edxapp_rehearsal")
 *         .build()
 *         .restore(Path.of("/backups/2024-06-01"));
 * }</pre>
 *
 * <p>{@code LOAD DATA LOCAL INFILE} is fed only from the restore's own streams: connections from a URL restrict it to
 * an empty path while Connector/J sets the session up, then answer any file request (whatever file the server names)
 * with the data file being loaded, or nothing. A caller-supplied {@link DataSource} must be Connector/J's, offer
 * local infile ({@code allowLoadLocalInfileInPath} set to an empty value keeps the session safe until the restore takes
 * over; {@code allowLoadLocalInfile=true} works but lets a hostile server read files while the connection opens) and
 * not allow several statements per query; the server needs {@code local_infile=ON}. Immutable and thread-safe.
 *
 * @since 0.1
 */
public final class MySqlRestore {
    private final Builder b;

    private MySqlRestore(Builder b) {
        this.b = b;
    }

    /**
     * @param dataSource where to restore (must allow LOAD DATA LOCAL INFILE)
     * @return a builder
     */
    public static Builder using(DataSource dataSource) {
        Builder b = new Builder();
        b.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        b.password = new char[0];
        b.target = "datasource";
        return b;
    }

    /**
     * @param url a Connector/J URL such as {@code jdbc:mysql://127.0.0.1:3306}, without credentials and without the
     *            options Arborist sets (TLS, local files)
     * @param credentials the user and password (the password is copied: close them once this builder is built; never
     *            logged)
     * @return a builder
     * @throws IllegalArgumentException for a malformed URL or one that carries credentials; the message shows the
     *                                  scheme and hosts at most
     */
    public static Builder using(String url, Credentials credentials) {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(credentials, "credentials");
        Connections.checkUrl(url);
        Builder b = new Builder();
        b.url = url;
        b.user = credentials.user();
        b.password = credentials.password();
        b.target = Connections.describe(url) + " as " + b.user;
        return b;
    }

    /**
     * Restores an archive (verifying every file first) and verifies the result.
     *
     * @param directory the archive: a directory or a {@code .tar} file
     * @return the per-table verification, all matching
     * @throws ArboristException VERIFICATION for a damaged, altered, incomplete or (with a key) unauthenticated archive,
     *                           one line per problem (nothing restored); CONFIGURATION for a rename the archive does not
     *                           fit, a system database as target, or an unfinished restore of the archive elsewhere;
     *                           RESTORE when the target lacks what the archive needs, has conflicting objects under
     *                           {@link ConflictPolicy#FAIL} or other tables (nothing changed), when loading fails (run
     *                           again to resume, or {@link #cleanup(Path)}) or when verification finds a difference
     */
    public RestoreReport restore(Path directory) {
        Objects.requireNonNull(directory, "directory");
        return loader().run(directory);
    }

    private Loader loader() {
        return new Loader(new Loader.Settings(b.dataSource, b.password, b.target, Map.copyOf(b.rename), b.policy, b.parallelism,
                b.restoreUsers, b.skipBinlog, b.definers, b.listener, b.key, b.encryption));
    }

    /**
     * Restores an archive from a store (an S3 prefix, or a directory opened as a store), as {@link #restore(Path)},
     * except that each data object is downloaded once: before anything changes, the manifest, its seal and statements
     * and every object's presence and size are checked; each object's SHA-256 is checked as it loads, before its rows
     * are committed. The loader's workers read their data files in parallel, and an encrypted archive needs
     * {@link Builder#decryptWith}. The journal is kept on this machine:
     * {@link Builder#journal}, by default {@link #journalFor(Destination)}.
     *
     * @param store the archive's store, at the archive's prefix
     * @return the per-table verification, all matching
     * @throws ArboristException as {@link #restore(Path)}; VERIFICATION also for a partial archive, an encrypted one
     *     without its key or with another one, and for a data object whose SHA-256 differs from the manifest's: none of
     *     its rows are kept, the journal does not record it as loaded, and the restore stops with its table incomplete
     *     (running it again fails the same way; {@link #cleanup(BackupStore)} drops what it created)
     */
    public RestoreReport restore(BackupStore store) {
        Objects.requireNonNull(store, "store");
        try (ArchiveFiles files = ArchiveFiles.open(store, b.encryption, journal(store))) {
            return loader().run(files);
        }
    }

    /**
     * As {@link #cleanup(Path)} for an archive in a store.
     *
     * @param store the archive's store
     * @return what was dropped and what was kept
     */
    public RestoreCleanup cleanup(BackupStore store) {
        Objects.requireNonNull(store, "store");
        try (ArchiveFiles files = ArchiveFiles.open(store, b.encryption, journal(store))) {
            return loader().cleanup(files);
        }
    }

    private Path journal(BackupStore store) {
        return b.journal.orElseGet(() -> journalFor(store.destination()));
    }

    /**
     * Where a restore of an archive in a store keeps its journal when {@link Builder#journal} is not given: inside a
     * local directory as for every directory archive; for an S3 archive on this machine (nothing is written to the
     * bucket), {@code ~/.cache/arborist/restores/<first 16 hex digits of the SHA-256 of the location>.restore-journal.log}.
     *
     * @param archive the archive's location
     * @return the journal's path
     */
    public static Path journalFor(Destination archive) {
        Objects.requireNonNull(archive, "archive");
        if (archive instanceof Destination.LocalDirectory local) {
            return local.directory().resolve(ArchiveFiles.JOURNAL);
        }
        String where = archive.toString();
        String id = java.util.HexFormat.of().formatHex(io.arborist.mysql.internal.ManifestIo.digest()
                .digest((where.endsWith("/") ? where : where + "/").getBytes(java.nio.charset.StandardCharsets.UTF_8))).substring(0, 16);
        return Path.of(System.getProperty("user.home"), ".cache", "arborist", "restores", id + "." + ArchiveFiles.JOURNAL);
    }

    /**
     * @param archive an archive in a store
     * @param journal where its restore keeps its journal ({@link #journalFor(Destination)} unless one was chosen)
     * @return the restore of it that stopped before it finished and left its target partial, if any
     */
    public static Optional<PartialRestore> unfinished(Destination archive, Path journal) {
        Objects.requireNonNull(archive, "archive");
        return Loader.unfinished(Objects.requireNonNull(journal, "journal"), () -> 0);
    }

    /**
     * Drops what an unfinished restore of this archive, with these settings (target, user, renames), created: the
     * views, routines, triggers, events and tables it created, and the databases it created when nothing else is left
     * in them. Rows it appended to tables that existed before, and users, are left as they are. Its journal is then
     * renamed to {@code restore-journal.<millis>.cleaned}.
     *
     * @param directory the archive: a directory or a {@code .tar} file
     * @return what was dropped and what was kept
     * @throws ArboristException CONFIGURATION when the archive has no unfinished restore, or one with other settings;
     *                           VERIFICATION when the archive fails verification (nothing is dropped)
     */
    public RestoreCleanup cleanup(Path directory) {
        Objects.requireNonNull(directory, "directory");
        return loader().cleanup(directory);
    }

    /**
     * @param directory an archive: a directory or a {@code .tar} file
     * @return the restore of it that stopped before it finished and left its target partial, if any
     */
    public static Optional<PartialRestore> unfinished(Path directory) {
        return Loader.unfinished(Objects.requireNonNull(directory, "directory"));
    }

    /** @return a builder with these settings */
    public Builder toBuilder() {
        return b.copy();
    }

    @Override
    public String toString() {
        return "MySqlRestore[" + b.target + ", rename=" + b.rename + ", policy=" + b.policy + ", parallelism=" + b.parallelism + "]";
    }

    /** Settings of a {@link MySqlRestore}. Not thread-safe; {@link #build()} copies. */
    public static final class Builder {
        private DataSource dataSource;
        private String url;
        private String user;
        private MySqlTls tls = MySqlTls.preferred();
        private Optional<ArchiveKey> key = Optional.empty();
        private Optional<EncryptionKey> encryption = Optional.empty();
        private Optional<Path> journal = Optional.empty();
        private char[] password;
        private String target;
        private Map<String, String> rename = new LinkedHashMap<>();
        private ConflictPolicy policy = ConflictPolicy.FAIL;
        private int parallelism = Runtime.getRuntime().availableProcessors();
        private boolean restoreUsers;
        private boolean skipBinlog;
        private DefinerPolicy definers = DefinerPolicy.KEEP;
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
            c.journal = journal;
            c.password = password;
            c.target = target;
            c.rename = new LinkedHashMap<>(rename);
            c.policy = policy;
            c.parallelism = parallelism;
            c.restoreUsers = restoreUsers;
            c.skipBinlog = skipBinlog;
            c.definers = definers;
            c.listener = listener;
            return c;
        }

        /**
         * Restores a database of the archive under another name (default: same names).
         *
         * @param from the database in the archive
         * @param to the name on the target
         * @return this
         */
        public Builder rename(String from, String to) {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
            if (from.isBlank() || to.isBlank()) {
                throw new IllegalArgumentException("database names must not be blank");
            }
            if (to.chars().anyMatch(ch -> ch < 0x20 || ch == 0x7f) || from.chars().anyMatch(ch -> ch < 0x20 || ch == 0x7f)) {
                throw new IllegalArgumentException("database names must not hold control characters");
            }
            rename.put(from, to);
            return this;
        }

        /**
         * @param p what to do when the target already has the archive's objects (default: {@link ConflictPolicy#FAIL})
         * @return this
         */
        public Builder ifExists(ConflictPolicy p) {
            this.policy = Objects.requireNonNull(p, "policy");
            return this;
        }

        /**
         * @param n parallel loading workers (default: the number of processors)
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
         * @param skip whether to keep the restore out of the server's binary log ({@code sql_log_bin=0}, as myloader
         *     does; needs SUPER or BINLOG ADMIN, silently ignored without). Faster, but replicas of the target then do
         *     not receive the restored data (default: false, the restore is replicated)
         * @return this
         */
        public Builder skipBinlog(boolean skip) {
            this.skipBinlog = skip;
            return this;
        }

        /**
         * @param p who owns the restored views, routines, triggers and events (default: {@link DefinerPolicy#KEEP},
         *     which checks first that every definer exists on the target)
         * @return this
         */
        public Builder definers(DefinerPolicy p) {
            this.definers = Objects.requireNonNull(p, "definers");
            return this;
        }

        /**
         * @param restore whether to recreate users and grants saved in the archive (default: false)
         * @return this
         */
        public Builder restoreUsers(boolean restore) {
            this.restoreUsers = restore;
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
         * @param encryptionKey decrypts an encrypted archive (default: none; an encrypted archive is then refused in
         *                      one line naming the key fingerprint it needs)
         * @return this
         */
        public Builder decryptWith(EncryptionKey encryptionKey) {
            this.encryption = Optional.of(Objects.requireNonNull(encryptionKey, "encryptionKey"));
            return this;
        }

        /**
         * @param file where a restore from a store keeps its journal (default: {@link #journalFor(Destination)}); its
         *             directory is created owner-only when missing. Directory and tar archives keep theirs as before
         * @return this
         */
        public Builder journal(Path file) {
            this.journal = Optional.of(Objects.requireNonNull(file, "file"));
            return this;
        }

        /**
         * @param archiveKey authenticate the archive with this key before restoring: its seal must be present and match
         *                   (default: no key; the archive's seal, if any, is not checked)
         * @return this
         */
        public Builder key(ArchiveKey archiveKey) {
            this.key = Optional.of(Objects.requireNonNull(archiveKey, "archiveKey"));
            return this;
        }

        /**
         * @return the restore service
         * @throws IllegalStateException when TLS settings were given for a caller's data source (configure it there)
         * @throws ArboristException CONFIGURATION when the TLS certificate authority file is unreadable
         */
        public MySqlRestore build() {
            Builder c = copy();
            if (c.url != null) {
                c.dataSource = Connections.forLoading(c.url, c.user, c.password, c.tls);
            } else if (!c.tls.equals(MySqlTls.preferred())) {
                throw new IllegalStateException("TLS settings apply to a URL; configure TLS on your DataSource");
            }
            return new MySqlRestore(c);
        }

        @Override
        public String toString() {
            return "MySqlRestore.Builder[" + target + "]";
        }
    }
}
