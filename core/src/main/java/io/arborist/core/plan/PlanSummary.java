package io.arborist.core.plan;

import java.time.Duration;
import java.util.Objects;

/**
 * Figures about a plan, next to what the naive path (every point release, every image build) would cost.
 *
 * @param hops number of release hops (each installs a Tutor version and builds images)
 * @param releasesCrossed named releases between start and target
 * @param imageBuilds image builds in the plan
 * @param estimate the plan's summed step estimates
 * @param naivePointReleases point releases a naive climb installs one by one
 * @param naiveImageBuilds image builds a naive climb needs
 * @param naiveBuildTime the naive climb's build time alone
 * @since 0.1
 */
public record PlanSummary(int hops, int releasesCrossed, int imageBuilds, Duration estimate, int naivePointReleases,
                          int naiveImageBuilds, Duration naiveBuildTime) {
    /** Validates. */
    public PlanSummary {
        Objects.requireNonNull(estimate, "estimate");
        Objects.requireNonNull(naiveBuildTime, "naiveBuildTime");
    }
}
