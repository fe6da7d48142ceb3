package io.arborist.core.execute;

import io.arborist.core.backup.BackupArtifact;
import io.arborist.core.backup.store.Destination;
import io.arborist.core.plan.BackupTarget;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One record of an {@link UpgradeJournal}: a run of a plan started, a step started, a backup started, backups confirmed
 * by hand, a step ended. Records never hold secrets: plans hold placeholders, and messages are redacted before they are
 * written.
 *
 * @since 0.1
 */
public sealed interface JournalEntry permits JournalEntry.PlanStarted, JournalEntry.StepStarted, JournalEntry.BackupStarted,
        JournalEntry.BackupsConfirmed, JournalEntry.StepEnded {
    /** @return when it was written */
    Instant at();

    /**
     * The first record: which plan the journal belongs to.
     *
     * @param at when
     * @param planSha256 SHA-256 of the plan's JSON; a different plan is refused
     * @param planJson the plan itself, so that {@code resume} needs only the journal
     * @param runId this run's name, e.g. {@code 20240601-101500-3f9a2c}: its backups live in a directory of that name
     *              below the backup directory; letters, digits, {@code .}, {@code _} and {@code -} only
     */
    record PlanStarted(Instant at, String planSha256, String planJson, String runId) implements JournalEntry {
        private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
        private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

        /**
         * Validates.
         *
         * @param at when
         * @param planSha256 SHA-256 of the plan's JSON; a different plan is refused
         * @param planJson the plan itself, so that {@code resume} needs only the journal
         * @param runId this run's name, e.g. {@code 20240601-101500-3f9a2c}: its backups live in a directory of that name
         *     below the backup directory; letters, digits, {@code .}, {@code _} and {@code -} only
         */
        public PlanStarted {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(planSha256, "planSha256");
            Objects.requireNonNull(planJson, "planJson");
            Objects.requireNonNull(runId, "runId");
            if (!RUN_ID.matcher(runId).matches()) {
                throw new IllegalArgumentException("runId must be letters, digits, '.', '_' or '-' (it names a directory), got '"
                        + runId + "'");
            }
        }

        /**
         * A record of a journal written before runs had names: the name is made from the start time and the plan.
         *
         * @param at when
         * @param planSha256 SHA-256 of the plan's JSON
         * @param planJson the plan
         */
        public PlanStarted(Instant at, String planSha256, String planJson) {
            this(at, planSha256, planJson, runId(at, planSha256.length() >= 6 ? planSha256.substring(0, 6) : "plan"));
        }

        /**
         * @param at when the run started
         * @param suffix what makes it unique, e.g. random hex digits
         * @return a run name such as {@code 20240601-101500-3f9a2c}
         */
        public static String runId(Instant at, String suffix) {
            return STAMP.format(Objects.requireNonNull(at, "at")) + "-" + Objects.requireNonNull(suffix, "suffix");
        }
    }

    /**
     * A step is about to run.
     *
     * @param at when
     * @param stepId the step
     */
    record StepStarted(Instant at, String stepId) implements JournalEntry {
        /**
         * Validates.
         *
         * @param at when
         * @param stepId the step
         */
        public StepStarted {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(stepId, "stepId");
        }
    }

    /**
     * A backup provider is about to write a backup: the executor may later remove what is at this location only if it
     * is still incomplete (no manifest), because this run started it.
     *
     * @param at when
     * @param stepId the backup step
     * @param target what is being saved
     * @param location the directory or S3 prefix reserved for it
     */
    record BackupStarted(Instant at, String stepId, BackupTarget target, Destination location) implements JournalEntry {
        /**
         * Validates.
         *
         * @param at when
         * @param stepId the backup step
         * @param target what is being saved
         * @param location the directory or S3 prefix reserved for it
         */
        public BackupStarted {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(stepId, "stepId");
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(location, "location");
        }
    }

    /**
     * A person confirmed backups Arborist did not take (targets declared taken by hand).
     *
     * @param at when
     * @param stepId the backup step
     * @param targets what was confirmed as backed up
     * @param confirmedBy who confirmed, e.g. the operating-system user running the upgrade
     */
    record BackupsConfirmed(Instant at, String stepId, List<BackupTarget> targets, String confirmedBy) implements JournalEntry {
        /**
         * Validates and copies.
         *
         * @param at when
         * @param stepId the backup step
         * @param targets what was confirmed as backed up
         * @param confirmedBy who confirmed, e.g. the operating-system user running the upgrade
         */
        public BackupsConfirmed {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(stepId, "stepId");
            targets = List.copyOf(targets);
            Objects.requireNonNull(confirmedBy, "confirmedBy");
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
        /**
         * Validates and copies.
         *
         * @param at when
         * @param stepId the step
         * @param completed whether it completed (false: failed or stopped)
         * @param took how long it ran
         * @param backups backups it produced
         * @param message what went wrong, for failures (secrets redacted)
         */
        public StepEnded {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(stepId, "stepId");
            Objects.requireNonNull(took, "took");
            backups = List.copyOf(backups);
            Objects.requireNonNull(message, "message");
        }
    }
}
