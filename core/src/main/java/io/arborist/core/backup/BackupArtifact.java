package io.arborist.core.backup;

import io.arborist.core.backup.store.Destination;
import io.arborist.core.plan.BackupTarget;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A finished, verified backup: where it is and what it holds. Recorded in the journal (never any secret). The sizes
 * and the time it took let a later plan scale the rehearsal's measured durations to another installation's data
 * ({@link io.arborist.core.plan.Calibration}).
 *
 * @param id identifier, unique within a run (the provider's choice, e.g. {@code 02-lilac-backup/mysql})
 * @param target what was saved
 * @param location where the backup is: a local directory, or an S3 prefix ({@code s3://bucket/prefix/}); journals
 *     write it as that string, and journals written before S3 destinations (a path) still read
 * @param bytes its size in the store
 * @param created when it was completed
 * @param rows rows saved, when the provider counts them (MySQL and ClickHouse do; empty in journals written before
 *     Arborist recorded them)
 * @param took how long the provider took to write and verify it; the executor fills it in when the provider does not
 * @since 0.1
 */
public record BackupArtifact(String id, BackupTarget target, Destination location, long bytes, Instant created, OptionalLong rows,
                             Optional<Duration> took) {
    /**
     * Validates.
     *
     * @param id identifier, unique within a run (the provider's choice, e.g. {@code 02-lilac-backup/mysql})
     * @param target what was saved
     * @param location where the backup is: a local directory, or an S3 prefix ({@code s3://bucket/prefix/}); journals
 *     write it as that string, and journals written before S3 destinations (a path) still read
     * @param bytes its size in the store
     * @param created when it was completed
     * @param rows rows saved, when the provider counts them (MySQL and ClickHouse do; empty in journals written before
     *     Arborist recorded them)
     * @param took how long the provider took to write and verify it; the executor fills it in when the provider does not
     */
    public BackupArtifact {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(rows, "rows");
        Objects.requireNonNull(took, "took");
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes must be >= 0, got " + bytes);
        }
        if (rows.isPresent() && rows.getAsLong() < 0) {
            throw new IllegalArgumentException("rows must be >= 0, got " + rows.getAsLong());
        }
        if (took.isPresent() && took.get().isNegative()) {
            throw new IllegalArgumentException("took must not be negative, got " + took.get());
        }
    }

    /**
     * A backup whose rows and duration are not known (yet).
     *
     * @param id identifier
     * @param target what was saved
     * @param location where
     * @param bytes its size in the store
     * @param created when it was completed
     */
    public BackupArtifact(String id, BackupTarget target, Destination location, long bytes, Instant created) {
        this(id, target, location, bytes, created, OptionalLong.empty(), Optional.empty());
    }

    /**
     * @param count rows saved
     * @return a copy with the row count
     */
    public BackupArtifact withRows(long count) {
        return new BackupArtifact(id, target, location, bytes, created, OptionalLong.of(count), took);
    }

    /**
     * @param duration how long the backup took
     * @return a copy with the duration
     */
    public BackupArtifact withTook(Duration duration) {
        return new BackupArtifact(id, target, location, bytes, created, rows, Optional.of(Objects.requireNonNull(duration, "duration")));
    }
}
