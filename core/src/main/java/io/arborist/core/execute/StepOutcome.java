package io.arborist.core.execute;

import io.arborist.core.backup.BackupArtifact;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How one step of a run ended.
 *
 * @since 0.1
 */
public sealed interface StepOutcome permits StepOutcome.Completed, StepOutcome.Skipped, StepOutcome.Failed {
    /** @return the step's id */
    String stepId();

    /**
     * The step ran to the end.
     *
     * @param stepId step id
     * @param took how long it ran
     * @param backups backups it produced (backup steps only)
     */
    record Completed(String stepId, Duration took, List<BackupArtifact> backups) implements StepOutcome {
        /**
         * Validates and copies.
         *
         * @param stepId step id
         * @param took how long it ran
         * @param backups backups it produced (backup steps only)
         */
        public Completed {
            Objects.requireNonNull(stepId, "stepId");
            Objects.requireNonNull(took, "took");
            backups = List.copyOf(backups);
        }
    }

    /**
     * The step did not run in this session.
     *
     * @param stepId step id
     * @param reason why (for example "completed in an earlier run")
     */
    record Skipped(String stepId, String reason) implements StepOutcome {
        /**
         * Validates.
         *
         * @param stepId step id
         * @param reason why (for example "completed in an earlier run")
         */
        public Skipped {
            Objects.requireNonNull(stepId, "stepId");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * The step failed or was stopped; the run stopped there.
     *
     * @param stepId step id
     * @param took how long it ran
     * @param message what went wrong (secrets redacted)
     */
    record Failed(String stepId, Duration took, String message) implements StepOutcome {
        /**
         * Validates.
         *
         * @param stepId step id
         * @param took how long it ran
         * @param message what went wrong (secrets redacted)
         */
        public Failed {
            Objects.requireNonNull(stepId, "stepId");
            Objects.requireNonNull(took, "took");
            Objects.requireNonNull(message, "message");
        }
    }
}
