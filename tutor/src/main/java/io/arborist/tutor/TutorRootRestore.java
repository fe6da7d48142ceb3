package io.arborist.tutor;

import io.arborist.core.ArboristException;
import io.arborist.core.ErrorKind;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts a {@link TutorRootArchive} back into a Tutor root: {@code config.yml} and {@code env/} with their original
 * modes.
 *
 * <pre>{@code
 * TutorRootRestore.builder().build().restore(Path.of("/backups/tutor-root"), Path.of("/srv/tutor-rehearsal"));
 * }</pre>
 *
 * <p>The archive is verified first, then copied into a staging directory inside the root (each SHA-256 checked again)
 * and moved into place, so a failure leaves the root as it was. A root that already has a {@code config.yml} or a
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

    private final boolean replaceExisting;

    private TutorRootRestore(Builder b) {
        this.replaceExisting = b.replaceExisting;
    }

    /** @return a builder that refuses to replace an existing configuration */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding this restore's settings */
    public Builder toBuilder() {
        return new Builder().replaceExisting(replaceExisting);
    }

    /**
     * Restores an archive into a root.
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
        TutorRootFiles.Contents contents = TutorRootFiles.verify(archive);
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
        try {
            Files.createDirectories(root);
            BackupFiles.ownerOnlyDirectories(staging);
            TutorRootFiles.copyOut(archive, contents, staging);
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
        } catch (IOException e) {
            BackupFiles.deleteQuietly(staging);
            throw new ArboristException(ErrorKind.RESTORE, "restore of " + archive + " into " + root + " failed: "
                    + e.getMessage() + (setAside.isEmpty() ? "; the root is unchanged."
                    : "; the previous files are in " + setAside + "."), e);
        }
        LOG.info("Restored {} files of {} into {}{}", contents.files(), archive, root,
                setAside.isEmpty() ? "" : "; the previous ones were renamed to " + setAside);
        return TutorRootArchive.of(archive, contents);
    }

    /** @return the settings */
    @Override
    public String toString() {
        return "TutorRootRestore[replaceExisting=" + replaceExisting + "]";
    }

    /**
     * Settings for a {@link TutorRootRestore}. Not thread-safe.
     *
     * @since 0.1
     */
    public static final class Builder {
        private boolean replaceExisting;

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

        /** @return the restore */
        public TutorRootRestore build() {
            return new TutorRootRestore(this);
        }
    }
}
