package io.arborist.core.execute;

import io.arborist.core.backup.BackupArtifact;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The result of a run (or of reading a journal).
 *
 * @param outcomes one outcome per step reached, in plan order
 * @param completed whether every step of the plan has completed
 * @param stoppedAt the step the run stopped at, when it did not complete
 * @param backups every backup recorded for the plan so far, kept until the plan completes
 * @since 0.1
 */
public record ExecutionReport(List<StepOutcome> outcomes, boolean completed, Optional<String> stoppedAt,
                              List<BackupArtifact> backups) {
    /**
     * Validates and copies.
     *
     * @param outcomes one outcome per step reached, in plan order
     * @param completed whether every step of the plan has completed
     * @param stoppedAt the step the run stopped at, when it did not complete
     * @param backups every backup recorded for the plan so far, kept until the plan completes
     */
    public ExecutionReport {
        outcomes = List.copyOf(outcomes);
        Objects.requireNonNull(stoppedAt, "stoppedAt");
        backups = List.copyOf(backups);
    }
}
