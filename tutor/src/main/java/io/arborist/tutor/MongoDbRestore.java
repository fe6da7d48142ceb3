package io.arborist.tutor;

import io.arborist.core.ArboristException;
import io.arborist.core.ErrorKind;
import io.arborist.core.plan.DeploymentMode;
import io.arborist.core.release.TutorVersion;
import io.arborist.core.spi.TutorCommand;
import io.arborist.core.spi.TutorCommandException;
import io.arborist.core.spi.TutorResult;
import io.arborist.core.spi.TutorRunner;
import io.arborist.tutor.internal.BackupFiles;
import io.arborist.tutor.internal.MongoCommands;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.DigestInputStream;
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
 * }</pre>
 *
 * <p>The archive is verified first (manifest, SHA-256, gzip, prelude). Then, unless
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

    private final TutorRunner runner;
    private final MongoLocation location;
    private final boolean replaceExisting;

    private MongoDbRestore(Builder b) {
        this.runner = b.runner;
        this.location = b.location;
        this.replaceExisting = b.replaceExisting;
    }

    /**
     * @param runner runs the check and the restore (a {@link ProcessTutorRunner}: it must stream bytes)
     * @return a builder that refuses a non-empty target
     */
    public static Builder builder(TutorRunner runner) {
        return new Builder(Objects.requireNonNull(runner, "runner"));
    }

    /**
     * Restores a backup.
     *
     * @param backup the backup directory
     * @return the archive restored
     * @throws ArboristException VERIFICATION when the backup is incomplete or damaged; CONFIGURATION when the target
     *                           holds databases and replacing was not asked for; RESTORE when the check cannot answer,
     *                           or mongorestore fails or stops reading before the end
     */
    public MongoDbArchive restore(Path backup) {
        MongoDbArchive archive = MongoDbArchive.verify(Objects.requireNonNull(backup, "backup"));
        MongoCommands.Setup setup = location.resolve(runner);
        if (!replaceExisting) {
            requireEmpty(setup);
        }
        TutorCommand restore = location.command(MongoCommands.restore(setup, replaceExisting));
        LOG.info("Restoring {} ({} collections) into {}", backup, archive.namespaces().size(), setup.describe());
        MessageDigest digest = BackupFiles.sha256();
        long[] fed = new long[1];
        TutorResult result;
        try (InputStream file = Files.newInputStream(archive.file(), LinkOption.NOFOLLOW_LINKS);
             InputStream counted = new DigestInputStream(new BufferedInputStream(file), digest) {
                 @Override
                 public int read(byte[] b, int off, int len) throws IOException {
                     int n = super.read(b, off, len);
                     fed[0] += Math.max(0, n);
                     return n;
                 }
             }) {
            result = runner.run(restore, counted);
        } catch (IOException e) {
            throw new ArboristException(ErrorKind.RESTORE, "cannot read " + archive.file() + ": " + e.getMessage(), e);
        }
        if (!result.succeeded()) {
            TutorCommandException failure = new TutorCommandException("MongoDB restore", result);
            throw new ArboristException(ErrorKind.RESTORE, failure.getMessage(), failure);
        }
        if (fed[0] != archive.bytes() || !BackupFiles.hex(digest).equals(archive.sha256())) {
            throw new ArboristException(ErrorKind.RESTORE, "MongoDB restore incomplete: `" + restore.commandLine()
                    + "` exited 0 after reading " + fed[0] + " of " + archive.bytes() + " bytes of the archive."
                    + " Check its output above, then restore again with replaceExisting(true).");
        }
        LOG.info("Restored {} collections from {}", archive.namespaces().size(), backup);
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

    /** @return the settings, never a secret */
    @Override
    public String toString() {
        return "MongoDbRestore[" + location + ", replaceExisting=" + replaceExisting + "]";
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

        /** @return the restore */
        public MongoDbRestore build() {
            return new MongoDbRestore(this);
        }
    }
}
