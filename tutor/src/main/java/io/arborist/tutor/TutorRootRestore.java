package io.arborist.tutor;

import io.arborist.core.ArboristException;
import io.arborist.core.ErrorKind;
import io.arborist.core.backup.store.ArchiveReader;
import io.arborist.core.backup.store.BackupStore;
import io.arborist.core.backup.store.BackupStores;
import io.arborist.core.backup.store.Destination;
import io.arborist.core.backup.store.EncryptionKey;
import io.arborist.tutor.internal.BackupFiles;
import io.arborist.tutor.internal.TutorRootFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts a {@link TutorRootArchive} back into a Tutor root: {@code config.yml} and {@code env/} with their original
 * modes.
 *
 * <pre>{@code
 * TutorRootRestore.builder().build().restore(Path.of("/backups/tutor-root"), Path.of("/srv/tutor-rehearsal"));
 * try (BackupStore s3 = BackupStores.builder().environment(System.getenv()).build()
 *         .open("s3://edx-backups/run/02-lilac-backup/tutor-root")) {
 *     TutorRootRestore.builder().decryptWith(key).build().restore(s3, Path.of("/srv/tutor-rehearsal"));
 * }
 * }</pre>
 *
 * <p>Every file the manifest lists must be there at its size before anything is written; each is then read once into
 * a staging directory inside the root, its size and SHA-256 checked, and only when all match are they moved into
 * place, so a damaged archive or any failure leaves the root as it was. A root that already has a {@code config.yml} or a
 * non-empty {@code env/} is refused unless {@link Builder#replaceExisting(boolean)} is set; then the current ones are
 * not deleted but renamed aside to {@code config.yml.arborist-replaced-TIME} and {@code env.arborist-replaced-TIME}.
 *
 * <p>Immutable and thread-safe; one restore at a time per root.
 *
 * @since 0.1
 */
public final class TutorRootRestore {
    private static final Logger LOG = LoggerFactory.getLogger(TutorRootRestore.class);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private static final BackupStores LOCAL = BackupStores.builder().build();

    private final boolean replaceExisting;
    private final Optional<EncryptionKey> encryption;

    private TutorRootRestore(Builder b) {
        this.replaceExisting = b.replaceExisting;
        this.encryption = b.encryption;
    }

    /** @return a builder that refuses to replace an existing configuration */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding this restore's settings */
    public Builder toBuilder() {
        Builder b = new Builder().replaceExisting(replaceExisting);
        encryption.ifPresent(b::decryptWith);
        return b;
    }

    /**
     * Restores an archive in a directory into a root, as {@link #restore(BackupStore, Path)} does.
     *
     * @param archive the archive directory
     * @param root the Tutor root to restore into (created when missing)
     * @return the archive restored
     * @throws ArboristException VERIFICATION when the archive is incomplete or damaged; CONFIGURATION when the root
     *                           already has a configuration and replacing it was not asked for; RESTORE when copying or
     *                           moving fails (the root is then unchanged)
     */
    public TutorRootArchive restore(Path archive, Path root) {
        Objects.requireNonNull(archive, "archive");
        Objects.requireNonNull(root, "root");
        TutorRootArchive restored;
        try (BackupStore store = LOCAL.open(new Destination.LocalDirectory(archive))) {
            restored = restore(store, root);
        }
        return new TutorRootArchive(archive, restored.source(), restored.created(), restored.files(), restored.bytes(),
                restored.skipped());
    }

    /**
     * Restores an archive from a store (an S3 prefix, or a directory opened as a store) into a root. Before anything
     * is written, the manifest (decrypted with {@link Builder#decryptWith} when the archive is encrypted) is checked and
     * every file it lists must be stored at its size, with nothing else under {@code files/}. Each file is then read
     * once into a staging directory inside the root and checked against its size and SHA-256; only when all match are
     * {@code config.yml} and {@code env/} moved into place, so a damaged archive leaves the root as it was.
     *
     * @param store the archive's store, at the archive's prefix
     * @param root the Tutor root to restore into (created when missing)
     * @return the archive restored; its {@link TutorRootArchive#location()} is the store's destination
     * @throws ArboristException VERIFICATION when the archive is missing, partial, encrypted without its key or with
     *                           another one, or a file is missing, of another size or another SHA-256 (the line names
     *                           it); CONFIGURATION when the root already has a configuration and replacing it was not
     *                           asked for; RESTORE when reading, copying or moving fails (the root is then unchanged)
     */
    public TutorRootArchive restore(BackupStore store, Path root) {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(root, "root");
        ArchiveReader reader = ArchiveReader.open(store, "", encryption);
        String where = store.destination().toString();
        TutorRootFiles.Contents contents = TutorRootFiles.readManifest(reader);
        TutorRootFiles.checkStored(reader, contents, encryption);
        Path config = root.resolve(TutorRootFiles.CONFIG);
        Path env = root.resolve(TutorRootFiles.ENV);
        boolean hasConfig = Files.exists(config, LinkOption.NOFOLLOW_LINKS);
        boolean hasEnv;
        try {
            hasEnv = !BackupFiles.isMissingOrEmpty(env);
        } catch (IOException e) {
            throw new ArboristException(ErrorKind.RESTORE, "cannot read " + env + ": " + e.getMessage(), e);
        }
        if ((hasConfig || hasEnv) && !replaceExisting) {
            throw new ArboristException(ErrorKind.CONFIGURATION, root + " already has " + (hasConfig && hasEnv
                    ? "a config.yml and a non-empty env/" : hasConfig ? "a config.yml" : "a non-empty env/")
                    + ": the restore replaces nothing unless asked. Restore into an empty directory, or use"
                    + " replaceExisting(true) to have the current ones renamed aside first.");
        }
        Path staging = root.resolve(".arborist-restore-" + System.nanoTime());
        List<Path> setAside = new ArrayList<>();
        boolean created = !Files.exists(root, LinkOption.NOFOLLOW_LINKS);
        try {
            Files.createDirectories(root);
            BackupFiles.ownerOnlyDirectories(staging);
            TutorRootFiles.copyOut(reader, contents, staging);
            String stamp = STAMP.format(Instant.now());
            if (hasConfig) {
                setAside.add(Files.move(config, root.resolve(TutorRootFiles.CONFIG + ".arborist-replaced-" + stamp)));
            }
            if (hasEnv) {
                setAside.add(Files.move(env, root.resolve(TutorRootFiles.ENV + ".arborist-replaced-" + stamp)));
            } else if (Files.isDirectory(env, LinkOption.NOFOLLOW_LINKS)) {
                Files.delete(env);
            }
            Files.move(staging.resolve(TutorRootFiles.CONFIG), config, StandardCopyOption.ATOMIC_MOVE);
            if (Files.exists(staging.resolve(TutorRootFiles.ENV), LinkOption.NOFOLLOW_LINKS)) {
                Files.move(staging.resolve(TutorRootFiles.ENV), env, StandardCopyOption.ATOMIC_MOVE);
            }
            Files.delete(staging);
            BackupFiles.forceDirectory(root);
        } catch (IOException | RuntimeException e) {
            BackupFiles.deleteQuietly(staging);
            if (created && setAside.isEmpty()) {
                BackupFiles.deleteQuietly(root);
            }
            String outcome = setAside.isEmpty() ? root + " is unchanged." : "the previous files are in " + setAside + ".";
            if (e instanceof ArboristException ae) {
                throw new ArboristException(ae.kind(), ae.getMessage() + "; nothing was restored, " + outcome, ae);
            }
            throw new ArboristException(ErrorKind.RESTORE, "restore of " + where + " into " + root + " failed: "
                    + e.getMessage() + "; " + outcome, e);
        }
        LOG.info("Restored {} files of {} into {}{}", contents.files(), where, root,
                setAside.isEmpty() ? "" : "; the previous ones were renamed to " + setAside);
        return TutorRootArchive.of(store.destination() instanceof Destination.LocalDirectory local ? local.directory()
                : Path.of(""), where, contents);
    }

    /** @return the settings */
    @Override
    public String toString() {
        return "TutorRootRestore[replaceExisting=" + replaceExisting
                + encryption.map(k -> ", decrypting with key " + k.fingerprint()).orElse("") + "]";
    }

    /**
     * Settings for a {@link TutorRootRestore}. Not thread-safe.
     *
     * @since 0.1
     */
    public static final class Builder {
        private boolean replaceExisting;
        private Optional<EncryptionKey> encryption = Optional.empty();

        private Builder() {
        }

        /**
         * @param replace whether a root that already has a {@code config.yml} or a non-empty {@code env/} may be
         *                restored into; the current ones are renamed aside, never deleted (default: false)
         * @return this builder
         */
        public Builder replaceExisting(boolean replace) {
            this.replaceExisting = replace;
            return this;
        }

        /**
         * @param encryptionKey decrypts an encrypted archive in a store (default: none; an encrypted archive is then
         *                      refused in one line naming the key fingerprint it needs)
         * @return this builder
         */
        public Builder decryptWith(EncryptionKey encryptionKey) {
            this.encryption = Optional.of(Objects.requireNonNull(encryptionKey, "encryptionKey"));
            return this;
        }

        /** @return the restore */
        public TutorRootRestore build() {
            return new TutorRootRestore(this);
        }
    }
}
