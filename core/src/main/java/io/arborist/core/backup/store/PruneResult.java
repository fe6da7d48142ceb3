package io.arborist.core.backup.store;

import java.util.List;

/**
 * What {@link BackupCatalog#prune} did.
 *
 * @param removed the archives removed (or, in a dry run, that would be)
 * @param kept the archives kept
 * @param dryRun whether nothing was removed
 * @since 0.3
 */
public record PruneResult(List<ArchiveSummary> removed, List<ArchiveSummary> kept, boolean dryRun) {
    /**
     * Copies.
     *
     * @param removed the archives removed (or, in a dry run, that would be)
     * @param kept the archives kept
     * @param dryRun whether nothing was removed
     */
    public PruneResult {
        removed = List.copyOf(removed);
        kept = List.copyOf(kept);
    }
}
