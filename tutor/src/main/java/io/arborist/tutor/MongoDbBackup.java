package io.arborist.tutor;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arborist.core.ArboristException;
import io.arborist.core.ErrorKind;
import io.arborist.core.backup.BackupArtifact;
import io.arborist.core.backup.BackupProvider;
import io.arborist.core.backup.BackupRequest;
import io.arborist.core.backup.store.ArchiveWriter;
import io.arborist.core.backup.store.BackupStore;
import io.arborist.core.backup.store.StoreOutputStream;
import io.arborist.core.plan.BackupTarget;
import io.arborist.core.plan.DeploymentMode;
import io.arborist.core.release.TutorVersion;
import io.arborist.core.spi.TutorCommand;
import io.arborist.core.spi.TutorCommandException;
import io.arborist.core.spi.TutorResult;
import io.arborist.core.spi.TutorRunner;
import io.arborist.tutor.internal.ArchiveSink;
import io.arborist.tutor.internal.BackupFiles;
import io.arborist.tutor.internal.MongoArchiveCheck;
import io.arborist.tutor.internal.MongoCommands;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Backs up MongoDB (course content; forum data before Sumac) with {@code mongodump --archive --gzip} through a
 * {@link TutorRunner}, into a checked {@link MongoDbArchive}; the {@link BackupProvider} for the executor's
 * {@link BackupTarget#MONGODB} steps.
 *
 * <pre>{@code
 * TutorRunner tutor = ProcessTutorRunner.builder().tutorRoot(Path.of("/srv/tutor")).build();
 * MongoDbArchive archive = MongoDbBackup.builder(tutor).mode(DeploymentMode.LOCAL).build()
 *         .backup(Path.of("/backups/mongodb"));
 * }</pre>
 *
 * <p>Where the dump runs: for a MongoDB Tutor runs ({@code RUN_MONGODB} true), in its container with
 * {@code tutor local|dev exec -T mongodb mongodump --archive --gzip}, or on Kubernetes with
 * {@code tutor k8s exec mongodb ...} (one command string before Tutor 13.2.0, an argument list from it); for an
 * external MongoDB, {@code mongodump --uri=mongodb://HOST:PORT/} on this host with the credentials of the Tutor
 * configuration as {@code ${TUTOR_CONFIG:KEY}} placeholders, resolved by the runner and never shown. Unless told with
 * {@link Builder#external(boolean)} and {@link Builder#tutorVersion(TutorVersion)}, the backup asks Tutor
 * ({@code tutor config printvalue RUN_MONGODB}, {@code tutor --version}) when it starts.
 *
 * <p>The dump's standard output is streamed to disk (never held in memory, never decoded): the line of text Tutor
 * prints before the archive is dropped unseen, the archive is hashed while it is written, forced to disk, then checked
 * whole (gzip CRC-32 and length, mongodump magic number and prelude), and {@code manifest.json} is written last. A dump
 * that fails, hangs past its timeout, is cut short or is not an archive leaves no archive and no manifest. Files are
 * owner-only. Standard error (mongodump's progress) goes to the runner's listener, redacted. For the executor, a
 * backup into an S3 prefix streams the same way into the store instead of a file ({@link #backup(BackupRequest)}).
 *
 * <p>Immutable and thread-safe; one backup at a time per target directory.
 *
 * @since 0.1
 */
public final class MongoDbBackup implements BackupProvider {
    private static final Logger LOG = LoggerFactory.getLogger(MongoDbBackup.class);
    private static final long MAX_PREAMBLE = 1024 * 1024;

    private final TutorRunner runner;
    private final MongoLocation location;

    private MongoDbBackup(Builder b) {
        this.runner = b.runner;
        this.location = b.location;
    }

    /**
     * @param runner runs the dump and the questions to Tutor (a {@link ProcessTutorRunner}: it must stream bytes)
     * @return a builder
     */
    public static Builder builder(TutorRunner runner) {
        return new Builder(Objects.requireNonNull(runner, "runner"));
    }

    /** @return a builder holding this backup's settings */
    public Builder toBuilder() {
        Builder b = new Builder(runner);
        b.location = location;
        return b;
    }

    /**
     * Dumps every database into a new or empty directory and returns the checked archive.
     *
     * @param directory the backup directory (created owner-only when missing; must be empty)
     * @return the archive, once its manifest is written
     * @throws ArboristException CONFIGURATION for a non-empty directory or when Tutor cannot say where MongoDB is;
     *                           BACKUP when the dump fails, times out, or its output is not a whole archive (nothing
     *                           complete-looking is left: no archive, no manifest)
     */
    public MongoDbArchive backup(Path directory) {
        Objects.requireNonNull(directory, "directory");
        prepare(directory);
        MongoCommands.Setup setup = location.resolve(runner);
        TutorCommand dump = location.command(MongoCommands.dump(setup));
        Path partial = directory.resolve(MongoDbArchive.FILE + ".partial");
        Path file = directory.resolve(MongoDbArchive.FILE);
        LOG.info("Backing up MongoDB ({}) into {}", setup.describe(), directory);
        try {
            ArchiveSink sink;
            try (FileChannel ch = BackupFiles.createOwnerOnly(partial)) {
                sink = new ArchiveSink(ch, MAX_PREAMBLE);
                run(dump, sink);
                ch.force(true);
            }
            Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
            MongoArchiveCheck.Result check = readBack(dump, sink, () -> Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS), "on disk");
            Instant created = Instant.now();
            BackupFiles.writeManifest(directory, manifest(setup, dump, check, sink.preambleBytes(), created));
            MongoDbArchive archive = MongoDbArchive.verify(directory);
            LOG.info("Backed up MongoDB: {} collections, {} bytes ({} decompressed), SHA-256 {}{}", archive.namespaces().size(),
                    archive.bytes(), archive.uncompressedBytes(), archive.sha256(), sink.preambleBytes() == 0 ? ""
                            : "; dropped " + sink.preambleBytes() + " bytes of text Tutor printed before the archive");
            return archive;
        } catch (IOException | RuntimeException e) {
            removeQuietly(partial, file, directory.resolve(BackupFiles.MANIFEST + ".partial"));
            if (e instanceof ArboristException ae) {
                throw ae;
            }
            throw new ArboristException(ErrorKind.BACKUP, "MongoDB backup into " + directory + " failed: " + e.getMessage()
                    + "; nothing complete was left there.", e);
        }
    }

    /** Runs the dump into the sink; fails unless it exited 0 and printed an archive. */
    private void run(TutorCommand dump, ArchiveSink sink) {
        TutorResult result;
        try {
            result = runner.run(dump, sink);
        } catch (ArboristException e) {
            throw new ArboristException(ErrorKind.BACKUP, "MongoDB backup failed: " + e.getMessage(), e);
        }
        if (!result.succeeded()) {
            TutorCommandException failure = new TutorCommandException("MongoDB backup", result);
            throw new ArboristException(ErrorKind.BACKUP, failure.getMessage(), failure);
        }
        if (!sink.started()) {
            throw new ArboristException(ErrorKind.BACKUP, "MongoDB backup failed: `" + dump.commandLine()
                    + "` exited 0 but printed no archive (" + sink.preambleBytes() + " bytes of text, no gzip data)."
                    + " Run it by hand to see what it prints.");
        }
    }

    /** Reads the stored archive back whole: it must be a whole archive, byte for byte what mongodump wrote. */
    private static MongoArchiveCheck.Result readBack(TutorCommand dump, ArchiveSink sink, MongoArchiveCheck.IoSupplier stored,
                                                     String where) throws IOException {
        MongoArchiveCheck.Result check = MongoArchiveCheck.check(stored);
        if (check.problem().isPresent()) {
            throw new ArboristException(ErrorKind.BACKUP, "MongoDB backup failed: `" + dump.commandLine()
                    + "` exited 0 but its archive is not whole: " + check.problem().get() + ". Nothing complete was left.");
        }
        if (!check.sha256().equals(sink.sha256()) || check.bytes() != sink.bytes()) {
            throw new ArboristException(ErrorKind.BACKUP, "MongoDB backup failed: the archive " + where + " differs from the bytes"
                    + " mongodump wrote (" + check.bytes() + " bytes read back, " + sink.bytes() + " written); check the "
                    + (where.equals("on disk") ? "disk." : "store."));
        }
        return check;
    }

    /**
     * Backs up for the executor: into the request's directory as {@link #backup(Path)} does, or, for an S3 prefix,
     * streamed through the request's store: the dump is uploaded as mongodump writes it (multipart, bounded memory,
     * nothing staged on local disk), read back whole and checked the same way, and {@code manifest.json} is written
     * last ({@link ArchiveWriter}), so a dump cut short never reads as complete.
     *
     * @param request the executor's request; its target must be {@link BackupTarget#MONGODB}
     * @return the finished artifact
     */
    @Override
    public BackupArtifact backup(BackupRequest request) {
        Objects.requireNonNull(request, "request");
        if (request.target() != BackupTarget.MONGODB) {
            throw new ArboristException(ErrorKind.CONFIGURATION, "MongoDbBackup saves MONGODB targets, not " + request.target());
        }
        if (request.localDirectory().isPresent()) {
            MongoDbArchive a = backup(request.localDirectory().get());
            return new BackupArtifact(request.stepId() + "/mongodb", BackupTarget.MONGODB, request.location(), a.bytes(), a.created());
        }
        BackupStore store = request.store();
        MongoCommands.Setup setup = location.resolve(runner);
        TutorCommand dump = location.command(MongoCommands.dump(setup));
        LOG.info("Backing up MongoDB ({}) into {}", setup.describe(), store.destination());
        ArchiveWriter writer = ArchiveWriter.into(store, "").encryptedWith(request.encryption()).start();
        try {
            StoreOutputStream out = writer.create(MongoDbArchive.FILE);
            ArchiveSink sink = new ArchiveSink(Channels.newChannel(out), MAX_PREAMBLE);
            try {
                run(dump, sink);
                out.close();
            } catch (IOException | RuntimeException e) {
                out.abort();
                throw e;
            }
            MongoArchiveCheck.Result check = readBack(dump, sink, () -> writer.readBack(MongoDbArchive.FILE), "in " + store.destination());
            Instant created = Instant.now();
            writer.commit(BackupFiles.JSON.writeValueAsBytes(manifest(setup, dump, check, sink.preambleBytes(), created)));
            LOG.info("Backed up MongoDB: {} collections, {} bytes ({} decompressed), SHA-256 {}", check.namespaces().size(),
                    check.bytes(), check.uncompressedBytes(), check.sha256());
            return new BackupArtifact(request.stepId() + "/mongodb", BackupTarget.MONGODB, request.location(), check.bytes(), created);
        } catch (IOException | RuntimeException e) {
            try {
                writer.discard();
            } catch (RuntimeException ignored) {
                // without a manifest the prefix never reads as a complete backup
            }
            if (e instanceof ArboristException ae) {
                throw ae;
            }
            throw new ArboristException(ErrorKind.BACKUP, "MongoDB backup into " + store.destination() + " failed: " + e.getMessage()
                    + "; nothing complete was left there.", e);
        }
    }

    private static void prepare(Path directory) {
        try {
            if (!BackupFiles.isMissingOrEmpty(directory)) {
                throw new ArboristException(ErrorKind.CONFIGURATION, "backup directory " + directory + " is not empty;"
                        + " give a new or empty directory (a backup is never written over another).");
            }
            BackupFiles.ownerOnlyDirectories(directory);
        } catch (IOException e) {
            throw new ArboristException(ErrorKind.BACKUP, "cannot prepare backup directory " + directory + ": " + e.getMessage(), e);
        }
    }

    private static ObjectNode manifest(MongoCommands.Setup setup, TutorCommand dump, MongoArchiveCheck.Result check,
                                       long preamble, Instant created) {
        ObjectNode m = BackupFiles.JSON.createObjectNode();
        m.put("kind", MongoDbArchive.KIND);
        m.put("formatVersion", MongoDbArchive.FORMAT_VERSION);
        m.put("tool", "arborist");
        m.put("toolVersion", BackupFiles.TOOL_VERSION);
        m.put("created", created.toString());
        m.put("file", MongoDbArchive.FILE);
        m.put("bytes", check.bytes());
        m.put("sha256", check.sha256());
        m.put("uncompressedBytes", check.uncompressedBytes());
        m.put("source", setup.describe());
        dump.redactedArgv().forEach(m.putArray("command")::add);
        m.put("droppedPreambleBytes", preamble);
        check.namespaces().forEach(m.putArray("namespaces")::add);
        return m;
    }

    private static void removeQuietly(Path... files) {
        for (Path f : files) {
            try {
                Files.deleteIfExists(f);
            } catch (IOException e) {
                // Without a manifest the directory never reads as a complete backup.
            }
        }
    }

    /** @return the settings, never a secret */
    @Override
    public String toString() {
        return "MongoDbBackup[" + location + "]";
    }

    /**
     * Settings for a {@link MongoDbBackup}. Not thread-safe.
     *
     * @since 0.1
     */
    public static final class Builder {
        private final TutorRunner runner;
        private MongoLocation location = MongoLocation.defaults();

        private Builder(TutorRunner runner) {
            this.runner = runner;
        }

        /**
         * @param mode how Tutor runs the site, which decides {@code tutor local|dev|k8s exec} (default: LOCAL)
         * @return this builder
         */
        public Builder mode(DeploymentMode mode) {
            location = location.withMode(mode);
            return this;
        }

        /**
         * @param external whether MongoDB is outside Tutor ({@code RUN_MONGODB} false): then {@code mongodump} runs on
         *                 this host (default: asked with {@code tutor config printvalue RUN_MONGODB} at each backup)
         * @return this builder
         */
        public Builder external(boolean external) {
            location = location.withExternal(external);
            return this;
        }

        /**
         * @param version the installed Tutor, which decides the form of {@code tutor k8s exec} and the authentication
         *                database of an external MongoDB (default: asked with {@code tutor --version} when needed)
         * @return this builder
         */
        public Builder tutorVersion(TutorVersion version) {
            location = location.withTutor(version);
            return this;
        }

        /**
         * @param timeout how long the dump may run before it is killed (default: the runner's)
         * @return this builder
         */
        public Builder timeout(Duration timeout) {
            location = location.withTimeout(timeout);
            return this;
        }

        /** @return the backup */
        public MongoDbBackup build() {
            return new MongoDbBackup(this);
        }
    }
}
