package io.arborist.core.execute;

import io.arborist.core.plan.EstimateRange;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How much of a run is left, from the plan's estimates (measured in a rehearsal where the plan was calibrated, the
 * catalog's otherwise): the estimates of the steps not completed, the step running now counted for what is left of its
 * estimate.
 *
 * @param remaining the time left, with its range
 * @param steps steps not completed (the running one included)
 * @param running the step that started and has not ended, when the run is in progress (or was killed there)
 * @param runningFor how long that step has been running
 * @since 0.2
 */
public record TimeLeft(EstimateRange remaining, int steps, Optional<String> running, Duration runningFor) {
    /**
     * Validates.
     *
     * @param remaining the time left, with its range
     * @param steps steps not completed (the running one included)
     * @param running the step that started and has not ended, when the run is in progress (or was killed there)
     * @param runningFor how long that step has been running
     */
    public TimeLeft {
        Objects.requireNonNull(remaining, "remaining");
        Objects.requireNonNull(running, "running");
        Objects.requireNonNull(runningFor, "runningFor");
        if (steps < 0) {
            throw new IllegalArgumentException("steps must be >= 0, got " + steps);
        }
    }
}
