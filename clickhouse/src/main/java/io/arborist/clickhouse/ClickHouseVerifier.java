package io.arborist.clickhouse;

import io.arborist.clickhouse.internal.ArchiveSource;
import io.arborist.clickhouse.internal.ArchiveVerifier;
import io.arborist.core.ArboristException;
import io.arborist.core.backup.ArchiveKey;
import io.arborist.core.backup.BackupListener;
import io.arborist.core.backup.store.BackupStore;
import io.arborist.core.backup.store.EncryptionKey;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Checks a ClickHouse backup directory without a server, and lists every problem it finds (one line each): the
 * manifest is present, readable and matches its checksum; with a {@link Builder#key key}, its seal matches (the
 * archive is authenticated); every data and schema file exists as a regular file with the recorded size and SHA-256
 * (a single flipped or missing byte is found); and every statement a restore would run is one {@code CREATE} of the
 * kind and name the manifest lists, in the object's own database. Objects a restore refuses unless skipped (engines
 * and functions reaching beyond the server's own tables) and reads outside the archive's databases are listed as notes,
 * as are how the archive was authenticated and an unfinished restore of it. A server-side backup
 * ({@link ClickHouseManifest#serverBackup()}) has no data files here: only its manifest is checked, and its rows are
 * verified against the manifest's checksums when restored.
 *
 * <pre>{@code
 * VerifyReport r = ClickHouseVerifier.builder().key(key).build().verify(Path.of("/backups/aspects"));
 * r.problems().forEach(System.out::println);
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1
 */
public final class ClickHouseVerifier {
    private final BackupListener listener;
    private final Optional<ArchiveKey> key;
    private final Optional<EncryptionKey> encryption;

    private ClickHouseVerifier(Builder b) {
        this.listener = b.listener;
        this.key = b.key;
        this.encryption = b.encryption;
    }

    /** @return a builder */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @param directory a backup directory
     * @return what was found; a missing manifest is a problem, not an exception
     */
    public VerifyReport verify(Path directory) {
        Objects.requireNonNull(directory, "directory");
        try (ArchiveSource source = ArchiveSource.directory(directory, encryption)) {
            return new ArchiveVerifier(listener, key).verify(source, true);
        } catch (ArboristException e) {
            return new VerifyReport(directory.toString(), 0, 0, List.of(e.getMessage()), false, List.of());
        }
    }

    /**
     * Checks an archive in a store (an S3 prefix, or a local directory): as {@link #verify(Path)}, streaming each file
     * from the store (decrypted with the {@link Builder#encryption key} when the archive is encrypted) and checking its
     * SHA-256 as it streams.
     *
     * @param store where the archive is
     * @param archive its prefix inside the store, or {@code ""} for the store itself
     * @return what was found; a missing or partial archive, or an encrypted one without its key or with another key,
     *     is one problem, not an exception
     */
    public VerifyReport verify(BackupStore store, String archive) {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(archive, "archive");
        try (ArchiveSource source = ArchiveSource.store(store, archive, encryption)) {
            return new ArchiveVerifier(listener, key).verify(source, true);
        } catch (ArboristException e) {
            String where = (archive.isEmpty() ? store : store.within(archive)).destination().toString();
            return new VerifyReport(where, 0, 0, List.of(e.getMessage()), false, List.of());
        }
    }

    /** Collects a verifier's settings. */
    public static final class Builder {
        private BackupListener listener = BackupListener.NONE;
        private Optional<ArchiveKey> key = Optional.empty();
        private Optional<EncryptionKey> encryption = Optional.empty();

        private Builder() {
        }

        /**
         * @param listener progress receiver (default: none)
         * @return this builder
         */
        public Builder listener(BackupListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Checks the archive's seal with this key: a missing seal or one that does not match the manifest is a problem
         * (default: no key; the report then says the archive is unauthenticated).
         *
         * @param key the archive key
         * @return this builder
         */
        public Builder key(ArchiveKey key) {
            this.key = Optional.of(Objects.requireNonNull(key, "key"));
            return this;
        }

        /**
         * Decrypts an encrypted archive with this key (default: none; an encrypted archive is then one problem that
         * asks for its key, and one written with another key is refused in one line).
         *
         * @param key the encryption key
         * @return this builder
         */
        public Builder encryption(EncryptionKey key) {
            this.encryption = Optional.of(Objects.requireNonNull(key, "key"));
            return this;
        }

        /** @return the verifier */
        public ClickHouseVerifier build() {
            return new ClickHouseVerifier(this);
        }
    }
}
