package io.arborist.clickhouse;

import io.arborist.clickhouse.internal.ArchiveSource;
import io.arborist.clickhouse.internal.Cleanup;
import io.arborist.clickhouse.internal.Loader;
import io.arborist.core.ArboristException;
import io.arborist.core.backup.ArchiveKey;
import io.arborist.core.backup.BackupListener;
import io.arborist.core.backup.ConflictPolicy;
import io.arborist.core.backup.PartialRestore;
import io.arborist.core.backup.RestoreCleanup;
import io.arborist.core.backup.RestoreJournal;
import io.arborist.core.backup.RestoreReport;
import io.arborist.core.backup.store.BackupStore;
import io.arborist.core.backup.store.EncryptionKey;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Restores a ClickHouse backup taken by {@link ClickHouseBackup} over the HTTP interface, in an order that never
 * passes a restored row through a materialized view: databases, then tables (including materialized-view
 * {@code TO} targets), then their data, then views, then materialized views (which create their inner tables), then
 * the inner tables' data, then dictionaries. Every table is verified against the manifest (row count and row-hash
 * sums computed by the server).
 *
 * <pre>{@code
 * RestoreReport r = ClickHouseRestore.using(endpoint).rename("xapi", "xapi_copy").key(key).build()
 *         .restore(Path.of("/backups/aspects"));
 * }</pre>
 *
 * <p>An archive is untrusted input. Before anything changes, the restore checks every statement it would run (see
 * {@link #restore(Path)}): exactly one {@code CREATE} of the kind and name the manifest lists, in the object's own
 * (renamed) database, using only local engines, writing only into the archive's tables and reading only the restored
 * databases (or those allowed with {@link Builder#allowReadsFrom}); with a {@link Builder#key key}, the archive's seal
 * must match. Into a database that already holds objects the backup does not have it refuses by default.
 *
 * <p>Resumable: every step is written to a journal (default {@code <backup>.restore.journal}, next to the backup, owner
 * only, a {@link RestoreJournal}) and forced to disk; a restore run again with the same journal skips finished steps and
 * reloads an interrupted data file after removing its partial rows (its partition, or the whole table when the table is
 * one file). The journal is created with the first change and renamed to {@code <backup>.restore.<millis>.done} when the
 * restore finishes, so a restore refused or unable to connect leaves none; an unfinished one is named by
 * {@link #unfinished(Path)} and {@code verify}, and {@link #cleanup(Path)} drops what it created. Each file's SHA-256 is checked before any of its bytes are sent.
 * Memory stays bounded: files are streamed. Immutable and thread-safe; one restore at a time per journal.
 *
 * @since 0.1
 */
public final class ClickHouseRestore {

    private final ClickHouseEndpoint endpoint;
    private final Map<String, String> databaseRenames;
    private final ConflictPolicy conflictPolicy;
    private final Optional<Path> journal;
    private final Optional<EncryptionKey> encryption;
    private final BackupListener listener;
    private final Duration statementTimeout;
    private final Map<String, String> ddlOverrides;
    private final Optional<ArchiveKey> key;
    private final Set<String> alsoReadable;
    private final Set<String> skipped;
    private final boolean allowOtherObjects;

    private ClickHouseRestore(Builder b) {
        this.endpoint = b.endpoint;
        this.databaseRenames = Map.copyOf(b.databaseRenames);
        this.conflictPolicy = b.conflictPolicy;
        this.journal = b.journal;
        this.encryption = b.encryption;
        this.listener = b.listener;
        this.statementTimeout = b.statementTimeout;
        this.ddlOverrides = Map.copyOf(b.ddlOverrides);
        this.key = b.key;
        this.alsoReadable = Set.copyOf(b.alsoReadable);
        this.skipped = Set.copyOf(b.skipped);
        this.allowOtherObjects = b.allowOtherObjects;
    }

    /**
     * @param endpoint the target server
     * @return a builder with the defaults
     */
    public static Builder using(ClickHouseEndpoint endpoint) {
        return new Builder(endpoint);
    }

    /**
     * Restores a backup directory. Before anything changes it refuses, one line per object: a manifest whose seal does
     * not match the {@link Builder#key key} (or that has none); damaged or missing files; statements that are not one
     * {@code CREATE} of the listed kind and name in the object's own database (tampering); objects that reach beyond the
     * server's own tables (engines such as URL, File or Kafka, functions such as {@code url()} or {@code file()},
     * dictionaries with another source or host, materialized views writing outside the archive) unless
     * {@link Builder#skip skipped}; reads outside the restored databases unless {@link Builder#allowReadsFrom allowed};
     * and target databases that hold objects the backup does not have, unless {@link Builder#allowOtherObjects}.
     *
     * @param from the backup directory
     * @return what was restored and verified
     * @throws ArboristException of kind VERIFICATION (damaged, edited or unauthenticated backup), RESTORE (refused
     *     objects, conflict, server failure, mismatch after the load) or JOURNAL
     */
    public RestoreReport restore(Path from) {
        Objects.requireNonNull(from, "from");
        try (ArchiveSource source = ArchiveSource.directory(from, encryption)) {
            return new Loader(settings()).restore(source);
        }
    }

    /**
     * Restores an archive from a store (an S3 prefix, or a local directory) as {@link #restore(Path)} does, streaming
     * each file from the store (decrypted with the {@link Builder#encryption key} when the archive is encrypted) after
     * checking its SHA-256. The journal stays on this machine: by default
     * {@code ~/.arborist/restore-journals/s3/BUCKET/PREFIX/restore.journal} for an S3 archive ({@link Builder#journal} to
     * choose another).
     *
     * @param store where the archive is
     * @param archive its prefix inside the store, or {@code ""} for the store itself
     * @return what was restored and verified
     * @throws ArboristException of kind VERIFICATION also when there is no complete archive there, or it is encrypted
     *     and the key is missing or another
     */
    public RestoreReport restore(BackupStore store, String archive) {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(archive, "archive");
        try (ArchiveSource source = ArchiveSource.store(store, archive, encryption)) {
            return new Loader(settings()).restore(source);
        }
    }

    private Loader.Settings settings() {
        return new Loader.Settings(endpoint, databaseRenames, conflictPolicy, journal, encryption, listener, statementTimeout, ddlOverrides, key,
                alsoReadable, skipped, allowOtherObjects);
    }

    /**
     * @param from the backup directory
     * @return the unfinished restore of this backup recorded in the journal (the builder's or the default one), if any
     */
    public Optional<PartialRestore> unfinished(Path from) {
        return new Loader(settings()).unfinished(from);
    }

    /**
     * Drops what an unfinished restore of this backup created (same endpoint, renames and archive as the restore),
     * in reverse order, and removes its journal: the objects it created, then the databases it created when nothing
     * else is in them. Objects that existed before the restore are never dropped (rows it appended into them stay).
     *
     * @param from the backup directory
     * @return what was dropped and what was kept; empty when there is no unfinished restore
     * @throws ArboristException of kind JOURNAL when the journal belongs to another target, RESTORE on a server failure
     */
    public RestoreCleanup cleanup(Path from) {
        Objects.requireNonNull(from, "from");
        return new Cleanup(settings()).run(from);
    }

    /**
     * Drops what an unfinished restore of an archive in a store created, as {@link #cleanup(Path)} does.
     *
     * @param store where the archive is
     * @param archive its prefix inside the store, or {@code ""}
     * @return what was dropped and what was kept; empty when there is no unfinished restore
     */
    public RestoreCleanup cleanup(BackupStore store, String archive) {
        Objects.requireNonNull(store, "store");
        return new Cleanup(settings()).run(store, archive);
    }

    /** Collects a restore's settings. Not thread-safe. */
    public static final class Builder {
        private final ClickHouseEndpoint endpoint;
        private final Map<String, String> databaseRenames = new LinkedHashMap<>();
        private ConflictPolicy conflictPolicy = ConflictPolicy.FAIL;
        private Optional<Path> journal = Optional.empty();
        private Optional<EncryptionKey> encryption = Optional.empty();
        private BackupListener listener = BackupListener.NONE;
        private Duration statementTimeout = Duration.ofHours(6);
        private final Map<String, String> ddlOverrides = new LinkedHashMap<>();
        private Optional<ArchiveKey> key = Optional.empty();
        private final Set<String> alsoReadable = new LinkedHashSet<>();
        private final Set<String> skipped = new LinkedHashSet<>();
        private boolean allowOtherObjects;

        private Builder(ClickHouseEndpoint endpoint) {
            this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        }

        /**
         * Restores database {@code from} of the backup as {@code to}; references in every DDL are rewritten (qualified
         * names, a dictionary's {@code DB} and {@code QUERY}, {@code dictGet('db.dict', …)}, Buffer and Distributed
         * targets).
         *
         * @param from database in the backup
         * @param to database on the target
         * @return this builder
         */
        public Builder rename(String from, String to) {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
            if (to.isBlank() || to.equals("system") || to.equalsIgnoreCase("information_schema")) {
                throw new IllegalArgumentException("cannot restore into the database '" + to + "'; choose another name");
            }
            databaseRenames.put(from, to);
            return this;
        }

        /**
         * @param policy what to do with objects that already exist (default: {@link ConflictPolicy#FAIL})
         * @return this builder
         */
        public Builder ifExists(ConflictPolicy policy) {
            this.conflictPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * Decrypts an encrypted archive with this key (default: none; an encrypted archive is then refused with one line
         * that asks for its key, and so is one written with another key).
         *
         * @param key the encryption key
         * @return this builder
         */
        public Builder encryption(EncryptionKey key) {
            this.encryption = Optional.of(Objects.requireNonNull(key, "key"));
            return this;
        }

        /**
         * @param file the restore journal (default: {@code <backup>.restore.journal}, next to the backup directory; never
         *     inside it, so that a journal that came with an archive is never trusted)
         * @return this builder
         */
        public Builder journal(Path file) {
            this.journal = Optional.of(Objects.requireNonNull(file, "file"));
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
         * @param timeout longest time one statement (a file's INSERT) may take (default: 6 h)
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
         * Supplies the full DDL of an object whose secrets the source server hid (see
         * {@link ManifestObject#secretsHidden()}). It is checked like the archive's own DDL.
         *
         * @param qualifiedName {@code database.name} as in the backup
         * @param ddl the complete CREATE statement
         * @return this builder
         */
        public Builder ddlOverride(String qualifiedName, String ddl) {
            ddlOverrides.put(Objects.requireNonNull(qualifiedName, "qualifiedName"), Objects.requireNonNull(ddl, "ddl"));
            return this;
        }

        /**
         * Requires the archive to be sealed with this key ({@link ClickHouseBackup.Builder#key}) and its seal to match
         * the manifest, checked before anything else (default: no key; the archive is then checked against its own
         * digests only).
         *
         * @param key the archive key
         * @return this builder
         */
        public Builder key(ArchiveKey key) {
            this.key = Optional.of(Objects.requireNonNull(key, "key"));
            return this;
        }

        /**
         * Lets restored views, materialized views and dictionaries read a database outside the restore (default: they
         * may read only the restored databases; an object reading another one is refused, naming it).
         *
         * @param database a database on the target
         * @return this builder
         */
        public Builder allowReadsFrom(String database) {
            alsoReadable.add(Objects.requireNonNull(database, "database"));
            return this;
        }

        /**
         * Leaves an object of the backup out (with its data, and its inner table), for objects the restore refuses to
         * create (engines and functions reaching beyond the server's own tables) or that are not wanted; create it by
         * hand afterwards (default: none skipped).
         *
         * @param qualifiedName {@code database.name} as in the backup
         * @return this builder
         */
        public Builder skip(String qualifiedName) {
            skipped.add(Objects.requireNonNull(qualifiedName, "qualifiedName"));
            return this;
        }

        /**
         * @param allow whether a target database may already hold objects the backup does not have (default: false: such
         *     a restore is refused before anything changes, naming them)
         * @return this builder
         */
        public Builder allowOtherObjects(boolean allow) {
            this.allowOtherObjects = allow;
            return this;
        }

        /** @return the restore service */
        public ClickHouseRestore build() {
            return new ClickHouseRestore(this);
        }
    }

    @Override
    public String toString() {
        return "ClickHouseRestore[" + endpoint + ", renames=" + databaseRenames + ", ifExists=" + conflictPolicy + key.map(k -> ", key " + k).orElse("")
                + "]";
    }
}
