package io.arborist.core.backup;

/**
 * Takes backups of one kind of data for the executor's backup steps. The MySQL and ClickHouse modules implement it;
 * callers wire one provider per {@link io.arborist.core.plan.BackupTarget} into the executor.
 *
 * <p>Implementations must return only after the backup is complete and verified (a backup that reads as complete
 * must restore), and throw an {@link io.arborist.core.ArboristException} of kind {@code BACKUP} otherwise. They may
 * be called from any thread, one call at a time per provider.
 *
 * @since 0.1
 */
public interface BackupProvider {
    /**
     * @param request what to save and where
     * @return the finished backup
     */
    BackupArtifact backup(BackupRequest request);
}
