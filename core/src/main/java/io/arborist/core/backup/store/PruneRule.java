package io.arborist.core.backup.store;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Which archives {@link BackupCatalog#prune} removes. A complete archive is removed when it matches every criterion
 * given (older than {@code olderThan}, and not among the {@code keep} newest complete archives); a partial one only
 * when {@code partial} is set (and it is older than {@code olderThan}, when given). An archive a journal references is
 * never removed.
 *
 * @param olderThan remove archives created longer ago than this
 * @param keep keep this many newest complete archives
 * @param partial also remove partial archives and unfinished uploads
 * @param dryRun report what would be removed, remove nothing
 * @since 0.3
 */
public record PruneRule(Optional<Duration> olderThan, OptionalInt keep, boolean partial, boolean dryRun) {
    /**
     * Validates: at least one criterion.
     *
     * @param olderThan remove archives created longer ago than this
     * @param keep keep this many newest complete archives
     * @param partial also remove partial archives and unfinished uploads
     * @param dryRun report what would be removed, remove nothing
     */
    public PruneRule {
        Objects.requireNonNull(olderThan, "olderThan");
        Objects.requireNonNull(keep, "keep");
        if (olderThan.isEmpty() && keep.isEmpty() && !partial) {
            throw new IllegalArgumentException("say what to prune: an age (--older-than), a count to keep (--keep) or --partial");
        }
        if (olderThan.isPresent() && olderThan.get().isNegative()) {
            throw new IllegalArgumentException("the age must not be negative, got " + olderThan.get());
        }
        if (keep.isPresent() && keep.getAsInt() < 1) {
            throw new IllegalArgumentException("keep at least 1 backup, got " + keep.getAsInt() + " (use --older-than to prune by age only)");
        }
    }
}
