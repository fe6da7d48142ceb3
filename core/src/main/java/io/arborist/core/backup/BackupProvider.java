package io.arborist.core.backup;

import io.arborist.core.backup.store.BackupStore;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Takes backups of one kind of data for the executor's backup steps. The MySQL and ClickHouse modules implement it;
 * callers wire one provider per {@link io.arborist.core.plan.BackupTarget} into the executor.
 *
 * <p>Implementations must return only after the backup is complete and verified (a backup that reads as complete
 * must restore), and throw an {@link io.arborist.core.ArboristException} of kind {@code BACKUP} otherwise. They may
 * be called from any thread, one call at a time per provider.
 *
 * <p>A backup goes where {@link BackupRequest#location()} says: a local directory or an S3 prefix, written through
 * {@link BackupRequest#store()}. It is complete once its manifest is written, and the manifest is written last: a
 * directory or prefix without one holds the remains of a failed or interrupted backup. The executor asks
 * {@link #isComplete(BackupStore)} before it cleans up a location, and never removes a complete backup.
 *
 * @since 0.1
 */
public interface BackupProvider {
    /**
     * @param request what to save and where
     * @return the finished backup
     */
    BackupArtifact backup(BackupRequest request);

    /**
     * Whether a location holds a complete backup of this provider's kind: one that must never be removed or
     * overwritten. The default says whether an object named {@code manifest.json} is there (a file in a directory, an
     * object under an S3 prefix): the manifest that the MySQL, ClickHouse, MongoDB and Tutor-root backups write last.
     * Providers whose commit marker is another object override it and {@link #isComplete(Path)}; a damaged manifest
     * still counts as complete (when unsure, answer {@code true}: a person decides what to delete).
     *
     * @param backup the objects where a backup was written (possibly none)
     * @return whether it holds a complete backup
     */
    default boolean isComplete(BackupStore backup) {
        Objects.requireNonNull(backup, "backup");
        return backup.exists("manifest.json");
    }

    /**
     * {@link #isComplete(BackupStore)} for a local directory; the default says whether anything named
     * {@code manifest.json} is in it (a link too: when unsure, complete).
     *
     * @param directory a directory a backup was written into, possibly missing
     * @return whether it holds a complete backup
     */
    default boolean isComplete(Path directory) {
        Objects.requireNonNull(directory, "directory");
        return Files.exists(directory.resolve("manifest.json"), LinkOption.NOFOLLOW_LINKS);
    }
}
