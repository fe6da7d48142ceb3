package io.arborist.core.backup;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a long backup, restore or verification stands, reported through a {@link BackupListener}.
 *
 * @param operation what is running ({@code backup}, {@code restore}, {@code verify})
 * @param current the object being worked on ({@code edxapp.auth_user}), or empty between objects
 * @param rowsDone rows copied so far
 * @param rowsTotal rows expected in total (an estimate for backups; exact for restores), or -1 when unknown
 * @param bytesDone bytes written or read so far
 * @param tablesDone tables finished
 * @param tablesTotal tables in the job
 * @param elapsed time since the job started
 * @param remaining estimated time left, when it can be estimated
 * @since 0.1
 */
public record BackupProgress(String operation, String current, long rowsDone, long rowsTotal, long bytesDone, int tablesDone,
                             int tablesTotal, Duration elapsed, Optional<Duration> remaining) {
    /**
     * Validates.
     *
     * @param operation what is running ({@code backup}, {@code restore}, {@code verify})
     * @param current the object being worked on ({@code edxapp.auth_user}), or empty between objects
     * @param rowsDone rows copied so far
     * @param rowsTotal rows expected in total (an estimate for backups; exact for restores), or -1 when unknown
     * @param bytesDone bytes written or read so far
     * @param tablesDone tables finished
     * @param tablesTotal tables in the job
     * @param elapsed time since the job started
     * @param remaining estimated time left, when it can be estimated
     */
    public BackupProgress {
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(current, "current");
        Objects.requireNonNull(elapsed, "elapsed");
        Objects.requireNonNull(remaining, "remaining");
    }

    /**
     * Estimates the time left from the rows done so far.
     *
     * @param rowsDone rows done
     * @param rowsTotal rows expected, or -1
     * @param elapsed time so far
     * @return the estimate, when there is enough to go on
     */
    public static Optional<Duration> eta(long rowsDone, long rowsTotal, Duration elapsed) {
        if (rowsTotal <= 0 || rowsDone <= 0 || rowsDone >= rowsTotal) {
            return rowsTotal > 0 && rowsDone >= rowsTotal ? Optional.of(Duration.ZERO) : Optional.empty();
        }
        return Optional.of(Duration.ofMillis((long) (elapsed.toMillis() * ((double) (rowsTotal - rowsDone) / rowsDone))));
    }
}
