package io.arborist.core.backup;

/**
 * Receives progress of long backups, restores and verifications (for a progress line). Called from worker threads,
 * possibly concurrently and often: implementations must be thread-safe and quick, and must not throw.
 *
 * @since 0.1
 */
public interface BackupListener {
    /** A listener that ignores everything. */
    BackupListener NONE = progress -> { };

    /**
     * @param progress where the job stands
     */
    void progress(BackupProgress progress);
}
