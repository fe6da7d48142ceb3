package io.arborist.core.backup;

import io.arborist.core.plan.BackupTarget;
import java.nio.file.Path;
import java.util.Objects;

/**
 * What the executor asks a {@link BackupProvider} to save.
 *
 * @param stepId the plan's backup step
 * @param target what to save
 * @param directory an empty directory reserved for this backup; the provider writes only below it
 * @since 0.1
 */
public record BackupRequest(String stepId, BackupTarget target, Path directory) {
    /**
     * Validates.
     *
     * @param stepId the plan's backup step
     * @param target what to save
     * @param directory an empty directory reserved for this backup; the provider writes only below it
     */
    public BackupRequest {
        Objects.requireNonNull(stepId, "stepId");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(directory, "directory");
    }
}
