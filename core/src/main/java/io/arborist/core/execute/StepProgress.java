package io.arborist.core.execute;

import io.arborist.core.plan.UpgradeStep;
import java.time.Duration;
import java.util.Objects;

/**
 * Where a run stands when a step starts or ends.
 *
 * @param step the step
 * @param number its 1-based position in the plan
 * @param total number of steps in the plan
 * @param elapsed time spent running steps so far, including earlier runs recorded in the journal
 * @param remaining estimated time left: the plan's estimates for the steps left, scaled by how the finished steps
 *     compared with their estimates
 * @since 0.1
 */
public record StepProgress(UpgradeStep step, int number, int total, Duration elapsed, Duration remaining) {
    /**
     * Validates.
     *
     * @param step the step
     * @param number its 1-based position in the plan
     * @param total number of steps in the plan
     * @param elapsed time spent running steps so far, including earlier runs recorded in the journal
     * @param remaining estimated time left: the plan's estimates for the steps left, scaled by how the finished steps
     *     compared with their estimates
     */
    public StepProgress {
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(elapsed, "elapsed");
        Objects.requireNonNull(remaining, "remaining");
    }

    /** @return e.g. {@code step 7 of 38} */
    public String position() {
        return "step " + number + " of " + total;
    }
}
