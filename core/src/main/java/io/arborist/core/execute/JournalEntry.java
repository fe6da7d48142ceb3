package io.arborist.core.execute;

import io.arborist.core.backup.BackupArtifact;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One record of an {@link UpgradeJournal}: a run of a plan started, a step started, a step ended. Records never hold
 * secrets: plans hold placeholders, and messages are redacted before they are written.
 *
 * @since 0.1
 */
public sealed interface JournalEntry permits JournalEntry.PlanStarted, JournalEntry.StepStarted, JournalEntry.StepEnded {
    /** @return when it was written */
    Instant at();

    /**
     * The first record: which plan the journal belongs to.
     *
     * @param at when
     * @param planSha256 SHA-256 of the plan's JSON; a different plan is refused
     * @param planJson the plan itself, so that {@code resume} needs only the journal
     */
    record PlanStarted(Instant at, String planSha256, String planJson) implements JournalEntry {
        /** Validates. */
        public PlanStarted {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(planSha256, "planSha256");
            Objects.requireNonNull(planJson, "planJson");
        }
    }

    /**
     * A step is about to run.
     *
     * @param at when
     * @param stepId the step
     */
    record StepStarted(Instant at, String stepId) implements JournalEntry {
        /** Validates. */
        public StepStarted {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(stepId, "stepId");
        }
    }

    /**
     * A step ended.
     *
     * @param at when
     * @param stepId the step
     * @param completed whether it completed (false: failed or stopped)
     * @param took how long it ran
     * @param backups backups it produced
     * @param message what went wrong, for failures (secrets redacted)
     */
    record StepEnded(Instant at, String stepId, boolean completed, Duration took, List<BackupArtifact> backups,
                     Optional<String> message) implements JournalEntry {
        /** Validates and copies. */
        public StepEnded {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(stepId, "stepId");
            Objects.requireNonNull(took, "took");
            backups = List.copyOf(backups);
            Objects.requireNonNull(message, "message");
        }
    }
}
