package io.arborist.core.backup;

import io.arborist.core.plan.BackupTarget;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;

/**
 * A finished, verified backup: where it is and what it holds. Recorded in the journal (never any secret).
 *
 * @param id identifier, unique within a run (the provider's choice, e.g. {@code 02-lilac-backup/mysql})
 * @param target what was saved
 * @param location the backup's directory or file
 * @param bytes its size on disk
 * @param created when it was completed
 * @since 0.1
 */
public record BackupArtifact(String id, BackupTarget target, Path location, long bytes, Instant created) {
    /** Validates. */
    public BackupArtifact {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(created, "created");
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes must be >= 0, got " + bytes);
        }
    }
}
