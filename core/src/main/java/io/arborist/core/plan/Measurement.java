package io.arborist.core.plan;

import io.arborist.core.release.ReleaseName;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * How long one step of a rehearsal took, as its journal recorded it: the input of a {@link Calibration}.
 *
 * @param stepId the rehearsal plan's step id, e.g. {@code 09-palm-launch}
 * @param kind what the step did
 * @param release the release it belonged to
 * @param took how long it ran until it completed
 * @param backups for backup steps, what each backup saved and how long it took
 * @since 0.2
 */
public record Measurement(String stepId, StepKind kind, ReleaseName release, Duration took, List<Backup> backups) {
    /**
     * Validates and copies.
     *
     * @param stepId the rehearsal plan's step id, e.g. {@code 09-palm-launch}
     * @param kind what the step did
     * @param release the release it belonged to
     * @param took how long it ran until it completed
     * @param backups for backup steps, what each backup saved and how long it took
     */
    public Measurement {
        Objects.requireNonNull(stepId, "stepId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(release, "release");
        Objects.requireNonNull(took, "took");
        backups = List.copyOf(backups);
        if (took.isNegative()) {
            throw new IllegalArgumentException("step " + stepId + ": took must not be negative, got " + took);
        }
    }

    /**
     * A step without backups.
     *
     * @param stepId step id
     * @param kind what it did
     * @param release its release
     * @param took how long it ran
     * @return the measurement
     */
    public static Measurement of(String stepId, StepKind kind, ReleaseName release, Duration took) {
        return new Measurement(stepId, kind, release, took, List.of());
    }

    /** @return the step id without its number ({@code palm-launch} for {@code 09-palm-launch}) */
    String idWithoutNumber() {
        return withoutNumber(stepId);
    }

    static String withoutNumber(String id) {
        return id.replaceFirst("^[0-9]+-", "");
    }

    /**
     * One backup a backup step took in the rehearsal.
     *
     * @param target what it saved
     * @param bytes its size on disk
     * @param rows rows saved, when the provider counted them
     * @param took how long it took, when recorded (journals before Arborist 0.2 lack it)
     */
    public record Backup(BackupTarget target, long bytes, OptionalLong rows, Optional<Duration> took) {
        /**
         * Validates.
         *
         * @param target what it saved
         * @param bytes its size on disk
         * @param rows rows saved, when the provider counted them
         * @param took how long it took, when recorded (journals before Arborist 0.2 lack it)
         */
        public Backup {
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(rows, "rows");
            Objects.requireNonNull(took, "took");
            if (bytes < 0) {
                throw new IllegalArgumentException("bytes must be >= 0, got " + bytes);
            }
        }
    }
}
