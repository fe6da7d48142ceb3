package io.arborist.tutor;

import io.arborist.core.ArboristException;
import io.arborist.core.ErrorKind;
import io.arborist.core.backup.BackupArtifact;
import io.arborist.core.backup.BackupProvider;
import io.arborist.core.backup.BackupRequest;
import io.arborist.core.backup.store.ArchiveWriter;
import io.arborist.core.plan.BackupTarget;
import io.arborist.core.spi.TutorRunner;
import io.arborist.tutor.internal.BackupFiles;
import io.arborist.tutor.internal.TutorRootFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Backs up a Tutor root's {@code config.yml} and {@code env/} (not {@code data/}, which holds the databases' files)
 * into a {@link TutorRootArchive}, and is the {@link BackupProvider} for the executor's {@link BackupTarget#TUTOR_ROOT}
 * steps. That is enough to go back to the previous Tutor: its configuration and the environment it rendered.
 *
 * <pre>{@code
 * TutorRootArchive archive = TutorRootBackup.of(Path.of("/srv/tutor")).backup(Path.of("/backups/tutor-root"));
 * }</pre>
 *
 * <p>Every file is copied with its SHA-256 computed while it is read, the copies are owner-only ({@code 0600} files,
 * {@code 0700} directories; the original modes are in the manifest and come back on restore), everything is forced to
 * disk, and {@code manifest.json} is written last, then the whole archive is verified. Symbolic links are never
 * followed: a link or special file (socket, pipe, device) inside {@code env/} is skipped and listed by name in the
 * manifest and the log (Tutor renders only files and directories there), and a {@code config.yml} or {@code env} that
 * is itself a link fails the backup. Logs, exceptions, manifests and the journal hold file names, sizes and digests,
 * never a value from the files. For the executor, a backup into an S3 prefix uploads the same files and manifest
 * through the store ({@link #backup(BackupRequest)}).
 *
 * <p>Immutable and thread-safe; one backup at a time per target directory.
 *
 * @since 0.1
 */
public final class TutorRootBackup implements BackupProvider {
    private static final Logger LOG = LoggerFactory.getLogger(TutorRootBackup.class);

    private final Optional<Path> root;
    private final Optional<TutorRunner> runner;

    private TutorRootBackup(Optional<Path> root, Optional<TutorRunner> runner) {
        this.root = root;
        this.runner = runner;
    }

    /**
     * @param root the Tutor root (the directory holding {@code config.yml}); a link to it is followed, links inside it
     *             are not
     * @return a backup of that root
     */
    public static TutorRootBackup of(Path root) {
        return new TutorRootBackup(Optional.of(Objects.requireNonNull(root, "root")), Optional.empty());
    }

    /**
     * @param runner asked for the root with {@code tutor config printroot} when a backup starts
     * @return a backup of the root Tutor reports
     */
    public static TutorRootBackup using(TutorRunner runner) {
        return new TutorRootBackup(Optional.empty(), Optional.of(Objects.requireNonNull(runner, "runner")));
    }

    /**
     * Backs up into a new or empty directory and returns the verified archive.
     *
     * @param directory the archive directory (created owner-only when missing; must be empty)
     * @return the archive
     * @throws ArboristException CONFIGURATION for a non-empty directory; BACKUP when the root is not a Tutor root, holds
     *                           a link where {@code config.yml} or {@code env} should be, or cannot be read or copied
     *                           (no manifest is then written and the copies are removed)
     */
    public TutorRootArchive backup(Path directory) {
        Objects.requireNonNull(directory, "directory");
        Path source = resolveRoot();
        try {
            if (!BackupFiles.isMissingOrEmpty(directory)) {
                throw new ArboristException(ErrorKind.CONFIGURATION, "backup directory " + directory + " is not empty;"
                        + " give a new or empty directory (a backup is never written over another).");
            }
            refuseInsideEnv(directory.toAbsolutePath().normalize(), source);
            BackupFiles.ownerOnlyDirectories(directory);
            refuseInsideEnv(directory.toRealPath(), source);
        } catch (IOException e) {
            throw new ArboristException(ErrorKind.BACKUP, "cannot prepare backup directory " + directory + ": " + e.getMessage(), e);
        }
        TutorRootFiles.Contents contents;
        try {
            contents = TutorRootFiles.backup(source, directory, Instant.now());
        } catch (IOException | RuntimeException e) {
            BackupFiles.deleteQuietly(directory.resolve(TutorRootFiles.FILES));
            if (e instanceof ArboristException ae) {
                throw ae;
            }
            throw new ArboristException(ErrorKind.BACKUP, "backup of Tutor root " + source + " into " + directory
                    + " failed: " + e.getMessage() + "; nothing complete was left there.", e);
        }
        TutorRootArchive archive = TutorRootArchive.verify(directory);
        if (!contents.skipped().isEmpty()) {
            LOG.warn("Tutor root backup skipped {} entries of env/ that are not files or directories (links are never"
                    + " followed): {}", archive.skipped().size(), String.join(", ", archive.skipped()));
        }
        LOG.info("Backed up Tutor root {}: {} files, {} bytes, into {}", source, archive.files(), archive.bytes(), directory);
        return archive;
    }

    /**
     * Backs up for the executor: into the request's directory as {@link #backup(Path)} does, or, for an S3 prefix,
     * streamed through the request's store: each file is uploaded as it is read, its SHA-256 computed on the way, and
     * the manifest is written last ({@link ArchiveWriter}), so an interrupted backup never reads as complete.
     *
     * @param request the executor's request; its target must be {@link BackupTarget#TUTOR_ROOT}
     * @return the finished artifact
     */
    @Override
    public BackupArtifact backup(BackupRequest request) {
        Objects.requireNonNull(request, "request");
        if (request.target() != BackupTarget.TUTOR_ROOT) {
            throw new ArboristException(ErrorKind.CONFIGURATION, "TutorRootBackup saves TUTOR_ROOT targets, not " + request.target());
        }
        if (request.localDirectory().isPresent()) {
            TutorRootArchive a = backup(request.localDirectory().get());
            return new BackupArtifact(request.stepId() + "/tutor-root", BackupTarget.TUTOR_ROOT, request.location(), a.bytes(),
                    a.created());
        }
        Path source = resolveRoot();
        ArchiveWriter writer = ArchiveWriter.into(request.store(), "").encryptedWith(request.encryption()).start();
        TutorRootFiles.Contents contents;
        try {
            contents = TutorRootFiles.backup(source, writer, Instant.now());
        } catch (IOException | RuntimeException e) {
            try {
                writer.discard();
            } catch (RuntimeException ignored) {
                // without a manifest the prefix never reads as a complete backup
            }
            if (e instanceof ArboristException ae) {
                throw ae;
            }
            throw new ArboristException(ErrorKind.BACKUP, "backup of Tutor root " + source + " into " + request.location()
                    + " failed: " + e.getMessage() + "; nothing complete was left there.", e);
        }
        if (!contents.skipped().isEmpty()) {
            LOG.warn("Tutor root backup skipped {} entries of env/ that are not files or directories (links are never"
                    + " followed): {}", contents.skipped().size(), String.join(", ", contents.skipped().stream()
                    .map(TutorRootFiles.Entry::path).toList()));
        }
        LOG.info("Backed up Tutor root {}: {} files, {} bytes, into {}", source, contents.files(), contents.bytes(), request.location());
        return new BackupArtifact(request.stepId() + "/tutor-root", BackupTarget.TUTOR_ROOT, request.location(), contents.bytes(),
                contents.created());
    }

    private static void refuseInsideEnv(Path directory, Path root) {
        if (directory.startsWith(root.resolve(TutorRootFiles.ENV))) {
            throw new ArboristException(ErrorKind.CONFIGURATION, "backup directory " + directory + " is inside "
                    + root.resolve(TutorRootFiles.ENV) + ", which it backs up; put backups outside env/.");
        }
    }

    private Path resolveRoot() {
        Path given = root.orElseGet(() -> Path.of(runner.orElseThrow().runChecked(TutorCommands.configPrintRoot()).output().strip()));
        try {
            return given.toRealPath();
        } catch (IOException e) {
            throw new ArboristException(ErrorKind.BACKUP, "Tutor root " + given + " cannot be read: " + e.getMessage()
                    + ". Check the path (tutor config printroot) and its permissions.", e);
        }
    }

    /** @return where the root comes from */
    @Override
    public String toString() {
        return "TutorRootBackup[" + root.map(Path::toString).orElse("tutor config printroot") + "]";
    }
}
