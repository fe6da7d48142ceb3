package io.arborist.tutor;

import com.fasterxml.jackson.databind.JsonNode;
import io.arborist.core.ArboristException;
import io.arborist.core.ErrorKind;
import io.arborist.core.backup.store.ArchiveReader;
import io.arborist.core.backup.store.ArchiveWriter;
import io.arborist.core.backup.store.BackupStore;
import io.arborist.core.backup.store.BackupStores;
import io.arborist.core.backup.store.Destination;
import io.arborist.core.backup.store.EncryptionKey;
import io.arborist.core.backup.store.StoredObject;
import io.arborist.core.plan.DeploymentMode;
import io.arborist.core.release.TutorVersion;
import io.arborist.core.spi.TutorCommand;
import io.arborist.core.spi.TutorCommandException;
import io.arborist.core.spi.TutorResult;
import io.arborist.core.spi.TutorRunner;
import io.arborist.tutor.internal.BackupFiles;
import io.arborist.tutor.internal.MongoCommands;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restores a {@link MongoDbArchive} with {@code mongorestore --archive --gzip --stopOnError}, fed the archive on its
 * standard input through a {@link TutorRunner}, where the backup's dump ran (the same settings as
 * {@link MongoDbBackup.Builder}).
 *
 * <pre>{@code
 * MongoDbRestore.builder(tutor).mode(DeploymentMode.LOCAL).build().restore(Path.of("/backups/mongodb"));
 * try (BackupStore s3 = BackupStores.builder().environment(System.getenv()).build()
 *         .open("s3://edx-backups/run/02-lilac-backup/mongodb")) {
 *     MongoDbRestore.builder(tutor).decryptWith(key).build().restore(s3);                 // read once, checked as fed
 * }
 * }</pre>
 *
 * <p>A backup in a directory is verified first (manifest, SHA-256, gzip, prelude); one in a store is checked as it is
 * fed (manifest, size and SHA-256; see {@link #restore(BackupStore)}). Then, unless
 * {@link Builder#replaceExisting(boolean)} is set, the target must be empty: a fixed script run with {@code mongosh}
 * (or the legacy {@code mongo} shell of images before MongoDB 5.0) counts the databases other than {@code admin},
 * {@code config} and {@code local}, and prints {@code arborist-databases=N}; anything but 0, or no answer, refuses the
 * restore before it writes anything. With {@code replaceExisting(true)} the check is skipped and {@code --drop} drops
 * each collection of the archive before restoring it (collections not in the archive are left alone). The bytes fed
 * are hashed again and must be exactly the archive's.
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1
 */
public final class MongoDbRestore {
    private static final Logger LOG = LoggerFactory.getLogger(MongoDbRestore.class);

    private static final BackupStores LOCAL = BackupStores.builder().build();

    private final TutorRunner runner;
    private final MongoLocation location;
    private final boolean replaceExisting;
    private final Optional<EncryptionKey> encryption;

    private MongoDbRestore(Builder b) {
        this.runner = b.runner;
        this.location = b.location;
        this.replaceExisting = b.replaceExisting;
        this.encryption = b.encryption;
    }

    /**
     * @param runner runs the check and the restore (a {@link ProcessTutorRunner}: it must stream bytes)
     * @return a builder that refuses a non-empty target
     */
    public static Builder builder(TutorRunner runner) {
        return new Builder(Objects.requireNonNull(runner, "runner"));
    }

    /**
     * Restores a backup from a directory: verified whole first ({@link MongoDbArchive#verify(Path)}: SHA-256, gzip,
     * prelude), then fed as {@link #restore(BackupStore)} feeds it. A directory written through a store (it has the
     * store's {@code archive.json} marker: copied down from S3, perhaps encrypted) is restored as
     * {@link #restore(BackupStore)} restores it.
     *
     * @param backup the backup directory
     * @return the archive restored
     * @throws ArboristException VERIFICATION when the backup is incomplete or damaged; CONFIGURATION when the target
     *                           holds databases and replacing was not asked for; RESTORE when the check cannot answer,
     *                           or mongorestore fails or stops reading before the end
     */
    public MongoDbArchive restore(Path backup) {
        Objects.requireNonNull(backup, "backup");
        try (BackupStore store = LOCAL.open(new Destination.LocalDirectory(backup))) {
            if (store.exists(ArchiveWriter.MARKER)) {
                return restore(store);   // written through a store (copied down from S3, perhaps encrypted)
            }
            MongoDbArchive verified = MongoDbArchive.verify(backup);
            feed(ArchiveReader.open(store, "", encryption), verified, file(store.destination()));
            return verified;
        }
    }

    /**
     * Restores a backup from a store (an S3 prefix, or a directory opened as a store), reading the archive once: the
     * manifest (decrypted with {@link Builder#decryptWith} when the backup is encrypted) and the archive's presence and
     * size are checked before anything runs; the archive is then streamed to {@code mongorestore} and its size and
     * SHA-256 are checked against the manifest as it goes. When they differ, {@code mongorestore} is stopped before
     * it sees the end of the archive and the restore fails naming the file; collections it had already written stay
     * (restore a good backup with {@link Builder#replaceExisting(boolean)}).
     *
     * @param store the backup's store, at the backup's prefix
     * @return the archive restored; its {@link MongoDbArchive#location()} is the store's destination
     * @throws ArboristException VERIFICATION when the backup is missing, partial, encrypted without its key or with
     *                           another one, or its archive is missing, of another size or another SHA-256; otherwise
     *                           as {@link #restore(Path)}
     */
    public MongoDbArchive restore(BackupStore store) {
        Objects.requireNonNull(store, "store");
        ArchiveReader reader = ArchiveReader.open(store, "", encryption);
        String file = file(store.destination());
        MongoDbArchive archive = MongoDbArchive.readStored(reader, store, encryption, "nothing was restored");
        return feed(reader, archive, file);
    }

    /** @return where the archive file of a backup is, as text */
    private static String file(Destination backup) {
        return MongoDbArchive.fileIn(backup);
    }

    /** Checks the target, then streams the archive to mongorestore, counting and hashing what is fed. */
    private MongoDbArchive feed(ArchiveReader reader, MongoDbArchive archive, String file) {
        MongoCommands.Setup setup = location.resolve(runner);
        if (!replaceExisting) {
            requireEmpty(setup);
        }
        TutorCommand restore = location.command(MongoCommands.restore(setup, replaceExisting));
        LOG.info("Restoring {} ({} collections) into {}", archive.location(), archive.namespaces().size(), setup.describe());
        Feed fed = new Feed(reader.open(MongoDbArchive.FILE), archive, file);
        TutorResult result;
        try (fed) {
            result = runner.run(restore, fed);
        } catch (ArboristException e) {
            if (fed.damage.isPresent()) {
                throw new ArboristException(ErrorKind.VERIFICATION, fed.damage.get() + "; mongorestore was stopped before the end"
                        + " of the archive and nothing is restored completely. Collections it had written stay: restore a good"
                        + " backup with replaceExisting(true).", e);
            }
            throw e;
        } catch (IOException e) {
            throw new ArboristException(ErrorKind.RESTORE, "cannot read " + file + ": " + e.getMessage(), e);
        }
        if (!result.succeeded()) {
            TutorCommandException failure = new TutorCommandException("MongoDB restore", result);
            throw new ArboristException(ErrorKind.RESTORE, failure.getMessage(), failure);
        }
        if (!fed.whole) {
            throw new ArboristException(ErrorKind.RESTORE, "MongoDB restore incomplete: `" + restore.commandLine()
                    + "` exited 0 after reading " + fed.bytes + " of " + archive.bytes() + " bytes of the archive."
                    + " Check its output above, then restore again with replaceExisting(true).");
        }
        LOG.info("Restored {} collections from {}", archive.namespaces().size(), archive.location());
        return archive;
    }

    private void requireEmpty(MongoCommands.Setup setup) {
        TutorCommand count = location.command(MongoCommands.countDatabases(setup));
        TutorResult result = runner.run(count);
        Matcher m = MongoCommands.COUNT_ANSWER.matcher(result.output());
        String databases = null;
        while (m.find()) {
            databases = m.group(1);
        }
        if (!result.succeeded() || databases == null) {
            throw new ArboristException(ErrorKind.RESTORE, "cannot tell whether the target MongoDB is empty: `"
                    + count.commandLine() + "` " + (result.succeeded() ? "gave no count" : "failed with exit code "
                    + result.exitCode()) + ". Nothing was restored. Make the check work (mongosh or mongo must run there),"
                    + " or restore with replaceExisting(true) to drop and replace the archive's collections.");
        }
        if (!databases.equals("0")) {
            throw new ArboristException(ErrorKind.CONFIGURATION, "the target MongoDB already holds " + databases
                    + " database(s) besides admin, config and local; the restore writes only into an empty MongoDB unless"
                    + " asked. Restore into a fresh MongoDB, or use replaceExisting(true) (mongorestore --drop replaces"
                    + " the archive's collections).");
        }
    }

    /**
     * The archive as fed: counted and hashed; at its end, a size or SHA-256 other than the manifest's fails the read
     * (so the process is stopped before it sees the end of its input) and is kept as {@link #damage}.
     */
    private static final class Feed extends FilterInputStream {
        private final MessageDigest digest = BackupFiles.sha256();
        private final MongoDbArchive archive;
        private final String file;
        private volatile long bytes;
        private volatile boolean whole;
        private volatile Optional<String> damage = Optional.empty();

        Feed(InputStream in, MongoDbArchive archive, String file) {
            super(new BufferedInputStream(in, 64 * 1024));
            this.archive = archive;
            this.file = file;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                digest.update(b, off, n);
                bytes += n;
            } else if (n < 0 && !whole) {
                if (bytes != archive.bytes()) {
                    damage = Optional.of(file + " has " + bytes + " bytes, the manifest says " + archive.bytes());
                } else if (!BackupFiles.hex(digest).equals(archive.sha256())) {
                    damage = Optional.of(file + " does not match its SHA-256 in the manifest: it was changed or damaged");
                }
                if (damage.isPresent()) {
                    throw new IOException(damage.get());
                }
                whole = true;
            }
            return n;
        }

        @Override
        public long skip(long n) {
            return 0;
        }
    }

    /** @return the settings, never a secret */
    @Override
    public String toString() {
        return "MongoDbRestore[" + location + ", replaceExisting=" + replaceExisting
                + encryption.map(k -> ", decrypting with key " + k.fingerprint()).orElse("") + "]";
    }

    /**
     * Settings for a {@link MongoDbRestore}. Not thread-safe.
     *
     * @since 0.1
     */
    public static final class Builder {
        private final TutorRunner runner;
        private MongoLocation location = MongoLocation.defaults();
        private boolean replaceExisting;
        private Optional<EncryptionKey> encryption = Optional.empty();

        private Builder(TutorRunner runner) {
            this.runner = runner;
        }

        /**
         * @param mode how Tutor runs the site (default: LOCAL)
         * @return this builder
         */
        public Builder mode(DeploymentMode mode) {
            location = location.withMode(mode);
            return this;
        }

        /**
         * @param external whether MongoDB is outside Tutor; then {@code mongorestore} and {@code mongosh} run on this
         *                 host (default: asked with {@code tutor config printvalue RUN_MONGODB})
         * @return this builder
         */
        public Builder external(boolean external) {
            location = location.withExternal(external);
            return this;
        }

        /**
         * @param version the installed Tutor (default: asked with {@code tutor --version} when needed)
         * @return this builder
         */
        public Builder tutorVersion(TutorVersion version) {
            location = location.withTutor(version);
            return this;
        }

        /**
         * @param timeout how long the restore may run before it is killed (default: the runner's)
         * @return this builder
         */
        public Builder timeout(Duration timeout) {
            location = location.withTimeout(timeout);
            return this;
        }

        /**
         * @param replace whether a MongoDB that already holds databases may be restored into, dropping each collection
         *                of the archive first ({@code mongorestore --drop}) (default: false: only an empty target)
         * @return this builder
         */
        public Builder replaceExisting(boolean replace) {
            this.replaceExisting = replace;
            return this;
        }

        /**
         * @param encryptionKey decrypts an encrypted backup in a store (default: none; an encrypted backup is then
         *                      refused in one line naming the key fingerprint it needs)
         * @return this builder
         */
        public Builder decryptWith(EncryptionKey encryptionKey) {
            this.encryption = Optional.of(Objects.requireNonNull(encryptionKey, "encryptionKey"));
            return this;
        }

        /** @return the restore */
        public MongoDbRestore build() {
            return new MongoDbRestore(this);
        }
    }
}
