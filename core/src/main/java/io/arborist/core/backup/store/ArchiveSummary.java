package io.arborist.core.backup.store;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One archive under a destination, as {@link BackupCatalog} lists it.
 *
 * @param name its prefix relative to the destination ({@code 02-lilac-backup/mysql}; {@code ""} for the destination
 *     itself)
 * @param location where it is
 * @param complete whether its manifest is present (otherwise the remains of an interrupted backup)
 * @param bytes its size as stored, leftovers of unfinished uploads not counted
 * @param objects how many objects it holds
 * @param created when its manifest was written, or for a partial archive when it was last written to
 * @param encrypted whether its marker says it is encrypted
 * @param referencedBy the journals that still reference it (it is never pruned while any does)
 * @since 0.3
 */
public record ArchiveSummary(String name, Destination location, boolean complete, long bytes, int objects, Instant created,
                             boolean encrypted, List<String> referencedBy) {
    /**
     * Validates and copies.
     *
     * @param name its prefix relative to the destination ({@code 02-lilac-backup/mysql}; {@code ""} for the destination itself)
     * @param location where it is
     * @param complete whether its manifest is present (otherwise the remains of an interrupted backup)
     * @param bytes its size as stored, leftovers of unfinished uploads not counted
     * @param objects how many objects it holds
     * @param created when its manifest was written, or for a partial archive when it was last written to
     * @param encrypted whether its marker says it is encrypted
     * @param referencedBy the journals that still reference it (it is never pruned while any does)
     */
    public ArchiveSummary {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(created, "created");
        referencedBy = List.copyOf(referencedBy);
    }
}
